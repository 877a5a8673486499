import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses events framed with LF', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\nevent: step\ndata: {"a":1}\n\n')).toEqual([
      { id: '3', event: 'step', data: '{"a":1}' },
    ]);
    expect(parser.lastEventId).toBe('3');
  });

  it('parses CRLF and CR framing, also with a CRLF split across chunks', () => {
    const parser = new SseParser();
    const events = [
      ...parser.push('id: 1\r\nevent: status\r\ndata: x\r'),
      ...parser.push('\n\r'),
      ...parser.push('\nid: 2\rdata: y\r\r'),
    ];
    expect(events).toEqual([
      { id: '1', event: 'status', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
    ]);
  });

  it('assembles events from chunks of any size', () => {
    const text = 'id: 10\nevent: step\ndata: {"step_id":"scrape"}\n\nid: 11\nevent: result\ndata: {}\n\n';
    const parser = new SseParser();
    const events = [...text].flatMap((char) => parser.push(char));
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ['10', 'step'],
      ['11', 'result'],
    ]);
  });

  it('joins data lines, keeps the id for later events, and strips only one leading space', () => {
    const parser = new SseParser();
    expect(parser.push('id: 5\ndata:  two spaces\ndata:none\n\ndata: next\n\n')).toEqual([
      { id: '5', event: 'message', data: ' two spaces\nnone' },
      { id: '5', event: 'message', data: 'next' },
    ]);
  });

  it('counts comments, keeps retry, ignores unknown fields and events without data', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nretry: 2500\nfoo: bar\n\nid: 7\n\nevent: x\n\n')).toEqual([]);
    expect(parser.comments).toBe(1);
    expect(parser.retryMs).toBe(2500);
    expect(parser.lastEventId).toBe('7');
  });

  it('drops a half-received event on reset but remembers the last id', () => {
    const parser = new SseParser();
    parser.push('id: 4\ndata: done\n\nid: 5\ndata: cut');
    parser.reset();
    expect(parser.lastEventId).toBe('4');
    expect(parser.push('id: 6\ndata: fresh\n\n')).toEqual([{ id: '6', event: 'message', data: 'fresh' }]);
  });
});
