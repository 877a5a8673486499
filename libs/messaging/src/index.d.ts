export * from './handler-outcome';
export * from './topology';
export * from './jetstream-publisher';
export * from './jetstream.context';
export * from './jetstream.server';
export * from './messaging.metrics';
export * from './messaging.module';
export * from './pass-through-rpc.filter';
