import { parseArgs } from 'node:util';
import { RUN_STATUSES } from '@sandcastle/contracts';
import { UsageError, type Command, type ForkChanges } from './command';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function parse(args: readonly string[], options: OptionSpec, positionals: readonly string[]): Parsed {
  let parsed: Parsed;
  try {
    const result = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    parsed = { values: result.values, positionals: result.positionals };
  } catch (err) {
    // Node's messages are clear ("Unknown option '--max'"); its hints about `--` are not for us.
    throw new UsageError((err as Error).message.split(/\.?\s*To specify/)[0]!);
  }
  if (parsed.positionals.length < positionals.length) {
    throw new UsageError(
      `missing ${positionals
        .slice(parsed.positionals.length)
        .map((p) => `<${p}>`)
        .join(' ')}`,
    );
  }
  if (parsed.positionals.length > positionals.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[positionals.length]}'`);
  }
  return parsed;
}

const text = (values: Parsed['values'], name: string): string | null => {
  const value = values[name];
  return typeof value === 'string' ? value : null;
};

/** `--input '{…}'`: a JSON object. */
function jsonObject(values: Parsed['values'], name: string): Record<string, unknown> | null {
  const raw = text(values, name);
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--${name} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--${name} must be a JSON object, e.g. '{"url": "https://example.com"}'`);
  }
  return value as Record<string, unknown>;
}

function number(
  values: Parsed['values'],
  name: string,
  opts: { integer?: boolean; min: number; max?: number },
): number | null {
  const raw = text(values, name);
  if (raw === null) return null;
  const n = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(n) &&
    (!opts.integer || Number.isInteger(n)) &&
    n >= opts.min &&
    (opts.max === undefined || n <= opts.max);
  if (!ok) {
    const kind = opts.integer ? 'a whole number' : 'a number';
    const range = opts.max === undefined ? `>= ${opts.min}` : `between ${opts.min} and ${opts.max}`;
    throw new UsageError(`--${name} must be ${kind} ${range} (got '${raw}')`);
  }
  return n;
}

const JSON_FLAG: OptionSpec = { json: { type: 'boolean' } };

/**
 * argv (without `node` and the script) → a Command. Throws UsageError for anything a request
 * would only refuse later: unknown options, missing arguments, bad numbers or JSON.
 */
export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { kind: 'help' };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
  switch (name) {
    case 'run': {
      const { values, positionals } = parse(
        rest,
        { input: { type: 'string' }, 'max-cost': { type: 'string' }, 'no-follow': { type: 'boolean' } },
        ['workflow'],
      );
      return {
        kind: 'run',
        workflow: positionals[0]!,
        input: jsonObject(values, 'input') ?? {},
        maxCostUsd: number(values, 'max-cost', { min: 0 }),
        follow: values['no-follow'] !== true,
      };
    }
    case 'runs': {
      const { values } = parse(
        rest,
        { status: { type: 'string' }, workflow: { type: 'string' }, limit: { type: 'string' }, ...JSON_FLAG },
        [],
      );
      const status = text(values, 'status');
      if (status !== null && !(RUN_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')} (got '${status}')`);
      }
      return {
        kind: 'runs',
        status,
        workflow: text(values, 'workflow'),
        limit: number(values, 'limit', { integer: true, min: 1, max: 200 }),
        json: values['json'] === true,
      };
    }
    case 'run-status':
    case 'get': {
      const { values, positionals } = parse(rest, JSON_FLAG, ['run']);
      return { kind: 'run-status', runId: positionals[0]!, json: values['json'] === true };
    }
    case 'replay': {
      const { values, positionals } = parse(rest, { from: { type: 'string' } }, ['run']);
      return { kind: 'replay', runId: positionals[0]!, fromStep: requiredText(values, 'from', '<step>') };
    }
    case 'fork': {
      const { values, positionals } = parse(
        rest,
        {
          from: { type: 'string' },
          prompt: { type: 'string' },
          model: { type: 'string' },
          'max-turns': { type: 'string' },
          timeout: { type: 'string' },
          input: { type: 'string' },
        },
        ['run'],
      );
      const changes: ForkChanges = {};
      const prompt = text(values, 'prompt');
      const model = text(values, 'model');
      const maxTurns = number(values, 'max-turns', { integer: true, min: 1 });
      const timeout = number(values, 'timeout', { integer: true, min: 1 });
      if (prompt !== null) changes.prompt = prompt;
      if (model !== null) changes.model = model;
      if (maxTurns !== null) changes.max_turns = maxTurns;
      if (timeout !== null) changes.timeout = timeout;
      return {
        kind: 'fork',
        runId: positionals[0]!,
        fromStep: requiredText(values, 'from', '<step>'),
        changes,
        input: jsonObject(values, 'input'),
      };
    }
    case 'cancel': {
      const { positionals } = parse(rest, {}, ['run']);
      return { kind: 'cancel', runId: positionals[0]! };
    }
    case 'workflows': {
      const [sub, ...subRest] = rest;
      if (sub === 'push') {
        const { values, positionals } = parse(subRest, { name: { type: 'string' } }, ['file.yaml']);
        return { kind: 'workflows-push', file: positionals[0]!, name: text(values, 'name') };
      }
      if (sub === 'list' || sub === undefined) {
        const { values } = parse(subRest, JSON_FLAG, []);
        return { kind: 'workflows-list', json: values['json'] === true };
      }
      throw new UsageError(`unknown command 'workflows ${sub}' (push, list)`);
    }
    case 'validate': {
      const { positionals } = parse(rest, {}, ['file.yaml']);
      return { kind: 'validate', file: positionals[0]! };
    }
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}

function requiredText(values: Parsed['values'], name: string, placeholder: string): string {
  const value = text(values, name);
  if (value === null || value.trim() === '') throw new UsageError(`missing --${name} ${placeholder}`);
  return value;
}
