/**
 * The OS side of the sandbox every harness runs in. Node's permission model limits files and forbids
 * child processes and workers; `unshare` gives the harness an empty network namespace (no route anywhere,
 * not even to the host's loopback) and its own PID namespace (it cannot signal the grader or other
 * submissions); `prlimit` caps address space, file size, core dumps and CPU time. What is unavailable is said, not
 * silently skipped: without network isolation grading is refused unless the instructor opts out.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SandboxTools {
  /** Arguments that put a command in fresh network and PID namespaces, or why that is impossible. */
  isolation: { ok: true; prefix: string[] } | { ok: false; reason: string };
  /** The prlimit executable, or why memory cannot be capped beyond the V8 heap. */
  prlimit: { ok: true; path: string } | { ok: false; reason: string };
}

export interface ProbeOptions {
  /** Overrides where `unshare` / `prlimit` are looked for (tests use it to simulate a machine without them). */
  unsharePath?: string;
  prlimitPath?: string;
}

export function probeSandbox(options: ProbeOptions = {}): SandboxTools {
  return { isolation: probeIsolation(options.unsharePath ?? which('unshare')), prlimit: probePrlimit(options.prlimitPath ?? which('prlimit')) };
}

function probeIsolation(unshare: string | undefined): SandboxTools['isolation'] {
  if (!unshare) return { ok: false, reason: '`unshare` (util-linux) was not found on PATH' };
  const base = ['--net', '--pid', '--fork', '--kill-child'];
  // As root the namespaces can be made directly; otherwise an unprivileged user namespace may allow it.
  const attempts = [base, ['--user', '--map-root-user', ...base]];
  const errors: string[] = [];
  for (const flags of attempts) {
    const r = spawnSync(unshare, [...flags, '--', process.execPath, '-e', '0'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0) return { ok: true, prefix: [unshare, ...flags, '--'] };
    errors.push(firstLine(r.error?.message ?? r.stderr) || `exit ${String(r.status)}`);
  }
  return { ok: false, reason: `\`unshare --net --pid\` is not permitted here (${errors.join('; ')}); run the grader as root or enable unprivileged user namespaces` };
}

function probePrlimit(prlimit: string | undefined): SandboxTools['prlimit'] {
  if (!prlimit) return { ok: false, reason: '`prlimit` (util-linux) was not found on PATH; only the V8 heap is capped' };
  const r = spawnSync(prlimit, ['--as=4294967296', '--', process.execPath, '-e', '0'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return { ok: true, path: prlimit };
  return { ok: false, reason: `prlimit failed (${firstLine(r.error?.message ?? r.stderr)}); only the V8 heap is capped` };
}

export interface HarnessLaunch {
  harnessScript: string;
  /** Read-only: the staged submission and the course data. */
  readable: readonly string[];
  /** The harness's scratch folder, its only writable place and its working directory. */
  scratch: string;
  memoryMb: number;
  /**
   * CPU seconds after which the kernel kills the harness. The grader enforces the wall-clock limits itself;
   * this is the backstop for a harness whose grader is gone (SIGKILLed, or its machine's session ended),
   * so a learner's endless loop cannot spin on, orphaned, for good.
   */
  cpuSeconds: number;
}

/** V8 reserves address space well beyond the heap (code space, stacks, the TensorFlow.js bundle). */
const ADDRESS_SPACE_HEADROOM_MB = 1536;
const SCRATCH_FILE_LIMIT_MB = 64;

export function harnessCommand(tools: SandboxTools, launch: HarnessLaunch): { command: string; args: string[] } {
  const node = [
    process.execPath,
    '--experimental-permission',
    `--allow-fs-read=${launch.harnessScript}`,
    ...launch.readable.map((p) => `--allow-fs-read=${p}`),
    `--allow-fs-write=${launch.scratch}`,
    `--max-old-space-size=${launch.memoryMb}`,
    // No eval or new Function in the shared realm: closes the usual routes to sloppy-mode tricks.
    '--disallow-code-generation-from-strings',
    '--no-warnings',
    launch.harnessScript,
  ];
  const limits = tools.prlimit.ok
    ? [
        tools.prlimit.path,
        `--as=${(launch.memoryMb + ADDRESS_SPACE_HEADROOM_MB) * 1024 * 1024}`,
        `--fsize=${SCRATCH_FILE_LIMIT_MB * 1024 * 1024}`,
        '--core=0',
        `--cpu=${Math.max(1, Math.ceil(launch.cpuSeconds))}`,
        '--',
      ]
    : [];
  // Without isolation the caller has already refused, or the instructor accepted that risk explicitly.
  const isolation = tools.isolation.ok ? tools.isolation.prefix : [];
  const [command, ...args] = [...isolation, ...limits, ...node];
  return { command: command!, args };
}

function which(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}
