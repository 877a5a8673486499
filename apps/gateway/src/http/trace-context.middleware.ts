import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  formatTraceparent,
  newTraceContext,
  parseTraceparent,
  startSpan,
  TRACEPARENT_HEADER,
  withLogContext,
} from '@sandcastle/observability';
import { routeLabelOf } from './request-observer.middleware';

/**
 * Where a run's trace starts: each request continues the caller's trace when it sends a valid W3C
 * `traceparent` (a new span of ours under it), or starts a new one. The rest of the request runs
 * in that log context: its log lines carry `trace_id`, a run it creates stores the trace, and the
 * messages it sends carry it on. The response's `traceparent` header names the gateway's span,
 * so a client can find the run's trace without a tracing system.
 *
 * Installed after the body parser: stream callbacks (the parser reading the body) run outside
 * the context they were registered in, so a context opened before them would be lost.
 */
export function traceContext(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const parent = parseTraceparent(req.headers[TRACEPARENT_HEADER]);
    const span = startSpan('HTTP request', 2, parent ?? newTraceContext(), { root: parent === null });
    res.setHeader(TRACEPARENT_HEADER, formatTraceparent(span.context));
    res.once('finish', () => {
      const route = routeLabelOf(req);
      span.end(
        res.statusCode >= 500,
        {
          'http.request.method': req.method,
          'http.route': route,
          'http.response.status_code': res.statusCode,
        },
        `${req.method} ${route}`,
      );
    });
    withLogContext({ trace: span.context, runId: null, stepId: null }, () => next());
  };
}
