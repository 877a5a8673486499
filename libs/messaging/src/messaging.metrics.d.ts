import { Counter, Histogram, type Registry } from 'prom-client';
/** Metrics every JetStream consumer records, named `sandcastle_<service>_…`. */
export declare class MessagingMetrics {
    readonly handled: Counter<'subject' | 'outcome'>;
    readonly lag: Histogram<'subject'>;
    readonly handleDuration: Histogram<'subject'>;
    constructor(registry: Registry, service: string);
}
