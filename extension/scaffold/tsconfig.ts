/**
 * The tsconfig.json written into the learner's lab folder. It points `@tensorflow/*` at the type
 * declarations the build copies into the extension (`dist/types/node_modules/@tensorflow/...`), so the
 * editor resolves `import * as tf from '@tensorflow/tfjs'` without an `npm install` in the workspace.
 */
import { join } from 'node:path';

/** Marks the file as ours, so a later extension version may refresh the (versioned) install path in it. */
export const MANAGED_MARKER = 'biomedLab.managed';

export function learnerTsconfig(extensionPath: string): string {
  const typesDir = join(extensionPath, 'dist', 'types', 'node_modules', '@tensorflow').split('\\').join('/');
  const config = {
    [MANAGED_MARKER]: 'Written by the Biomedical Deep Learning Lab; it is rewritten when the extension moves. Delete this line to keep your own edits.',
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      // DOM brings `console`; no Node types, since the learner's file runs inside the trainer's bundle.
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      // tfjs's declarations refer to WebGPU and Long types that are not shipped; the learner's code is still checked.
      skipLibCheck: true,
      paths: { '@tensorflow/*': [`${typesDir}/*`] },
    },
    include: ['**/*.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Whether an existing tsconfig should be rewritten: only when we wrote it (the marker is still there)
 * and its content differs, e.g. because the extension was updated into a new folder.
 */
export function shouldRefreshTsconfig(existing: string, wanted: string): boolean {
  if (existing === wanted) return false;
  try {
    const parsed: unknown = JSON.parse(existing);
    return typeof parsed === 'object' && parsed !== null && MANAGED_MARKER in parsed;
  } catch {
    return false;
  }
}
