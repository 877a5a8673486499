import type { Logger } from '@sandcastle/observability';
import type { DataSource } from 'typeorm';
import { AutovacuumCheckService } from './autovacuum-check.service';

/** The decision only; the query itself runs in every e2e start against the real server. */
describe('AutovacuumCheckService', () => {
  function check(answer: () => Promise<unknown>): string[] {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const db = { query: answer } as unknown as DataSource;
    void new AutovacuumCheckService(db, logger).onApplicationBootstrap();
    return warnings;
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it('warns when autovacuum is off', async () => {
    const warnings = check(async () => [{ autovacuum: 'off' }]);
    await settle();
    expect(warnings).toEqual([expect.stringMatching(/autovacuum is off/)]);
  });

  it('says nothing when it is on', async () => {
    const warnings = check(async () => [{ autovacuum: 'on' }]);
    await settle();
    expect(warnings).toEqual([]);
  });

  it('never fails the start when the setting cannot be read', async () => {
    const warnings = check(async () => {
      throw new Error('permission denied');
    });
    await settle();
    expect(warnings).toEqual(['could not read PostgreSQL autovacuum setting']);
  });
});
