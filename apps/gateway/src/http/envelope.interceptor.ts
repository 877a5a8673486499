import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { ok, type ApiEnvelope } from '@sandcastle/contracts';
import { Paged } from './paged';

function runIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as { run_id?: unknown }).run_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Wraps what a handler returns in `{data, error: null}` (plus `meta` for a Paged list), so
 * controllers return plain views. It also notes the run a request concerns in `res.locals`
 * for the request log line.
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<ApiEnvelope<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    return next.handle().pipe(
      map((result: unknown) => {
        if (result instanceof Paged) return ok(result.items, result.meta);
        const runId = runIdOf(result) ?? (req.path.startsWith('/runs/') ? req.params['id'] : undefined);
        if (typeof runId === 'string') res.locals['runId'] = runId;
        return ok(result);
      }),
    );
  }
}
