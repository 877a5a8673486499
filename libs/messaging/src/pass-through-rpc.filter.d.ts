import { type RpcExceptionFilter } from '@nestjs/common';
import { type Observable } from 'rxjs';
/**
 * Nest's default RPC filter turns every error into `{status: 'error', message}` and logs it.
 * The JetStream transport decides what an error means (terminate an invalid message, redeliver
 * otherwise), so errors must reach it unchanged.
 */
export declare class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
    catch(exception: unknown): Observable<never>;
}
/**
 * Marks a class as a set of JetStream handlers: a controller whose errors reach the transport
 * unchanged. Use it instead of `@Controller()` on every handler class.
 */
export declare function JetStreamHandlers(): ClassDecorator;
