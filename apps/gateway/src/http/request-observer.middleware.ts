import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@sandcastle/observability';
import type { HttpMetrics } from './http.metrics';

/** Label for requests that matched no route (404s, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The route pattern Express matched, e.g. `/runs/:id`; read once the response is finished. */
export function routeLabelOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : UNMATCHED_ROUTE;
}

/**
 * Counts and times every request and writes one debug line per request. Installed ahead of the
 * body parser, so refused bodies (400, 413) are counted too.
 */
export function requestObserver(metrics: HttpMetrics, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabelOf(req);
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.duration.observe({ method: req.method, route }, seconds);
      const runId: unknown = res.locals['runId'];
      logger.debug('request', {
        method: req.method,
        path: req.path,
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000),
        ...(typeof runId === 'string' ? { runId } : {}),
      });
    });
    next();
  };
}
