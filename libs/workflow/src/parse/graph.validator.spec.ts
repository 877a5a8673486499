import { definitionOf, problemsOf, RAISED_LIMITS, workflowWith } from '../testing/parse-helpers';

const step = (id: string, ...deps: string[]) => ({ id, prompt: `do ${id}`, depends_on: deps });

describe('dependency graph validation', () => {
  it('accepts a diamond', () => {
    const def = definitionOf(workflowWith([step('a'), step('b', 'a'), step('c', 'a'), step('d', 'b', 'c')]));
    expect(def.steps.map((s) => s.dependsOn)).toEqual([[], ['a'], ['a'], ['b', 'c']]);
  });

  it('reports duplicate ids against the later step', () => {
    expect(problemsOf(workflowWith([step('a'), step('b'), step('a')]))).toEqual([
      { field: 'steps[2].id', message: "step 'a': duplicate step id 'a' (already used by steps[0])" },
    ]);
  });

  it('reports unknown dependencies with the step id and a hint', () => {
    expect(
      problemsOf(workflowWith([step('scrape'), step('enrich', 'scrap'), step('score', 'nothing-like-it')])),
    ).toEqual([
      {
        field: 'steps[1].depends_on',
        message: "step 'enrich' depends on unknown step 'scrap' (did you mean 'scrape'?)",
      },
      { field: 'steps[2].depends_on', message: "step 'score' depends on unknown step 'nothing-like-it'" },
    ]);
  });

  it('reports a self-dependency once, not also as a cycle', () => {
    expect(problemsOf(workflowWith([step('a', 'a')]))).toEqual([
      { field: 'steps[0].depends_on', message: "step 'a' depends on itself" },
    ]);
  });

  it('reports a cycle with its ids in order, starting at the first defined step', () => {
    expect(
      problemsOf(workflowWith([step('start'), step('a', 'c'), step('b', 'a'), step('c', 'b', 'start')])),
    ).toEqual([
      { field: 'steps[1].depends_on', message: 'cycle: a -> c -> b -> a (each step depends on the next)' },
    ]);
  });

  it('reports a two-step cycle', () => {
    expect(problemsOf(workflowWith([step('x', 'y'), step('y', 'x')]))).toEqual([
      { field: 'steps[0].depends_on', message: 'cycle: x -> y -> x (each step depends on the next)' },
    ]);
  });

  it('reports each separate cycle once', () => {
    const problems = problemsOf(
      workflowWith([
        step('a', 'b'),
        step('b', 'a'),
        step('ok'),
        step('c', 'd', 'ok'),
        step('d', 'e'),
        step('e', 'c'),
      ]),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'cycle: a -> b -> a (each step depends on the next)',
      'cycle: c -> d -> e -> c (each step depends on the next)',
    ]);
  });

  it('reports one cycle for steps tangled in several loops', () => {
    const problems = problemsOf(workflowWith([step('a', 'b'), step('b', 'a', 'c'), step('c', 'b')]));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^cycle: a -> b -> a/);
  });

  it('still finds cycles in a workflow with other problems', () => {
    const fields = problemsOf(
      workflowWith([step('a', 'b', 'ghost'), step('b', 'a'), { id: 'bad id', prompt: 'p' }]),
    ).map((p) => p.message);
    expect(fields).toEqual([
      "step 'bad id': id 'bad id' may only contain letters, digits, '_' and '-' (at most 100 characters)",
      "step 'a' depends on unknown step 'ghost'",
      'cycle: a -> b -> a (each step depends on the next)',
    ]);
  });

  it('handles a long chain without running out of stack', () => {
    const steps = Array.from({ length: 5000 }, (_, i) =>
      i === 0 ? step('s0', 's4999') : step(`s${i}`, `s${i - 1}`),
    );
    const problems = problemsOf(workflowWith(steps), RAISED_LIMITS);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^cycle: s0 -> s4999 -> s4998 -> .* -> s1 -> s0 \(/);
  });
});
