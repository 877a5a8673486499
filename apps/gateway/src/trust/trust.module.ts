import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway.config';
import { WorkflowTrustService } from './workflow-trust.service';

/** Global: saving, running, replaying and forking all check workflows against the same policy. */
@Global()
@Module({})
export class TrustModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: TrustModule,
      providers: [{ provide: WorkflowTrustService, useValue: new WorkflowTrustService(config) }],
      exports: [WorkflowTrustService],
    };
  }
}
