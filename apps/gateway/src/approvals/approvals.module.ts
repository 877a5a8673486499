import { Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunsRepository } from '../runs/runs.repository';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsRepository } from './approvals.repository';
import { DecideApprovalUseCase } from './decide-approval.use-case';

/** Approvals: the orchestrator requests and applies them; people decide them here. */
@Module({
  controllers: [ApprovalsController],
  providers: [EnvelopeInterceptor, ApprovalsRepository, RunsRepository, DecideApprovalUseCase],
})
export class ApprovalsModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: ApprovalsModule, providers: [{ provide: GATEWAY_CONFIG, useValue: config }] };
  }
}
