/**
 * The webview entry for both lab panels. The host's HTML names the view in `body[data-view]`.
 */
import './jitless';
import { mountPanel } from '../shared/mountPanel';
import { mountQuiz } from './quizView';
import { mountResults } from './resultsView';
import { labChannel } from './labChannel';

const host = labChannel();

mountPanel(host, 'Close the panel and open it again.', (root) => {
  const view = document.body.dataset['view'];
  if (view === 'results') mountResults(root, host);
  else if (view === 'quiz') mountQuiz(root, host);
  else throw new Error(`unknown view ${JSON.stringify(view)}`);
});
