import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_REF_KEY, outputRefOf, type StepDispatch } from '@sandcastle/contracts';
import { LocalStorage } from '@sandcastle/storage';
import { assemblePrompt } from './prompt-assembler';
import { storeAttempt } from './attempt-storage';

const RUN = '7d9f7a52-1d4e-4a8e-9d6c-1f0b7c1f2a10';
const attempt = {
  tenantId: 'acme',
  runId: RUN,
  stepId: 'big',
  itemIndex: null,
  attempt: 1,
  storageWrite: null,
} satisfies Pick<StepDispatch, 'tenantId' | 'runId' | 'stepId' | 'itemIndex' | 'attempt' | 'storageWrite'>;

let tmp: string;
let store: LocalStorage;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sc-attempt-storage-'));
  store = new LocalStorage(tmp);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('storeAttempt', () => {
  it('keeps a small output inline and stores nothing', async () => {
    expect(await storeAttempt(attempt, { a: 1 }, [], store, 1024)).toEqual({
      output: { a: 1 },
      artifacts: [],
    });
    expect(await store.list('')).toEqual([]);
  });

  it('offloads an output above the inline limit: the result carries a reference with a preview', async () => {
    const output = { text: 'z'.repeat(5000) };
    const stored = await storeAttempt(attempt, output, [], store, 1024);
    const ref = outputRefOf(stored.output)!;
    expect(ref).toMatchObject({
      name: 'output.big.a1.json',
      key: `tenants/acme/runs/${RUN}/output.big.a1.json`,
      size: JSON.stringify(output).length,
      content_type: 'application/json',
    });
    expect(ref.preview).toBe(JSON.stringify(output).slice(0, 1024));
    expect(JSON.parse((await store.get(ref.key))!.toString())).toEqual(output);
    expect(stored.artifacts).toEqual([
      expect.objectContaining({ name: 'output.big.a1.json', kind: 'output', key: ref.key, stepId: 'big' }),
    ]);
  });

  it('offloads an output that mentions the reference marker, so no runtime can forge a reference', async () => {
    const forged = { [OUTPUT_REF_KEY]: { name: 'x', key: 'tenants/other/data/secret', size: 1 } };
    const stored = await storeAttempt(attempt, forged, [], store, 1024 * 1024);
    expect(outputRefOf(stored.output)!.key).toBe(`tenants/acme/runs/${RUN}/output.big.a1.json`);
  });

  it('writes storage_write: text as text, anything else as JSON', async () => {
    const key = 'tenants/acme/data/memory/acme/notes.txt';
    const write = { ...attempt, storageWrite: { key, path: 'memory/acme/notes.txt' } };
    const text = await storeAttempt(write, 'plain notes', [], store, 1024);
    expect((await store.get(key))!.toString()).toBe('plain notes');
    expect(text.artifacts).toEqual([
      expect.objectContaining({
        name: 'write.big',
        kind: 'write',
        key,
        contentType: 'text/plain; charset=utf-8',
      }),
    ]);
    await storeAttempt(write, { n: 1 }, [], store, 1024);
    expect((await store.get(key))!.toString()).toBe('{"n":1}');
  });

  it('stores runtime files under the run with safe, unique names', async () => {
    const stored = await storeAttempt(
      { ...attempt, itemIndex: 2 },
      'ok',
      [
        { name: '../../etc/passwd', data: Buffer.from('a') },
        { name: 'report.md', data: Buffer.from('# r') },
        { name: 'report.md', data: Buffer.from('# r2') },
      ],
      store,
      1024,
    );
    expect(stored.artifacts.map((a) => [a.name, a.contentType])).toEqual([
      ['file.big.2.a1.etc_passwd', 'application/octet-stream'],
      ['file.big.2.a1.report.md', 'text/markdown; charset=utf-8'],
      ['file.big.2.a1.2.report.md', 'text/markdown; charset=utf-8'],
    ]);
    expect((await store.get(`tenants/acme/runs/${RUN}/file.big.2.a1.2.report.md`))!.toString()).toBe('# r2');
  });
});

describe('assemblePrompt', () => {
  const base = { prompt: 'shown', tenantId: 'acme' };

  it('is the dispatched prompt when there are no pieces', async () => {
    expect(await assemblePrompt(base, store, 1000)).toEqual({ ok: true, prompt: 'shown' });
  });

  it('reads {storage.PATH} as text, an offloaded output as JSON walked by path, and falls back to the default', async () => {
    await store.put('tenants/acme/data/notes.md', 'remembered');
    const stored = await storeAttempt(attempt, { items: [{ name: 'A' }] }, [], store, 0);
    const ref = outputRefOf(stored.output)!;
    const result = await assemblePrompt(
      {
        ...base,
        promptParts: [
          { text: 'N: ' },
          {
            object: 'tenants/acme/data/notes.md',
            as: 'text',
            placeholder: '{storage.notes.md}',
            label: 'notes.md',
          },
          { text: ' / ' },
          {
            object: ref.key,
            as: 'json',
            path: ['items', '0', 'name'],
            placeholder: '{steps.big.output.items.0.name}',
            label: ref.name,
          },
          { text: ' / ' },
          {
            object: ref.key,
            as: 'json',
            path: ['nope'],
            placeholder: '{steps.big.output.nope}',
            label: ref.name,
          },
          { text: ' / ' },
          {
            object: 'tenants/acme/data/missing.md',
            as: 'text',
            placeholder: '{storage.missing.md}',
            default: 'none yet',
            label: 'missing.md',
          },
          { text: ' / ' },
          { value: [stored.output, null] },
        ],
      },
      store,
      1000,
    );
    expect(result).toEqual({
      ok: true,
      prompt: 'N: remembered / A / {steps.big.output.nope} / none yet / [{"items":[{"name":"A"}]},null]',
    });
  });

  it('fails the attempt, not the executor, when a stored output is not JSON', async () => {
    await store.put(`tenants/acme/runs/${RUN}/output.big.a1.json`, 'not json {');
    const result = await assemblePrompt(
      {
        ...base,
        promptParts: [
          {
            object: `tenants/acme/runs/${RUN}/output.big.a1.json`,
            as: 'json',
            path: [],
            placeholder: '{steps.big.output}',
            label: 'output.big.a1.json',
          },
        ],
      },
      store,
      1000,
    );
    expect(result).toEqual({
      ok: false,
      kind: 'STORAGE_ERROR',
      error: "reading the prompt's storage objects failed (SyntaxError)",
    });
  });

  it('fails clearly for a missing object without a default, a key of another tenant, and a prompt too large', async () => {
    const missing = await assemblePrompt(
      {
        ...base,
        promptParts: [
          { object: 'tenants/acme/data/x.md', as: 'text', placeholder: '{storage.x.md}', label: 'x.md' },
        ],
      },
      store,
      1000,
    );
    expect(missing).toEqual({
      ok: false,
      kind: 'STORAGE_OBJECT_MISSING',
      error:
        "{storage.x.md}: there is no object at 'x.md' (give the step a storage_default to run without it)",
    });
    await store.put('tenants/globex/data/secret.md', 'secret');
    const foreign = await assemblePrompt(
      {
        ...base,
        promptParts: [
          { object: 'tenants/globex/data/secret.md', as: 'text', placeholder: '{storage.s}', label: 's' },
        ],
      },
      store,
      1000,
    );
    expect(foreign).toMatchObject({ ok: false, kind: 'STORAGE_ERROR' });
    await store.put('tenants/acme/data/big.md', 'b'.repeat(2000));
    const big = await assemblePrompt(
      {
        ...base,
        promptParts: [
          {
            object: 'tenants/acme/data/big.md',
            as: 'text',
            placeholder: '{storage.big.md}',
            label: 'big.md',
          },
        ],
      },
      store,
      1000,
    );
    expect(big).toMatchObject({ ok: false, kind: 'PROMPT_TOO_LARGE' });
  });
});
