import { createLogger } from './logger';

function capture(level?: Parameters<typeof createLogger>[1]) {
  const raw: string[] = [];
  const logger = createLogger('gateway', level, (line) => raw.push(line));
  const parsed = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, parsed };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, service, msg, then fields', () => {
    const { logger, raw, parsed } = capture();
    logger.info('run started', { runId: 'r1', steps: 3 });
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('\n');
    const [line] = parsed();
    expect(Object.keys(line!)).toEqual(['time', 'level', 'service', 'msg', 'runId', 'steps']);
    expect(line).toMatchObject({
      level: 'info',
      service: 'gateway',
      msg: 'run started',
      runId: 'r1',
      steps: 3,
    });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('drops lines below the configured level (default info)', () => {
    const { logger, parsed } = capture();
    logger.debug('hidden');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(parsed().map((l) => l.level)).toEqual(['info', 'warn', 'error']);

    const quiet = capture('warn');
    quiet.logger.info('hidden');
    quiet.logger.warn('shown');
    expect(quiet.parsed().map((l) => l.msg)).toEqual(['shown']);

    const verbose = capture('debug');
    verbose.logger.debug('shown');
    expect(verbose.parsed()).toHaveLength(1);
  });

  it('adds child fields to every line; call fields win; children nest', () => {
    const { logger, parsed } = capture();
    const run = logger.child({ runId: 'r1', step: 'a' });
    const step = run.child({ step: 'b', attempt: 2 });
    run.info('one');
    step.info('two', { attempt: 3 });
    logger.info('three');
    const [one, two, three] = parsed();
    expect(one).toMatchObject({ runId: 'r1', step: 'a' });
    expect(two).toMatchObject({ runId: 'r1', step: 'b', attempt: 3 });
    expect(three).not.toHaveProperty('runId');
  });

  it('serialises errors with message and stack, including nested causes and own fields', () => {
    const { logger, parsed } = capture();
    const cause = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    const err = new Error('publish failed', { cause });
    logger.error('handler failed', { err, nested: { inner: new TypeError('bad') } });
    const [line] = parsed();
    expect(line!.err).toMatchObject({
      name: 'Error',
      message: 'publish failed',
      stack: expect.stringContaining('publish failed'),
      cause: { name: 'Error', message: 'connection refused', code: 'ECONNREFUSED' },
    });
    expect(line!.nested).toMatchObject({ inner: { name: 'TypeError', message: 'bad' } });
  });

  it('keeps the envelope keys even when fields use the same names', () => {
    const { logger, parsed } = capture();
    logger.info('real', { level: 'fake', msg: 'other', service: 'x', time: 1 });
    expect(parsed()[0]).toMatchObject({
      level: 'info',
      msg: 'real',
      service: 'gateway',
      _level: 'fake',
      _msg: 'other',
      _service: 'x',
      _time: 1,
    });
  });

  it('never throws on values JSON cannot represent', () => {
    const { logger, parsed } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info('odd values', { loop, big: 10n ** 20n });
    expect(parsed()[0]).toMatchObject({
      loop: { name: 'loop', self: '[Circular]' },
      big: '100000000000000000000',
    });
  });
});
