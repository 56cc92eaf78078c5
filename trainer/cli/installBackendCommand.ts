/**
 * `biomed-lab install-backend`: installs the native TensorFlow.js build (GPU or CPU) where the backend
 * ladder finds it, after saying what the GPU probe found. The VS Code command runs this with `--json`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { installEvent, type InstallEvent } from '../../protocol/install';
import { installNativeBackend, type InstallOutcome } from '../backend/native/install';
import { probeGpu, type ProbeHost } from '../backend/native/probe';
import { NATIVE_PACKAGE, type NativeFlavour } from '../backend/native/requirements';
import { gpuVerdict } from '../backend/native/verdict';
import { userNativeDir } from '../run/paths';
import type { CommandOutput } from './predictCommand';

const USAGE = `Usage: biomed-lab install-backend [--gpu|--cpu] [--into DIR] [--json]

Installs @tensorflow/tfjs-node-gpu (--gpu) or @tensorflow/tfjs-node (--cpu) with npm, checks in a separate
process that it loads, and only then moves it into DIR/node_modules, where training finds it. Without
--gpu or --cpu it installs what the GPU probe recommends (the GPU build needs CUDA 11.2 and cuDNN 8.1).

Options:
  --gpu | --cpu     which native build (default: the GPU build only when CUDA 11.2 and cuDNN 8.1 are found)
  --into DIR        install folder (default: $BIOMED_LAB_NATIVE_DIR, else ${userNativeDir()});
                    runs started from a terminal look there, and in $BIOMED_LAB_NATIVE_DIR
  --from SPEC       what npm installs instead of the matching release (a local .tgz, or a mirror's version)
  --probe-only      say what the GPU probe found and which build it recommends; install nothing
  --json            print the install events as JSON lines
`;

class UsageError extends Error {}

interface InstallArgs {
  flavour: NativeFlavour | undefined;
  into: string;
  spec: string | undefined;
  probeOnly: boolean;
  json: boolean;
}

export interface InstallCommandDeps {
  probeHost?: ProbeHost;
  signal?: AbortSignal;
}

export async function runInstallBackendCommand(argv: string[], output: CommandOutput = process, deps: InstallCommandDeps = {}): Promise<number> {
  let args: InstallArgs;
  try {
    args = parse(argv);
  } catch (err) {
    const message = (err as Error).message;
    output.stderr.write(`${message ? `biomed-lab install-backend: ${message}\n\n` : ''}${USAGE}`);
    return message ? 2 : 0;
  }
  const emit = (event: InstallEvent): void => {
    if (args.json) output.stdout.write(`${JSON.stringify(event)}\n`);
    else output.stderr.write(`${humanLine(event)}\n`);
  };

  emit(installEvent('install/stage', { stage: 'probe', message: 'Looking for an NVIDIA GPU, CUDA and cuDNN' }));
  const verdict = gpuVerdict(await probeGpu(deps.probeHost));
  emit(installEvent('install/gpu/verdict', verdict));
  const flavour = args.flavour ?? verdict.recommended;
  if (args.probeOnly) {
    if (!args.json) output.stdout.write(`recommended: ${NATIVE_PACKAGE[flavour]}\n`);
    return 0;
  }

  const controller = new AbortController();
  deps.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const onSignal = (): void => {
    if (!args.json) output.stderr.write('\nCancelling the install; nothing will be left half-installed...\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: InstallOutcome;
  try {
    outcome = await installNativeBackend({
      flavour,
      into: args.into,
      ...(args.spec ? { spec: args.spec } : {}),
      signal: controller.signal,
      onEvent: emit,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (!outcome.ok) {
    emit(installEvent('install/fail', { reason: outcome.failure.reason, message: outcome.failure.message }));
    if (!args.json) output.stderr.write(`biomed-lab: ${outcome.failure.message}\n`);
    return outcome.cancelled ? 130 : 1;
  }
  const finish = installEvent('install/finish', {
    package: outcome.package,
    version: outcome.version,
    backend: outcome.backend,
    device: outcome.device,
    location: outcome.location,
    ...(outcome.note ? { note: outcome.note } : {}),
  });
  if (args.json) emit(finish);
  else {
    output.stdout.write(`Installed ${outcome.package} ${outcome.version} into ${outcome.location} (backend "${outcome.backend}", computes on the ${outcome.device.toUpperCase()}).\n`);
    if (outcome.note) output.stdout.write(`Note: ${outcome.note}\n`);
    if (outcome.location !== userNativeDir() && outcome.location !== process.env['BIOMED_LAB_NATIVE_DIR']) {
      output.stdout.write(`Runs find it when BIOMED_LAB_NATIVE_DIR=${outcome.location} is set.\n`);
    }
  }
  return 0;
}

function parse(argv: string[]): InstallArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      gpu: { type: 'boolean', default: false },
      cpu: { type: 'boolean', default: false },
      into: { type: 'string' },
      from: { type: 'string' },
      'probe-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.gpu && values.cpu) throw new UsageError('choose one of --gpu or --cpu');
  const into = values.into ?? process.env['BIOMED_LAB_NATIVE_DIR'] ?? userNativeDir();
  return {
    flavour: values.gpu ? 'gpu' : values.cpu ? 'cpu' : undefined,
    into: resolve(into),
    // npm runs inside the staging folder, so a relative tarball path must be made absolute here.
    spec: values.from !== undefined && /^[./]|\.tgz$/.test(values.from) ? resolve(values.from) : values.from,
    probeOnly: values['probe-only'],
    json: values.json,
  };
}

function humanLine(event: InstallEvent): string {
  switch (event.method) {
    case 'install/gpu/verdict':
      return [event.params.summary, ...event.params.advice].join('\n');
    case 'install/stage':
      return `→ ${event.params.message}`;
    case 'install/output':
      return `  ${event.params.line}`;
    case 'install/finish':
      return `installed ${event.params.package} ${event.params.version}`;
    case 'install/fail':
      return `install failed: ${event.params.reason}`;
  }
}
