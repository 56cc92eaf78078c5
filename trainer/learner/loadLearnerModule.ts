import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { LabError } from '../core/labError';
import { LEARNER_BUNDLE_OPTIONS, evaluateLearnerBundle, type LearnerModule } from './evaluateLearnerBundle';

export type { LearnerModule } from './evaluateLearnerBundle';

/**
 * Bundles the learner's TypeScript with esbuild at run time (so they can split their work over several files)
 * and evaluates it (evaluateLearnerBundle.ts).
 */
export async function loadLearnerModule(file: string): Promise<LearnerModule> {
  let result: esbuild.BuildResult<{ write: false; sourcemap: 'external'; outfile: string }>;
  try {
    result = await esbuild.build({
      ...LEARNER_BUNDLE_OPTIONS,
      entryPoints: [file],
      outfile: `${file}.bundle.js`,
      external: ['@tensorflow/tfjs'],
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
  return evaluateLearnerBundle(file, code, mapText);
}
