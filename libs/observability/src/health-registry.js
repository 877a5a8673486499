"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HealthRegistry = void 0;
/**
 * The checks behind `/health` and `/health/ready`. Modules register what they depend on
 * (database, NATS, Sandstorm) at init. Checks run in parallel; a check that throws or takes
 * longer than the timeout counts as failed, so one hung dependency cannot hang the probe.
 */
class HealthRegistry {
    constructor(options = {}) {
        this.options = options;
        this.checks = new Map();
        this.timeoutMs = options.timeoutMs ?? 2000;
    }
    register(name, check, opts = {}) {
        // `status` is the key of the overall result in the `/health` body.
        if (name === 'status')
            throw new Error("a health check cannot be named 'status'");
        if (this.checks.has(name))
            throw new Error(`health check '${name}' is already registered`);
        this.checks.set(name, { check, critical: opts.critical ?? true });
    }
    async run() {
        const { status, checks } = await this.report();
        return { status, checks };
    }
    async report() {
        const entries = [...this.checks.entries()];
        const results = await Promise.all(entries.map(([name, registered]) => this.probe(name, registered)));
        const checks = {};
        entries.forEach(([name], i) => (checks[name] = results[i] === true));
        return {
            status: results.every(Boolean) ? 'ok' : 'degraded',
            checks,
            ready: entries.every(([, registered], i) => !registered.critical || results[i] === true),
        };
    }
    async probe(name, registered) {
        let timer;
        let failure;
        const timedOut = new Promise((resolve) => {
            timer = setTimeout(() => {
                failure = `timed out after ${this.timeoutMs} ms`;
                resolve(false);
            }, this.timeoutMs);
        });
        const checked = Promise.resolve()
            .then(registered.check)
            .then((ok) => ok === true, (err) => {
            failure = err;
            return false;
        });
        const ok = await Promise.race([checked, timedOut]);
        clearTimeout(timer);
        if (ok !== registered.last) {
            if (!ok)
                this.options.logger?.warn('health check failing', { check: name, err: failure });
            else if (registered.last === false)
                this.options.logger?.info('health check recovered', { check: name });
        }
        registered.last = ok;
        return ok;
    }
}
exports.HealthRegistry = HealthRegistry;
//# sourceMappingURL=health-registry.js.map