/**
 * The harness's end of the private channel (fd 3, a socket the parent opened). The request is read in full
 * before any learner code exists, and every report carries the run's nonce, which after that lives only in
 * this closure: learner code can write to fd 3, but cannot sign what it writes.
 */
import { readSync, writeSync } from 'node:fs';
import { HarnessRequestSchema, type HarnessReport, type HarnessRequest } from '../childProtocol';

const CHANNEL_FD = 3;

export interface Channel {
  request: HarnessRequest;
  send(report: HarnessReport): void;
}

export function openChannel(): Channel {
  const request = HarnessRequestSchema.parse(JSON.parse(readLine()));
  // Captured now: learner code may later replace JSON.stringify or fs functions on their objects.
  const stringify = JSON.stringify;
  const write = writeSync;
  const prefix = `${request.nonce} `;
  return {
    request,
    send(report) {
      // Built from primitives only; objects in reports carry no inherited toJSON once the realm is hardened.
      writeAll(write, `${prefix}${stringify(report)}\n`);
    },
  };
}

function readLine(): string {
  const chunk = Buffer.alloc(1 << 16);
  const parts: Buffer[] = [];
  for (;;) {
    let n: number;
    try {
      n = readSync(CHANNEL_FD, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      pause(5);
      continue;
    }
    if (n === 0) break;
    parts.push(Buffer.from(chunk.subarray(0, n)));
    if (chunk.subarray(0, n).includes(10)) break;
  }
  const text = Buffer.concat(parts).toString('utf8');
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

function writeAll(write: typeof writeSync, text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(write(CHANNEL_FD, rest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      pause(5);
    }
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
