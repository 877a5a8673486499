/** Where one client's Server-Sent Events go. */
export interface SseSink {
  /** Writes one event; ignored once the stream is closed. */
  send(id: number, event: string, data: unknown): void;
  /** Ends the response (the client sees the stream close). Idempotent. */
  end(): void;
  /** Aborts when the stream is over: ended by us, or the client went away. */
  readonly closed: AbortSignal;
}
