import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseCudaVersionJson,
  parseCudaVersionTxt,
  parseCudnnHeader,
  parseLdconfig,
  parseNvidiaSmiBanner,
  parseNvidiaSmiQuery,
  parseProcNvidiaVersion,
  probeGpu,
  type CommandOutput,
  type ProbeHost,
} from '../../trainer/backend/native/probe';
import { gpuVerdict } from '../../trainer/backend/native/verdict';
import {
  FAKE_CUDA_10_2_VERSION_TXT,
  FAKE_CUDA_11_2_VERSION_JSON,
  FAKE_CUDA_12_2_VERSION_JSON,
  FAKE_CUDNN_8_1_HEADER,
  FAKE_LDCONFIG_CUDA11_AND_12,
  FAKE_LDCONFIG_CUDA12,
  FAKE_NVIDIA_SMI_MISMATCH,
  FAKE_NVIDIA_SMI_QUERY_T4,
  FAKE_NVIDIA_SMI_T4_CUDA12,
  FAKE_PROC_NVIDIA_VERSION,
} from './native-fixtures';

interface FakeMachine {
  /** Keyed by the command line, e.g. "nvidia-smi" or "ldconfig -p"; a missing key means "not installed". */
  commands?: Record<string, CommandOutput>;
  files?: Record<string, string>;
  dirs?: Record<string, string[]>;
  libraryPath?: string;
}

/** A FAKE machine for the probe: no GPU here, so every command and file is one of the recorded samples. */
function fakeHost(machine: FakeMachine): ProbeHost {
  return {
    run: async (command, args) => machine.commands?.[[command, ...args].join(' ')],
    readFile: async (path) => machine.files?.[path],
    listDir: async (path) => machine.dirs?.[path] ?? [],
    libraryPath: machine.libraryPath,
  };
}

const ok = (stdout: string): CommandOutput => ({ code: 0, stdout, stderr: '' });
const QUERY = 'nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits';

/** A FAKE Workbench T4 with a CUDA 12.2 image; `extra` adds CUDA 11.2 and cuDNN 8.1 side by side. */
function t4(extra: Partial<FakeMachine> = {}): ProbeHost {
  return fakeHost({
    commands: { 'nvidia-smi': ok(FAKE_NVIDIA_SMI_T4_CUDA12), [QUERY]: ok(FAKE_NVIDIA_SMI_QUERY_T4), 'ldconfig -p': ok(FAKE_LDCONFIG_CUDA12), ...extra.commands },
    files: { '/proc/driver/nvidia/version': FAKE_PROC_NVIDIA_VERSION, '/usr/local/cuda-12.2/version.json': FAKE_CUDA_12_2_VERSION_JSON, ...extra.files },
    dirs: { '/usr/local': ['bin', 'cuda', 'cuda-12.2', ...(extra.dirs?.['/usr/local'] ?? [])], ...Object.fromEntries(Object.entries(extra.dirs ?? {}).filter(([k]) => k !== '/usr/local')) },
    libraryPath: extra.libraryPath,
  });
}

describe('reading what NVIDIA tools print (FAKE samples in their real formats)', () => {
  it('reads the driver and the CUDA version the driver supports from the nvidia-smi banner', () => {
    assert.deepEqual(parseNvidiaSmiBanner(FAKE_NVIDIA_SMI_T4_CUDA12), { driverVersion: '535.104.05', cudaVersion: '12.2' });
  });

  it('reads each GPU name and memory from the csv query', () => {
    assert.deepEqual(parseNvidiaSmiQuery('Tesla T4, 15360\nNVIDIA A100-SXM4-40GB, 40960\n'), [
      { name: 'Tesla T4', memoryMiB: 15360 },
      { name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960 },
    ]);
  });

  it('reads the kernel module version from /proc/driver/nvidia/version', () => {
    assert.equal(parseProcNvidiaVersion(FAKE_PROC_NVIDIA_VERSION), '535.104.05');
  });

  it('finds 64-bit libcudart and libcudnn in ldconfig -p, taking the minor version from a versioned CUDA folder', () => {
    const libs = parseLdconfig(FAKE_LDCONFIG_CUDA11_AND_12);
    assert.deepEqual(libs.cudart.map((l) => l.version).sort(), ['11.2', '12.2']);
    assert.deepEqual(libs.cudnn.map((l) => [l.major, l.where]), [[8, '/usr/lib/x86_64-linux-gnu/libcudnn.so.8']]);
    assert.ok(!libs.cudart.some((l) => l.where.includes('i386')), 'a 32-bit library cannot serve a 64-bit Node');
  });

  it('reads CUDA from version.json (11.1+) and version.txt (older), and cuDNN from its header', () => {
    assert.deepEqual(parseCudaVersionJson(FAKE_CUDA_12_2_VERSION_JSON), { major: 12, version: '12.2' });
    assert.deepEqual(parseCudaVersionTxt(FAKE_CUDA_10_2_VERSION_TXT), { major: 10, version: '10.2' });
    assert.deepEqual(parseCudnnHeader(FAKE_CUDNN_8_1_HEADER), { major: 8, version: '8.1' });
    assert.equal(parseCudaVersionJson('not json'), undefined);
  });
});

describe('the GPU verdict a learner reads (FAKE machines)', () => {
  it('no NVIDIA tools and no driver: no GPU, recommend the CPU native build', async () => {
    const verdict = gpuVerdict(await probeGpu(fakeHost({ commands: { 'ldconfig -p': ok('0 libs found\n') } })));
    assert.equal(verdict.status, 'no-gpu');
    assert.equal(verdict.recommended, 'cpu');
    assert.match(verdict.summary, /No NVIDIA GPU was found \(nvidia-smi is not installed/);
  });

  it('a T4 with only CUDA 12.2: says CUDA 12.2 is installed but 11.2 and cuDNN 8.1 are needed, side by side, or the CPU build', async () => {
    const verdict = gpuVerdict(await probeGpu(t4()));
    assert.equal(verdict.status, 'cuda-mismatch');
    assert.equal(verdict.recommended, 'cpu');
    assert.match(verdict.summary, /Tesla T4, driver 535\.104\.05/);
    assert.match(verdict.summary, /CUDA 12\.2 is installed, but tfjs-node-gpu needs CUDA 11\.2 and cuDNN 8\.1/);
    assert.match(verdict.advice.join(' '), /side by side.*\/usr\/local\/cuda-11\.2.*LD_LIBRARY_PATH/);
    assert.match(verdict.advice.join(' '), /native CPU build/);
  });

  it('CUDA 11.2 installed beside 12.2 with cuDNN 8.1: the GPU build should work', async () => {
    const verdict = gpuVerdict(
      await probeGpu(
        t4({
          commands: { 'ldconfig -p': ok(FAKE_LDCONFIG_CUDA11_AND_12) },
          files: { '/usr/local/cuda-11.2/version.json': FAKE_CUDA_11_2_VERSION_JSON, '/usr/local/cuda-11.2/include/cudnn_version.h': FAKE_CUDNN_8_1_HEADER },
          dirs: { '/usr/local': ['cuda-11.2'] },
        }),
      ),
    );
    assert.equal(verdict.status, 'ready', verdict.summary);
    assert.equal(verdict.recommended, 'gpu');
    assert.match(verdict.summary, /CUDA 11\.2 and cuDNN 8\.1: the GPU build \(tfjs-node-gpu\) should work/);
  });

  it('CUDA 11 found only on LD_LIBRARY_PATH still counts (ldconfig does not list it)', async () => {
    const verdict = gpuVerdict(
      await probeGpu(
        t4({
          libraryPath: '/opt/cuda-11.2/lib64',
          dirs: { '/opt/cuda-11.2/lib64': ['libcudart.so.11.0', 'libcudart.so.11.2.152'] },
        }),
      ),
    );
    // cuDNN 8 is in ldconfig's list, the CUDA 11 runtime on the library path.
    assert.equal(verdict.status, 'ready', verdict.summary);
  });

  it('CUDA 11 without cuDNN: names cuDNN 8.1 as what is missing', async () => {
    const verdict = gpuVerdict(
      await probeGpu(
        fakeHost({
          commands: { 'nvidia-smi': ok(FAKE_NVIDIA_SMI_T4_CUDA12), [QUERY]: ok(FAKE_NVIDIA_SMI_QUERY_T4), 'ldconfig -p': ok('') },
          files: { '/usr/local/cuda-11.2/version.json': FAKE_CUDA_11_2_VERSION_JSON },
          dirs: { '/usr/local': ['cuda-11.2'] },
        }),
      ),
    );
    assert.equal(verdict.status, 'no-cudnn');
    assert.match(verdict.summary, /CUDA 11\.2 are present, but cuDNN was not found/);
  });

  it('only CUDA 10.2: a mismatch, in words', async () => {
    const verdict = gpuVerdict(
      await probeGpu(
        fakeHost({
          commands: { 'nvidia-smi': ok(FAKE_NVIDIA_SMI_T4_CUDA12.replace('CUDA Version: 12.2', 'CUDA Version: 11.4')), [QUERY]: ok(FAKE_NVIDIA_SMI_QUERY_T4) },
          files: { '/usr/local/cuda-10.2/version.txt': FAKE_CUDA_10_2_VERSION_TXT },
          dirs: { '/usr/local': ['cuda-10.2'] },
        }),
      ),
    );
    assert.equal(verdict.status, 'cuda-mismatch');
    assert.match(verdict.summary, /CUDA 10\.2 is installed, but tfjs-node-gpu needs CUDA 11\.2/);
  });

  it('a driver that only runs CUDA 11.0: update the driver', async () => {
    const verdict = gpuVerdict(
      await probeGpu(t4({ commands: { 'nvidia-smi': ok(FAKE_NVIDIA_SMI_T4_CUDA12.replace('CUDA Version: 12.2', 'CUDA Version: 11.0')) } })),
    );
    assert.equal(verdict.status, 'driver-too-old');
    assert.match(verdict.advice[0]!, /Update the NVIDIA driver/);
  });

  it('a broken nvidia-smi with the kernel driver loaded still reports the GPU, and what failed', async () => {
    const probe = await probeGpu(
      fakeHost({
        commands: { 'nvidia-smi': { code: 18, stdout: FAKE_NVIDIA_SMI_MISMATCH, stderr: '' }, [QUERY]: { code: 18, stdout: FAKE_NVIDIA_SMI_MISMATCH, stderr: '' } },
        files: { '/proc/driver/nvidia/version': FAKE_PROC_NVIDIA_VERSION },
      }),
    );
    assert.equal(probe.nvidiaSmiProblem, 'nvidia-smi failed: Failed to initialize NVML: Driver/library version mismatch');
    assert.equal(probe.driverVersion, '535.104.05');
    const verdict = gpuVerdict(probe);
    assert.equal(verdict.status, 'no-cuda');
    assert.match(verdict.summary, /An NVIDIA GPU driver \(535\.104\.05\) is present, but no CUDA runtime/);
  });
});
