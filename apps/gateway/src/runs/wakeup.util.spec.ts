import { Wakeup } from './wakeup.util';

// A wait long enough that a test only passes if something else ends it.
const FOREVER_MS = 60_000;

describe('Wakeup', () => {
  it('keeps a wake-up that came before the wait', async () => {
    const wakeup = new Wakeup();
    wakeup.fire();
    await wakeup.wait(FOREVER_MS);
  });

  it('ends a wait in progress when fired', async () => {
    const wakeup = new Wakeup();
    const waiting = wakeup.wait(FOREVER_MS);
    wakeup.fire();
    await waiting;
  });

  it('ends a wait when the signal aborts, or at once if it already did', async () => {
    const wakeup = new Wakeup();
    const controller = new AbortController();
    const waiting = wakeup.wait(FOREVER_MS, controller.signal);
    controller.abort();
    await waiting;
    await wakeup.wait(FOREVER_MS, controller.signal);
  });

  it('uses a wake-up once', async () => {
    const wakeup = new Wakeup();
    wakeup.fire();
    await wakeup.wait(FOREVER_MS);
    let ended = false;
    const waiting = wakeup.wait(FOREVER_MS).then(() => (ended = true));
    // A macrotask turn lets every pending promise settle: a wrongly reused wake-up would have ended it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    wakeup.fire();
    await waiting;
  });
});
