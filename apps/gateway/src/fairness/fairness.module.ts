import { Global, Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { FairShareService } from './fair-share.service';

/** The per-tenant caps on long-lived requests, shared by the stream and the sync routes. */
@Global()
@Module({})
export class FairnessModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: FairnessModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, FairShareService],
      exports: [FairShareService],
    };
  }
}
