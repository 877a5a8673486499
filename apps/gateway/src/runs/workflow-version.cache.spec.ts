import { WorkflowVersionCache } from './workflow-version.cache';

const ref = (name: string, version = 1) => ({
  id: `${name}-${version}`,
  name,
  version,
  definition: { name },
});

describe('WorkflowVersionCache', () => {
  it('keeps a version per tenant and name, and forgets it on request', () => {
    const cache = new WorkflowVersionCache();
    cache.remember('acme', 'flow', ref('flow'), 100);
    expect(cache.get('acme', 'flow')).toEqual(ref('flow'));
    expect(cache.get('globex', 'flow')).toBeUndefined();
    cache.remember('acme', 'flow', ref('flow', 2), 100);
    expect(cache.get('acme', 'flow')?.version).toBe(2);
    cache.forget('acme', 'flow');
    expect(cache.get('acme', 'flow')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most 1000 versions, dropping the least recently used', () => {
    const cache = new WorkflowVersionCache();
    for (let i = 0; i < 1000; i++) cache.remember('t', `w${i}`, ref(`w${i}`), 10);
    cache.get('t', 'w0'); // used again: w1 is now the oldest
    cache.remember('t', 'new', ref('new'), 10);
    expect(cache.size).toBe(1000);
    expect(cache.get('t', 'w0')).toBeDefined();
    expect(cache.get('t', 'w1')).toBeUndefined();
  });

  it('bounds the YAML it stands for: big workflows are not kept, and the total stays under 8 MiB', () => {
    const cache = new WorkflowVersionCache();
    cache.remember('t', 'huge', ref('huge'), 1024 * 1024);
    expect(cache.get('t', 'huge')).toBeUndefined();
    for (let i = 0; i < 40; i++) cache.remember('t', `big${i}`, ref(`big${i}`), 400 * 1024);
    // 40 × 400 KiB is above 8 MiB: the oldest went.
    expect(cache.size).toBe(20);
    expect(cache.get('t', 'big0')).toBeUndefined();
    expect(cache.get('t', 'big39')).toBeDefined();
  });
});
