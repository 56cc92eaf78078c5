import { SeededRandom, childSeed } from './random';

export interface Split {
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/**
 * `count` random train/test partitions of `rows` rows, each a fresh shuffle. The same seed always gives the
 * same splits, and split k does not depend on how many splits were asked for.
 */
export function randomSplits(rows: number, count: number, trainFraction: number, seed: number): Split[] {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError('trainFraction must be between 0 and 1');
  const trainRows = Math.round(rows * trainFraction);
  if (trainRows < 2 || rows - trainRows < 1) throw new RangeError(`${rows} rows are too few to split`);
  return Array.from({ length: count }, (_, k) => {
    const order = new SeededRandom(childSeed(seed, k)).permutation(rows);
    return { train: order.slice(0, trainRows), test: order.slice(trainRows) };
  });
}
