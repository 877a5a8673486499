import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ok, type ApiEnvelope } from '@sandcastle/contracts';
import { HealthRegistry, type HealthStatus } from './health-registry';

/** The part of the platform's response object this controller needs (Express and Fastify alike). */
interface StatusSettable {
  status(code: number): unknown;
}

type HealthBody = ApiEnvelope<{ status: HealthStatus['status'] } & Record<string, boolean | string>>;

const body = ({ status, checks }: HealthStatus): HealthBody => ok({ status, ...checks });

/**
 * Probes for operators and Kubernetes. `/health` always answers 200 (it reports, it does not
 * judge); `/health/live` only proves the event loop answers, so a slow database never gets a
 * pod restarted; `/health/ready` is 503 while a critical dependency is down, which takes the
 * pod out of load balancing until it recovers.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async overall(): Promise<HealthBody> {
    return body(await this.health.run());
  }

  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): ApiEnvelope<{ status: 'ok' }> {
    return ok({ status: 'ok' });
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) res: StatusSettable): Promise<HealthBody> {
    const report = await this.health.report();
    if (!report.ready) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body(report);
  }
}
