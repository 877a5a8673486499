import { type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';
export interface ObservabilityOptions {
    service: string;
    logger: Logger;
    registry: Registry;
}
/**
 * Global: every module of a service can inject `LOGGER`, `METRICS_REGISTRY`, `SERVICE_NAME`
 * and `HealthRegistry`. Serves `/health`, `/health/live`, `/health/ready` and `/metrics`.
 * The logger and registry are created in `main.ts` before Nest, so boot can log and count too.
 */
export declare class ObservabilityModule {
    static forRoot(options: ObservabilityOptions): DynamicModule;
}
