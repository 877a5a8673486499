import { DEFAULT_LIMITS } from '@sandcastle/config';
import {
  AttemptFailedError,
  abortError,
  RuntimeStreamTooLargeError,
  type AgentRuntime,
  type AttemptOutput,
  type AttemptRequest,
  type RuntimeProgress,
} from './agent-runtime';
import { interpretSandstormEvent, type SandstormEventContext } from './sandstorm-event.util';
import { buildQueryBody, describeConnectError, trimBaseUrl } from './sandstorm-http.util';
import { IdleWatch } from './idle-watch.util';
import { FileCollector } from './sandstorm-files.util';
import { SseParser, type SseMessage } from './sse-parser';

export { checkHealth } from './sandstorm-http.util';

export interface SandstormRuntimeOptions {
  /** A configured endpoint's URL (see runtime-selection.ts): never a URL a tenant chose. */
  baseUrl: string;
  /** The endpoint's name, used in error messages instead of its URL. */
  endpoint: string;
  /** Sent as `Authorization: Bearer` (Sandstorm's optional SANDSTORM_API_KEY auth). */
  apiKey?: string;
  anthropicApiKey?: string;
  e2bApiKey?: string;
  /** Fail when nothing (not even a keep-alive ping) arrives for this long. Sandstorm pings every 30 s. */
  idleTimeoutMs?: number;
  /** MAX_RUNTIME_EVENT_BYTES: largest SSE line or event. */
  maxEventBytes?: number;
  /** MAX_RUNTIME_STREAM_BYTES: largest whole response stream. */
  maxStreamBytes?: number;
  /** MAX_RUNTIME_ERROR_BODY_BYTES: bytes of an error response read. */
  maxErrorBodyBytes?: number;
  /** MAX_RUNTIME_FILE_BYTES: bytes of `file` events kept after the result (0: none, drained). */
  maxFileBytes?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 90_000;

/** Abort reason used internally when the stream goes silent; never escapes `run`. */
class IdleTimeout extends Error {}

type Terminal = { kind: 'success'; output: AttemptOutput } | { kind: 'failure'; error: AttemptFailedError };

/**
 * Runs an attempt on a Sandstorm server: `POST /query`, then reads the SSE stream until the first
 * terminal event (`result` or `error`). Closing the connection is how Sandstorm learns to kill the
 * sandbox, so every way out of `run` that is not a drained stream aborts the fetch.
 *
 * Redirects are not followed (the credentials travel in the body and a header). Errors name the
 * endpoint and an HTTP status or a connection error code: never its URL, and never the body of an
 * error answer (it is drained unread), since they end up in the run, its events and the logs.
 */
export class SandstormRuntime implements AgentRuntime {
  readonly kind = 'sandstorm' as const;
  private readonly queryUrl: string;
  private readonly idleTimeoutMs: number;
  private readonly label: string;

  constructor(private readonly options: SandstormRuntimeOptions) {
    this.queryUrl = `${trimBaseUrl(options.baseUrl)}/query`;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.label = `Sandstorm endpoint '${options.endpoint}'`;
  }

  async run(
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<AttemptOutput> {
    if (signal.aborted) throw abortError(signal);
    const connection = new AbortController();
    const idle = new IdleWatch(this.idleTimeoutMs, () => connection.abort(new IdleTimeout()));
    const onAbort = () => connection.abort(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.exchange(req, connection.signal, idle, onProgress);
    } catch (err) {
      if (signal.aborted) throw abortError(signal);
      if (connection.signal.reason instanceof IdleTimeout) {
        const seconds = Math.round(this.idleTimeoutMs / 100) / 10;
        throw new AttemptFailedError(
          `${this.label} sent nothing for ${seconds} s (not even a keep-alive ping); gave up`,
        );
      }
      throw err;
    } finally {
      idle.stop();
      signal.removeEventListener('abort', onAbort);
      connection.abort();
    }
  }

  private async exchange(
    req: AttemptRequest,
    signal: AbortSignal,
    idle: IdleWatch,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<AttemptOutput> {
    const response = await this.post(req, signal);
    idle.touch();
    if (!response.ok) {
      // The body of an error answer is never read: it is upstream text a tenant may have shaped.
      await response.body?.cancel().catch(() => undefined);
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      throw new AttemptFailedError(`${this.label} rejected the request: HTTP ${response.status}${redirect}`);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) {
      throw new AttemptFailedError(`${this.label} did not answer with an event stream`);
    }

    const parser = new SseParser(this.limit('maxEventBytes'));
    const maxStreamBytes = this.limit('maxStreamBytes');
    let streamBytes = 0;
    const ctx: SandstormEventContext = { requestedModel: req.model, maxTurns: req.maxTurns, initModel: null };
    let terminal: Terminal | null = null;
    const files = (this.options.maxFileBytes ?? 0) > 0 ? new FileCollector(this.options.maxFileBytes!) : null;
    let afterResultBytes = 0;
    const reader = response.body.getReader();
    for (;;) {
      const chunk = await reader.read().then(
        (read) => read,
        (error: unknown) => ({ error }),
      );
      if ('error' in chunk) {
        // Once a result is in, the rest is only drained (e.g. `file` events): losing it is fine
        // unless the caller aborted, which must still win.
        if (terminal && !(signal.aborted && !(signal.reason instanceof IdleTimeout))) break;
        if (signal.aborted) throw chunk.error;
        throw new AttemptFailedError(
          `connection to ${this.label} broke before a result: ${describeConnectError(chunk.error)}`,
        );
      }
      if (chunk.done) break;
      const bytes = chunk.value as Uint8Array;
      streamBytes += bytes.byteLength;
      if (terminal) afterResultBytes += bytes.byteLength;
      // After the result, `file` events have their own budget (MAX_RUNTIME_FILE_BYTES).
      const pastLimit =
        terminal && files ? afterResultBytes > files.maxStreamBytes : streamBytes > maxStreamBytes;
      if (pastLimit) {
        if (terminal) break; // the result is in: stop draining, keep it
        throw new RuntimeStreamTooLargeError(
          `the runtime's response stream passed ${maxStreamBytes} bytes without a result (MAX_RUNTIME_STREAM_BYTES)`,
        );
      }
      let messages: SseMessage[];
      try {
        messages = parser.push(bytes);
      } catch (err) {
        // A file event beyond its budget after the result: keep the result and what was kept.
        if (!terminal) throw err;
        if (files) files.dropped++;
        break;
      }
      // While draining, keep-alive pings alone do not count as activity, so a server that keeps
      // the stream open after its result cannot hold the attempt forever.
      if (!terminal || !messages.every((m) => m.kind === 'comment')) idle.touch();
      for (const message of messages) {
        if (terminal) {
          files?.take(message);
          continue;
        }
        terminal = this.handle(message, ctx, onProgress);
        if (!terminal) continue;
        // Past the result only `file` events are kept (within their budget); without a file
        // budget a large event is read and dropped, not buffered.
        if (files) parser.setMaxEventBytes(files.maxEventBytes);
        else parser.drain();
      }
    }
    try {
      parser.end();
    } catch (err) {
      if (!terminal) throw err;
    }

    if (!terminal) {
      throw new AttemptFailedError(
        'Sandstorm stream ended without a result (the sandbox may have died or hit its timeout)',
        0,
        undefined,
        0,
        ctx.initModel,
      );
    }
    if (terminal.kind === 'failure') throw terminal.error;
    if (!files || (files.files.length === 0 && files.dropped === 0)) return terminal.output;
    return { ...terminal.output, files: files.files, filesDropped: files.dropped };
  }

  private limit(name: 'maxEventBytes' | 'maxStreamBytes' | 'maxErrorBodyBytes'): number {
    const defaults = {
      maxEventBytes: DEFAULT_LIMITS.MAX_RUNTIME_EVENT_BYTES,
      maxStreamBytes: DEFAULT_LIMITS.MAX_RUNTIME_STREAM_BYTES,
      maxErrorBodyBytes: DEFAULT_LIMITS.MAX_RUNTIME_ERROR_BODY_BYTES,
    };
    return this.options[name] ?? defaults[name];
  }

  private async post(req: AttemptRequest, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
    };
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    const body = buildQueryBody(req, this.options);
    try {
      return await fetch(this.queryUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
        redirect: 'manual',
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new AttemptFailedError(`cannot reach ${this.label}: ${describeConnectError(err)}`);
    }
  }

  private handle(
    message: SseMessage,
    ctx: SandstormEventContext,
    onProgress: (p: RuntimeProgress) => void,
  ): Terminal | null {
    if (message.kind === 'comment') {
      onProgress({ kind: 'ping' });
      return null;
    }
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      // Sandstorm only sends JSON; a line that is not cannot be interpreted, so it is skipped.
      return null;
    }
    const meaning = interpretSandstormEvent(data, ctx);
    switch (meaning.kind) {
      case 'message':
        if (meaning.initModel) ctx.initModel = meaning.initModel;
        onProgress({ kind: 'message', summary: meaning.summary });
        return null;
      case 'ignored':
        return null;
      case 'success':
      case 'failure':
        return meaning;
    }
  }
}
