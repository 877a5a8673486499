/**
 * What the fault-injection suite checks after each scenario, as pure functions over what it read
 * from the database and from the fake Sandstorm: each returns the problems it found (empty = ok)
 * in words that say which run, step and item, so a failure explains itself.
 */

/** The workflow every scenario runs: seed → fan-out of FAN_OUT items → merge → final. */
export const FAN_OUT = 10;
const PLAIN_STEPS = ['seed', 'merge', 'final'] as const;
export const FAN_STEP = 'fan';

/** Sandstorm calls one run makes when nothing goes wrong. */
export const CALLS_PER_RUN = PLAIN_STEPS.length + FAN_OUT;

/** A `runs` row, as read with pg. */
export interface DbRun {
  id: string;
  status: string;
  error: string | null;
  total_cost_usd: number;
  updated_at: Date;
}

/** A `run_steps` row, as read with pg. */
export interface DbStep {
  run_id: string;
  step_id: string;
  item_index: number;
  item_count: number | null;
  status: string;
  attempt: number;
  cost_usd: number;
  executor_id: string | null;
  updated_at: Date;
  deadline_at: Date | null;
}

/** A `step_attempts` row, as read with pg. */
export interface DbAttempt {
  run_id: string;
  step_id: string;
  item_index: number;
  attempt: number;
  outcome: string;
  error_kind: string | null;
  cost_usd: number;
  executor_id: string | null;
}

/** One `POST /query` the fake Sandstorm received for a step attempt of this suite. */
export interface SandstormCall {
  runId: string;
  stepId: string;
  itemIndex: number;
  at: number;
  /** null while the stream is still open. */
  endedAt: number | null;
  droppedByClient: boolean;
  /** The caller's TCP port: which process made the call. */
  clientPort: number | null;
}

/**
 * A call that ended this shortly before a fault may still have been in flight as an attempt: its
 * executor was publishing the result or acking the dispatch when the fault hit, so the dispatch
 * can be delivered again. (Measured: under load a result is stored and acked within ~0.5 s.)
 */
export const REPORT_SLACK_MS = 2000;

/** When a second call for the same (run, step, item) is acceptable. */
export type DuplicatePolicy =
  /** Never (baseline, orchestrator kill, PostgreSQL restart). */
  | { kind: 'none' }
  /**
   * Only for an attempt in flight on the killed executor: an earlier call the client dropped
   * (the process died mid-stream), or one the killed executor made (its socket was one of
   * `victimPorts`; null = unknown, then any executor's) that was open at the kill or had ended at
   * most REPORT_SLACK_MS before it.
   */
  | { kind: 'after-executor-kill'; killedAt: number; victimPorts: number[] | null }
  /**
   * Only for an attempt in flight across a broker outage [from, to]: an earlier call open at some
   * point of [from - REPORT_SLACK_MS, to].
   */
  | { kind: 'after-broker-outage'; from: number; to: number };

const PROMPT_KEY = /\[fi\] run=([0-9a-f-]{36}) step=([a-z]+) item=(-?\d+)/;

/** The (run, step, item) a prompt of this suite's workflow names, or null for anything else. */
export function callKeyOf(prompt: string): { runId: string; stepId: string; itemIndex: number } | null {
  const match = PROMPT_KEY.exec(prompt);
  if (!match) return null;
  return { runId: match[1]!, stepId: match[2]!, itemIndex: Number(match[3]) };
}

export function keyOf(x: { stepId: string; itemIndex: number }): string {
  return x.itemIndex < 0 ? x.stepId : `${x.stepId}[${x.itemIndex}]`;
}

/** Every (step, item) that calls Sandstorm in one run. */
export function expectedCalls(): { stepId: string; itemIndex: number }[] {
  return [
    { stepId: 'seed', itemIndex: -1 },
    ...Array.from({ length: FAN_OUT }, (_v, i) => ({ stepId: FAN_STEP, itemIndex: i })),
    { stepId: 'merge', itemIndex: -1 },
    { stepId: 'final', itemIndex: -1 },
  ];
}

/** Every run_steps row one run has: the calls plus the fan-out step's own (aggregate) row. */
export function expectedRows(): { stepId: string; itemIndex: number }[] {
  return [...expectedCalls(), { stepId: FAN_STEP, itemIndex: -1 }];
}

const TERMINAL_STEP = new Set(['completed', 'failed', 'skipped', 'cancelled']);

/** Runs that did not complete. */
export function checkRunsCompleted(runs: DbRun[], runIds: string[]): string[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of runIds) {
    const run = byId.get(id);
    if (!run) problems.push(`run ${id}: no row in runs`);
    else if (run.status !== 'completed')
      problems.push(`run ${id}: status ${run.status}${run.error ? ` (${run.error})` : ''}`);
  }
  return problems;
}

/** Exactly one completed row per step and fan-out item, nothing else, nothing non-terminal. */
export function checkStepRows(steps: DbStep[], runIds: string[]): string[] {
  const problems: string[] = [];
  const expected = expectedRows().map(keyOf);
  for (const runId of runIds) {
    const rows = steps.filter((s) => s.run_id === runId);
    const byKey = new Map<string, DbStep[]>();
    for (const row of rows) {
      const key = keyOf({ stepId: row.step_id, itemIndex: row.item_index });
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    for (const key of expected) {
      const found = byKey.get(key) ?? [];
      if (found.length !== 1) problems.push(`run ${runId} ${key}: ${found.length} rows (expected 1)`);
      for (const row of found) {
        if (row.status !== 'completed') {
          const what = TERMINAL_STEP.has(row.status) ? 'ended' : 'NON-TERMINAL';
          problems.push(
            `run ${runId} ${key}: ${what} status ${row.status} (attempt ${row.attempt}, executor ${row.executor_id ?? '-'}, updated ${row.updated_at.toISOString()})`,
          );
        }
      }
    }
    for (const key of byKey.keys()) {
      if (!expected.includes(key)) problems.push(`run ${runId} ${key}: unexpected row`);
    }
    const fan = byKey.get(FAN_STEP)?.[0];
    if (fan && fan.item_count !== FAN_OUT)
      problems.push(`run ${runId} ${FAN_STEP}: item_count ${fan.item_count} (expected ${FAN_OUT})`);
  }
  return problems;
}

/**
 * A run's total cost is the sum of what its attempts cost: the plain step rows plus the fan-out
 * item rows. The fan-out step's own row (item_index -1, item_count set) only aggregates its items,
 * so it is left out of the sum.
 */
export function checkCosts(runs: DbRun[], steps: DbStep[]): string[] {
  const problems: string[] = [];
  for (const run of runs) {
    const parts = steps.filter((s) => s.run_id === run.id && !(s.item_index === -1 && s.item_count !== null));
    const sum = parts.reduce((total, s) => total + s.cost_usd, 0);
    if (Math.abs(sum - run.total_cost_usd) > 1e-6) {
      problems.push(
        `run ${run.id}: total_cost_usd ${run.total_cost_usd} but its step and item rows sum to ${sum.toFixed(9)}`,
      );
    }
    for (const fan of steps.filter(
      (s) => s.run_id === run.id && s.item_index === -1 && s.item_count !== null && s.status === 'completed',
    )) {
      const items = steps.filter(
        (s) => s.run_id === run.id && s.step_id === fan.step_id && s.item_index >= 0,
      );
      const itemSum = items.reduce((total, s) => total + s.cost_usd, 0);
      if (Math.abs(itemSum - fan.cost_usd) > 1e-6) {
        problems.push(
          `run ${run.id} ${fan.step_id}: fan-out row cost ${fan.cost_usd} but its items sum to ${itemSum.toFixed(9)}`,
        );
      }
    }
  }
  return problems;
}

export interface CallReport {
  calls: number;
  /** Keys called more than once, with whether the policy allowed it. */
  duplicates: { key: string; runId: string; count: number; allowed: boolean; why: string }[];
  problems: string[];
}

/**
 * Every expected step attempt of a completed run called Sandstorm, and a (run, step, item) was
 * called again only where the scenario's fault explains it.
 */
export function checkSandstormCalls(
  calls: SandstormCall[],
  completedRunIds: string[],
  policy: DuplicatePolicy,
): CallReport {
  const problems: string[] = [];
  const byKey = new Map<string, SandstormCall[]>();
  for (const call of calls) {
    const key = `${call.runId} ${keyOf(call)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), call]);
  }
  for (const runId of completedRunIds) {
    for (const expected of expectedCalls()) {
      if (!byKey.has(`${runId} ${keyOf(expected)}`))
        problems.push(`run ${runId} ${keyOf(expected)}: completed without any Sandstorm call`);
    }
  }
  const duplicates: CallReport['duplicates'] = [];
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.at - b.at);
    let allowed = true;
    const reasons: string[] = [];
    for (let i = 1; i < sorted.length; i++) {
      const earlier = sorted.slice(0, i);
      const excuse = excuseFor(earlier, policy);
      if (excuse) reasons.push(excuse);
      else allowed = false;
    }
    const timeline = sorted
      .map((c) => {
        const end = c.endedAt === null ? 'open' : `${c.endedAt - c.at} ms`;
        return `${new Date(c.at).toISOString().slice(11, 23)} (${end}${c.droppedByClient ? ', dropped by client' : ''})`;
      })
      .join(', ');
    const why = allowed ? reasons.join('; ') : `not explained by the fault (${policy.kind}): ${timeline}`;
    duplicates.push({ key, runId: sorted[0]!.runId, count: sorted.length, allowed, why });
    if (!allowed) problems.push(`Sandstorm called ${sorted.length}× for run ${key}: ${why}`);
  }
  return { calls: calls.length, duplicates, problems };
}

function excuseFor(earlier: SandstormCall[], policy: DuplicatePolicy): string | null {
  switch (policy.kind) {
    case 'none':
      return null;
    case 'after-executor-kill': {
      if (earlier.some((c) => c.droppedByClient)) return 'an earlier call was dropped by its executor';
      const { killedAt, victimPorts } = policy;
      const inFlight = (c: SandstormCall) =>
        c.at <= killedAt && (c.endedAt === null || c.endedAt >= killedAt - REPORT_SLACK_MS);
      const byVictim = (c: SandstormCall) =>
        victimPorts === null || (c.clientPort !== null && victimPorts.includes(c.clientPort));
      return earlier.some((c) => inFlight(c) && byVictim(c))
        ? 'an earlier call of the killed executor was still being reported (result or ack died with it)'
        : null;
    }
    case 'after-broker-outage':
      return earlier.some(
        (c) => c.at <= policy.to && (c.endedAt ?? Infinity) >= policy.from - REPORT_SLACK_MS,
      )
        ? 'an earlier call was in flight across the outage'
        : null;
  }
}

/** Rows that are not terminal, for the diagnosis of stuck runs. */
export function nonTerminal(steps: DbStep[]): DbStep[] {
  return steps.filter((s) => !TERMINAL_STEP.has(s.status));
}
