/** Words for the backend ladder, shared by the status bar tooltip and the "Show Backend" command. Pure. */
import type { BackendRung, DidSelectBackendParams } from '../../protocol/messages';

const NAMES: Record<BackendRung['backend'], string> = {
  gpu: 'GPU (tfjs-node-gpu)',
  node: 'native CPU (tfjs-node)',
  wasm: 'WebAssembly (tfjs-backend-wasm)',
  cpu: 'plain JavaScript (tfjs cpu)',
};

export function backendName(backend: BackendRung['backend']): string {
  return NAMES[backend];
}

/** One line per rung, in ladder order, e.g. "✗ GPU (tfjs-node-gpu): skipped — module not installed". */
export function describeLadder(selection: DidSelectBackendParams): string[] {
  return selection.ladder.map((rung) => {
    const mark = rung.status === 'selected' ? '✓' : rung.status === 'skipped' ? '✗' : '·';
    const status = rung.status === 'not-tried' ? 'not tried' : rung.status;
    return `${mark} ${backendName(rung.backend)}: ${status}${rung.reason ? ` — ${rung.reason}` : ''}`;
  });
}

export function describeSelection(selection: DidSelectBackendParams, host: string): string {
  return `Training on ${backendName(selection.backend)} ${selection.version} on ${host}.`;
}
