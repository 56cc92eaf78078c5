/**
 * Turns what the GPU probe found into a verdict in plain words: can the GPU build of TensorFlow.js work here,
 * and if not, what exactly is missing and what to do. Pure, so every combination is tested without a GPU.
 */
import type { GpuProbe, LibraryFinding } from './probe';
import { GPU_NEEDS, type NativeFlavour } from './requirements';

export type GpuStatus = 'no-gpu' | 'driver-too-old' | 'no-cuda' | 'cuda-mismatch' | 'no-cudnn' | 'cudnn-mismatch' | 'ready';

export interface GpuVerdict {
  status: GpuStatus;
  /** Which native build to install on this machine. */
  recommended: NativeFlavour;
  /** One or two sentences: what was found and whether the GPU build can use it. */
  summary: string;
  /** What to do next, each a sentence; empty when nothing is needed. */
  advice: string[];
}

const NEEDS = `tfjs-node-gpu needs CUDA ${GPU_NEEDS.cuda} and cuDNN ${GPU_NEEDS.cudnn}`;
const SIDE_BY_SIDE =
  `install CUDA ${GPU_NEEDS.cuda} and cuDNN ${GPU_NEEDS.cudnn} side by side with what you have ` +
  `(NVIDIA's cuda-toolkit-11-2 package or runfile installs into /usr/local/cuda-11.2 and leaves other CUDA versions alone; ` +
  `cuDNN ${GPU_NEEDS.cudnn} for CUDA 11.2 goes into the same folder), then add /usr/local/cuda-11.2/lib64 to LD_LIBRARY_PATH ` +
  'for the process that starts VS Code or the trainer';
const USE_CPU = 'or install the native CPU build instead (Install Faster Backend → CPU, or `biomed-lab install-backend --cpu`): no GPU, but much faster than WebAssembly';

export function gpuVerdict(probe: GpuProbe): GpuVerdict {
  const gpuWords = describeGpus(probe);
  if (!gpuWords) {
    const why = probe.nvidiaSmiProblem ? `${probe.nvidiaSmiProblem} and no NVIDIA kernel driver is loaded` : 'nvidia-smi lists no GPU';
    return {
      status: 'no-gpu',
      recommended: 'cpu',
      summary: `No NVIDIA GPU was found (${why}).`,
      advice: ['The native CPU build (tfjs-node) is the faster choice on this machine.'],
    };
  }
  if (probe.driverCuda && compareVersions(probe.driverCuda, GPU_NEEDS.minDriverCuda) < 0) {
    return {
      status: 'driver-too-old',
      recommended: 'cpu',
      summary: `${gpuWords} is present, but its driver only runs CUDA up to ${probe.driverCuda}; ${NEEDS}.`,
      advice: [`Update the NVIDIA driver to one that supports CUDA ${GPU_NEEDS.cuda} or newer (460.27 or later on Linux), ${USE_CPU}.`],
    };
  }
  const cuda11 = probe.cudaRuntimes.filter((r) => r.major === 11);
  const tooOld11 = cuda11.length > 0 && cuda11.every((r) => r.version.includes('.') && compareVersions(r.version, GPU_NEEDS.cuda) < 0);
  if (cuda11.length === 0 || tooOld11) {
    const others = uniqueVersions(probe.cudaRuntimes);
    if (others.length === 0) {
      return {
        status: 'no-cuda',
        recommended: 'cpu',
        summary: `${gpuWords} is present, but no CUDA runtime (libcudart) was found; ${NEEDS}.`,
        advice: [`To train on the GPU, ${SIDE_BY_SIDE}; ${USE_CPU}.`],
      };
    }
    return {
      status: 'cuda-mismatch',
      recommended: 'cpu',
      summary: `${gpuWords} is present and CUDA ${others.join(' and ')} is installed, but ${NEEDS}; it cannot load another CUDA version's libraries.`,
      advice: [`To train on the GPU, ${SIDE_BY_SIDE}; ${USE_CPU}.`],
    };
  }
  const cudnn8 = probe.cudnn.filter((c) => c.major === 8);
  if (cudnn8.length === 0) {
    const others = uniqueVersions(probe.cudnn);
    return {
      status: others.length === 0 ? 'no-cudnn' : 'cudnn-mismatch',
      recommended: 'cpu',
      summary:
        others.length === 0
          ? `${gpuWords} and CUDA ${bestVersion(cuda11)} are present, but cuDNN was not found; ${NEEDS}.`
          : `${gpuWords} and CUDA ${bestVersion(cuda11)} are present, but the cuDNN found is ${others.join(' and ')}; ${NEEDS}.`,
      advice: [`Install cuDNN ${GPU_NEEDS.cudnn} for CUDA 11 (it provides ${GPU_NEEDS.cudnnSoname}) next to the CUDA 11 libraries, ${USE_CPU}.`],
    };
  }
  const cudnnVersion = bestVersion(cudnn8);
  const olderCudnn = cudnnVersion.includes('.') && compareVersions(cudnnVersion, GPU_NEEDS.cudnn) < 0;
  if (olderCudnn) {
    return {
      status: 'cudnn-mismatch',
      recommended: 'cpu',
      summary: `${gpuWords} and CUDA ${bestVersion(cuda11)} are present, but cuDNN ${cudnnVersion} is older than ${GPU_NEEDS.cudnn}; ${NEEDS}.`,
      advice: [`Install cuDNN ${GPU_NEEDS.cudnn} or a later 8.x for CUDA 11, ${USE_CPU}.`],
    };
  }
  return {
    status: 'ready',
    recommended: 'gpu',
    summary: `${gpuWords} with CUDA ${bestVersion(cuda11)} and cuDNN ${cudnnVersion}: the GPU build (tfjs-node-gpu) should work.`,
    advice: [],
  };
}

function describeGpus(probe: GpuProbe): string | undefined {
  const driver = probe.driverVersion ? `, driver ${probe.driverVersion}` : '';
  if (probe.gpus.length > 0) {
    const names = probe.gpus.map((g) => g.name);
    const label = names.length === 1 ? `An NVIDIA GPU (${names[0]}${driver})` : `${names.length} NVIDIA GPUs (${names.join(', ')}${driver})`;
    return label;
  }
  // The kernel driver without a working nvidia-smi still means a GPU is there; the verdict says what failed.
  return probe.kernelDriver ? `An NVIDIA GPU driver${probe.driverVersion ? ` (${probe.driverVersion})` : ''}` : undefined;
}

function uniqueVersions(findings: readonly LibraryFinding[]): string[] {
  const byMajor = new Map<number, string>();
  for (const f of findings) {
    const known = byMajor.get(f.major);
    if (!known || (f.version.includes('.') && !known.includes('.'))) byMajor.set(f.major, f.version);
  }
  return [...byMajor.entries()].sort((a, b) => b[0] - a[0]).map(([, v]) => v);
}

/** The most precise version among findings of one major version (a folder's "11.2" beats a soname's "11"). */
function bestVersion(findings: readonly LibraryFinding[]): string {
  const precise = findings.filter((f) => f.version.includes('.')).sort((a, b) => compareVersions(b.version, a.version));
  return precise[0]?.version ?? findings[0]?.version ?? '?';
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The verdict as lines for a terminal or a notification's detail. */
export function describeVerdict(verdict: GpuVerdict): string[] {
  return [verdict.summary, ...verdict.advice];
}
