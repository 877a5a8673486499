import { Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { CreateApiKeyUseCase } from './create-api-key.use-case';
import { DeactivateApiKeyUseCase } from './deactivate-api-key.use-case';
import { KeyUsageRecorder } from './key-usage.recorder';
import { ListApiKeysUseCase } from './list-api-keys.use-case';

/** API keys: the `/api-keys` routes, and what the auth middleware uses to recognise keys. */
@Module({})
export class AuthModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AuthModule,
      controllers: [ApiKeysController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        EnvelopeInterceptor,
        ApiKeysRepository,
        ApiKeyAuthenticator,
        KeyUsageRecorder,
        CreateApiKeyUseCase,
        ListApiKeysUseCase,
        DeactivateApiKeyUseCase,
      ],
      exports: [ApiKeyAuthenticator, KeyUsageRecorder],
    };
  }
}
