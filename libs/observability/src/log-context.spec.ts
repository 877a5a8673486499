import { createLogger } from './logger';
import { currentLogContext, outgoingTraceparent, withLogContext } from './log-context';
import { parseTraceparent } from './trace-context';

const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' };

describe('log context', () => {
  it('adds trace_id, span_id, run_id and step_id to every line written inside it, across awaits', async () => {
    const lines: string[] = [];
    const logger = createLogger('svc', 'info', (line) => lines.push(line));
    logger.info('outside');
    await withLogContext({ trace, runId: 'run-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info('in the run');
      await withLogContext({ stepId: 'enrich' }, async () => {
        await Promise.resolve();
        logger.child({ component: 'x' }).warn('in the step');
      });
    });
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).not.toHaveProperty('trace_id');
    expect(parsed[1]).toMatchObject({
      trace_id: trace.traceId,
      span_id: trace.spanId,
      run_id: 'run-1',
      step_id: null,
    });
    expect(parsed[2]).toMatchObject({
      trace_id: trace.traceId,
      run_id: 'run-1',
      step_id: 'enrich',
      component: 'x',
    });
  });

  it('lets a line’s own fields win over the context', () => {
    const lines: string[] = [];
    const logger = createLogger('svc', 'info', (line) => lines.push(line));
    withLogContext({ trace, runId: 'run-1' }, () => logger.info('x', { run_id: 'other' }));
    expect(JSON.parse(lines[0]!)).toMatchObject({ run_id: 'other', trace_id: trace.traceId });
  });

  it('sends the current span as the parent of what it sends, and nothing outside a trace', () => {
    expect(outgoingTraceparent()).toBeUndefined();
    withLogContext({ trace }, () => {
      expect(parseTraceparent(outgoingTraceparent())).toEqual(trace);
      expect(currentLogContext()?.trace).toEqual(trace);
    });
  });
});
