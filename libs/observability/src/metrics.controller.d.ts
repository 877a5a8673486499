import type { Registry } from 'prom-client';
interface HeaderSettable {
    setHeader(name: string, value: string): unknown;
}
/** Prometheus scrape endpoint for the process registry. */
export declare class MetricsController {
    private readonly registry;
    constructor(registry: Registry);
    metrics(res: HeaderSettable): Promise<string>;
}
export {};
