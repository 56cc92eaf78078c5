/**
 * Boots a panel page: mounts it into `#app`, and shows any error that escapes (at mount or later) in the
 * page and in the host's log, so a failure is never a blank panel. Shared by every webview bundle.
 */
import { el, replaceChildren } from './dom';

export function mountPanel(host: { reportError(message: string): void }, whatToDo: string, mount: (root: HTMLElement) => void): void {
  const root = document.getElementById('app');

  const showFatal = (message: string): void => {
    if (root) {
      root.setAttribute('aria-busy', 'false');
      replaceChildren(
        root,
        el(
          'div',
          { id: 'error-state', role: 'alert', class: 'error' },
          el('h1', {}, 'This panel ran into a problem'),
          el('p', { id: 'error-message' }, message),
          el('p', {}, `${whatToDo} If it keeps happening, the log (command “Biomedical Deep Learning Lab: Show Log”) has the details.`),
        ),
      );
    }
    host.reportError(message);
  };

  window.addEventListener('error', (event) => showFatal(event.message));
  window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => showFatal(String(event.reason)));

  try {
    if (!root) throw new Error('the page has no #app element');
    mount(root);
    root.setAttribute('aria-busy', 'false');
  } catch (err) {
    showFatal(err instanceof Error ? err.message : String(err));
  }
}
