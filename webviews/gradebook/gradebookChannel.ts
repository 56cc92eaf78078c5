/** The gradebook page's channel to the extension host (protocol/gradebook.ts). */
import { gradebookMethods, type FromGradebookMethod, type ToGradebookMethod } from '../../protocol/gradebook';
import { HostChannel } from '../shared/hostChannel';

export type GradebookChannel = HostChannel<typeof gradebookMethods, FromGradebookMethod, ToGradebookMethod>;

export const gradebookChannel = (): GradebookChannel => new HostChannel(gradebookMethods);
