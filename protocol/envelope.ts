import type { z } from 'zod';

export const PROTOCOL_VERSION = 1;

export type DecodedEnvelope<M extends string, P> = { ok: true; method: M; params: P } | { ok: false; reason: string };

/**
 * Validates `{v, method, params}` against a method table. Shared by the trainer and the webview protocols so
 * both reject bad messages the same way, with a reason that names the offending field: one log line is then
 * enough to find the bug on whichever end sent it.
 */
export function decodeEnvelope<T extends Record<string, z.ZodType>, M extends keyof T & string>(
  table: T,
  raw: unknown,
  allowed: readonly M[],
): DecodedEnvelope<M, z.infer<T[M]>> {
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
  return { ok: true, method: method as M, params: parsed.data as z.infer<T[M]> };
}
