import { HealthRegistry } from './health-registry';
import { captureLogger } from './testing/capture-logger';

const never = () => new Promise<boolean>(() => undefined);

describe('HealthRegistry', () => {
  it('is ok and ready with no checks', async () => {
    const health = new HealthRegistry();
    expect(await health.run()).toEqual({ status: 'ok', checks: {} });
    expect(await health.report()).toEqual({ status: 'ok', checks: {}, ready: true });
  });

  it('reports each check and degrades when any fails', async () => {
    const health = new HealthRegistry();
    health.register('database', async () => true);
    health.register('sandstorm', async () => false, { critical: false });
    expect(await health.run()).toEqual({ status: 'degraded', checks: { database: true, sandstorm: false } });
  });

  it('is ready while only non-critical checks fail, and not ready when a critical one fails', async () => {
    let nats = true;
    const health = new HealthRegistry();
    health.register('nats', async () => nats);
    health.register('sandstorm', async () => false, { critical: false });
    expect((await health.report()).ready).toBe(true);
    nats = false;
    expect(await health.report()).toEqual({
      status: 'degraded',
      checks: { nats: false, sandstorm: false },
      ready: false,
    });
  });

  it('counts a throwing or rejecting check as failed', async () => {
    const health = new HealthRegistry();
    health.register('rejects', () => Promise.reject(new Error('down')));
    health.register('throws', () => {
      throw new Error('sync throw');
    });
    health.register('truthy-but-not-true', async () => 'yes' as unknown as boolean);
    expect((await health.run()).checks).toEqual({
      rejects: false,
      throws: false,
      'truthy-but-not-true': false,
    });
  });

  it('counts a check that does not answer within the timeout as failed, without waiting for it', async () => {
    const health = new HealthRegistry({ timeoutMs: 50 });
    health.register('hung', never);
    health.register('fine', async () => true);
    expect(await health.report()).toEqual({
      status: 'degraded',
      checks: { hung: false, fine: true },
      ready: false,
    });
  });

  it('refuses duplicate names and the reserved name "status"', () => {
    const health = new HealthRegistry();
    health.register('database', async () => true);
    expect(() => health.register('database', async () => true)).toThrow(
      "health check 'database' is already registered",
    );
    expect(() => health.register('status', async () => true)).toThrow("cannot be named 'status'");
  });

  it('logs when a check starts failing and when it recovers, not on every probe', async () => {
    const { logger, lines } = captureLogger();
    let up = false;
    const health = new HealthRegistry({ logger });
    health.register('database', async () => {
      if (!up) throw new Error('connection refused');
      return true;
    });
    await health.run();
    await health.run();
    up = true;
    await health.run();
    await health.run();
    expect(lines.map((l) => [l.level, l.msg, l.check])).toEqual([
      ['warn', 'health check failing', 'database'],
      ['info', 'health check recovered', 'database'],
    ]);
    expect(lines[0]!.err).toMatchObject({ message: 'connection refused' });
  });
});

describe('HealthRegistry cache', () => {
  it('reuses a report for cacheMs and shares one probe between concurrent callers', async () => {
    const health = new HealthRegistry({ cacheMs: 2000 });
    let probes = 0;
    let up = true;
    health.register('db', async () => {
      probes++;
      await new Promise((r) => setTimeout(r, 20));
      return up;
    });
    const t0 = 1_000_000;
    const concurrent = await Promise.all([health.report(t0), health.report(t0), health.report(t0 + 10)]);
    expect(probes).toBe(1);
    expect(concurrent.every((r) => r.ready)).toBe(true);
    up = false;
    expect((await health.report(t0 + 1999)).ready).toBe(true); // still the cached report
    expect(probes).toBe(1);
    expect((await health.report(t0 + 2000)).ready).toBe(false); // expired: probed again
    expect(probes).toBe(2);
  });
});
