import { createLogger, type Logger, type LogLevel } from '../logger';

/** A real JSON logger whose lines are kept in memory (parsed) for assertions. */
export function captureLogger(
  service = 'test',
  level: LogLevel = 'debug',
): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(service, level, (line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  return { logger, lines };
}
