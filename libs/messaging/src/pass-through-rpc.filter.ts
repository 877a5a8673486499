import { applyDecorators, Catch, Controller, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into `{status: 'error', message}` and logs it.
 * The JetStream transport decides what an error means (terminate an invalid message, redeliver
 * otherwise), so errors must reach it unchanged.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a class as a set of JetStream handlers: a controller whose errors reach the transport
 * unchanged. Use it instead of `@Controller()` on every handler class.
 */
export function JetStreamHandlers(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(PassThroughRpcFilter));
}
