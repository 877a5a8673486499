import { BoundedLabelValues, OTHER_LABEL_VALUE } from './bounded-label';

describe('BoundedLabelValues', () => {
  it('passes the first values through and folds every later new one into _other', () => {
    const label = new BoundedLabelValues(2, 64);
    expect(label.of('a')).toBe('a');
    expect(label.of('b')).toBe('b');
    expect(label.of('c')).toBe(OTHER_LABEL_VALUE);
    // Values already seen keep their own series.
    expect(label.of('a')).toBe('a');
  });

  it('cuts long values, and counts the cut value once', () => {
    const label = new BoundedLabelValues(1, 4);
    expect(label.of('abcdefgh')).toBe('abcd');
    expect(label.of('abcdXYZ')).toBe('abcd');
    expect(label.of('zzz')).toBe(OTHER_LABEL_VALUE);
  });
});
