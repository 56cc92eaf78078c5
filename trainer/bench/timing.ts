/**
 * Step timing: warm-up steps first (the first step allocates and builds kernels), then the median of N.
 * CPU time is taken beside wall time: on a shared machine a loaded CPU stretches wall time, while the CPU
 * time the process itself used moves much less, so it still compares backends when the machine is busy.
 */
export interface StepTimes {
  msPerStep: number;
  /** Every timed step, in order, so a reader can see the spread behind the median. */
  stepMs: number[];
  /** Median CPU time (user + system, all threads of the process) per step. */
  cpuMsPerStep: number;
}

export async function timeSteps(run: () => Promise<void>, warmup: number, steps: number): Promise<StepTimes> {
  for (let i = 0; i < warmup; i++) await run();
  const stepMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    stepMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { msPerStep: median(stepMs), stepMs, cpuMsPerStep: median(cpuMs) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
