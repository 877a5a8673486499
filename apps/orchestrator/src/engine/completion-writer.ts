import type { EntityManager } from 'typeorm';
import { outputRefOf } from '@sandcastle/contracts';
import type { Logger } from '@sandcastle/observability';
import type { StorageBackend } from '@sandcastle/storage';
import { recordArtifacts, recordStoragePath } from './artifact-store';
import type { CompletionTarget } from './run-machine';
import type { RunRow } from './run-state';

export const ON_COMPLETE_ARTIFACT = 'on_complete.json';

/**
 * Offloaded outputs read back into the on_complete object, in total. Past it (a hostile fan-out
 * of many large outputs) the rest stay references, so the orchestrator's memory stays bounded
 * and the write (inside the run's transaction: 3 tries of 10 s + 1 s per MiB) ends well within
 * DB_IDLE_IN_TRANSACTION_TIMEOUT_MS.
 */
export const ON_COMPLETE_INLINE_BYTES = 8 * 1024 * 1024;

/**
 * `on_complete.storage_path`: a completing run's outputs, stored as one JSON object before the
 * completion commits (inside the run's transaction, so the run, its `storage_path` and the
 * artifact row commit together). Offloaded outputs are read back and inlined, up to
 * ON_COMPLETE_INLINE_BYTES (8 MiB) in total; any further one is written as `{"output_ref": {name, size,
 * content_type, preview, path}}`. The storage is retried with backoff (ResilientStorage); when it still fails the
 * run ends `failed` with the reason instead of `completed` (docs/storage.md): the engine reads the
 * target from the transition's effects and, on `ok: false`, calls the machine's `completionWriteFailed`.
 */
export class CompletionWriter {
  constructor(
    private readonly storage: StorageBackend,
    private readonly logger: Logger,
  ) {}

  async write(
    em: Pick<EntityManager, 'query'>,
    run: Readonly<RunRow>,
    target: CompletionTarget,
  ): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const body = JSON.stringify(await this.inlined(run.outputs, run.id));
      await this.storage.put(target.key, body, 'application/json');
      await recordStoragePath(em, run.id, target.path);
      await recordArtifacts(em, [
        {
          runId: run.id,
          tenantId: run.tenantId,
          name: ON_COMPLETE_ARTIFACT,
          kind: 'result',
          key: target.key,
          size: Buffer.byteLength(body),
          contentType: 'application/json',
          stepId: null,
          itemIndex: null,
        },
      ]);
      return { ok: true };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.logger.error('on_complete storage failed; the run fails instead of completing', {
        runId: run.id,
        path: target.path,
        err,
      });
      return { ok: false, reason: reason.slice(0, 500) };
    }
  }

  /** Outputs with offloaded ones (also inside a fan-out list) read back, within the budget. */
  private async inlined(outputs: Record<string, unknown>, runId: string): Promise<Record<string, unknown>> {
    const budget = { left: ON_COMPLETE_INLINE_BYTES };
    const out: Record<string, unknown> = {};
    for (const [stepId, value] of Object.entries(outputs)) {
      if (!Array.isArray(value)) out[stepId] = await this.inlineOne(value, budget, runId);
      else {
        const items: unknown[] = [];
        for (const item of value) items.push(await this.inlineOne(item, budget, runId));
        out[stepId] = items;
      }
    }
    return out;
  }

  private async inlineOne(value: unknown, budget: { left: number }, runId: string): Promise<unknown> {
    const ref = outputRefOf(value);
    if (ref === null) return value;
    if (ref.size > budget.left) {
      const { name, size, content_type, preview } = ref;
      return { output_ref: { name, size, content_type, preview, path: `runs/${runId}/${name}` } };
    }
    const bytes = await this.storage.get(ref.key);
    if (bytes === null) throw new Error(`the offloaded output '${ref.name}' is missing from storage`);
    budget.left -= bytes.length;
    return JSON.parse(bytes.toString('utf8')) as unknown;
  }
}
