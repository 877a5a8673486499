import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@sandcastle/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/** Sandstorm is slow to answer under load; longer than this counts as down. */
const TIMEOUT_MS = 2000;

/** Whether Sandstorm's `GET /health` answers 200 within the timeout. */
export async function sandstormIsHealthy(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/health`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  await response.body?.cancel();
  return response.status === 200;
}

/**
 * Reports Sandstorm in `/health` when SANDSTORM_URL is set. Not critical: the gateway serves
 * the API without it (executors are the ones that need it), so readiness does not depend on it.
 */
@Injectable()
export class SandstormHealthCheck implements OnModuleInit {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const url = this.config.SANDSTORM_URL;
    if (url === undefined) return;
    this.health.register('sandstorm', () => sandstormIsHealthy(url), { critical: false });
  }
}
