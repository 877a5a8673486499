// Keeps a started stack in the foreground until Ctrl-C / SIGTERM, then stops it gracefully.
// Shared by `npm start` and `npm run demo -- --keep`.

/**
 * Resolves once the stack has been stopped after SIGINT, SIGTERM or SIGHUP. A second signal
 * while stopping kills the services at once (for the impatient second Ctrl-C).
 * @param {{stop: () => Promise<void>, processes: Map<string, import('node:child_process').ChildProcess>}} stack
 * @param {(signal: NodeJS.Signals) => void} [onSignal] told at once, before the stack is down
 * @returns {Promise<NodeJS.Signals>}
 */
export function stopOnSignal(stack, onSignal = () => {}) {
  return new Promise((resolve) => {
    let received = false;
    const handle = (signal) => {
      if (received) {
        process.stderr.write(`\n[sandcastle] ${signal} again: killing the services now\n`);
        for (const child of stack.processes.values()) child.kill('SIGKILL');
        return;
      }
      received = true;
      onSignal(signal);
      process.stderr.write(
        `\n[sandcastle] ${signal}: shutting down gracefully (press Ctrl-C again to force)\n`,
      );
      stack.stop().then(
        () => resolve(signal),
        (error) => {
          process.stderr.write(`[sandcastle] error while stopping: ${error?.stack ?? error}\n`);
          resolve(signal);
        },
      );
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, handle);
  });
}
