import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice, BackendName, BackendRung } from '../../protocol/messages';
import { LabError } from '../core/labError';
import { bundledNamespace, useNamespace, type Tf } from './tf';
import { startWasm } from './wasm/startWasm';

export interface LadderOptions {
  choice: BackendChoice;
  /** Folders whose node_modules may hold a native tfjs build (the extension's storage first). */
  searchPaths: readonly string[];
  /** Folder holding tfjs-backend-wasm's .wasm binaries. */
  wasmDir: string;
  /** Compute threads for the wasm backend; absent means one per core. The native builds size their own pool. */
  threads?: number;
  /** Where to look for an NVIDIA driver; a parameter so tests can point it elsewhere. */
  nvidiaProcFile?: string;
}

export interface LadderResult {
  backend: BackendName;
  version: string;
  /** Threads the selected backend computes with; null when the native build's own pool decides. */
  threads: number | null;
  ladder: BackendRung[];
}

const ORDER: readonly BackendName[] = ['gpu', 'node', 'wasm', 'cpu'];

const NATIVE_PACKAGE: Record<'gpu' | 'node', string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

/**
 * Tries each rung from fastest to most portable and keeps the reason every rung was skipped, so the user
 * can see why training is slower than it could be and what would fix it.
 */
export async function selectBackend(options: LadderOptions): Promise<LadderResult> {
  const rungs = options.choice === 'auto' ? ORDER : [options.choice];
  const ladder: BackendRung[] = ORDER.map((backend) => ({
    backend,
    status: 'not-tried',
    reason: rungs.includes(backend) ? 'not reached: an earlier backend was selected' : `not tried: backend "${options.choice}" was requested`,
  }));
  for (const backend of rungs) {
    const rung = ladder.find((r) => r.backend === backend)!;
    const attempt = await tryRung(backend, options);
    if (attempt.ok) {
      rung.status = 'selected';
      rung.reason = attempt.reason;
      return { backend, version: attempt.version, threads: attempt.threads, ladder };
    }
    rung.status = 'skipped';
    rung.reason = attempt.reason;
  }
  const why = ladder.filter((r) => r.status === 'skipped').map((r) => `${r.backend}: ${r.reason}`).join('; ');
  throw new LabError('backend-unavailable', `No TensorFlow.js backend could be started (${why}). Choose "auto" to fall back automatically.`);
}

type Attempt = { ok: true; version: string; reason: string; threads: number | null } | { ok: false; reason: string };

async function tryRung(backend: BackendName, options: LadderOptions): Promise<Attempt> {
  switch (backend) {
    case 'gpu': {
      const procFile = options.nvidiaProcFile ?? '/proc/driver/nvidia/version';
      if (!existsSync(procFile)) return { ok: false, reason: `no NVIDIA GPU driver found (${procFile} does not exist)` };
      return loadNative('gpu', options.searchPaths);
    }
    case 'node':
      return loadNative('node', options.searchPaths);
    case 'wasm':
      return startWasm(options.wasmDir, options.threads ?? availableParallelism());
    case 'cpu': {
      const tf = bundledNamespace();
      useNamespace(tf);
      await tf.setBackend('cpu');
      await tf.ready();
      return { ok: true, version: tf.version_core, threads: 1, reason: 'pure JavaScript on 1 thread: works everywhere, slowest for convolutions' };
    }
  }
}

async function loadNative(backend: 'gpu' | 'node', searchPaths: readonly string[]): Promise<Attempt> {
  const name = NATIVE_PACKAGE[backend];
  const failures: string[] = [];
  for (const dir of searchPaths) {
    let ns: Tf;
    try {
      ns = createRequire(join(dir, 'noop.js'))(name) as Tf;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(name)) continue;
      failures.push(`${name} in ${dir} failed to load: ${firstLine(e.message)}`);
      continue;
    }
    try {
      useNamespace(ns);
      const ok = await ns.setBackend('tensorflow');
      if (!ok) throw new Error('setBackend("tensorflow") returned false');
      await ns.ready();
      const version = (ns.version as Record<string, string> | undefined)?.[backend === 'gpu' ? 'tfjs-node-gpu' : 'tfjs-node'] ?? ns.version_core;
      return { ok: true, version, threads: null, reason: `${name} loaded from ${dir}` };
    } catch (err) {
      useNamespace(bundledNamespace());
      failures.push(`${name} in ${dir} loaded but could not start: ${firstLine((err as Error).message)}`);
    }
  }
  if (failures.length > 0) return { ok: false, reason: failures.join('; ') };
  return {
    ok: false,
    reason:
      `${name} is not installed (looked in ${searchPaths.join(', ')}); the native build needs libtensorflow, which its installer downloads. ` +
      `Install it with "Install Faster Backend (tfjs-node)…" in VS Code or \`biomed-lab install-backend${backend === 'gpu' ? ' --gpu' : ' --cpu'}\``,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
