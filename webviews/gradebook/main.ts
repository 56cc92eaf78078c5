/**
 * The gradebook page's entry: the instructor's class gradebook or the learner's challenge check, one view
 * whose mode comes with the host's snapshot.
 */
import { mountPanel } from '../results/mountPanel';
import { mountGradebook } from './gradebookView';
import { HostChannel } from './hostChannel';

const host = new HostChannel();

mountPanel(host, 'Close the panel and run the command again.', (root) => mountGradebook(root, host));
