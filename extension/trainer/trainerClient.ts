/**
 * Owns the trainer child process: spawns it on first use, frames its stdout into JSON lines, validates
 * every line against the protocol, forwards stderr to the log, queues outgoing messages until the
 * trainer says `trainer/ready`, and kills it on dispose. No `vscode` import, so it is unit-tested with a
 * stand-in trainer script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  decodeLine,
  TRAINER_TO_HOST,
  type DidBecomeReadyParams,
  type HostMessage,
  type TrainerMessage,
} from '../../protocol/messages';
import type { Log } from '../log';
import { LineFramer } from './lineFramer';

export interface TrainerClientOptions {
  /** The Node executable; in desktop VS Code this is Electron, hence ELECTRON_RUN_AS_NODE below. */
  nodePath: string;
  trainerScript: string;
  cwd: string;
  log: Log;
  /** Where the trainer's stderr goes, tagged so it reads apart from the host's own lines. */
  stderrLog: Log;
  env?: NodeJS.ProcessEnv;
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the host asked for it (dispose), false when the trainer died on its own. */
  expected: boolean;
}

type Listener<T> = (value: T) => void;

export interface Subscription {
  dispose(): void;
}

export class TrainerClient {
  private child: ChildProcess | undefined;
  private ready: DidBecomeReadyParams | undefined;
  private queue: HostMessage[] = [];
  private stopping = false;
  private readonly messageListeners = new Set<Listener<TrainerMessage>>();
  private readonly exitListeners = new Set<Listener<TrainerExit>>();

  constructor(private readonly options: TrainerClientOptions) {}

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  onMessage(listener: Listener<TrainerMessage>): Subscription {
    return subscribe(this.messageListeners, listener);
  }

  onExit(listener: Listener<TrainerExit>): Subscription {
    return subscribe(this.exitListeners, listener);
  }

  /** Sends a message, starting the trainer if needed; held back until the trainer is ready. */
  send(message: HostMessage): void {
    this.ensureStarted();
    if (this.ready) this.write(message);
    else this.queue.push(message);
  }

  dispose(): void {
    this.stopping = true;
    this.queue = [];
    const child = this.child;
    if (!child) return;
    // Closing stdin is the polite stop (the trainer exits on EOF); the kill covers a trainer stuck in a batch.
    child.stdin?.end();
    child.kill();
  }

  private ensureStarted(): void {
    if (this.child) return;
    const { nodePath, trainerScript, cwd, log, env } = this.options;
    this.stopping = false;
    this.ready = undefined;
    log.info(`starting trainer: ${nodePath} ${trainerScript}`);
    const child = spawn(nodePath, [trainerScript], {
      cwd,
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    const out = new LineFramer();
    const err = new LineFramer();
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk).forEach((line) => this.receive(line)));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk).forEach((line) => this.options.stderrLog.warn(line)));
    // A write after the child died raises EPIPE on stdin; the exit handler already reports the death.
    child.stdin?.on('error', (e) => log.debug(`trainer stdin: ${e.message}`));
    child.on('error', (e) => {
      log.error(`could not start the trainer: ${e.message}`);
      this.handleExit(null, null);
    });
    child.on('exit', (code, signal) => {
      out.flush().forEach((line) => this.receive(line));
      err.flush().forEach((line) => this.options.stderrLog.warn(line));
      this.handleExit(code, signal);
    });
  }

  private receive(line: string): void {
    const decoded = decodeLine(line, TRAINER_TO_HOST);
    if (!decoded.ok) {
      this.options.log.warn(`ignored a malformed trainer line: ${decoded.reason}`);
      return;
    }
    const message = decoded.message;
    if (message.method === 'trainer/ready') {
      this.ready = message.params;
      this.options.log.info(`trainer ready (pid ${message.params.pid}, node ${message.params.nodeVersion})`);
      const queued = this.queue;
      this.queue = [];
      queued.forEach((m) => this.write(m));
    }
    for (const listener of [...this.messageListeners]) listener(message);
  }

  private write(message: HostMessage): void {
    this.child?.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.child) return;
    this.child = undefined;
    this.ready = undefined;
    this.queue = [];
    const exit: TrainerExit = { code, signal, expected: this.stopping };
    this.options.log.info(`trainer exited (code ${code ?? '-'}, signal ${signal ?? '-'})`);
    for (const listener of [...this.exitListeners]) listener(exit);
  }
}

function subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): Subscription {
  set.add(listener);
  return { dispose: () => set.delete(listener) };
}
