import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { Logger } from './logger';
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
}
/**
 * Boots a service the same way everywhere: JSON logs from the first line (Nest's boot logs are
 * buffered until the JSON logger is attached), graceful shutdown on SIGTERM/SIGINT, and a
 * process that exits with code 1 when boot fails, so the orchestrator restarts it.
 *
 * The default shutdown grace is 25 s, under Kubernetes' 30 s `terminationGracePeriodSeconds`,
 * so the service exits by itself (and says why) before it is killed.
 */
export declare function startService(opts: StartServiceOptions): Promise<INestApplication>;
