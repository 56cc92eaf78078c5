/** The results and quiz pages' channel to the extension host (protocol/webview.ts). */
import { webviewMethods, type FromWebviewMethod, type ToWebviewMethod } from '../../protocol/webview';
import { HostChannel } from '../shared/hostChannel';

export type LabChannel = HostChannel<typeof webviewMethods, FromWebviewMethod, ToWebviewMethod>;

export const labChannel = (): LabChannel => new HostChannel(webviewMethods);
