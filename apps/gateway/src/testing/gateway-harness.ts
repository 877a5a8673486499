import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NatsNames } from '@sandcastle/contracts';
import { createMetricsRegistry, startService, type Logger, type LogLevel } from '@sandcastle/observability';
import { captureLogger } from '../../../../libs/observability/src/testing/capture-logger';
import type { TestDatabase } from '../../../../libs/persistence/src/testing';
import { AppModule } from '../app.module';
import { loadGatewayConfig } from '../config/gateway.config';
import { configureHttp } from '../http/configure-http';
import { requestGateway, type GatewayAnswer } from './gateway-answer';
import { createTestBackend, TEST_NATS_URL, type TestBackend } from './test-backend';

export interface TestGatewayOptions {
  /** Start of the random NATS namespace (ignored with `backend`). */
  namespacePrefix?: string;
  /** Gateway environment on top of the harness's database, NATS, namespace and port 0. */
  env?: Record<string, string>;
  /** Level of the captured logger whose parsed lines the result carries. */
  logLevel?: LogLevel;
  /**
   * Database and namespace shared with other gateways (replicas); the caller disposes of it.
   * Without it the gateway gets a backend of its own, disposed of by stop().
   */
  backend?: TestBackend;
}

export interface TestGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  app: INestApplication;
  db: TestDatabase;
  names: NatsNames;
  nc: NatsConnection;
  logger: Logger;
  lines: Record<string, unknown>[];
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<GatewayAnswer<T>>;
  /** Closes the Nest app once, however often it is called (a spec may shut it down itself). */
  closeApp(): Promise<void>;
  /** Closes the app, then removes the backend the gateway owns. */
  stop(): Promise<void>;
}

/** Boots the whole gateway (AppModule, HTTP setup, startService) on a free port, as production does. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  // startService exits the process when boot fails; in a test that should fail the suite instead.
  const exitSpy = jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)})`);
  });
  const owned = options.backend ? undefined : await createTestBackend(options.namespacePrefix ?? 'gw');
  const backend = options.backend ?? owned!;
  const { logger, lines } = captureLogger('gateway', options.logLevel ?? 'warn');
  let app: INestApplication;
  const storageDir = join(tmpdir(), `sc-gw-storage-${backend.names.namespace}-${process.pid}`);
  try {
    const config = loadGatewayConfig({
      DATABASE_URL: backend.db.url,
      NATS_URL: TEST_NATS_URL,
      NATS_NAMESPACE: backend.names.namespace,
      WORKFLOWS_DIR: '/nonexistent-sandcastle-workflows',
      PORT: '0',
      // Each harness its own storage directory (local backend), never the repository's.
      STORAGE_LOCAL_DIR: storageDir,
      ...options.env,
    });
    app = await startService({
      module: AppModule.forRoot(config, logger, createMetricsRegistry('gateway')),
      service: 'gateway',
      port: 0,
      host: '127.0.0.1',
      logger,
      configure: (a) => configureHttp(a, config),
    });
  } catch (error) {
    await owned?.dispose();
    exitSpy.mockRestore();
    throw error;
  }
  const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  const closeApp = (): Promise<void> => (closing ??= app.close());
  return {
    url,
    app,
    db: backend.db,
    names: backend.names,
    nc: backend.nc,
    logger,
    lines,
    api: <T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      requestGateway<T>(url, method, path, body, headers),
    closeApp,
    async stop() {
      await closeApp();
      await rm(storageDir, { recursive: true, force: true });
      await owned?.dispose();
      exitSpy.mockRestore();
    },
  };
}
