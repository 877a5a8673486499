import { JsonNestLogger } from './json-nest-logger';
import { captureLogger } from './testing/capture-logger';

describe('JsonNestLogger', () => {
  function setup() {
    const { logger, lines } = captureLogger('orchestrator', 'debug');
    return { nest: new JsonNestLogger(logger), lines };
  }

  it("maps Nest's levels onto the JSON logger", () => {
    const { nest, lines } = setup();
    nest.log('a');
    nest.verbose('b');
    nest.debug('c');
    nest.warn('d');
    nest.error('e');
    nest.fatal('f');
    expect(lines.map((l) => [l.msg, l.level])).toEqual([
      ['a', 'info'],
      ['b', 'debug'],
      ['c', 'debug'],
      ['d', 'warn'],
      ['e', 'error'],
      ['f', 'error'],
    ]);
    expect(lines[5]).toMatchObject({ fatal: true });
  });

  it('turns the trailing context argument into the field "context"', () => {
    const { nest, lines } = setup();
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    expect(lines[0]).toMatchObject({
      msg: 'Mapped {/health, GET} route',
      context: 'RouterExplorer',
      service: 'orchestrator',
    });
  });

  it('reads (message, stack, context) and (message, stack) for errors', () => {
    const { nest, lines } = setup();
    const stack = new Error('boom').stack!;
    nest.error('boom', stack, 'ExceptionsHandler');
    nest.error('boom', stack);
    nest.error('no stack', undefined, 'ExceptionsHandler');
    nest.error('just context', 'NestApplication');
    expect(lines[0]).toMatchObject({ msg: 'boom', stack, context: 'ExceptionsHandler' });
    expect(lines[1]).toMatchObject({ msg: 'boom', stack });
    expect(lines[1]).not.toHaveProperty('context');
    expect(lines[2]).toMatchObject({ msg: 'no stack', context: 'ExceptionsHandler' });
    expect(lines[2]).not.toHaveProperty('stack');
    expect(lines[3]).toMatchObject({ msg: 'just context', context: 'NestApplication' });
  });

  it('merges plain-object params into fields and serialises Error messages', () => {
    const { nest, lines } = setup();
    nest.warn('slow query', { ms: 1200 }, 42, 'Db');
    nest.error(new Error('failed to connect'), 'TypeOrmModule');
    nest.log({ message: 'structured', runId: 'r1' });
    expect(lines[0]).toMatchObject({ msg: 'slow query', ms: 1200, params: [42], context: 'Db' });
    expect(lines[1]).toMatchObject({
      msg: 'failed to connect',
      context: 'TypeOrmModule',
      err: { message: 'failed to connect', stack: expect.stringContaining('failed to connect') },
    });
    expect(lines[2]).toMatchObject({ msg: 'structured', runId: 'r1' });
  });

  it("respects the JSON logger's level", () => {
    const { logger, lines } = captureLogger('x', 'info');
    const nest = new JsonNestLogger(logger);
    nest.verbose('hidden');
    nest.debug('hidden');
    nest.log('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
