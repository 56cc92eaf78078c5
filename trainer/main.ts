/**
 * The trainer child process: JSON lines on stdin (run/start, run/cancel), JSON lines on stdout (everything
 * else in protocol/messages.ts). Logs go to stderr, which the extension forwards, tagged, to its log. The
 * process exits when stdin closes, so it can never outlive the window (or the SSH session) that started it.
 */
import { createInterface } from 'node:readline';
import { HOST_TO_TRAINER, decodeLine, envelope, type ParamsOf, type TrainerToHostMethod } from '../protocol/messages';
import { executeRun } from './run/executeRun';
import { CancellationFlag } from './run/runContext';

function send<M extends TrainerToHostMethod>(method: M, params: ParamsOf<M>): void {
  process.stdout.write(`${JSON.stringify(envelope(method, params))}\n`);
}

const runs = new Map<string, CancellationFlag>();
let queue: Promise<unknown> = Promise.resolve();

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  if (line.trim() === '') return;
  const decoded = decodeLine(line, HOST_TO_TRAINER);
  if (!decoded.ok) {
    send('run/log', { level: 'error', message: `rejected a message from the host: ${decoded.reason}` });
    return;
  }
  const { message } = decoded;
  if (message.method === 'run/cancel') {
    runs.get(message.params.runId)?.cancel();
    return;
  }
  const flag = new CancellationFlag();
  runs.set(message.params.runId, flag);
  // One run at a time: tfjs holds one global engine, and two runs would halve each other's speed anyway.
  queue = queue.then(() => executeRun(message.params, send, flag)).finally(() => runs.delete(message.params.runId));
});
input.on('close', () => {
  process.exit(0);
});

send('trainer/ready', { protocolVersion: 1, pid: process.pid, nodeVersion: process.versions.node });
