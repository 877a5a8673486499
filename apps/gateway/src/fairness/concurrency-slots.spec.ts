import { ConcurrencySlots } from './concurrency-slots';

describe('ConcurrencySlots', () => {
  it('gives each key at most max slots and takes them back once', () => {
    const slots = new ConcurrencySlots(2);
    const a1 = slots.tryTake('a');
    const a2 = slots.tryTake('a');
    expect(a1).toBeDefined();
    expect(a2).toBeDefined();
    expect(slots.tryTake('a')).toBeUndefined();
    expect(slots.tryTake('b')).toBeDefined();
    a1!();
    a1!(); // a second release is a no-op
    expect(slots.heldBy('a')).toBe(1);
    expect(slots.tryTake('a')).toBeDefined();
    expect(slots.tryTake('a')).toBeUndefined();
  });
});
