import type { Logger } from './logger';
export type HealthCheck = () => Promise<boolean>;
export interface HealthCheckOptions {
    /** A critical check failing makes `/health/ready` answer 503. Default: true. */
    critical?: boolean;
}
export interface HealthStatus {
    /** `degraded` as soon as any check, critical or not, fails. */
    status: 'ok' | 'degraded';
    checks: Record<string, boolean>;
}
export interface HealthReport extends HealthStatus {
    /** Every critical check passed: the service should receive traffic. */
    ready: boolean;
}
export interface HealthRegistryOptions {
    /** How long one check may take before it counts as failed. Default: 2000 ms. */
    timeoutMs?: number;
    /** Receives a line when a check starts or stops failing (not on every probe). */
    logger?: Logger;
}
/**
 * The checks behind `/health` and `/health/ready`. Modules register what they depend on
 * (database, NATS, Sandstorm) at init. Checks run in parallel; a check that throws or takes
 * longer than the timeout counts as failed, so one hung dependency cannot hang the probe.
 */
export declare class HealthRegistry {
    private readonly options;
    private readonly checks;
    private readonly timeoutMs;
    constructor(options?: HealthRegistryOptions);
    register(name: string, check: HealthCheck, opts?: HealthCheckOptions): void;
    run(): Promise<HealthStatus>;
    report(): Promise<HealthReport>;
    private probe;
}
