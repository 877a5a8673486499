import { parse as parseYaml } from 'yaml';

/**
 * The operator's model registry (docs/runtimes.md): which models the `anthropic` and `openai`
 * runtimes may call, where, with which key, and at what price. A workflow only ever names an
 * alias; the provider's model id, its endpoint, its key and its price stay on the operator's side
 * of the trust boundary. Read once at boot by the gateway (to validate workflows) and the
 * executor (to call the providers).
 */

export type ModelRuntime = 'anthropic' | 'openai';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Tokens written to the provider's prompt cache (Anthropic: 1.25 × input). */
  cacheWrite: number;
  /** Tokens read from the provider's prompt cache (Anthropic: 0.1 × input). */
  cacheRead: number;
}

/** A named provider endpoint: one base URL, one wire format, one key. */
export interface ModelEndpoint {
  name: string;
  runtime: ModelRuntime;
  /** Operator configuration, trusted; no trailing slash. */
  baseUrl: string;
  /** The environment variable holding the key; null for servers without auth (a local Ollama). */
  keyVariable: string | null;
  /**
   * OpenAI-compatible servers only: whether it accepts `response_format: {type: json_schema}`.
   * When false, `output_schema` is asked for in the prompt and validated on return.
   */
  jsonSchema: boolean;
}

export interface ModelEntry {
  alias: string;
  runtime: ModelRuntime;
  endpoint: string;
  /** The id sent to the provider (`claude-sonnet-4-5`, `gpt-4o-mini`, `llama3.1:8b`). */
  providerModel: string;
  baseUrl: string;
  keyVariable: string | null;
  jsonSchema: boolean;
  price: ModelPrice;
  /** Output token cap sent with each call (Anthropic requires one). */
  maxOutputTokens: number;
}

export interface ModelRegistry {
  /** Where it came from: `built-in` or the file path (for the start log). */
  source: string;
  endpoints: ReadonlyMap<string, ModelEndpoint>;
  models: ReadonlyMap<string, ModelEntry>;
}

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
const ENDPOINT = /^[a-z][a-z0-9_-]{0,62}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
const MAX_MODELS = 200;

/**
 * The registry used when MODEL_REGISTRY_FILE is unset. Prices are the providers' list prices
 * (USD per million tokens) when this table was written; an operator with other prices, other
 * models or a proxy sets MODEL_REGISTRY_FILE.
 */
export const DEFAULT_MODEL_REGISTRY_DOCUMENT = {
  endpoints: {
    anthropic: {
      runtime: 'anthropic',
      base_url: 'https://api.anthropic.com',
      key_variable: 'ANTHROPIC_API_KEY',
    },
    openai: {
      runtime: 'openai',
      base_url: 'https://api.openai.com/v1',
      key_variable: 'OPENAI_API_KEY',
      json_schema: true,
    },
  },
  models: {
    haiku: {
      endpoint: 'anthropic',
      id: 'claude-haiku-4-5',
      price: { input: 1, output: 5, cache_write: 1.25, cache_read: 0.1 },
    },
    sonnet: {
      endpoint: 'anthropic',
      id: 'claude-sonnet-4-5',
      price: { input: 3, output: 15, cache_write: 3.75, cache_read: 0.3 },
    },
    opus: {
      endpoint: 'anthropic',
      id: 'claude-opus-4-1',
      price: { input: 15, output: 75, cache_write: 18.75, cache_read: 1.5 },
    },
    'gpt-4o-mini': {
      endpoint: 'openai',
      id: 'gpt-4o-mini',
      price: { input: 0.15, output: 0.6, cache_write: 0, cache_read: 0.075 },
    },
    'gpt-4o': {
      endpoint: 'openai',
      id: 'gpt-4o',
      price: { input: 2.5, output: 10, cache_write: 0, cache_read: 1.25 },
    },
  },
} as const;

/** A registry document that does not hold together: every problem, one per line. */
export class ModelRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ModelRegistryError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function price(value: unknown, where: string, problems: string[]): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1_000_000) {
    problems.push(`${where} must be a number of USD per million tokens, 0 or more`);
    return 0;
  }
  return value;
}

function parseEndpoint(name: string, raw: unknown, problems: string[]): ModelEndpoint | null {
  const where = `endpoints.${name}`;
  if (!ENDPOINT.test(name)) {
    problems.push(`${where}: names use lower-case letters, digits, '_' and '-', starting with a letter`);
    return null;
  }
  if (!isRecord(raw)) {
    problems.push(`${where} must be a mapping`);
    return null;
  }
  const runtime = raw['runtime'];
  if (runtime !== 'anthropic' && runtime !== 'openai') {
    problems.push(`${where}.runtime must be 'anthropic' or 'openai'`);
    return null;
  }
  const baseUrl = raw['base_url'];
  let url: URL | null;
  try {
    url = typeof baseUrl === 'string' ? new URL(baseUrl) : null;
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // Never quote the value: a base URL may carry credentials.
    problems.push(`${where}.base_url must be an http(s) URL`);
    return null;
  }
  const keyVariable = raw['key_variable'] ?? null;
  if (keyVariable !== null && (typeof keyVariable !== 'string' || !VARIABLE.test(keyVariable))) {
    problems.push(`${where}.key_variable must be an environment variable name (or null for no key)`);
    return null;
  }
  const jsonSchema = raw['json_schema'] ?? runtime === 'anthropic';
  if (typeof jsonSchema !== 'boolean') {
    problems.push(`${where}.json_schema must be true or false`);
    return null;
  }
  return {
    name,
    runtime,
    baseUrl: url.href.replace(/\/+$/, ''),
    keyVariable: keyVariable,
    jsonSchema,
  };
}

function parseModel(
  alias: string,
  raw: unknown,
  endpoints: ReadonlyMap<string, ModelEndpoint>,
  problems: string[],
): ModelEntry | null {
  const where = `models.${alias}`;
  if (!ALIAS.test(alias)) {
    problems.push(`${where}: an alias is letters, digits and . _ : / - (at most 100)`);
    return null;
  }
  if (!isRecord(raw)) {
    problems.push(`${where} must be a mapping`);
    return null;
  }
  const endpointName = raw['endpoint'];
  const endpoint = typeof endpointName === 'string' ? endpoints.get(endpointName) : undefined;
  if (endpoint === undefined) {
    problems.push(`${where}.endpoint must name one of endpoints (${[...endpoints.keys()].join(', ')})`);
    return null;
  }
  const id = raw['id'] ?? alias;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 200) {
    problems.push(`${where}.id must be the provider's model id`);
    return null;
  }
  const rawPrice = raw['price'] ?? {};
  if (!isRecord(rawPrice)) {
    problems.push(`${where}.price must be a mapping of input, output, cache_write, cache_read`);
    return null;
  }
  const maxOutput = raw['max_output_tokens'] ?? DEFAULT_MAX_OUTPUT_TOKENS;
  if (
    typeof maxOutput !== 'number' ||
    !Number.isInteger(maxOutput) ||
    maxOutput < 1 ||
    maxOutput > 1_000_000
  ) {
    problems.push(`${where}.max_output_tokens must be a whole number from 1 to 1000000`);
    return null;
  }
  return {
    alias,
    runtime: endpoint.runtime,
    endpoint: endpoint.name,
    providerModel: id,
    baseUrl: endpoint.baseUrl,
    keyVariable: endpoint.keyVariable,
    jsonSchema: endpoint.jsonSchema,
    maxOutputTokens: maxOutput,
    price: {
      input: price(rawPrice['input'], `${where}.price.input`, problems),
      output: price(rawPrice['output'], `${where}.price.output`, problems),
      cacheWrite: price(rawPrice['cache_write'], `${where}.price.cache_write`, problems),
      cacheRead: price(rawPrice['cache_read'], `${where}.price.cache_read`, problems),
    },
  };
}

/** A registry document (parsed JSON or YAML) → the registry; throws ModelRegistryError. */
export function buildModelRegistry(document: unknown, source: string): ModelRegistry {
  const problems: string[] = [];
  if (!isRecord(document))
    throw new ModelRegistryError(['the registry must be a mapping with endpoints and models']);
  const rawEndpoints = document['endpoints'];
  const rawModels = document['models'];
  if (!isRecord(rawEndpoints)) problems.push('endpoints must be a mapping of name → endpoint');
  if (!isRecord(rawModels)) problems.push('models must be a mapping of alias → model');
  if (!isRecord(rawEndpoints) || !isRecord(rawModels)) throw new ModelRegistryError(problems);
  const endpoints = new Map<string, ModelEndpoint>();
  for (const [name, raw] of Object.entries(rawEndpoints)) {
    const endpoint = parseEndpoint(name, raw, problems);
    if (endpoint) endpoints.set(name, endpoint);
  }
  const entries = Object.entries(rawModels);
  if (entries.length > MAX_MODELS) problems.push(`models lists ${entries.length}, at most ${MAX_MODELS}`);
  const models = new Map<string, ModelEntry>();
  for (const [alias, raw] of entries.slice(0, MAX_MODELS)) {
    const model = parseModel(alias, raw, endpoints, problems);
    if (model) models.set(alias, model);
  }
  if (problems.length > 0) throw new ModelRegistryError(problems);
  return { source, endpoints, models };
}

export function defaultModelRegistry(): ModelRegistry {
  return buildModelRegistry(DEFAULT_MODEL_REGISTRY_DOCUMENT, 'built-in');
}

/** Parses a registry file's text: JSON is YAML, so one parser reads both. */
export function parseModelRegistryText(text: string, source: string): ModelRegistry {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ModelRegistryError([
      `not valid YAML or JSON: ${err instanceof Error ? err.message.split('\n')[0] : ''}`,
    ]);
  }
  return buildModelRegistry(document, source);
}

/** USD for a call's tokens at `price` (per million). */
export function costOf(
  price: ModelPrice,
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  },
): number {
  const micro =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheCreationInputTokens * price.cacheWrite +
    usage.cacheReadInputTokens * price.cacheRead;
  return micro / 1_000_000;
}
