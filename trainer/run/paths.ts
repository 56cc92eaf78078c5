import { dirname, join } from 'node:path';

/**
 * Folders the trainer reads at run time. Bundled, every entry lives in dist/ with the wasm binaries beside
 * it; the package root above dist/ is where npm puts optionalDependencies such as tfjs-node.
 */
function bundleDir(): string {
  return __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'dist') : __dirname;
}

export function wasmDir(): string {
  return process.env['BIOMED_LAB_WASM_DIR'] ?? (__filename.endsWith('.ts')
    ? join(__dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
    : join(bundleDir(), 'wasm'));
}

export function nativeSearchPaths(): string[] {
  const fromEnv = process.env['BIOMED_LAB_NATIVE_DIR'];
  return [...(fromEnv ? [fromEnv] : []), dirname(bundleDir())];
}
