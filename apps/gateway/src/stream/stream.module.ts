import { Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@sandcastle/observability';
import { GetRunUseCase } from '../runs/get-run.use-case';
import { RunsRepository } from '../runs/runs.repository';
import { RunEventHub } from './run-event-hub.service';
import { RunEventsRepository } from './run-events.repository';
import { RunStreamController } from './run-stream.controller';
import { loadStreamConfig, STREAM_CONFIG } from './stream.config';
import { StreamMetrics } from './stream.metrics';
import { StreamRunUseCase } from './stream-run.use-case';

/**
 * Live run streams. Reads runs through the runs feature's repository and view (stateless, so
 * its own instances are fine); the database, NATS, logger and metrics registry come from the
 * global modules.
 */
@Module({
  controllers: [RunStreamController],
  providers: [
    { provide: STREAM_CONFIG, useFactory: () => loadStreamConfig() },
    { provide: StreamMetrics, useFactory: (r: Registry) => new StreamMetrics(r), inject: [METRICS_REGISTRY] },
    RunsRepository,
    GetRunUseCase,
    RunEventsRepository,
    RunEventHub,
    StreamRunUseCase,
  ],
})
export class StreamModule {}
