import { definitionOf, workflowWith } from '../testing/parse-helpers';
import type { WorkflowDefinition } from '../definition';
import { dependenciesOf, descendantsOf, readySteps, topologicalOrder, type StepPhase } from './plan.util';

const step = (id: string, ...deps: string[]) => ({ id, prompt: id, depends_on: deps });
const phases = (entries: Record<string, StepPhase>) => new Map(Object.entries(entries));

// a → b, a → c, (b, c) → d
const diamond = definitionOf(workflowWith([step('a'), step('b', 'a'), step('c', 'a'), step('d', 'b', 'c')]));
// one → two → three → four
const chain = definitionOf(
  workflowWith([step('one'), step('two', 'one'), step('three', 'two'), step('four', 'three')]),
);
// Two independent branches of different length joined at the end: fast → join, slow1 → slow2 → join
const uneven = definitionOf(
  workflowWith([
    step('fast'),
    step('slow1'),
    step('slow2', 'slow1'),
    step('after-fast', 'fast'),
    step('join', 'after-fast', 'slow2'),
  ]),
);

describe('readySteps', () => {
  it('starts with every step that has no dependencies, in definition order', () => {
    expect(readySteps(diamond, new Map())).toEqual(['a']);
    expect(readySteps(uneven, new Map())).toEqual(['fast', 'slow1']);
  });

  it('treats steps missing from the map as waiting', () => {
    expect(readySteps(chain, phases({ one: 'done' }))).toEqual(['two']);
  });

  it('walks a chain one step at a time', () => {
    expect(readySteps(chain, phases({ one: 'active' }))).toEqual([]);
    expect(readySteps(chain, phases({ one: 'done', two: 'done' }))).toEqual(['three']);
    expect(readySteps(chain, phases({ one: 'done', two: 'done', three: 'done', four: 'done' }))).toEqual([]);
  });

  it('releases both arms of a diamond together and the join only when both are done', () => {
    expect(readySteps(diamond, phases({ a: 'done' }))).toEqual(['b', 'c']);
    expect(readySteps(diamond, phases({ a: 'done', b: 'done', c: 'active' }))).toEqual([]);
    expect(readySteps(diamond, phases({ a: 'done', b: 'done', c: 'done' }))).toEqual(['d']);
  });

  it('never returns a step that is already active or done', () => {
    expect(readySteps(diamond, phases({ a: 'done', b: 'active' }))).toEqual(['c']);
    expect(readySteps(diamond, phases({ a: 'done', b: 'done', c: 'done', d: 'active' }))).toEqual([]);
  });

  it('starts a step as soon as its own dependencies are done, not when its layer is', () => {
    // slow1 is still running (layer 0), yet after-fast (layer 1) may start.
    expect(readySteps(uneven, phases({ fast: 'done', slow1: 'active' }))).toEqual(['after-fast']);
  });
});

describe('descendantsOf', () => {
  it('lists direct and transitive dependents, not the step itself', () => {
    expect(descendantsOf(diamond, 'a')).toEqual(new Set(['b', 'c', 'd']));
    expect(descendantsOf(diamond, 'b')).toEqual(new Set(['d']));
    expect(descendantsOf(chain, 'two')).toEqual(new Set(['three', 'four']));
    expect(descendantsOf(uneven, 'slow1')).toEqual(new Set(['slow2', 'join']));
  });

  it('is empty for a leaf and for an unknown id', () => {
    expect(descendantsOf(diamond, 'd')).toEqual(new Set());
    expect(descendantsOf(diamond, 'nope')).toEqual(new Set());
  });
});

describe('dependenciesOf', () => {
  it('lists direct and transitive dependencies', () => {
    expect(dependenciesOf(diamond, 'd')).toEqual(new Set(['a', 'b', 'c']));
    expect(dependenciesOf(chain, 'one')).toEqual(new Set());
  });
});

describe('topologicalOrder', () => {
  it('puts every step after its dependencies, preferring definition order', () => {
    expect(topologicalOrder(diamond)).toEqual(['a', 'b', 'c', 'd']);
    expect(topologicalOrder(uneven)).toEqual(['fast', 'slow1', 'slow2', 'after-fast', 'join']);
  });

  it('orders steps defined before their dependencies', () => {
    const reversed = definitionOf(workflowWith([step('c', 'b'), step('b', 'a'), step('a')]));
    expect(topologicalOrder(reversed)).toEqual(['a', 'b', 'c']);
  });

  it('throws on a cyclic definition (which the parser never produces)', () => {
    const cyclic: WorkflowDefinition = {
      ...chain,
      steps: chain.steps.map((s) => (s.id === 'one' ? { ...s, dependsOn: ['four'] } : s)),
    };
    expect(() => topologicalOrder(cyclic)).toThrow('cycle: one -> four -> three -> two -> one');
  });
});
