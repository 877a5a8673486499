import { isTerminalRunStatus } from '@sandcastle/contracts';
import {
  fanOutItems,
  withFanOutItem,
  type PromptPiece,
  type StepDefinition,
  type TemplateContext,
} from '@sandcastle/workflow';
import { holdsSlot, stepKey, type RunRow, type StepRow, byItemIndex } from '../run-state';
import type { TenantSlots } from '../tenant-slots';
import { EffectsCollector } from './effects';
import { machineLimits, type MachineLimits, type MachineSettings } from './settings';

/**
 * What every part of the machine works on during one transition: the locked run row, its step
 * rows, the settings and limits, the transition's clock, the tenant's slots, the effects being
 * collected, and what is computed once per transition (the template context, each fan-out's
 * items, the prompts rendered so far). Small helpers that keep the state consistent live here:
 * every status change goes through `setStatus` (slot count) and every write through `touch`.
 */
export class MachineContext {
  readonly steps = new Map<string, StepRow>();
  readonly limits: MachineLimits;
  readonly effects = new EffectsCollector();
  /** Prompts rendered in this transition that read storage (by row key), reused when the dispatch is built. */
  readonly promptPieces = new Map<string, PromptPiece[] | null>();
  /**
   * The template context and each fan-out step's items, computed once per transition (and again
   * only after an output changes): queueing 1,000 items looks the list up once, not 1,000 times.
   */
  private cachedTemplate: TemplateContext | null = null;
  private readonly cachedItems = new Map<string, readonly unknown[]>();
  /** This run's attempts in flight (queued or running), kept by `setStatus` and `putRow`. */
  private ownInFlight = 0;
  /** This transition ended one of this run's attempts in flight. */
  private releasedOwnSlot = false;

  /**
   * `slots`: the tenant's cap on attempts in flight, shared by the machines of one transaction
   * (null: no cap).
   */
  constructor(
    readonly run: RunRow,
    rows: readonly StepRow[],
    readonly settings: MachineSettings,
    readonly now: Date,
    readonly slots: TenantSlots | null,
  ) {
    for (const row of rows) this.putRow(row);
    this.limits = machineLimits(settings.limits);
  }

  /** The run is completed, failed, cancelled or over budget: nothing changes its state any more. */
  get runIsOver(): boolean {
    return isTerminalRunStatus(this.run.status);
  }

  row(stepId: string, itemIndex: number | null = null): StepRow | undefined {
    return this.steps.get(stepKey(stepId, itemIndex));
  }

  /** A step's own row; start() creates one for every step of the definition. */
  stepRow(stepId: string): StepRow {
    return this.steps.get(stepKey(stepId, null))!;
  }

  stepDef(stepId: string): StepDefinition {
    const step = this.run.definition.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`run ${this.run.id} has no step '${stepId}' in its definition`);
    return step;
  }

  /** A fan-out step's item rows, in item order. */
  itemRows(stepId: string): StepRow[] {
    return [...this.steps.values()]
      .filter((r) => r.stepId === stepId && r.itemIndex !== null)
      .sort(byItemIndex);
  }

  /** Adds (or replaces) a row; the caller touches it. */
  putRow(row: StepRow): void {
    const key = stepKey(row.stepId, row.itemIndex);
    const replaced = this.steps.get(key);
    if (replaced && holdsSlot(replaced)) this.ownInFlight--;
    if (holdsSlot(row)) this.ownInFlight++;
    this.steps.set(key, row);
  }

  /** Every status change of a row goes here, so the tenant's count of attempts in flight stays right. */
  setStatus(row: StepRow, status: StepRow['status']): void {
    const held = holdsSlot(row);
    row.status = status;
    const holds = holdsSlot(row);
    if (held === holds) return;
    if (holds) {
      this.ownInFlight++;
      this.slots?.taken();
    } else {
      this.ownInFlight--;
      this.releasedOwnSlot = true;
      this.slots?.released();
    }
  }

  /**
   * The run's lane: this transition ended the run's last attempt in flight, so the run may start
   * its next attempt in the slot it just freed, ahead of the tenant's older waiters (TenantSlots).
   * A run keeps one slot between consecutive steps; anything beyond one attempt (fan-out items,
   * parallel branches) queues oldest first with the tenant's other waiters.
   */
  get keepsLane(): boolean {
    return this.releasedOwnSlot && this.ownInFlight === 0;
  }

  /** The row is written with the transition. */
  touch(row: StepRow): void {
    this.effects.stepChanged(stepKey(row.stepId, row.itemIndex));
  }

  /** The run row is written with the transition. */
  touchRun(): void {
    this.effects.runChanged();
  }

  /** Records a step's output on the run; templates rendered from now on see it. */
  setOutput(stepId: string, output: unknown): void {
    this.run.outputs = { ...this.run.outputs, [stepId]: output };
    this.touchRun();
    this.cachedTemplate = null;
    this.cachedItems.clear();
  }

  /** Gives a finished row the next place in the run's checkpoint order. */
  checkpoint(row: StepRow): void {
    if (row.checkpointSeq !== null) return;
    this.run.checkpointSeq += 1;
    row.checkpointSeq = this.run.checkpointSeq;
    this.touchRun();
    this.touch(row);
  }

  /** What templates see: the run input, the outputs so far, the run id and today's date. */
  template(): TemplateContext {
    if (this.cachedTemplate !== null) return this.cachedTemplate;
    const steps: Record<string, { output: unknown }> = {};
    for (const [stepId, output] of Object.entries(this.run.outputs)) steps[stepId] = { output };
    this.cachedTemplate = {
      input: this.run.inputData,
      steps,
      runId: this.run.id,
      date: this.now.toISOString().slice(0, 10),
    };
    return this.cachedTemplate;
  }

  /** The template context of one row: fan-out items see their own `_item` and `_index`. */
  templateFor(row: StepRow): TemplateContext {
    const ctx = this.template();
    if (row.itemIndex === null) return ctx;
    const items = this.fanOutItemsOf(row.stepId);
    return withFanOutItem(ctx, items[row.itemIndex] ?? null, row.itemIndex);
  }

  /** The items a fan-out step runs over, looked up once per transition (not once per item). */
  fanOutItemsOf(stepId: string): readonly unknown[] {
    let items = this.cachedItems.get(stepId);
    if (items === undefined) {
      items = fanOutItems(this.stepDef(stepId).parallelOver!, this.template());
      this.cachedItems.set(stepId, items);
    }
    return items;
  }
}
