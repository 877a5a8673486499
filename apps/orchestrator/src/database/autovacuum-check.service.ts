import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@sandcastle/observability';
import { DataSource } from 'typeorm';

/**
 * Warns at start when PostgreSQL's autovacuum is off. The engine's tables churn by design: every
 * outbox row is deleted once published (several per step) and every step row is updated a few
 * times, so without vacuum their dead rows pile up, every scan slows down and the database grows
 * far beyond what the retained runs explain (docs/operations.md, "Database upkeep").
 */
@Injectable()
export class AutovacuumCheckService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const [row] = await this.db.query<{ autovacuum: string }[]>(
        `SELECT current_setting('autovacuum') AS autovacuum`,
      );
      if (row?.autovacuum === 'off') {
        this.logger.warn(
          'PostgreSQL autovacuum is off: the outbox and run_steps bloat and slow down as runs go by; turn it on (the default) or vacuum them on a schedule',
        );
      }
    } catch (err) {
      // A hint for operators, never a reason not to start.
      this.logger.warn('could not read PostgreSQL autovacuum setting', { err });
    }
  }
}
