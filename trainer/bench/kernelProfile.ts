import { tf } from '../backend/tf';

export interface KernelTime {
  kernel: string;
  /** Summed kernel time over every call in the profiled step. */
  ms: number;
  calls: number;
}

export interface KernelProfile {
  /** All kernels' time in the step: compared with the wall time it shows the share spent outside kernels. */
  totalMs: number;
  top: KernelTime[];
}

/**
 * Where the time of one step goes: `tf.profile`'s kernel list summed by kernel name, largest first.
 * The list also holds ops with a custom gradient (`fusedConv2d__op`), timed around the kernels they run,
 * which are listed themselves; only registered kernels are kept, so no time is counted twice. (The lab's
 * own wasm kernels call other kernels directly, not through the engine, so their callees are not listed.)
 */
export async function profileKernels(runSync: () => void, top = 15): Promise<KernelProfile> {
  const info = await tf.profile(runSync);
  const backend = tf.getBackend();
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    if (!tf.getKernel(k.name, backend)) continue;
    const entry = byName.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    // kernelTimeMs is a number on CPU-side backends; a GPU backend can report {error} when timers are unavailable.
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls += 1;
    byName.set(k.name, entry);
  }
  const all = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return { totalMs: all.reduce((sum, k) => sum + k.ms, 0), top: all.slice(0, top) };
}
