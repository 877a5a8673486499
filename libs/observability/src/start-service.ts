import { performance } from 'node:perf_hooks';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonNestLogger } from './json-nest-logger';
import type { Logger } from './logger';
import { installShutdownGuard } from './shutdown-guard';
import { configureTracing } from './tracing';

export interface StartServiceOptions {
  module: Type<unknown> | DynamicModule;
  service: string;
  /** 0 picks a free port (tests); the log line shows the real one. */
  port: number;
  logger: Logger;
  /** Runs after the app is created and before it listens: pipes, prefixes, microservices. */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** Default `0.0.0.0` (reachable from other containers). */
  host?: string;
  /** How long shutdown may drain before the process is forced out. Default 25 s. */
  shutdownTimeoutMs?: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: export spans there (OTLP/HTTP JSON); unset = no export. */
  otlpEndpoint?: string;
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Boots a service the same way everywhere: JSON logs from the first line (Nest's boot logs are
 * buffered until the JSON logger is attached), graceful shutdown on SIGTERM/SIGINT, and a
 * process that exits with code 1 when boot fails, so the orchestrator restarts it.
 *
 * The default shutdown grace is 25 s, under Kubernetes' 30 s `terminationGracePeriodSeconds`,
 * so the service exits by itself (and says why) before it is killed.
 */
export async function startService(opts: StartServiceOptions): Promise<INestApplication> {
  const started = performance.now();
  const { logger, service } = opts;
  configureTracing({ service, endpoint: opts.otlpEndpoint, logger });
  try {
    const app = await NestFactory.create(opts.module, {
      logger: new JsonNestLogger(logger),
      bufferLogs: true,
      // Rethrow instead of process.abort(): the error reaches the catch below and is logged as JSON.
      abortOnError: false,
    });
    // useProcessExit: once closed, Nest exits with code 0 instead of re-raising the signal.
    // A re-raised signal could reach the shutdown guard before it detaches and be taken for
    // an operator's second signal (exit 1).
    app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
    await opts.configure?.(app);
    await app.listen(opts.port, opts.host ?? '0.0.0.0');
    installShutdownGuard({
      app,
      logger,
      signals: SHUTDOWN_SIGNALS,
      timeoutMs: opts.shutdownTimeoutMs ?? 25_000,
    });
    const address = (app.getHttpServer() as { address(): { port: number } | string | null }).address();
    logger.info(`${service} listening`, {
      port: typeof address === 'object' && address !== null ? address.port : opts.port,
      bootMs: Math.round(performance.now() - started),
    });
    return app;
  } catch (err) {
    logger.error(`${service} failed to start`, { err });
    process.exit(1);
    // Only reached when exit is intercepted (tests): the caller still sees the failure.
    throw err;
  }
}
