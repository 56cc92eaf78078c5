/**
 * Starts one sandboxed harness, hands it the request over fd 3 and follows its reports, enforcing every
 * time limit from the parent side: the harness cannot stop a clock it does not hold. Anything the learner's
 * code prints (stdout, stderr) is kept only as an instructor-facing tail, never parsed for results.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { HarnessReportSchema, type HarnessRequest, type LearnerFailure, type MeasurementValue } from './childProtocol';

export type InterruptionCause = 'timeout' | 'call-timeout' | 'overall-timeout' | 'memory' | 'exited' | 'crashed' | 'cancelled';

/** Why the harness stopped early, and where it was: starting up, loading the learner's file, or in a test. */
export interface Interruption {
  phase: 'startup' | 'load' | 'test';
  ref?: string;
  cause: InterruptionCause;
  /** Instructor-facing: the harness's last error line, exit code or signal. */
  detail: string;
  limitMs?: number;
  /** How long the interrupted test had been running. */
  elapsedMs?: number;
}

export interface MeasurementOutcome {
  value?: MeasurementValue;
  failure?: LearnerFailure;
  durationMs: number;
}

export interface HarnessRun {
  /** Undefined when the harness never reached the learner's file. */
  load?: { ok: true } | { ok: false; failure: LearnerFailure };
  results: Map<string, MeasurementOutcome>;
  interruption?: Interruption;
  /** Channel lines without the run's nonce: attempted forgeries, for the instructor's report. */
  forgedLines: number;
  stdoutTail: string;
  stderrTail: string;
}

export interface HarnessLimits {
  startupMs: number;
  loadMs: number;
  learnerCallMs: number;
  testMs(ref: string): number;
  /** Absolute time (Date.now()) by which the whole submission must be graded. */
  deadline: number;
}

const TAIL_BYTES = 8192;
const MEMORY_SIGNS = /heap out of memory|Reached heap limit|Allocation failed|allocation failed|Cannot allocate|out of memory|Invalid array length|Invalid typed array length/i;

export function runHarness(
  launch: { command: string; args: string[]; cwd: string },
  request: HarnessRequest,
  limits: HarnessLimits,
  signal?: AbortSignal,
): Promise<HarnessRun> {
  return new Promise((resolvePromise) => {
    const run: HarnessRun = { results: new Map(), forgedLines: 0, stdoutTail: '', stderrTail: '' };
    // A fresh process group (detached), so a timeout kills everything the harness might have left behind.
    const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: {}, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let phase: Interruption['phase'] = 'startup';
    let current: { ref: string; started: number } | undefined;
    let done = false;
    const timers = new Map<'phase' | 'call' | 'deadline', NodeJS.Timeout>();
    const arm = (which: 'phase' | 'call' | 'deadline', ms: number, cause: InterruptionCause): void => {
      clearTimeout(timers.get(which));
      timers.set(which, setTimeout(() => stop(cause, ms), Math.max(0, ms)));
    };
    const inTest = (): Partial<Interruption> => (current ? { ref: current.ref, elapsedMs: Date.now() - current.started } : {});
    const disarm = (which: 'phase' | 'call'): void => clearTimeout(timers.get(which));
    const stop = (cause: InterruptionCause, limitMs?: number): void => {
      if (run.interruption || done) return;
      run.interruption = { phase, cause, detail: `stopped by the grader: ${cause}`, ...(limitMs ? { limitMs } : {}), ...inTest() };
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = (): void => stop('cancelled');
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();

    arm('phase', limits.startupMs, 'timeout');
    arm('deadline', limits.deadline - Date.now(), 'overall-timeout');

    const append = (tail: 'stdoutTail' | 'stderrTail') => (chunk: Buffer) => {
      run[tail] = (run[tail] + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout!.on('data', append('stdoutTail'));
    child.stderr!.on('data', append('stderrTail'));

    const channel = child.stdio[3] as Socket;
    const prefix = `${request.nonce} `;
    let pending = '';
    channel.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith(prefix)) {
          run.forgedLines++;
          continue;
        }
        let parsed;
        try {
          parsed = HarnessReportSchema.safeParse(JSON.parse(line.slice(prefix.length)));
        } catch {
          parsed = undefined;
        }
        if (!parsed?.success) {
          run.forgedLines++;
          continue;
        }
        const report = parsed.data;
        switch (report.t) {
          case 'ready':
            disarm('phase');
            break;
          case 'load':
            phase = 'load';
            arm('phase', limits.loadMs, 'timeout');
            break;
          case 'loaded':
            run.load = { ok: true };
            disarm('phase');
            break;
          case 'load-failed':
            run.load = { ok: false, failure: report.failure };
            disarm('phase');
            break;
          case 'start':
            phase = 'test';
            current = { ref: report.ref, started: Date.now() };
            arm('phase', limits.testMs(report.ref), 'timeout');
            break;
          case 'call':
            arm('call', limits.learnerCallMs, 'call-timeout');
            break;
          case 'return':
            disarm('call');
            break;
          case 'result':
          case 'failed':
            // One answer per measurement: a second one for the same ref is ignored.
            if (current?.ref === report.ref && !run.results.has(report.ref)) {
              run.results.set(report.ref, {
                ...(report.t === 'result' ? { value: report.value } : { failure: report.failure }),
                durationMs: Date.now() - current.started,
              });
            }
            current = undefined;
            disarm('phase');
            disarm('call');
            break;
          case 'done':
            done = true;
            break;
        }
      }
    });
    channel.on('error', () => undefined);
    channel.write(`${JSON.stringify(request)}\n`);

    child.on('close', (code, sig) => {
      for (const t of timers.values()) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      const finishedNormally = done || run.load?.ok === false;
      if (!run.interruption && !finishedNormally) {
        const lastError = lastErrorLine(run.stderrTail);
        const memory = MEMORY_SIGNS.test(run.stderrTail) || sig === 'SIGABRT';
        run.interruption = {
          phase,
          cause: memory ? 'memory' : code === 0 || (code === null && !lastError) ? 'exited' : 'crashed',
          detail: `exit code ${String(code)}, signal ${String(sig)}${lastError ? `: ${lastError}` : ''}`,
          ...inTest(),
        };
      }
      resolvePromise(run);
    });
  });
}

/** The most telling line of a crash on stderr: Node prints the error's first line after the stack frame echo. */
function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^[A-Z]\w*(Error|Exception)\b|^Error\b|FATAL ERROR/.test(l)) ?? lines.at(-1) ?? '';
}
