import type { INestApplication } from '@nestjs/common';
import type { Logger } from './logger';

export interface ShutdownGuardOptions {
  app: INestApplication;
  logger: Logger;
  signals: NodeJS.Signals[];
  timeoutMs: number;
}

/**
 * The safety net around Nest's own shutdown hooks. Nest closes the app on the first signal
 * (modules drain in onModuleDestroy / beforeApplicationShutdown); this guard makes sure the
 * process still ends when draining hangs: after `timeoutMs`, or at once on a second signal
 * (an operator pressing Ctrl-C twice), it exits with code 1 and says why.
 *
 * It learns that shutdown finished by awaiting `app.close()`: Nest runs one shutdown at a time
 * and hands every caller the in-flight one. Install the guard after `enableShutdownHooks`, so
 * Nest's listener runs first and starts that shutdown with the signal (which hooks receive).
 * When the app is closed without a signal (tests, scripts), the guard detaches when the HTTP
 * server closes.
 */
export function installShutdownGuard({ app, logger, signals, timeoutMs }: ShutdownGuardOptions): void {
  let shuttingDown = false;
  let timer: NodeJS.Timeout | undefined;
  const server = app.getHttpServer() as NodeJS.EventEmitter;

  const detach = (): void => {
    clearTimeout(timer);
    for (const signal of signals) process.removeListener(signal, onSignal);
    server.removeListener('close', onServerClose);
  };
  const onServerClose = (): void => {
    if (!shuttingDown) detach();
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (shuttingDown) {
      logger.error('second signal during shutdown; exiting now', { signal });
      process.exit(1);
      return;
    }
    shuttingDown = true;
    logger.info('shutting down', { signal, timeoutMs });
    timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting now', { signal, timeoutMs });
      process.exit(1);
    }, timeoutMs);
    // A failed close is logged by Nest's own handler, which then exits with code 1.
    app.close().then(
      () => {
        detach();
        logger.info('shutdown complete', { signal });
      },
      () => detach(),
    );
  }

  for (const signal of signals) process.on(signal, onSignal);
  server.on('close', onServerClose);
}
