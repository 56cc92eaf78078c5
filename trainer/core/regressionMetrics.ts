/** Error metrics for continuous predictions, in whatever units `actual` is in. */

function checkLengths(actual: readonly number[], predicted: readonly number[]): void {
  if (actual.length !== predicted.length) {
    throw new RangeError(`actual has ${actual.length} values but predicted has ${predicted.length}`);
  }
  if (actual.length === 0) throw new RangeError('no values to score');
}

export function meanAbsoluteError(actual: readonly number[], predicted: readonly number[]): number {
  checkLengths(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return s / actual.length;
}

export function rootMeanSquaredError(actual: readonly number[], predicted: readonly number[]): number {
  checkLengths(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}
