/** Choosing between a linear and a logarithmic value axis. */

export type AxisScale = 'log' | 'linear';

/**
 * Above this ratio between the largest and smallest group, a linear axis squeezes the small groups into a
 * few pixels at zero; a log axis keeps every group readable and shows "40 times worse" as a fixed distance.
 */
const LOG_RATIO = 10;

/**
 * Log when every value is positive (a log axis cannot show 0) and the groups' typical values differ by more
 * than a factor of ten; otherwise linear, which readers take in at a glance.
 */
export function chooseScale(groups: readonly (readonly number[])[]): AxisScale {
  const centres: number[] = [];
  for (const values of groups) {
    if (values.length === 0) continue;
    if (values.some((v) => !(v > 0))) return 'linear';
    centres.push(median(values));
  }
  if (centres.length === 0) return 'linear';
  return Math.max(...centres) / Math.min(...centres) > LOG_RATIO ? 'log' : 'linear';
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
