/**
 * Replaces a webview whose script never says `webview/ready`. In code-server every webview shares one origin
 * and one service worker, and each new webview registers its own copy of that worker. Seen in the e2e runs:
 * a webview host can stall in that handshake and never write the extension's page at all (a blank panel that
 * setting the HTML again does not fix, since the host waits on the same stalled handshake), or lose its
 * script request while another webview's worker takes over (the page stays on its loading text). A new panel
 * gets a new host and a new handshake; after a few tries the user is told, with a way out.
 */
export interface ReadyWatchdogOptions {
  isReady(): boolean;
  /** A hidden webview does not load at all, so waiting for it is not a failure. */
  isVisible(): boolean;
  /** Replaces the page; `attempt` counts from 1 across every watchdog of one panel's lineage. */
  reload(attempt: number): void;
  giveUp(): void;
  timeoutMs?: number;
  retries?: number;
  /** Replacements already made before this watchdog started: a replaced panel gets a new watchdog. */
  attemptsSoFar?: number;
}

export function watchReady(options: ReadyWatchdogOptions): { dispose(): void } {
  const timeoutMs = options.timeoutMs ?? 8000;
  const retries = options.retries ?? 2;
  let attempts = options.attemptsSoFar ?? 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const arm = (): void => {
    if (!disposed) timer = setTimeout(check, timeoutMs);
  };
  const check = (): void => {
    if (options.isReady()) return;
    if (!options.isVisible()) {
      arm();
      return;
    }
    if (attempts >= retries) {
      options.giveUp();
      return;
    }
    attempts++;
    // Replacing the panel usually disposes this watchdog (its successor takes over); then arm() does nothing.
    options.reload(attempts);
    arm();
  };
  arm();
  return {
    dispose: () => {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
