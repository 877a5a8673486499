import { ConfigError } from './config-error';
import { loadDotEnv } from './dot-env';

/** Where a service's boot reports go; the real process by default, a recorder in tests. */
export interface BootIo {
  /** One readable line for a person (no newline at the end). */
  stderr: (line: string) => void;
  /** The same problems as one JSON log line, for machines. */
  log: (message: string, fields: Record<string, unknown>) => void;
  exit: (code: number) => never;
}

const processIo = (): BootIo => ({
  stderr: (line) => process.stderr.write(`${line}\n`),
  log: () => undefined,
  exit: (code) => process.exit(code),
});

/** The first line of an error's message: never a stack, never a multi-line dump. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * One readable line per problem, e.g. `gateway: PORT must be an integer … (got 'abc')` or
 * `gateway: .env:3: expected KEY=VALUE`.
 */
export function configProblemLines(service: string, error: unknown): string[] {
  if (error instanceof ConfigError) {
    return error.problems.map((problem) =>
      // `.env:3` is a place (then a colon reads better); `PORT` is a subject of the sentence.
      problem.variable.includes(':')
        ? `${service}: ${problem.variable}: ${problem.message}`
        : `${service}: ${problem.variable} ${problem.message}`,
    );
  }
  return [`${service}: cannot load the configuration: ${firstLine(error)}`];
}

/**
 * Loads `.env` and then the service's configuration. On any problem it prints one readable line
 * per problem to stderr, logs them once as JSON (`invalid configuration`, `problems: [...]`) and
 * exits 1: a person reading a terminal and a log pipeline both get what they can use, and nobody
 * gets a stack trace for a typo.
 */
export function bootConfig<T>(service: string, load: () => T, io: Partial<BootIo> = {}): T {
  const out = { ...processIo(), ...io };
  try {
    loadDotEnv();
    return load();
  } catch (error) {
    const problems =
      error instanceof ConfigError
        ? error.problems
        : [{ variable: 'configuration', message: firstLine(error) }];
    for (const line of configProblemLines(service, error)) out.stderr(line);
    out.log('invalid configuration', { problems });
    return out.exit(1);
  }
}
