import { type ApiEnvelope } from '@sandcastle/contracts';
import { HealthRegistry, type HealthStatus } from './health-registry';
/** The part of the platform's response object this controller needs (Express and Fastify alike). */
interface StatusSettable {
    status(code: number): unknown;
}
type HealthBody = ApiEnvelope<{
    status: HealthStatus['status'];
} & Record<string, boolean | string>>;
/**
 * Probes for operators and Kubernetes. `/health` always answers 200 (it reports, it does not
 * judge); `/health/live` only proves the event loop answers, so a slow database never gets a
 * pod restarted; `/health/ready` is 503 while a critical dependency is down, which takes the
 * pod out of load balancing until it recovers.
 */
export declare class HealthController {
    private readonly health;
    constructor(health: HealthRegistry);
    overall(): Promise<HealthBody>;
    live(): ApiEnvelope<{
        status: 'ok';
    }>;
    ready(res: StatusSettable): Promise<HealthBody>;
}
export {};
