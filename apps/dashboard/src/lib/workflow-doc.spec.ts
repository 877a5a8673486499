import {
  addStep,
  connect,
  disconnect,
  parseWorkflow,
  printWorkflow,
  problemLocation,
  readSteps,
  removeStep,
  renameStep,
  writeField,
} from './workflow-doc';

const SOURCE = `# Lead enrichment, kept by the sales team
name: Lead Enrichment
x-owner: sales # a field the builder does not know
steps:
  - id: scrape # first
    prompt: "Find {input.company}"
    simulation: {cost_usd: 0.01}
  - id: score
    depends_on: [scrape]
    prompt: "Score it"
`;

function doc() {
  const parsed = parseWorkflow(SOURCE);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.doc;
}

describe('workflow document editing', () => {
  it('prints an untouched document exactly as written', () => {
    expect(printWorkflow(doc())).toBe(SOURCE);
  });

  it('edits a field and keeps comments and unknown fields', () => {
    const d = doc();
    writeField(d, 1, ['model'], 'haiku');
    writeField(d, 1, ['retry', 'max_attempts'], 3);
    const text = printWorkflow(d);
    expect(text).toContain('# Lead enrichment, kept by the sales team');
    expect(text).toContain('x-owner: sales # a field the builder does not know');
    expect(text).toContain('- id: scrape # first');
    expect(text).toContain('simulation: {cost_usd: 0.01}');
    expect(text).toMatch(/model: haiku\n\s+retry:\n\s+max_attempts: 3/);
    writeField(d, 1, ['retry', 'max_attempts'], '');
    expect(printWorkflow(d)).not.toContain('retry');
  });

  it('adds, connects, disconnects, renames and removes steps', () => {
    const d = doc();
    addStep(d, 'report');
    connect(d, 'score', 'report');
    expect(readSteps(d).find((s) => s.id === 'report')?.depends_on).toEqual(['score']);
    renameStep(d, 1, 'rank');
    expect(readSteps(d).map((s) => [s.id, s.depends_on])).toEqual([
      ['scrape', []],
      ['rank', ['scrape']],
      ['report', ['rank']],
    ]);
    disconnect(d, 'rank', 'report');
    removeStep(d, 'scrape');
    expect(readSteps(d).map((s) => [s.id, s.depends_on])).toEqual([
      ['rank', []],
      ['report', []],
    ]);
  });

  it('reports YAML errors instead of throwing', () => {
    expect(parseWorkflow('steps: [').ok).toBe(false);
  });

  it('locates a server problem on its step and field', () => {
    expect(problemLocation('steps[2].retry.max_attempts')).toEqual({ index: 2, field: 'retry.max_attempts' });
    expect(problemLocation('steps[0]')).toEqual({ index: 0, field: '' });
    expect(problemLocation('name')).toBeNull();
  });
});
