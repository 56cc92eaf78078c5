/**
 * The gradebook page's entry: the instructor's class gradebook or the learner's challenge check, one view
 * whose mode comes with the host's snapshot.
 */
import { mountPanel } from '../shared/mountPanel';
import { mountGradebook } from './gradebookView';
import { gradebookChannel } from './gradebookChannel';

const host = gradebookChannel();

mountPanel(host, 'Close the panel and run the command again.', (root) => mountGradebook(root, host));
