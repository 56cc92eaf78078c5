/**
 * Lets pending I/O callbacks run (a `run/cancel` line on stdin, SIGINT in the CLI). Awaiting a tfjs result
 * only runs microtasks, so a loop of tensor work would otherwise never see a cancel request until it ended.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
