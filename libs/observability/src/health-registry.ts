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
  /**
   * A report is reused for this long, and concurrent requests share one probe: a flood of
   * `/health` calls costs the database and NATS one probe each per period. Default 0 (none);
   * services use DEFAULT_HEALTH_CACHE_MS.
   */
  cacheMs?: number;
}

/** How long services reuse a health report: probes stay cheap, a failure shows within 2 s. */
export const DEFAULT_HEALTH_CACHE_MS = 2_000;

interface Registered {
  check: HealthCheck;
  critical: boolean;
  last?: boolean;
}

/**
 * The checks behind `/health` and `/health/ready`. Modules register what they depend on
 * (database, NATS, Sandstorm) at init. Checks run in parallel; a check that throws or takes
 * longer than the timeout counts as failed, so one hung dependency cannot hang the probe.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, Registered>();
  private readonly timeoutMs: number;
  private cached: { at: number; report: Promise<HealthReport> } | undefined;

  constructor(private readonly options: HealthRegistryOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  register(name: string, check: HealthCheck, opts: HealthCheckOptions = {}): void {
    // `status` is the key of the overall result in the `/health` body.
    if (name === 'status') throw new Error("a health check cannot be named 'status'");
    if (this.checks.has(name)) throw new Error(`health check '${name}' is already registered`);
    this.checks.set(name, { check, critical: opts.critical ?? true });
    this.cached = undefined;
  }

  async run(): Promise<HealthStatus> {
    const { status, checks } = await this.report();
    return { status, checks };
  }

  /** The latest report when younger than `cacheMs` (or still being made), else a new one. */
  async report(now: number = Date.now()): Promise<HealthReport> {
    const cacheMs = this.options.cacheMs ?? 0;
    if (this.cached && now - this.cached.at < cacheMs) return this.cached.report;
    const report = this.probeAll();
    this.cached = { at: now, report };
    return report;
  }

  private async probeAll(): Promise<HealthReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(entries.map(([name, registered]) => this.probe(name, registered)));
    const checks: Record<string, boolean> = {};
    entries.forEach(([name], i) => (checks[name] = results[i] === true));
    return {
      status: results.every(Boolean) ? 'ok' : 'degraded',
      checks,
      ready: entries.every(([, registered], i) => !registered.critical || results[i] === true),
    };
  }

  private async probe(name: string, registered: Registered): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let failure: unknown;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        failure = `timed out after ${this.timeoutMs} ms`;
        resolve(false);
      }, this.timeoutMs);
    });
    const checked = Promise.resolve()
      .then(registered.check)
      .then(
        (ok) => ok === true,
        (err: unknown) => {
          failure = err;
          return false;
        },
      );
    const ok = await Promise.race([checked, timedOut]);
    clearTimeout(timer);
    if (!ok && registered.last !== false) {
      this.options.logger?.warn('health check failing', { check: name, err: failure });
    } else if (ok && registered.last === false) {
      this.options.logger?.info('health check recovered', { check: name });
    }
    registered.last = ok;
    return ok;
  }
}
