/**
 * Every service-worker registration and version change the browser reports (Chrome DevTools Protocol), as
 * lines for the scenario's browser-console log. code-server's webviews all share one origin and one
 * service-worker scope, and a webview stays blank while its worker is stuck; this trace says at which
 * lifecycle step (script fetch, install, activation) and for which webview id.
 *
 * It also releases a worker the automation itself holds. Playwright asks Chromium to pause every new worker
 * until a debugger lets it run (`Target.setAutoAttach` with `waitForDebuggerOnStart`) and lets service
 * workers go by detaching; a worker left paused stays "starting" for good, so its `register()` never
 * settles, every later webview queues behind it and shows nothing. A learner's browser has no debugger
 * attached, so such a worker is an artefact of the test: after STUCK_MS it is told to run, and the log says so.
 */
import type { Page } from 'playwright-core';

interface Version {
  versionId: string;
  registrationId: string;
  scriptURL: string;
  runningStatus: string;
  status: string;
  controlledClients?: string[];
}

interface Registration {
  registrationId: string;
  scopeURL: string;
  isDeleted: boolean;
}

/** The webview id a worker serves (its script URL's `id=`), or the script's file name for another worker. */
function workerName(scriptURL: string): string {
  const id = /[?&]id=([^&]+)/.exec(scriptURL)?.[1];
  return id ? `webview ${id.slice(0, 8)}` : (scriptURL.split('?')[0]?.split('/').pop() ?? scriptURL);
}

/** A worker starts in well under a second even on a loaded 2-core machine (seen: 0.05–0.35 s). */
const STUCK_MS = 6_000;

export async function traceServiceWorkers(page: Page, log: (line: string) => void): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  // Only changes are logged: the browser repeats a version's whole state whenever any field moves.
  const last = new Map<string, string>();
  const starting = new Map<string, { since: number; scriptURL: string }>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Version[] }) => {
    for (const v of versions) {
      if (v.runningStatus === 'starting') {
        if (!starting.has(v.versionId)) starting.set(v.versionId, { since: Date.now(), scriptURL: v.scriptURL });
      } else {
        starting.delete(v.versionId);
      }
      const state = `${v.status}/${v.runningStatus} clients=${v.controlledClients?.length ?? 0}`;
      if (last.get(v.versionId) === state) continue;
      last.set(v.versionId, state);
      log(`[sw] version ${v.versionId} (registration ${v.registrationId}, ${workerName(v.scriptURL)}): ${state}`);
    }
  });
  const watch = setInterval(() => {
    for (const [versionId, { since, scriptURL }] of starting) {
      if (Date.now() - since < STUCK_MS) continue;
      starting.delete(versionId);
      log(`[sw] version ${versionId} (${workerName(scriptURL)}) has been starting for ${Math.round((Date.now() - since) / 1000)} s`);
      void releaseHeldWorker(page, scriptURL).then(log, (err: unknown) => log(`[sw] could not release ${workerName(scriptURL)}: ${String(err)}`));
    }
  }, 1_000);
  page.once('close', () => clearInterval(watch));
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }: { registrations: Registration[] }) => {
    for (const r of registrations) log(`[sw] registration ${r.registrationId} ${r.isDeleted ? 'deleted' : 'updated'}: ${r.scopeURL}`);
  });
  cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }: { errorMessage: { errorMessage: string; sourceURL: string } }) => {
    log(`[sw] error: ${errorMessage.errorMessage} (${errorMessage.sourceURL})`);
  });
  await cdp.send('ServiceWorker.enable');
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  attached: boolean;
}

/** Tells a service worker paused for a debugger to run, through a session of its own (see the top). */
async function releaseHeldWorker(page: Page, scriptURL: string): Promise<string> {
  const browser = page.context().browser();
  if (!browser) return `[sw] ${workerName(scriptURL)}: no browser session to release it from`;
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url === scriptURL);
    if (!target) return `[sw] ${workerName(scriptURL)}: no service-worker target (not started by the browser at all)`;
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }) });
    await cdp.send('Target.detachFromTarget', { sessionId });
    return `[sw] ${workerName(scriptURL)}: target was ${target.attached ? 'attached to a debugger' : 'not attached'}; told it to run`;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

interface TraceEvent {
  name: string;
  cat?: string;
  ts: number;
  args?: Record<string, unknown>;
}

/**
 * One line per service-worker script a page asked to register, from the browser's own trace (see
 * openBrowser): when the page called register(), whether the request reached the browser process, and
 * every status its version went through. A webview whose host waits for ever shows where it stopped: never
 * asked, asked but not received, received but no version made, or a version stuck in a status.
 */
export function summariseServiceWorkerTrace(json: Buffer): string[] {
  const parsed = JSON.parse(json.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = (Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])).filter((e) => e.cat === 'ServiceWorker').sort((a, b) => a.ts - b.ts);
  const start = events[0]?.ts ?? 0;
  const seconds = (ts: number): string => `+${((ts - start) / 1e6).toFixed(1)} s`;
  const scripts = new Map<string, { page?: number; browser?: number; statuses: string[] }>();
  const entry = (url: string) => scripts.get(url) ?? scripts.set(url, { statuses: [] }).get(url)!;
  let completed = 0;
  for (const e of events) {
    const url = typeof e.args?.['Script URL'] === 'string' ? e.args['Script URL'] : undefined;
    if (e.name === 'WebServiceWorkerProviderImpl::RegisterServiceWorker' && url) entry(url).page ??= e.ts;
    else if (e.name === 'ServiceWorkerContainerHost::Register' && url) entry(url).browser ??= e.ts;
    else if (e.name === 'ServiceWorkerVersion::SetStatus' && url) entry(url).statuses.push(`${String(e.args?.['New Status'])} ${seconds(e.ts)}`);
    else if (e.name === 'ServiceWorkerContainerHost::RegistrationComplete') completed++;
  }
  const lines = [...scripts].map(
    ([url, s]) =>
      `[sw-trace] ${workerName(url)}: register() ${s.page === undefined ? 'not seen in a page' : `called ${seconds(s.page)}`}, ` +
      `${s.browser === undefined ? 'never reached the browser' : `reached the browser ${seconds(s.browser)}`}; ` +
      `versions: ${s.statuses.length > 0 ? s.statuses.join(' → ') : 'none made'}`,
  );
  return [...lines, `[sw-trace] ${completed} registration(s) completed in the browser`];
}
