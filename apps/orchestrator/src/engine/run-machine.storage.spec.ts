import { OUTPUT_REF_KEY } from '@sandcastle/contracts';
import { definition, MachineHarness, resultOf } from './testing/machine-harness';

const RUN = '11111111-1111-4111-8111-111111111111';
const offloaded = (name: string, preview = '"BEGIN') => ({
  [OUTPUT_REF_KEY]: {
    name,
    key: `tenants/default/runs/${RUN}/${name}`,
    size: 5_000_000,
    content_type: 'application/json',
    preview,
  },
});

describe('RunMachine and storage', () => {
  it('names where on_complete stores the outputs, under the tenant, and completes', () => {
    const h = new MachineHarness(
      definition(`
name: Done
steps:
  - id: a
    prompt: "a"
on_complete:
  storage_path: "leads/{input.company}/{run_id}.json"
`),
      { inputData: { company: 'acme' } },
    );
    const [a] = h.step((m) => m.start());
    h.step((m) => m.applyResult(resultOf(a!, 'completed', { ok: true })));
    expect(h.run.status).toBe('completed');
    expect(h.effects.completionWrite).toEqual({
      key: `tenants/default/data/leads/acme/${RUN}.json`,
      path: `leads/acme/${RUN}.json`,
    });
  });

  it('turns the completion into a failure, with the reason and without completed events, when storing fails', () => {
    const h = new MachineHarness(
      definition(`
name: Done
steps:
  - id: a
    prompt: "a"
on_complete:
  storage_path: "out/{run_id}.json"
`),
    );
    const [a] = h.step((m) => m.start());
    h.step((m) => {
      m.applyResult(resultOf(a!, 'completed', 'x'));
      m.completionWriteFailed('storage put failed after 3 tries (ECONNREFUSED)');
    });
    expect(h.run.status).toBe('failed');
    expect(h.run.error).toBe(
      `on_complete.storage_path 'out/${RUN}.json' could not be saved: storage put failed after 3 tries (ECONNREFUSED) (STORAGE_ERROR)`,
    );
    expect(h.effects.completionWrite).toBeNull();
    expect(h.effects.runEnded?.status).toBe('failed');
    const statuses = h
      .events()
      .filter((e) => e.type !== 'step')
      .map((e) => [e.type, e.data['status']]);
    expect(statuses).toEqual([
      ['status', 'failed'],
      ['result', 'failed'],
    ]);
  });

  it('fails the run with STORAGE_PATH_INVALID when a step output makes on_complete.storage_path unsafe', () => {
    const h = new MachineHarness(
      definition(`
name: Done
steps:
  - id: a
    prompt: "a"
on_complete:
  storage_path: "out/{steps.a.output}.json"
`),
    );
    const [a] = h.step((m) => m.start());
    h.step((m) => m.applyResult(resultOf(a!, 'completed', '../../../etc')));
    expect(h.run.status).toBe('failed');
    expect(h.run.error).toMatch(
      /^on_complete.storage_path: invalid storage path .*must not contain '\.\.' \(STORAGE_PATH_INVALID\)$/,
    );
    expect(h.effects.completionWrite).toBeNull();
  });

  it('dispatches storage_write as a key under the tenant, rendered per attempt', () => {
    const h = new MachineHarness(
      definition(`
name: Write
steps:
  - id: a
    prompt: "a"
    storage_write: "memory/{input.company}/notes.md"
`),
      { inputData: { company: 'acme' }, tenantId: 'team one' },
    );
    const [a] = h.step((m) => m.start());
    expect(a!.storageWrite).toEqual({
      key: `tenants/~${Buffer.from('team one').toString('base64url')}/data/memory/acme/notes.md`,
      path: 'memory/acme/notes.md',
    });
    expect(a!.promptParts).toBeUndefined();
  });

  it('fails a step whose storage_write a previous output makes unsafe, with STORAGE_PATH_INVALID', () => {
    const h = new MachineHarness(
      definition(`
name: Write
steps:
  - id: a
    prompt: "a"
  - id: b
    depends_on: [a]
    prompt: "b"
    storage_write: "notes/{steps.a.output}"
`),
    );
    const [a] = h.step((m) => m.start());
    const sent = h.step((m) => m.applyResult(resultOf(a!, 'completed', 'x/%2e%2e/y')));
    expect(sent).toEqual([]);
    expect(h.row('b')).toMatchObject({ status: 'failed', errorKind: 'STORAGE_PATH_INVALID' });
    expect(h.run.status).toBe('failed');
  });

  it('leaves {storage.PATH} and offloaded outputs to the executor: small prompt row, pieces in the dispatch', () => {
    const h = new MachineHarness(
      definition(`
name: Late
steps:
  - id: big
    prompt: "big"
  - id: use
    depends_on: [big]
    prompt: "Notes {storage.notes/{input.k}.md} then {steps.big.output.text} and {steps.big.output} for {input.k}"
    storage_default: "none"
`),
      { inputData: { k: 'acme' } },
    );
    const [big] = h.step((m) => m.start());
    const [use] = h.step((m) => m.applyResult(resultOf(big!, 'completed', offloaded('output.big.a1.json'))));
    expect(use!.prompt).toBe(
      'Notes {storage.notes/{input.k}.md} then {steps.big.output.text} and {steps.big.output} for acme',
    );
    expect(h.row('use').prompt).toBe(use!.prompt);
    expect(use!.promptParts).toEqual([
      { text: 'Notes ' },
      {
        object: 'tenants/default/data/notes/acme.md',
        as: 'text',
        placeholder: '{storage.notes/{input.k}.md}',
        default: 'none',
        label: 'notes/acme.md',
      },
      { text: ' then ' },
      {
        object: `tenants/default/runs/${RUN}/output.big.a1.json`,
        as: 'json',
        path: ['text'],
        placeholder: '{steps.big.output.text}',
        label: 'output.big.a1.json',
      },
      { text: ' and ' },
      {
        object: `tenants/default/runs/${RUN}/output.big.a1.json`,
        as: 'json',
        path: [],
        placeholder: '{steps.big.output}',
        label: 'output.big.a1.json',
      },
      { text: ' for acme' },
    ]);
  });

  it('keeps the pieces on a retry (rendered again from the same outputs)', () => {
    const h = new MachineHarness(
      definition(`
name: Retry
steps:
  - id: a
    prompt: "read {storage.x.md}"
    retry: { max_attempts: 2, backoff: fixed, base_delay_seconds: 0 }
`),
    );
    const [first] = h.step((m) => m.start());
    const [second] = h.step((m) => m.applyResult(resultOf(first!, 'failed')));
    expect(second!.attempt).toBe(2);
    expect(second!.promptParts).toEqual(first!.promptParts);
    expect(first!.promptParts).toHaveLength(2);
  });

  it('fails a fan-out over an offloaded output with a clear error instead of running once over the reference', () => {
    const h = new MachineHarness(
      definition(`
name: Fan
steps:
  - id: big
    prompt: "big"
  - id: each
    depends_on: [big]
    parallel_over: steps.big.output.items
    prompt: "{input._item}"
`),
    );
    const [big] = h.step((m) => m.start());
    const sent = h.step((m) => m.applyResult(resultOf(big!, 'completed', offloaded('output.big.a1.json'))));
    expect(sent).toEqual([]);
    expect(h.row('each')).toMatchObject({ status: 'failed', errorKind: 'FAN_OUT_TOO_LARGE' });
    expect(h.row('each').error).toContain('reads an output stored as an object');
  });
});
