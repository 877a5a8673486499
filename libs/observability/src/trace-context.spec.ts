import { childSpan, formatTraceparent, newTraceContext, parseTraceparent } from './trace-context';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses a valid W3C traceparent and formats it back', () => {
    const context = parseTraceparent(VALID);
    expect(context).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: '01',
    });
    expect(formatTraceparent(context!)).toBe(VALID);
  });

  it.each([
    ['missing', undefined],
    ['not a string', 42],
    ['upper case', VALID.toUpperCase()],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version 00 with extra parts', `${VALID}-extra`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['garbage', 'hello'],
    ['too long', `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-${'a'.repeat(600)}`],
  ])('refuses %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });

  it('accepts a later version with extra parts, reading the first four', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future')?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('makes new sampled traces, and child spans that keep the trace', () => {
    const root = newTraceContext();
    expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
    expect(root.flags).toBe('01');
    expect(newTraceContext().traceId).not.toBe(root.traceId);
    const child = childSpan(root);
    expect(child.traceId).toBe(root.traceId);
    expect(child.spanId).not.toBe(root.spanId);
  });

  it('draws ids from its pool without ever repeating one, across refills of the pool', () => {
    // 4 KiB pool: 2,000 spans (8 bytes) and traces (16 bytes) cross several refills.
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const trace = newTraceContext();
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
      ids.add(trace.traceId);
      ids.add(trace.spanId);
    }
    expect(ids.size).toBe(4000);
  });
});
