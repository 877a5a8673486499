import { connect } from 'node:net';

/** A TCP port on 127.0.0.1 that the OS says is free right now (the launcher's). */
export { freePort } from '../../scripts/lib/stack.cjs';

/** True when something accepts a TCP connection at 127.0.0.1:port. */
export function isListening(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls until 127.0.0.1:port accepts connections. `gaveUp` is checked between polls (e.g. the
 * server process exited) and its message is thrown at once.
 */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gaveUp: () => string | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isListening(port))) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
