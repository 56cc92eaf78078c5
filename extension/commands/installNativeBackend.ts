import * as path from 'node:path';
import * as vscode from 'vscode';
import { INSTALL_FLAVOURS, type InstallEvent, type InstallEventParams, type InstallFlavour } from '../../protocol/install';
import type { Container } from '../container';
import { runInstallProcess } from '../native/installProcess';
import type { LabCommand } from './types';

let installing = false;

/**
 * Installs the native TensorFlow.js build (GPU or CPU) into the extension's global storage, where the
 * trainer's backend ladder looks first (BIOMED_LAB_NATIVE_DIR). Asks which build after saying what the GPU
 * probe found, unless the build is passed as an argument ("gpu" or "cpu", e.g. from a walkthrough link).
 * Progress in a cancellable notification; npm's output in the log.
 */
export const installNativeBackend: LabCommand = async (c, flavourArg) => {
  if (installing) {
    void vscode.window.showWarningMessage('The faster backend is already being installed; see its notification.');
    return;
  }
  if (c.runs.isRunning) {
    void vscode.window.showWarningMessage('A run is in progress. Install the faster backend after it finishes (or cancel it first).');
    return;
  }
  installing = true;
  try {
    const flavour = isFlavour(flavourArg) ? flavourArg : await pickFlavour(c);
    if (!flavour) return;
    await install(c, flavour);
  } finally {
    installing = false;
  }
};

function isFlavour(value: unknown): value is InstallFlavour {
  return typeof value === 'string' && (INSTALL_FLAVOURS as readonly string[]).includes(value);
}

function cliOptions(c: Container): { nodePath: string; cliScript: string; into: string } {
  return { nodePath: process.execPath, cliScript: path.join(c.paths.extensionPath, 'dist', 'cli.js'), into: c.paths.nativeBackendDir };
}

/** Runs the GPU probe (`--probe-only`, a second or two) and offers both builds, the recommended one first. */
async function pickFlavour(c: Container): Promise<InstallFlavour | undefined> {
  let verdict: InstallEventParams<'install/gpu/verdict'> | undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Looking for an NVIDIA GPU, CUDA and cuDNN…' }, () =>
    runInstallProcess({
      ...cliOptions(c),
      flavour: undefined,
      onEvent: (event) => {
        if (event.method === 'install/gpu/verdict') verdict = event.params;
      },
      onStderr: (line) => c.log.info(`[install-backend] ${line}`),
    }),
  );
  if (verdict) c.log.info(`GPU probe: ${[verdict.summary, ...verdict.advice].join(' ')}`);
  const recommended = verdict?.recommended ?? 'cpu';
  const items: (vscode.QuickPickItem & { flavour: InstallFlavour })[] = [
    {
      flavour: 'cpu',
      label: 'CPU build (@tensorflow/tfjs-node)',
      description: recommended === 'cpu' ? 'recommended' : '',
      detail: 'Native TensorFlow on every core: much faster than WebAssembly. Downloads libtensorflow (a few hundred MB).',
    },
    {
      flavour: 'gpu',
      label: 'GPU build (@tensorflow/tfjs-node-gpu)',
      description: recommended === 'gpu' ? 'recommended' : 'needs CUDA 11.2 and cuDNN 8.1',
      detail: verdict?.summary ?? 'Needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1.',
    },
  ];
  if (recommended === 'gpu') items.reverse();
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Install Faster Backend (tfjs-node)',
    placeHolder: verdict ? `${verdict.summary} ${verdict.advice.join(' ')}` : 'Which native build?',
    ignoreFocusOut: true,
  });
  return picked?.flavour;
}

async function install(c: Container, flavour: InstallFlavour): Promise<void> {
  const npmLog = c.log.tagged('npm');
  let finish: InstallEventParams<'install/finish'> | undefined;
  let fail: InstallEventParams<'install/fail'> | undefined;
  const title = `Installing ${flavour === 'gpu' ? 'the GPU build (tfjs-node-gpu)' : 'the native CPU build (tfjs-node)'}`;
  const code = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    runInstallProcess({
      ...cliOptions(c),
      flavour,
      cancel: token,
      onStderr: (line) => c.log.info(`[install-backend] ${line}`),
      onEvent: (event: InstallEvent) => {
        switch (event.method) {
          case 'install/stage':
            c.log.info(`install-backend: ${event.params.message}`);
            progress.report({ message: event.params.message });
            break;
          case 'install/output':
            npmLog.info(event.params.line);
            // npm's request lines are the only sign of life during a long download: show the newest, short.
            if (/^npm http fetch|Downloading|%/.test(event.params.line)) progress.report({ message: shorten(event.params.line) });
            break;
          case 'install/gpu/verdict':
            c.log.info(`GPU probe: ${[event.params.summary, ...event.params.advice].join(' ')}`);
            break;
          case 'install/finish':
            finish = event.params;
            break;
          case 'install/fail':
            fail = event.params;
            break;
        }
      },
    }),
  );
  if (finish) {
    // A trainer already running keeps the namespace it started with; the next run gets a fresh process.
    c.trainer.dispose();
    c.log.info(`installed ${finish.package} ${finish.version} into ${finish.location} (backend ${finish.backend}, ${finish.device})`);
    const where = finish.device === 'gpu' ? 'on the GPU' : 'natively on the CPU';
    if (finish.note) {
      const choice = await vscode.window.showWarningMessage(`Installed ${finish.package} ${finish.version}, but: ${finish.note}`, 'Show Log');
      if (choice === 'Show Log') c.log.show();
    } else {
      void vscode.window.showInformationMessage(`Installed ${finish.package} ${finish.version}. The next run trains ${where}; Show Training Backend says which backend a run used.`);
    }
    return;
  }
  if (code === 130 || fail?.reason === 'cancelled') {
    void vscode.window.showInformationMessage('Install cancelled; nothing was changed. Runs keep using the backend they had.');
    return;
  }
  throw new Error(fail?.message ?? `The installer stopped unexpectedly (exit code ${code}); see the log.`);
}

function shorten(line: string): string {
  return line.length > 90 ? `${line.slice(0, 87)}…` : line;
}
