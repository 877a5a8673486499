import { editDistance, suggestClosest } from './did-you-mean.util';

describe('suggestClosest', () => {
  const keys = ['depends_on', 'parallel_over', 'prompt', 'timeout', 'max_turns', 'id'];

  it.each([
    ['depend_on', 'depends_on'],
    ['dependsOn', 'depends_on'],
    ['Depends-On', 'depends_on'],
    ['promtp', 'prompt'],
    ['parallel', 'parallel_over'],
    ['timeout_seconds', 'timeout'],
    ['maxTurns', 'max_turns'],
  ])('%s → %s', (word, expected) => {
    expect(suggestClosest(word, keys)).toBe(expected);
  });

  it.each([['colour'], ['x'], ['ix'], ['model']])('has no suggestion for %s', (word) => {
    expect(suggestClosest(word, keys)).toBeNull();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'abcd')).toBe(1);
    expect(editDistance('abc', 'ac')).toBe(1);
    expect(editDistance('abc', 'abd')).toBe(1);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
