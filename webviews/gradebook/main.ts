/**
 * The gradebook page's entry: the instructor's class gradebook or the learner's challenge check, one view
 * whose mode comes with the host's snapshot. An error that escapes is shown in the page and reported to the
 * host's log, so a failure is never a blank panel.
 */
import { el, replaceChildren } from '../results/dom';
import { mountGradebook } from './gradebookView';
import { HostChannel } from './hostChannel';

const root = document.getElementById('app');
const host = new HostChannel();

function showFatal(message: string): void {
  if (root) {
    root.setAttribute('aria-busy', 'false');
    replaceChildren(
      root,
      el(
        'div',
        { id: 'error-state', role: 'alert', class: 'error' },
        el('h1', {}, 'This panel ran into a problem'),
        el('p', { id: 'error-message' }, message),
        el('p', {}, 'Close the panel and run the command again. If it keeps happening, the log (command “Biomedical Deep Learning Lab: Show Log”) has the details.'),
      ),
    );
  }
  host.reportError(message);
}

window.addEventListener('error', (event) => showFatal(event.message));
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => showFatal(String(event.reason)));

try {
  if (!root) throw new Error('the page has no #app element');
  mountGradebook(root, host);
  root.setAttribute('aria-busy', 'false');
} catch (err) {
  showFatal(err instanceof Error ? err.message : String(err));
}
