/**
 * Recorded output for the native-backend tests. Two kinds, named so they are not mistaken for each other:
 *
 * - NPM_*: REAL output of npm 11.19.1 on Node 20.20.2 (Debian 12), captured on this project's machine on
 *   2026-11-27 with the installer's own flags (`--foreground-scripts --loglevel=http`), stdout and stderr
 *   together as the installer reads them. The libtensorflow sample is a real `npm install
 *   @tensorflow/tfjs-node@4.22.0` (the registry is reachable here, storage.googleapis.com is not); the
 *   network samples point npm at an unresolvable and a closed registry; the disk-full sample installed a
 *   cached package into a 200 KB tmpfs. Stack traces are shortened.
 * - FAKE_*: there is no NVIDIA GPU here. These are hand-written in the exact formats nvidia-smi 535,
 *   `ldconfig -p`, CUDA's version.json and cuDNN's cudnn_version.h print, with typical Vertex AI Workbench
 *   values (Tesla T4, driver 535.104.05).
 */

export const NPM_LIBTENSORFLOW_DOWNLOAD_FAILED = "npm http cache rimraf@https://registry.npmjs.org/rimraf/-/rimraf-3.0.2.tgz 0ms (cache hit)\nnpm http cache https-proxy-agent@https://registry.npmjs.org/https-proxy-agent/-/https-proxy-agent-5.0.1.tgz 0ms (cache hit)\n\n> @tensorflow/tfjs-node@4.22.0 install\n> node scripts/install.js\n\nCPU-linux-4.22.0.tar.gz\nhttps://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz\n* Downloading libtensorflow\nnode:events:502\n      throw er; // Unhandled 'error' event\n      ^\n\nError: getaddrinfo ENOTFOUND storage.googleapis.com\n    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)\nEmitted 'error' event on ClientRequest instance at:\n    at emitErrorEvent (node:_http_client:101:11)\n    at TLSSocket.socketErrorListener (node:_http_client:504:5)\n    at TLSSocket.emit (node:events:524:28)\n    at emitErrorNT (node:internal/streams/destroy:169:8)\n    at emitErrorCloseNT (node:internal/streams/destroy:128:3)\n    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {\n  errno: -3008,\n  code: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n  hostname: 'storage.googleapis.com'\n}\n\nNode.js v20.20.2\nnpm error code 1\nnpm error path /tmp/s3a-sample/node_modules/@tensorflow/tfjs-node\nnpm error command failed\nnpm error command sh -c node scripts/install.js\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-27T06_10_58_779Z-debug-0.log\n";

export const NPM_REGISTRY_NOT_FOUND = "npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\nnpm error network request to http://registry.invalid/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.invalid\nnpm error network This is a problem related to network connectivity.\nnpm error network In most cases you are behind a proxy or have bad network settings.\nnpm error network\nnpm error network If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-27T06_11_07_519Z-debug-0.log\n";

export const NPM_REGISTRY_REFUSED = "npm error code ECONNREFUSED\nnpm error syscall connect\nnpm error errno ECONNREFUSED\nnpm error FetchError: request to http://127.0.0.1:9/@tensorflow%2ftfjs-node failed, reason: connect ECONNREFUSED 127.0.0.1:9\nnpm error     at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/node_modules/minipass-fetch/lib/index.js:130:14)\nnpm error     at ClientRequest.emit (node:events:524:28)\nnpm error     at emitErrorEvent (node:_http_client:101:11)\nnpm error     at _destroy (node:_http_client:884:9)\nnpm error     at onSocketNT (node:_http_client:904:5)\nnpm error     at process.processTicksAndRejections (node:internal/process/task_queues:83:21) {\nnpm error   code: 'ECONNREFUSED',\nnpm error   errno: 'ECONNREFUSED',\nnpm error   syscall: 'connect',\nnpm error   address: '127.0.0.1',\nnpm error\nnpm error If you are behind a proxy, please make sure that the 'proxy' config is set properly.  See: 'npm help config'\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-27T06_11_13_296Z-debug-0.log\n";

export const NPM_OFFLINE_NOT_CACHED = "npm error code ENOTCACHED\nnpm error request to https://registry.npmjs.org/some-package-not-cached-zz failed: cache mode is 'only-if-cached' but no cached response is available.\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-27T06_11_09_758Z-debug-0.log\n";

export const NPM_DISK_FULL = "npm warn tar TAR_ENTRY_ERROR ENOSPC: no space left on device, write\nnpm warn tar TAR_ENTRY_ERROR ENOSPC: no space left on device, write\nnpm error code ENOSPC\nnpm error syscall write\nnpm error errno -28\nnpm error nospc ENOSPC: no space left on device, write\nnpm error nospc There appears to be insufficient space on your system to finish.\nnpm error nospc Clear up some disk space and try again.\nnpm error A complete log of this run can be found in: /root/.npm/_logs/2026-11-27T06_15_21_999Z-debug-0.log\n";

/** FAKE `nvidia-smi` (no arguments) on a T4 with a CUDA 12.2-capable driver: only the banner is read. */
export const FAKE_NVIDIA_SMI_T4_CUDA12 = `Fri Nov 27 06:20:01 2026
+---------------------------------------------------------------------------------------+
| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |
|-----------------------------------------+----------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |         Memory-Usage | GPU-Util  Compute M. |
|                                         |                      |               MIG M. |
|=========================================+======================+======================|
|   0  Tesla T4                       Off | 00000000:00:04.0 Off |                    0 |
| N/A   36C    P8               9W /  70W |      2MiB / 15360MiB |      0%      Default |
|                                         |                      |                  N/A |
+-----------------------------------------+----------------------+----------------------+

+---------------------------------------------------------------------------------------+
| Processes:                                                                            |
|  GPU   GI   CI        PID   Type   Process name                            GPU Memory |
|        ID   ID                                                             Usage      |
|=======================================================================================|
|  No running processes found                                                           |
+---------------------------------------------------------------------------------------+
`;

/** FAKE `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`. */
export const FAKE_NVIDIA_SMI_QUERY_T4 = 'Tesla T4, 15360\n';

/** FAKE `nvidia-smi` when the kernel module and the user-space driver disagree (after a driver update). */
export const FAKE_NVIDIA_SMI_MISMATCH = 'Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 535.129\n';

/** FAKE /proc/driver/nvidia/version. */
export const FAKE_PROC_NVIDIA_VERSION = `NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023
GCC version:  gcc version 10.2.1 20210110 (Debian 10.2.1-6)
`;

/** FAKE `ldconfig -p` on a Workbench image with CUDA 12.2 and cuDNN 8.9 only (plus a 32-bit copy to ignore). */
export const FAKE_LDCONFIG_CUDA12 = `1450 libs found in cache \`/etc/ld.so.cache'
	libcudnn_ops_infer.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn_ops_infer.so.8
	libcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8
	libcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.2/targets/x86_64-linux/lib/libcudart.so.12
	libcudart.so (libc6,x86-64) => /usr/local/cuda-12.2/targets/x86_64-linux/lib/libcudart.so
	libcudart.so.12 (libc6) => /usr/lib/i386-linux-gnu/libcudart.so.12
	libc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6
`;

/** FAKE `ldconfig -p` with CUDA 11.2 installed beside 12.2, and cuDNN 8. */
export const FAKE_LDCONFIG_CUDA11_AND_12 = `${FAKE_LDCONFIG_CUDA12}	libcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/targets/x86_64-linux/lib/libcudart.so.11.0
`;

/** FAKE /usr/local/cuda-12.2/version.json (shortened: CUDA writes one entry per component). */
export const FAKE_CUDA_12_2_VERSION_JSON = `{
   "cuda" : {
      "name" : "CUDA SDK",
      "version" : "12.2.2"
   },
   "cuda_cudart" : {
      "name" : "CUDA Runtime (cudart)",
      "version" : "12.2.140"
   }
}
`;

export const FAKE_CUDA_11_2_VERSION_JSON = FAKE_CUDA_12_2_VERSION_JSON.replace('12.2.2', '11.2.2').replace('12.2.140', '11.2.152');

/** FAKE /usr/local/cuda-10.2/version.txt (CUDA 11.0 and earlier write this instead of version.json). */
export const FAKE_CUDA_10_2_VERSION_TXT = 'CUDA Version 10.2.89\n';

/** FAKE /usr/include/cudnn_version.h (excerpt) for cuDNN 8.1.1. */
export const FAKE_CUDNN_8_1_HEADER = `/* cudnn_version.h */
#ifndef CUDNN_VERSION_H_
#define CUDNN_VERSION_H_

#define CUDNN_MAJOR 8
#define CUDNN_MINOR 1
#define CUDNN_PATCHLEVEL 1

#define CUDNN_VERSION (CUDNN_MAJOR * 1000 + CUDNN_MINOR * 100 + CUDNN_PATCHLEVEL)

#endif /* CUDNN_VERSION_H */
`;

/** FAKE libtensorflow 2.9 stderr when the GPU build starts without the CUDA 11 libraries (it carries on, on the CPU). */
export const FAKE_TF_STDERR_NO_CUDA = `2026-11-27 06:20:01.123456: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory
2026-11-27 06:20:01.123890: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries. Please make sure the missing libraries mentioned above are installed properly if you would like to use GPU. Follow the guide at https://www.tensorflow.org/install/gpu for how to download and setup the required libraries for your platform.
Skipping registering GPU devices...
`;

/** FAKE libtensorflow 2.9 stderr when it found the GPU. */
export const FAKE_TF_STDERR_GPU = `2026-11-27 06:20:02.456789: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1532] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 13598 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5
`;
