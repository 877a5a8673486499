import type { Response } from 'express';
import { formatSseEvent, SSE_KEEP_ALIVE } from './sse-frame.util';
import type { SseSink } from './sse-sink';

export interface SseResponseOptions {
  /** Interval of the `: keep-alive` comment. */
  heartbeatMs: number;
  /**
   * A client that reads slower than events come is cut off once this much is queued for it,
   * instead of growing the gateway's memory; it reconnects and resumes with Last-Event-ID.
   */
  maxBufferedBytes: number;
}

/**
 * Turns an Express response into an event stream: headers that stop caches and proxies from
 * buffering it, a keep-alive comment on a timer, and a `closed` signal that fires when the
 * response ends or the client goes away (the response's 'close' also fires when the socket
 * drops, unlike the request's, which fires as soon as the request body is read).
 */
export function openSseResponse(res: Response, options: SseResponseOptions): SseSink {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.socket?.setNoDelay(true);

  const closed = new AbortController();
  const write = (chunk: string): void => {
    if (closed.signal.aborted || res.writableEnded) return;
    res.write(chunk);
    if (res.writableLength > options.maxBufferedBytes) res.destroy();
  };
  const heartbeat = setInterval(() => write(SSE_KEEP_ALIVE), options.heartbeatMs);
  res.once('close', () => {
    clearInterval(heartbeat);
    closed.abort();
  });

  return {
    send: (id, event, data) => write(formatSseEvent(id, event, data)),
    end: () => {
      clearInterval(heartbeat);
      if (!res.writableEnded) res.end();
    },
    closed: closed.signal,
  };
}
