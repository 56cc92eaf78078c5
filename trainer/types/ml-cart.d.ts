// ml-cart ships no type declarations; these cover the part the regression baselines use.
declare module 'ml-cart' {
  export interface DecisionTreeOptions {
    gainFunction?: 'regression' | 'gini';
    splitFunction?: 'mean';
    minNumSamples?: number;
    maxDepth?: number;
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeOptions);
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
