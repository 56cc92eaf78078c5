import { homedir } from 'node:os';
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

/**
 * Where `biomed-lab install-backend` puts a native build when neither `--into` nor BIOMED_LAB_NATIVE_DIR
 * says otherwise: beside the dataset cache, so one user's terminal runs find it.
 */
export function userNativeDir(): string {
  return join(homedir(), '.cache', 'biomed-dl-lab', 'native');
}

/**
 * Folders whose node_modules may hold @tensorflow/tfjs-node(-gpu), first match wins: BIOMED_LAB_NATIVE_DIR
 * (the extension sets it to its global storage's `native` folder, where "Install Faster Backend" puts the
 * build), the CLI's own install folder, then the package root (an optionalDependency that did install).
 */
export function nativeSearchPaths(): string[] {
  const fromEnv = process.env['BIOMED_LAB_NATIVE_DIR'];
  return [...new Set([...(fromEnv ? [fromEnv] : []), userNativeDir(), dirname(bundleDir())])];
}
