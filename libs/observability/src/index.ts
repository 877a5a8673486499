export { createLogger, LOG_LEVELS, type LogFields, type Logger, type LogLevel } from './logger';
export { JsonNestLogger } from './json-nest-logger';
export { createMetricsRegistry, metricPrefix } from './metrics-registry';
export { LOGGER, METRICS_REGISTRY, SERVICE_NAME } from './tokens';
export {
  HealthRegistry,
  type HealthCheck,
  type HealthCheckOptions,
  type HealthRegistryOptions,
  type HealthReport,
  type HealthStatus,
} from './health-registry';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { startService, type StartServiceOptions } from './start-service';
export { BoundedLabelValues, OTHER_LABEL_VALUE } from './bounded-label';
export {
  catalogueService,
  renderMetricsCatalogue,
  type CataloguedMetric,
  type MetricSet,
  type ServiceCatalogue,
} from './metrics-catalogue';
export {
  childSpan,
  formatTraceparent,
  newTraceContext,
  parseTraceparent,
  TRACEPARENT_HEADER,
  type TraceContext,
} from './trace-context';
export {
  currentLogContext,
  logContextFields,
  outgoingTraceparent,
  traceOf,
  withLogContext,
  type LogContext,
} from './log-context';
export { OtlpExporter, type FinishedSpan, type OtlpExporterOptions } from './otlp-exporter';
export { configureTracing, flushTracing, startSpan, tracingEnabled, type ActiveSpan } from './tracing';
