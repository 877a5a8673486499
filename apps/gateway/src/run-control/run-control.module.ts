import { Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunCompletionWaiter } from '../runs/run-completion.waiter';
import { RunStartPublisher } from '../runs/run-start.publisher';
import { RunsRepository } from '../runs/runs.repository';
import { CancelRunUseCase } from './cancel-run.use-case';
import { ForkRunUseCase } from './fork-run.use-case';
import { GetLineageUseCase } from './get-lineage.use-case';
import { ReplayRunUseCase } from './replay-run.use-case';
import { RunControlController } from './run-control.controller';
import { TimeMachineService } from './time-machine.service';

/**
 * Cancel, replay, fork and lineage. Uses the runs feature's repository, waiter and start
 * publisher (stateless, so its own instances are fine); the database, NATS and the logger come
 * from the global modules; the config (the fork checks the input and definition limits) from
 * `forRoot`.
 */
@Module({
  controllers: [RunControlController],
  providers: [
    EnvelopeInterceptor,
    RunsRepository,
    RunCompletionWaiter,
    RunStartPublisher,
    CancelRunUseCase,
    TimeMachineService,
    ReplayRunUseCase,
    ForkRunUseCase,
    GetLineageUseCase,
  ],
})
export class RunControlModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: RunControlModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }] };
  }
}
