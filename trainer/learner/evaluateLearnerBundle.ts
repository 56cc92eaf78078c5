/**
 * Evaluates a learner's bundle with `@tensorflow/tfjs` bound to the trainer's own namespace (two copies of
 * tfjs-core would not share tensors or backends), and turns a throw back into the learner's own line through
 * the bundle's source map. Kept apart from bundling because the grader's sandbox evaluates bundles its parent
 * built: esbuild needs a child process, which the sandbox forbids.
 */
import { SourceMap } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import type { ProblemLocation } from '../../protocol/messages';
import { activeNamespace } from '../backend/tf';
import { LabError } from '../core/labError';

/** A learner's file, bundled and evaluated, with a way to turn its stack frames back into its own lines. */
export interface LearnerModule {
  readonly file: string;
  readonly exports: Record<string, unknown>;
  /** Runs learner code; a throw becomes a LabError pointing at the learner's line. */
  call<T>(what: string, fn: () => T): T;
}

/** The esbuild settings every learner bundle is built with, by the trainer and by the grader alike. */
export const LEARNER_BUNDLE_OPTIONS = {
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'external',
  sourcesContent: false,
  logLevel: 'silent',
} as const;

/** ES modules are strict; saying so makes writes to frozen built-ins throw instead of failing silently. */
const WRAPPER_HEAD = "(function (exports, require, module) {'use strict';";

export function evaluateLearnerBundle(entryFile: string, code: string, mapText: string | undefined): LearnerModule {
  const bundleName = `${entryFile}.bundle.js`;
  const map = mapText ? new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]) : undefined;
  const wrap = (what: string, err: unknown): LabError => {
    if (LabError.is(err)) return err;
    const location = locate(err, bundleName, map);
    const where = location ? `${basename(location.file)}:${location.line}:${location.column + 1}` : basename(entryFile);
    const message = err instanceof Error ? err.message : String(err);
    const labError = new LabError('learner-runtime', `${where}: ${what} threw: ${message}`, location ?? { file: entryFile, line: 1, column: 0 });
    (labError as { cause?: unknown }).cause = err;
    return labError;
  };

  const moduleObject: { exports: Record<string, unknown> } = { exports: {} };
  const learnerRequire = (id: string): unknown => {
    if (id === '@tensorflow/tfjs') return activeNamespace();
    throw new LabError(
      'learner-compile',
      `${basename(entryFile)} imports "${id}", which the lab cannot provide; only @tensorflow/tfjs and your own files can be imported.`,
      { file: entryFile, line: 1, column: 0 },
    );
  };
  try {
    const fn = new Script(`${WRAPPER_HEAD}${code}\n})`, { filename: bundleName }).runInThisContext() as (
      e: Record<string, unknown>,
      r: (id: string) => unknown,
      m: { exports: Record<string, unknown> },
    ) => void;
    fn(moduleObject.exports, learnerRequire, moduleObject);
  } catch (err) {
    throw wrap('loading the file', err);
  }
  return {
    file: entryFile,
    exports: moduleObject.exports,
    call<T>(what: string, fn: () => T): T {
      try {
        return fn();
      } catch (err) {
        throw wrap(what, err);
      }
    },
  };
}

function locate(err: unknown, bundleName: string, map: SourceMap | undefined): ProblemLocation | undefined {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(bundleName + ':');
    if (at < 0) continue;
    const m = /:(\d+):(\d+)\)?\s*$/.exec(line.slice(at + bundleName.length));
    if (!m || !map) continue;
    const genLine = Number(m[1]) - 1;
    const genColumn = Number(m[2]) - 1 - (genLine === 0 ? WRAPPER_HEAD.length : 0);
    const entry = map.findEntry(genLine, genColumn);
    if (entry && 'originalLine' in entry && entry.originalSource) {
      return { file: resolve(dirname(bundleName), entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn };
    }
  }
  return undefined;
}
