/**
 * Reads npm's output (or the load check's) after a failed install and says in plain words what went wrong
 * and what to do. The patterns are npm's own error codes and tfjs-node's install-script lines, as recorded
 * in test/unit/native-fixtures.ts; anything unrecognised keeps npm's last error lines rather than guessing.
 */
import type { InstallFailureReason } from '../../../protocol/install';
import { GPU_NEEDS, NATIVE_PACKAGE, type NativeFlavour } from './requirements';

export interface InstallFailure {
  reason: InstallFailureReason;
  /** What went wrong and what to do, in a few sentences. */
  message: string;
}

const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_SOCKET_TIMEOUT'];

/** `npm install` exited non-zero: why, from everything it printed (stdout and stderr together). */
export function explainNpmFailure(output: string, flavour: NativeFlavour): InstallFailure {
  const pkg = NATIVE_PACKAGE[flavour];
  const code = npmErrorCode(output);
  if (code === 'ENOSPC' || /no space left on device/i.test(output)) {
    return {
      reason: 'disk-full',
      message: `The disk is full: npm could not finish installing ${pkg} (${spaceNeeded(flavour)}). Free some space (npm's cache is in ~/.npm) and try again.`,
    };
  }
  // tfjs-node's own install script downloads libtensorflow after npm has fetched the package, from a host
  // other than the registry; its failure shows as npm's "command failed" naming scripts/install.js.
  if (/command (?:sh -c |cmd \/d \/s \/c )?"?node scripts[/\\]install\.js/.test(output) || /Downloading libtensorflow/.test(output)) {
    const url = /https?:\/\/\S+libtensorflow\S*\.(?:tar\.gz|zip)/.exec(output)?.[0];
    const host = url ? new URL(url).host : 'storage.googleapis.com';
    const cause = /Error: (getaddrinfo \w+ \S+|connect \w+ \S+|[^\n]*(?:ETIMEDOUT|ECONNRESET|ECONNREFUSED)[^\n]*|Request failed[^\n]*|[^\n]*status code \d+[^\n]*)/.exec(output)?.[1];
    return {
      reason: 'libtensorflow-download',
      message:
        `npm fetched ${pkg}, but its install script could not download libtensorflow (${spaceNeeded(flavour)}) from ${host}` +
        `${cause ? ` (${cause.trim()})` : ''}${url ? `: ${url}` : ''}. ` +
        `This machine may reach the npm registry but not ${host}. Ask for access to that address, or copy the file to a mirror ` +
        'under the same path and set TFJS_NODE_CDN_STORAGE to the mirror\'s address before installing. Until then the lab trains on WebAssembly.',
    };
  }
  if (code === 'ENOTCACHED') {
    return {
      reason: 'offline',
      message: `npm is in offline mode and ${pkg} is not in its cache. Connect to the internet (or turn off npm's offline setting) and try again.`,
    };
  }
  if (code && NETWORK_CODES.includes(code)) {
    const registry = /request to (https?:\/\/[^/\s]+)/.exec(output)?.[1] ?? 'the npm registry';
    const lookup = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL';
    return {
      reason: 'registry-unreachable',
      message: lookup
        ? `npm could not reach ${registry}: the name could not be looked up (${code}), so this machine looks offline. Connect to the internet, or set npm's proxy (npm config set proxy …) if you are behind one, and try again.`
        : `npm could not reach ${registry} (${code}): a firewall or proxy may be in the way. Set npm's proxy (npm config set proxy …) or registry if your site uses one, and try again.`,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const path = /(?:npm (?:error|ERR!) path|permission denied, \w+) '?([^'\n]+)'?/.exec(output)?.[1];
    return {
      reason: 'permission',
      message: `npm was not allowed to write${path ? ` ${path.trim()}` : ''} (${code}). Check that you own the lab's storage folder and npm's cache (~/.npm), then try again.`,
    };
  }
  if (code === 'E404' || code === 'ETARGET') {
    return {
      reason: 'version-not-found',
      message: `The registry has no ${pkg} matching the lab's TensorFlow.js version (${code}). If your site uses its own registry mirror, ask for ${pkg} to be added.`,
    };
  }
  const tail = npmErrorLines(output).slice(0, 4).join(' ');
  return { reason: 'unknown', message: `npm could not install ${pkg}${code ? ` (${code})` : ''}${tail ? `: ${tail}` : ''}. The full output is in the log.` };
}

/**
 * The package installed but did not load, or loaded without its GPU: from the load check's error and the
 * messages libtensorflow printed on stderr.
 */
export function explainLoadFailure(text: string, flavour: NativeFlavour): InstallFailure {
  const pkg = NATIVE_PACKAGE[flavour];
  const missingCuda = /(lib(?:cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)\.so[.\d]*)/.exec(text)?.[1];
  if (missingCuda) {
    return {
      reason: 'cuda-mismatch',
      message:
        `${pkg} installed, but TensorFlow could not load ${missingCuda}: it needs CUDA ${GPU_NEEDS.cuda} and cuDNN ${GPU_NEEDS.cudnn}, ` +
        'and without them it runs on the CPU only. Install those versions side by side with any other CUDA (into /usr/local/cuda-11.2) and add ' +
        'its lib64 folder to LD_LIBRARY_PATH, or install the CPU build instead.',
    };
  }
  const glibc = /(GLIBC_[\d.]+)' not found/.exec(text)?.[1];
  if (glibc) {
    return { reason: 'load-failed', message: `${pkg} installed, but libtensorflow needs ${glibc}, newer than this system's C library. Use a newer Linux (Ubuntu 20.04 or later) or stay on WebAssembly.` };
  }
  if (/libtensorflow[^\s]*\.so[.\d]*: cannot open shared object file/.test(text)) {
    return { reason: 'load-failed', message: `${pkg} installed without libtensorflow (its install script did not finish). Install it again; if that fails the same way, the download of libtensorflow is blocked.` };
  }
  const first = text.split('\n').find((line) => /error/i.test(line)) ?? text.split('\n')[0] ?? '';
  return { reason: 'load-failed', message: `${pkg} installed but did not load: ${first.trim() || 'no error message'}. The full output is in the log.` };
}

/** Whether libtensorflow started without its GPU (it says so on stderr and carries on with the CPU). */
export function gpuLibrariesMissing(stderr: string): boolean {
  return /Could not load dynamic library 'lib(?:cud|cublas|cufft|curand|cusolver|cusparse)/.test(stderr) || /Cannot dlopen some GPU libraries/.test(stderr);
}

function npmErrorCode(output: string): string | undefined {
  return /npm (?:error|ERR!) code (\w+)/.exec(output)?.[1] ?? /\b(ENOSPC|EACCES|EPERM)\b/.exec(output)?.[1];
}

function npmErrorLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /^npm (?:error|ERR!) /.test(line) && !/^npm (?:error|ERR!) (?:code|errno|syscall|A complete log)/.test(line))
    .map((line) => line.replace(/^npm (?:error|ERR!) /, '').trim())
    .filter(Boolean);
}

function spaceNeeded(flavour: NativeFlavour): string {
  return flavour === 'gpu' ? 'the GPU build of libtensorflow is the larger download, hundreds of megabytes' : 'a download of a few hundred megabytes';
}
