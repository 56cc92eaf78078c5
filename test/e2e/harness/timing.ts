/** Phase timings on stdout, so a slow CI run shows where the minutes went. */
export async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    console.log(`[e2e timing] ${phase}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}
