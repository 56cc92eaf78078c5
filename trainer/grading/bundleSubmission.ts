/**
 * Bundles a submission's entry file in the grader (the sandboxed harness may not start esbuild's process),
 * with loadLearnerModule's settings plus one rule: every file must come from the submission's own folder.
 * Without it `import key from '../../instructor/keys/...json'` would inline the key into the learner's code.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { LEARNER_BUNDLE_OPTIONS } from '../learner/evaluateLearnerBundle';
import type { LearnerFailure } from './childProtocol';

export type BundleResult = { ok: true; code: string; map: string | undefined } | { ok: false; failure: LearnerFailure };

export async function bundleSubmission(entryFile: string, folder: string): Promise<BundleResult> {
  const root = realpathSync(folder);
  const confine: esbuild.Plugin = {
    name: 'confine-to-submission',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === '@tensorflow/tfjs') return { path: args.path, external: true };
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.') && !isAbsolute(args.path)) {
          // Node built-ins and packages: left for the harness's require to refuse with the course's message.
          return { path: args.path, external: true };
        }
        const target = resolve(args.resolveDir, args.path);
        if (!inside(root, target)) {
          return { errors: [{ text: `"${args.path}" is outside your submission folder; import only files next to your challenge file` }] };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/ }, (args) => {
        let real: string;
        try {
          real = realpathSync(args.path);
        } catch {
          return undefined;
        }
        if (!inside(root, real)) return { errors: [{ text: `"${args.path}" links outside your submission folder` }] };
        return undefined;
      });
    },
  };
  try {
    const result = await esbuild.build({
      ...LEARNER_BUNDLE_OPTIONS,
      entryPoints: [entryFile],
      outfile: `${entryFile}.bundle.js`,
      absWorkingDir: root,
      plugins: [confine],
    });
    return {
      ok: true,
      code: result.outputFiles.find((f) => f.path.endsWith('.js'))!.text,
      map: result.outputFiles.find((f) => f.path.endsWith('.map'))?.text,
    };
  } catch (err) {
    const first = (err as esbuild.BuildFailure).errors?.[0];
    const loc = first?.location;
    return {
      ok: false,
      failure: {
        cause: 'invalid',
        message: loc ? `${loc.file}:${loc.line}:${loc.column + 1}: ${first.text}. Fix this line and grade again.` : (first?.text ?? (err as Error).message),
        ...(loc ? { location: { file: resolve(root, loc.file), line: loc.line, column: loc.column } } : {}),
      },
    };
  }
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
