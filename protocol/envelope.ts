import type { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** A protocol's methods and the schema of each one's params. */
export type MethodTable = Readonly<Record<string, z.ZodType>>;

/** `{v, method, params}` for each method `M` of a table: a union narrowed by `method`. */
export type EnvelopeOf<T extends MethodTable, M extends keyof T & string = keyof T & string> = {
  [K in M]: { v: typeof PROTOCOL_VERSION; method: K; params: z.infer<T[K]> };
}[M];

export type DecodedMessage<T extends MethodTable, M extends keyof T & string> = { ok: true; message: EnvelopeOf<T, M> } | { ok: false; reason: string };

export function envelopeOf<T extends MethodTable, M extends keyof T & string>(method: M, params: z.infer<T[M]>): EnvelopeOf<T, M> {
  return { v: PROTOCOL_VERSION, method, params } as EnvelopeOf<T, M>;
}

/**
 * Validates `{v, method, params}` against a method table. Every protocol (trainer, webviews, gradebook, the
 * CLI's `--json` events) rejects bad messages the same way, with a reason that names the offending field: one
 * log line is then enough to find the bug on whichever end sent it.
 */
export function decodeMessage<T extends MethodTable, M extends keyof T & string>(table: T, raw: unknown, allowed: readonly M[]): DecodedMessage<T, M> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'a message must be an object with v, method and params' };
  }
  const { v, method, params } = raw as Record<string, unknown>;
  if (v !== PROTOCOL_VERSION) {
    return { ok: false, reason: `protocol version ${JSON.stringify(v)} is not supported (expected ${PROTOCOL_VERSION})` };
  }
  if (typeof method !== 'string' || !(allowed as readonly string[]).includes(method)) {
    return { ok: false, reason: `unknown method ${JSON.stringify(method)}; expected one of ${allowed.join(', ')}` };
  }
  const parsed = table[method as M]!.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `params.${issue.path.join('.')}` : 'params';
    return { ok: false, reason: `${method}: ${where} ${issue?.message ?? 'is invalid'}` };
  }
  return { ok: true, message: envelopeOf<T, M>(method as M, parsed.data as z.infer<T[M]>) };
}

/** One line of a CLI verb's `--json` output: its event, or undefined for anything else (a stray log line). */
export function decodeEventLine<T extends MethodTable>(table: T, line: string): EnvelopeOf<T> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const decoded = decodeMessage(table, raw, Object.keys(table) as (keyof T & string)[]);
  return decoded.ok ? decoded.message : undefined;
}
