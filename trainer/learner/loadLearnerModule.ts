import { SourceMap } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import * as esbuild from 'esbuild';
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

/**
 * Bundles the learner's TypeScript with esbuild at run time (so they can split their work over several files)
 * and evaluates it with `@tensorflow/tfjs` bound to the trainer's own namespace: two copies of tfjs-core would
 * not share tensors or backends.
 */
export async function loadLearnerModule(file: string): Promise<LearnerModule> {
  const bundleName = `${file}.bundle.js`;
  let result: esbuild.BuildResult<{ write: false; sourcemap: 'external'; outfile: string }>;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      outfile: bundleName,
      external: ['@tensorflow/tfjs'],
      logLevel: 'silent',
    });
  } catch (err) {
    const failure = err as esbuild.BuildFailure;
    const first = failure.errors?.[0];
    if (first?.location) {
      const loc = first.location;
      throw new LabError(
        'learner-compile',
        `${loc.file}:${loc.line}:${loc.column + 1}: ${first.text}. Fix this line and run again.`,
        { file: resolve(loc.file), line: loc.line, column: loc.column },
      );
    }
    throw new LabError('learner-compile', `${file}: ${first?.text ?? (err as Error).message}`, { file, line: 1, column: 0 });
  }
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const mapText = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text;
  const map = mapText ? new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]) : undefined;

  const locate = (err: unknown): ProblemLocation | undefined => locateInLearnerCode(err, bundleName, map);
  const wrap = (what: string, err: unknown): LabError => {
    if (LabError.is(err)) return err;
    const location = locate(err);
    const where = location ? `${basename(location.file)}:${location.line}:${location.column + 1}` : basename(file);
    const message = err instanceof Error ? err.message : String(err);
    return new LabError('learner-runtime', `${where}: ${what} threw: ${message}`, location ?? { file, line: 1, column: 0 });
  };

  const moduleObject: { exports: Record<string, unknown> } = { exports: {} };
  const learnerRequire = (id: string): unknown => {
    if (id === '@tensorflow/tfjs') return activeNamespace();
    throw new LabError(
      'learner-compile',
      `${basename(file)} imports "${id}", which the lab cannot provide; only @tensorflow/tfjs and your own files can be imported.`,
      { file, line: 1, column: 0 },
    );
  };
  try {
    const fn = new Script(`(function (exports, require, module) {${code}\n})`, { filename: bundleName }).runInThisContext() as (
      e: Record<string, unknown>,
      r: (id: string) => unknown,
      m: { exports: Record<string, unknown> },
    ) => void;
    fn(moduleObject.exports, learnerRequire, moduleObject);
  } catch (err) {
    throw wrap('loading the file', err);
  }

  return {
    file,
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

function locateInLearnerCode(err: unknown, bundleName: string, map: SourceMap | undefined): ProblemLocation | undefined {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(bundleName + ':');
    if (at < 0) continue;
    const m = /:(\d+):(\d+)\)?\s*$/.exec(line.slice(at + bundleName.length));
    if (!m || !map) continue;
    // The wrapper adds no lines: the function header shares line 1 with the bundle's first line.
    const genLine = Number(m[1]) - 1;
    const genColumn = Number(m[2]) - 1 - (genLine === 0 ? '(function (exports, require, module) {'.length : 0);
    const entry = map.findEntry(genLine, genColumn);
    if (entry && 'originalLine' in entry && entry.originalSource) {
      // Source paths in the map are relative to the bundle's (virtual) folder, which is the learner file's.
      return { file: resolve(dirname(bundleName), entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn };
    }
  }
  return undefined;
}
