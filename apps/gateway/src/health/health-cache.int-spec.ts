import { HealthRegistry } from '@sandcastle/observability';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness';

describe('/health is cheap (real PostgreSQL and NATS)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ namespacePrefix: 'gwhealth' });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('answers a flood of health checks with one probe of each dependency per cache period', async () => {
    let probes = 0;
    gw.app.get(HealthRegistry).register(
      'counting',
      async () => {
        probes++;
        await new Promise((r) => setTimeout(r, 50));
        return true;
      },
      { critical: false },
    );
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gw.api<Record<string, unknown>>('GET', i % 2 ? '/health' : '/health/ready'),
      ),
    );
    expect(
      answers.every((a) => a.status === 200 && a.data['counting'] === true && a.data['database'] === true),
    ).toBe(true);
    // At most one probe per started 2 s period of the flood, however slow the machine, never one per request.
    const periods = Math.ceil((Date.now() - started) / 2000) + 1;
    expect(probes).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(Math.min(periods, answers.length - 1));
  });
});
