import type { StorageBackend, StoredObjectStream } from './storage-backend';
import { InvalidStoragePathError } from './storage-path';

/** What a resilient store reports per operation (a metrics class implements it; tests may not). */
export interface StorageObserver {
  operation(op: StorageOperation, outcome: 'ok' | 'retried' | 'failed', seconds: number, bytes: number): void;
}

export type StorageOperation = 'put' | 'get' | 'exists' | 'delete' | 'list';

export interface RetryPolicy {
  /** Tries per operation (1 = no retry). */
  attempts: number;
  /** Wait before the second try; doubled for each further one. */
  baseDelayMs: number;
  /** One try taking longer than this counts as failed (a hung connection never hangs a run); a put gets 1 s more per MiB. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 200, timeoutMs: 10_000 };

/**
 * Storage failed after every try. The message (shown to tenants in runs and step errors) names
 * the operation and the kind of the last error (`ECONNREFUSED`, `AccessDenied`, `timeout`…),
 * never an address or a server's text; the error itself is the `cause`, for the operator's log.
 */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_ERROR';
  constructor(op: StorageOperation, attempts: number, cause: unknown) {
    super(
      `storage ${op} failed after ${attempts} ${attempts === 1 ? 'try' : 'tries'} (${errorKind(cause)})`,
      {
        cause,
      },
    );
    this.name = 'StorageUnavailableError';
  }
}

/** A short, address-free name for what went wrong. */
function errorKind(err: unknown): string {
  if (err instanceof TryTimeout) return 'timeout';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
  return err instanceof Error ? err.name.slice(0, 64) : 'unknown error';
}

class TryTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * A backend wrapped with retries (exponential backoff), a timeout per try and metrics. A refused
 * path is never retried (same input, same answer). Every caller in the apps uses this; the raw
 * backends stay simple and are tested by the contract suite.
 */
export class ResilientStorage implements StorageBackend {
  readonly kind: StorageBackend['kind'];

  constructor(
    private readonly inner: StorageBackend,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly observer: StorageObserver | null = null,
  ) {
    this.kind = inner.kind;
  }

  put(path: string, data: Buffer | string, contentType?: string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    // A large object takes longer to send: 1 s more per MiB, on top of the answer time.
    const timeoutMs = this.policy.timeoutMs + Math.ceil(bytes / (1024 * 1024)) * 1000;
    return this.attempt(
      'put',
      () => this.inner.put(path, data, contentType),
      () => bytes,
      timeoutMs,
    );
  }

  get(path: string): Promise<Buffer | null> {
    return this.attempt(
      'get',
      () => this.inner.get(path),
      (b) => b?.length ?? 0,
    );
  }

  /** Opening is retried; once bytes flow, a broken stream is the reader's to handle. */
  open(path: string): Promise<StoredObjectStream | null> {
    return this.attempt(
      'get',
      () => this.inner.open(path),
      (o) => o?.size ?? 0,
    );
  }

  exists(path: string): Promise<boolean> {
    return this.attempt('exists', () => this.inner.exists(path));
  }

  delete(path: string): Promise<void> {
    return this.attempt('delete', () => this.inner.delete(path));
  }

  list(prefix: string): Promise<string[]> {
    return this.attempt('list', () => this.inner.list(prefix));
  }

  check(): Promise<boolean> {
    return this.inner.check();
  }

  private async attempt<T>(
    op: StorageOperation,
    run: () => Promise<T>,
    bytesOf: (value: T) => number = () => 0,
    timeoutMs = this.policy.timeoutMs,
  ): Promise<T> {
    const started = performance.now();
    let lastError: unknown;
    for (let n = 1; n <= this.policy.attempts; n++) {
      try {
        const value = await withTimeout(run(), timeoutMs);
        this.observer?.operation(
          op,
          n === 1 ? 'ok' : 'retried',
          (performance.now() - started) / 1000,
          bytesOf(value),
        );
        return value;
      } catch (err) {
        if (err instanceof InvalidStoragePathError) throw err;
        lastError = err;
        if (n < this.policy.attempts) await sleep(this.policy.baseDelayMs * 2 ** (n - 1));
      }
    }
    this.observer?.operation(op, 'failed', (performance.now() - started) / 1000, 0);
    throw new StorageUnavailableError(op, this.policy.attempts, lastError);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TryTimeout(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
