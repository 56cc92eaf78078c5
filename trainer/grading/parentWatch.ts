/**
 * Notices that the process which started the grader is gone: VS Code's extension host on a window reload,
 * or a CI step that was killed. Nothing then waits for the result, but the grader's sandboxes would run on
 * (each is its own process group, and a learner's endless loop never ends by itself), so the grader is told
 * to stop them. Polled because Node has no parent-death signal; an orphan is re-parented, so its parent id
 * changes. Where that never happens (Windows), the watch never fires.
 */
export function watchParent(onGone: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // The watch alone must not keep a finished grader alive.
  timer.unref();
  return () => clearInterval(timer);
}
