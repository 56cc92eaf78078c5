/**
 * The webview entry for both lab panels. The host's HTML names the view in `body[data-view]`. Any error
 * that escapes is shown in the panel and reported to the host's log, so a failure is never a blank panel.
 */
import './jitless';
import { mountQuiz } from './quizView';
import { mountResults } from './resultsView';
import { el, replaceChildren } from './dom';
import { HostChannel } from './vscodeApi';

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
        el('p', {}, 'Close the panel and open it again. If it keeps happening, the log (command “Biomedical Deep Learning Lab: Show Log”) has the details.'),
      ),
    );
  }
  host.reportError(message);
}

window.addEventListener('error', (event) => showFatal(event.message));
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => showFatal(String(event.reason)));

try {
  if (!root) throw new Error('the page has no #app element');
  const view = document.body.dataset['view'];
  if (view === 'results') mountResults(root, host);
  else if (view === 'quiz') mountQuiz(root, host);
  else throw new Error(`unknown view ${JSON.stringify(view)}`);
  root.setAttribute('aria-busy', 'false');
} catch (err) {
  showFatal(err instanceof Error ? err.message : String(err));
}
