import { formatSseEvent, parseLastEventId, SSE_KEEP_ALIVE } from './sse-frame.util';

describe('formatSseEvent', () => {
  it('writes id, event and JSON data, ended by a blank line', () => {
    expect(formatSseEvent(42, 'step', { step_id: 'a', status: 'running' })).toBe(
      'id: 42\nevent: step\ndata: {"step_id":"a","status":"running"}\n\n',
    );
  });

  it('keeps line breaks inside values escaped, so one event stays one event', () => {
    const frame = formatSseEvent(1, 'step', { output: 'line one\nline two\r\n\nid: 9' });
    expect(frame.split('\n\n')).toHaveLength(2);
    expect(frame).toContain('data: {"output":"line one\\nline two\\r\\n\\nid: 9"}\n');
  });

  it('writes null data as JSON null', () => {
    expect(formatSseEvent(0, 'status', undefined)).toBe('id: 0\nevent: status\ndata: null\n\n');
  });

  it('has a keep-alive that is a comment line', () => {
    expect(SSE_KEEP_ALIVE.startsWith(':')).toBe(true);
    expect(SSE_KEEP_ALIVE.endsWith('\n\n')).toBe(true);
  });
});

describe('parseLastEventId', () => {
  it('reads a stream sequence', () => {
    expect(parseLastEventId('17')).toBe(17);
    expect(parseLastEventId(' 0 ')).toBe(0);
    expect(parseLastEventId(['5', '6'])).toBe(5);
  });

  it('treats anything else as no position', () => {
    for (const bad of [undefined, '', 'abc', '-1', '1.5', '1e3', '99999999999999999'])
      expect(parseLastEventId(bad)).toBeNull();
  });
});
