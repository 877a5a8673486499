import { InvalidStoragePathError } from '@sandcastle/contracts';
import { parseWorkflowYaml } from '../parse/workflow.parser';
import {
  findStorageReferences,
  renderStoragePath,
  storagePathProblems,
  storagePathTemplateProblem,
} from './storage-refs.util';
import type { TemplateContext } from './template-context';

const ctx: TemplateContext = {
  input: { company: 'acme', evil: '../../other', slash: 'a/b' },
  steps: { a: { output: { dir: 'x' } } },
  runId: 'r1',
  date: '2026-12-06',
};

describe('findStorageReferences', () => {
  it('finds plain and templated references, leaves other braces alone', () => {
    const text =
      'A {storage.notes.md} B {storage.memory/{input.company}/n.txt} C {"json": 1} {storage. spaced}';
    expect(findStorageReferences(text)).toEqual([
      { text: '{storage.notes.md}', pathTemplate: 'notes.md', index: 2 },
      {
        text: '{storage.memory/{input.company}/n.txt}',
        pathTemplate: 'memory/{input.company}/n.txt',
        index: 23,
      },
    ]);
  });

  it('ignores an unclosed reference and nesting deeper than one level', () => {
    expect(findStorageReferences('{storage.a/{input.x')).toEqual([]);
    expect(findStorageReferences('{storage.a/{b{c}}}')).toEqual([]);
  });
});

describe('storagePathTemplateProblem', () => {
  it.each(['leads/{run_id}/result.json', 'memory/{input.company}/notes.md', '{steps.a.output.dir}/x'])(
    'accepts %p',
    (path) => expect(storagePathTemplateProblem(path)).toBeNull(),
  );

  it.each([
    ['../x', "'..'"],
    ['/abs/{run_id}', 'must be relative'],
    ['a\\b', 'backslash'],
    ['a/%2F/b', 'percent-encoded'],
    ['a/%2e%2e/b', 'percent-encoded'],
    ['{input.x}/../y', "'..'"],
    ['a/{not a placeholder}', 'braces'],
  ])('refuses %p (%s)', (path, reason) => {
    expect(storagePathTemplateProblem(path)).toContain(reason);
  });
});

describe('renderStoragePath', () => {
  it('fills placeholders and normalises', () => {
    expect(renderStoragePath('m/{input.company}//{run_id}.json', ctx)).toBe('m/acme/r1.json');
    expect(renderStoragePath('m/{input.slash}/n', ctx)).toBe('m/a/b/n');
  });

  it('refuses a value that escapes, and a placeholder that cannot be resolved', () => {
    expect(() => renderStoragePath('m/{input.evil}/n', ctx)).toThrow(InvalidStoragePathError);
    expect(() => renderStoragePath('m/{input.missing}/n', ctx)).toThrow('could not be resolved');
  });
});

describe('storagePathProblems', () => {
  const def = (yaml: string) => {
    const parsed = parseWorkflowYaml(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.definition;
  };
  const workflow = def(`
name: W
steps:
  - id: a
    prompt: "read {storage.memory/{input.company}/n.md}"
    storage_write: "memory/{input.company}/n.md"
  - id: b
    depends_on: [a]
    prompt: "b"
    storage_write: "x/{steps.a.output}"
on_complete:
  storage_path: "out/{input.company}/{run_id}.json"
`);

  it('passes an input that keeps every path inside', () => {
    expect(storagePathProblems(workflow, { company: 'acme' })).toEqual([]);
  });

  it('names every path the input makes unsafe or leaves unresolved; paths from outputs wait for run time', () => {
    expect(storagePathProblems(workflow, { company: '../../x' }).map((p) => p.field)).toEqual([
      'on_complete.storage_path',
      'steps[0].storage_write',
      'steps[0].prompt',
    ]);
    expect(storagePathProblems(workflow, {}).map((p) => p.field)).toHaveLength(3);
  });
});
