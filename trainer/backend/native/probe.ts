/**
 * Finds an NVIDIA GPU and the CUDA and cuDNN libraries the GPU build of TensorFlow.js would load. Everything
 * the probe reads goes through a `ProbeHost`, so tests feed it recorded command output and file contents
 * instead of needing a GPU. Parsers are exported: each reads one real format.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface CommandOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProbeHost {
  /** Runs a program; undefined when it cannot be started at all (not installed). Never throws. */
  run(command: string, args: readonly string[]): Promise<CommandOutput | undefined>;
  /** A file's text, or undefined when it is missing or unreadable. */
  readFile(path: string): Promise<string | undefined>;
  /** Entry names of a folder, or [] when it is missing. */
  listDir(path: string): Promise<string[]>;
  /** LD_LIBRARY_PATH: where the dynamic loader also looks, beyond ldconfig's cache. */
  libraryPath: string | undefined;
}

export interface GpuDevice {
  name: string;
  memoryMiB: number | undefined;
}

/** One place a library was found; `version` is major.minor when the source says so, else just the major. */
export interface LibraryFinding {
  major: number;
  version: string;
  where: string;
}

export interface GpuProbe {
  gpus: GpuDevice[];
  driverVersion: string | undefined;
  /** nvidia-smi's "CUDA Version": the newest CUDA the driver can run, not a CUDA that is installed. */
  driverCuda: string | undefined;
  /** Why nvidia-smi gave nothing, when it did not. */
  nvidiaSmiProblem: string | undefined;
  /** True when /proc/driver/nvidia/version exists (the kernel driver is loaded). */
  kernelDriver: boolean;
  cudaRuntimes: LibraryFinding[];
  cudnn: LibraryFinding[];
}

const PROC_VERSION = '/proc/driver/nvidia/version';
const CUDNN_HEADERS = ['/usr/include/cudnn_version.h', '/usr/include/x86_64-linux-gnu/cudnn_version_v8.h', '/usr/include/cudnn.h'];

export async function probeGpu(host: ProbeHost = systemProbeHost()): Promise<GpuProbe> {
  const [smi, query, proc] = await Promise.all([
    host.run('nvidia-smi', []),
    host.run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits']),
    host.readFile(PROC_VERSION),
  ]);
  const banner = smi && smi.code === 0 ? parseNvidiaSmiBanner(smi.stdout) : undefined;
  const gpus = query && query.code === 0 ? parseNvidiaSmiQuery(query.stdout) : [];
  const nvidiaSmiProblem = !smi
    ? 'nvidia-smi is not installed'
    : smi.code !== 0
      ? `nvidia-smi failed: ${firstLine(smi.stdout.trim() || smi.stderr.trim()) || `exit code ${smi.code}`}`
      : undefined;

  const cudaRuntimes: LibraryFinding[] = [];
  const cudnn: LibraryFinding[] = [];
  const ldconfig = (await host.run('ldconfig', ['-p'])) ?? (await host.run('/sbin/ldconfig', ['-p']));
  if (ldconfig?.code === 0) {
    const libs = parseLdconfig(ldconfig.stdout);
    cudaRuntimes.push(...libs.cudart);
    cudnn.push(...libs.cudnn);
  }
  for (const dir of (host.libraryPath ?? '').split(':').filter(Boolean)) {
    const libs = librariesInFolder(dir, await host.listDir(dir));
    cudaRuntimes.push(...libs.cudart);
    cudnn.push(...libs.cudnn);
  }
  const cudaHomes = (await host.listDir('/usr/local')).filter((name) => /^cuda(-[\d.]+)?$/.test(name)).map((name) => `/usr/local/${name}`);
  for (const home of cudaHomes) {
    const json = await host.readFile(`${home}/version.json`);
    const txt = json === undefined ? await host.readFile(`${home}/version.txt`) : undefined;
    const version = json !== undefined ? parseCudaVersionJson(json) : txt !== undefined ? parseCudaVersionTxt(txt) : undefined;
    if (version) cudaRuntimes.push({ ...version, where: `${home}/${json !== undefined ? 'version.json' : 'version.txt'}` });
    const libs = librariesInFolder(`${home}/lib64`, await host.listDir(`${home}/lib64`));
    cudnn.push(...libs.cudnn);
    for (const header of [`${home}/include/cudnn_version.h`, `${home}/include/cudnn.h`]) {
      const found = parseCudnnHeader((await host.readFile(header)) ?? '');
      if (found) cudnn.push({ ...found, where: header });
    }
  }
  for (const header of CUDNN_HEADERS) {
    const found = parseCudnnHeader((await host.readFile(header)) ?? '');
    if (found) cudnn.push({ ...found, where: header });
  }
  return {
    gpus,
    driverVersion: banner?.driverVersion ?? (proc !== undefined ? parseProcNvidiaVersion(proc) : undefined),
    driverCuda: banner?.cudaVersion,
    nvidiaSmiProblem,
    kernelDriver: proc !== undefined,
    cudaRuntimes,
    cudnn,
  };
}

/** `| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |` */
export function parseNvidiaSmiBanner(text: string): { driverVersion: string | undefined; cudaVersion: string | undefined } {
  return {
    driverVersion: /Driver Version:\s*([\d.]+)/.exec(text)?.[1],
    cudaVersion: /CUDA Version:\s*([\d.]+)/.exec(text)?.[1],
  };
}

/** `--query-gpu=name,memory.total --format=csv,noheader,nounits`: one `Tesla T4, 15360` line per GPU. */
export function parseNvidiaSmiQuery(text: string): GpuDevice[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const cut = line.lastIndexOf(',');
      const memory = Number(line.slice(cut + 1).trim());
      return cut < 0
        ? { name: line, memoryMiB: undefined }
        : { name: line.slice(0, cut).trim(), memoryMiB: Number.isFinite(memory) ? memory : undefined };
    });
}

/** `NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023` */
export function parseProcNvidiaVersion(text: string): string | undefined {
  return /Kernel Module\s+([\d.]+)/.exec(text)?.[1] ?? /NVRM version:.*?\s(\d+\.\d+(?:\.\d+)?)\s/.exec(text)?.[1];
}

/**
 * `ldconfig -p` lines: `\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcudart.so.11.0`.
 * The soname gives the major version only (every CUDA 11 runtime is libcudart.so.11.0); a versioned CUDA
 * folder in the path gives the minor too.
 */
export function parseLdconfig(text: string): { cudart: LibraryFinding[]; cudnn: LibraryFinding[] } {
  const cudart: LibraryFinding[] = [];
  const cudnn: LibraryFinding[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*lib(?<lib>cudart|cudnn)\.so\.(?<major>\d+)(?:\.\d+)*\s*\((?<arch>[^)]*)\)\s*=>\s*(?<path>\S+)/.exec(line)?.groups;
    if (!m) continue;
    const { lib = '', major = '0', arch = '', path = '' } = m;
    // A 32-bit copy cannot be loaded by a 64-bit Node; listing it would promise a GPU that never starts.
    if (!arch.includes('x86-64') && !arch.includes('AArch64')) continue;
    const folderVersion = /cuda-(\d+\.\d+)/.exec(path)?.[1];
    const finding: LibraryFinding = {
      major: Number(major),
      version: lib === 'cudart' && folderVersion?.startsWith(`${major}.`) ? folderVersion : major,
      where: path,
    };
    (lib === 'cudart' ? cudart : cudnn).push(finding);
  }
  return { cudart, cudnn };
}

/** `/usr/local/cuda-11.2/version.json` (CUDA 11.1 and later): `{"cuda": {"version": "11.2.2"}, ...}`. */
export function parseCudaVersionJson(text: string): Omit<LibraryFinding, 'where'> | undefined {
  try {
    const parsed = JSON.parse(text) as { cuda?: { version?: unknown }; cuda_cudart?: { version?: unknown } };
    const version = parsed.cuda?.version ?? parsed.cuda_cudart?.version;
    return typeof version === 'string' ? majorMinor(version) : undefined;
  } catch {
    return undefined;
  }
}

/** `/usr/local/cuda-10.2/version.txt` (CUDA 11.0 and earlier): `CUDA Version 10.2.89`. */
export function parseCudaVersionTxt(text: string): Omit<LibraryFinding, 'where'> | undefined {
  const version = /CUDA Version\s+([\d.]+)/.exec(text)?.[1];
  return version ? majorMinor(version) : undefined;
}

/** `cudnn_version.h` (cuDNN 8+) or `cudnn.h` (cuDNN 7): `#define CUDNN_MAJOR 8` and `#define CUDNN_MINOR 1`. */
export function parseCudnnHeader(text: string): Omit<LibraryFinding, 'where'> | undefined {
  const major = /#define\s+CUDNN_MAJOR\s+(\d+)/.exec(text)?.[1];
  const minor = /#define\s+CUDNN_MINOR\s+(\d+)/.exec(text)?.[1];
  return major ? { major: Number(major), version: minor ? `${major}.${minor}` : major } : undefined;
}

/** A folder listing read as if ldconfig had printed it, so both sources share one parser. */
function librariesInFolder(dir: string, names: readonly string[]): { cudart: LibraryFinding[]; cudnn: LibraryFinding[] } {
  const lines = names.map((name) => `\t${name} (libc6,x86-64) => ${dir}/${name}`).join('\n');
  return parseLdconfig(lines);
}

function majorMinor(version: string): Omit<LibraryFinding, 'where'> {
  const [major = '0', minor] = version.split('.');
  return { major: Number(major), version: minor !== undefined ? `${major}.${minor}` : major };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** The real machine: runs programs with a short timeout, reads real files. */
export function systemProbeHost(): ProbeHost {
  return {
    run: (command, args) =>
      new Promise((resolve) => {
        execFile(command, [...args], { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
          if (e && e.code === 'ENOENT') return resolve(undefined);
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
        });
      }),
    readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
    listDir: (path) => readdir(path).catch(() => []),
    libraryPath: process.env['LD_LIBRARY_PATH'],
  };
}
