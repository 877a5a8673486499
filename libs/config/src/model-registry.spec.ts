import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { costOf, defaultModelRegistry, ModelRegistryError, parseModelRegistryText } from './model-registry';
import { MODEL_REGISTRY_ENV } from './model-registry-env';

describe('model registry', () => {
  it('has a documented default: haiku, sonnet, opus on Anthropic and two OpenAI models', () => {
    const registry = defaultModelRegistry();
    expect([...registry.models.keys()]).toEqual(['haiku', 'sonnet', 'opus', 'gpt-4o-mini', 'gpt-4o']);
    expect(registry.models.get('sonnet')).toEqual({
      alias: 'sonnet',
      runtime: 'anthropic',
      endpoint: 'anthropic',
      providerModel: 'claude-sonnet-4-5',
      baseUrl: 'https://api.anthropic.com',
      keyVariable: 'ANTHROPIC_API_KEY',
      jsonSchema: true,
      maxOutputTokens: 8192,
      price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    });
    expect(registry.models.get('gpt-4o')?.keyVariable).toBe('OPENAI_API_KEY');
  });

  it('reads YAML with named endpoints, a keyless local server and prices', () => {
    const registry = parseModelRegistryText(
      [
        'endpoints:',
        '  ollama: { runtime: openai, base_url: "http://ollama:11434/v1/", key_variable: null }',
        'models:',
        '  llama: { endpoint: ollama, id: "llama3.1:8b", price: { input: 0, output: 0 }, max_output_tokens: 2048 }',
      ].join('\n'),
      'registry.yaml',
    );
    expect(registry.models.get('llama')).toMatchObject({
      runtime: 'openai',
      baseUrl: 'http://ollama:11434/v1',
      keyVariable: null,
      jsonSchema: false,
      providerModel: 'llama3.1:8b',
      maxOutputTokens: 2048,
      price: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
    });
  });

  it('reports every problem, never quoting a base URL', () => {
    let error: unknown;
    try {
      parseModelRegistryText(
        JSON.stringify({
          endpoints: {
            bad: { runtime: 'bedrock', base_url: 'https://x' },
            leak: { runtime: 'openai', base_url: 'ftp://user:secret@host' },
          },
          models: { m: { endpoint: 'nowhere' }, n: { endpoint: 'bad', price: { input: -1 } } },
        }),
        'r.json',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModelRegistryError);
    const problems = (error as ModelRegistryError).problems;
    expect(problems).toEqual([
      "endpoints.bad.runtime must be 'anthropic' or 'openai'",
      'endpoints.leak.base_url must be an http(s) URL',
      'models.m.endpoint must name one of endpoints ()',
      'models.n.endpoint must name one of endpoints ()',
    ]);
    expect(problems.join(' ')).not.toContain('secret');
  });

  it('MODEL_REGISTRY_FILE replaces the built-in table; a broken file is a config error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const file = join(dir, 'models.json');
    writeFileSync(
      file,
      JSON.stringify({
        endpoints: {
          a: { runtime: 'anthropic', base_url: 'https://proxy.internal', key_variable: 'PROXY_KEY' },
        },
        models: { fast: { endpoint: 'a', id: 'claude-haiku-4-5', price: { input: 1, output: 5 } } },
      }),
    );
    const config = loadConfig(MODEL_REGISTRY_ENV, { MODEL_REGISTRY_FILE: file });
    expect([...config.MODEL_REGISTRY_FILE.models.keys()]).toEqual(['fast']);
    expect(config.MODEL_REGISTRY_FILE.source).toBe(file);

    writeFileSync(file, '{ not: [valid');
    expect(() => loadConfig(MODEL_REGISTRY_ENV, { MODEL_REGISTRY_FILE: file })).toThrow(
      /MODEL_REGISTRY_FILE/,
    );
    expect(() => loadConfig(MODEL_REGISTRY_ENV, { MODEL_REGISTRY_FILE: join(dir, 'missing.yaml') })).toThrow(
      /cannot read the file \(ENOENT\)/,
    );
  });

  it('prices usage per million tokens, input/output/cache separately', () => {
    const price = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
    const usage = {
      inputTokens: 2_000_000,
      outputTokens: 100_000,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 1_000_000,
    };
    expect(costOf(price, usage)).toBeCloseTo(6 + 1.5 + 0.3, 12);
  });
});

describe('docs/examples/models.yaml', () => {
  it('is a valid registry that keeps the built-in aliases and adds a keyless local model', () => {
    const path = join(__dirname, '..', '..', '..', 'docs', 'examples', 'models.yaml');
    const registry = parseModelRegistryText(readFileSync(path, 'utf8'), path);
    for (const [alias, entry] of defaultModelRegistry().models) {
      expect(registry.models.get(alias)).toEqual(entry);
    }
    expect(registry.models.get('llama')).toMatchObject({ runtime: 'openai', keyVariable: null });
  });
});
