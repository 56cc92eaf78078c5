/**
 * Evaluates the learner's bundle (built by the parent with the course's esbuild settings, see
 * bundleSubmission.ts) inside the sandboxed harness. It mirrors loadLearnerModule's evaluation, which
 * cannot be reused here because it bundles in-process and esbuild needs a child process the sandbox forbids.
 */
import { SourceMap } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import type { ProblemLocation } from '../../../protocol/messages';
import { activeNamespace } from '../../backend/tf';
import { LabError } from '../../core/labError';
import type { LearnerModule } from '../../learner/loadLearnerModule';

/** ES modules are strict; saying so makes writes to frozen built-ins throw instead of failing silently. */
const WRAPPER_HEAD = "(function (exports, require, module) {'use strict';";

export function evaluateBundle(entryFile: string, code: string, mapText: string | undefined): LearnerModule {
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
