import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { watchReady } from '../../extension/webview/readyWatchdog';

/** Advances mocked time a second at a time, so timers armed by a timer's callback fire too. */
function advance(t: TestContext, ms: number): void {
  for (let left = ms; left > 0; left -= 1000) t.mock.timers.tick(Math.min(1000, left));
}

function harness(readyAfterReloads: number | undefined, visible: () => boolean = () => true) {
  const events: string[] = [];
  let reloads = 0;
  const dog = watchReady({
    isReady: () => readyAfterReloads !== undefined && reloads >= readyAfterReloads,
    isVisible: visible,
    reload: (attempt) => {
      reloads++;
      events.push(`reload ${attempt}`);
    },
    giveUp: () => events.push('give up'),
    timeoutMs: 1000,
    retries: 2,
  });
  return { events, dog };
}

test('a panel that says ready in time is left alone', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { events, dog } = harness(0);
  advance(t, 10_000);
  assert.deepEqual(events, []);
  dog.dispose();
});

test('a panel stuck loading is reloaded, and recovers', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { events, dog } = harness(1);
  advance(t, 999);
  assert.deepEqual(events, []);
  advance(t, 1);
  assert.deepEqual(events, ['reload 1']);
  advance(t, 5000);
  assert.deepEqual(events, ['reload 1'], 'no more reloads once ready');
  dog.dispose();
});

test('after the retries the user is told, once', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { events, dog } = harness(undefined);
  advance(t, 10_000);
  assert.deepEqual(events, ['reload 1', 'reload 2', 'give up']);
  dog.dispose();
});

test('a hidden panel is not counted as stuck', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let shown = false;
  const { events, dog } = harness(undefined, () => shown);
  advance(t, 5000);
  assert.deepEqual(events, []);
  shown = true;
  advance(t, 1000);
  assert.deepEqual(events, ['reload 1']);
  dog.dispose();
});

test('a replacement panel continues the count, so replacing never loops', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const events: string[] = [];
  // Each reload disposes the current watchdog and starts the next panel's, as the hosts do.
  const start = (attemptsSoFar: number): { dispose(): void } => {
    const dog = watchReady({
      isReady: () => false,
      isVisible: () => true,
      attemptsSoFar,
      reload: (attempt) => {
        events.push(`replace ${attempt}`);
        dog.dispose();
        current = start(attempt);
      },
      giveUp: () => events.push('give up'),
      timeoutMs: 1000,
      retries: 2,
    });
    return dog;
  };
  let current = start(0);
  advance(t, 20_000);
  assert.deepEqual(events, ['replace 1', 'replace 2', 'give up']);
  current.dispose();
});

test('a watchdog disposed by its own reload sets no further timer', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const events: string[] = [];
  const dog = watchReady({
    isReady: () => false,
    isVisible: () => true,
    reload: (attempt) => {
      events.push(`reload ${attempt}`);
      dog.dispose();
    },
    giveUp: () => events.push('give up'),
    timeoutMs: 1000,
  });
  advance(t, 10_000);
  assert.deepEqual(events, ['reload 1']);
});
