/** Step timing: warm-up steps first (the first step allocates and builds kernels), then the median of N. */
export interface StepTimes {
  msPerStep: number;
  /** Every timed step, in order, so a reader can see the spread behind the median. */
  stepMs: number[];
}

export async function timeSteps(run: () => Promise<void>, warmup: number, steps: number): Promise<StepTimes> {
  for (let i = 0; i < warmup; i++) await run();
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await run();
    stepMs.push(performance.now() - start);
  }
  return { msPerStep: median(stepMs), stepMs };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
