/**
 * Re-sets a webview's HTML when its script never says `webview/ready`. In code-server every webview shares one
 * origin and one service worker; when two webviews are (re)created at the same moment, one page's script
 * request can miss the worker and the panel stays on its loading text for good (also reported on desktop
 * VS Code). Loading the page again fixes it; after a few tries the user is told, with a way out.
 */
export interface ReadyWatchdogOptions {
  isReady(): boolean;
  /** A hidden webview does not load at all, so waiting for it is not a failure. */
  isVisible(): boolean;
  reload(attempt: number): void;
  giveUp(): void;
  timeoutMs?: number;
  retries?: number;
}

export function watchReady(options: ReadyWatchdogOptions): { dispose(): void } {
  const timeoutMs = options.timeoutMs ?? 8000;
  const retries = options.retries ?? 2;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    timer = setTimeout(check, timeoutMs);
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
    options.reload(attempts);
    arm();
  };
  arm();
  return {
    dispose: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
