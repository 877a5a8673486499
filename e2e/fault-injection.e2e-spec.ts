import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { checkConsistency } from '@sandcastle/persistence';
import { startFakeSandstorm, type FakeSandstorm } from '../test/support/fake-sandstorm-server';
import {
  findFreeBasePort,
  stackPortCount,
  startStack,
  type ServiceName,
  type Stack,
} from '../scripts/lib/stack.cjs';
import {
  CALLS_PER_RUN,
  FAN_OUT,
  FAN_STEP,
  callKeyOf,
  checkCosts,
  checkRunsCompleted,
  checkSandstormCalls,
  checkStepRows,
  keyOf,
  nonTerminal,
  type DbAttempt,
  type DbRun,
  type DbStep,
  type DuplicatePolicy,
  type SandstormCall,
} from './support/fault-checks';
import { startPrivateNats, type PrivateNats } from './support/private-nats';
import { tcpPortsOf } from './support/process-sockets';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres';

/**
 * Fault injection: every service as its own process — two orchestrators, three executors, a
 * gateway, a scheduler, a notifier — on a private nats-server and a private PostgreSQL cluster,
 * so the broker and the database can be restarted. Each scenario starts RUNS runs of
 * seed → fan-out of 10 → merge → final on a fake Sandstorm (a few hundred ms per call), injects
 * one fault while fan-out items are in flight, then checks that:
 *  - every run completes (and reports how long after the fault the last one did);
 *  - run_steps holds exactly one completed row per step and fan-out item, nothing non-terminal;
 *  - each run's total cost is the sum of its step and item rows;
 *  - Sandstorm was called again for the same (run, step, item) only where the fault explains it
 *    (a call of the killed executor still in flight, or a call in flight across the NATS outage);
 *  - the consistency checker (`checkConsistency` from @sandcastle/persistence) finds nothing in
 *    the scenario's runs.
 * A failure prints which runs are stuck, their non-terminal rows, the attempts recorded for them
 * and the Sandstorm calls made for them, plus the warnings and errors the services logged.
 *
 * Build first (`npm run build`). E2E_LOGS=1 prints the services' logs; E2E_LOG_DIR=<dir> writes
 * them to <dir>/<service>.log.
 */

const RUNS = 30;
const STEP_MS = 600;
/** The fault is injected once this many fan-out calls of the scenario are open at the fake. */
const FAULT_AT_OPEN_ITEM_CALLS = 30;
const DONE_DEADLINE_MS = 90_000;
/**
 * No progress at all (finished runs, finished rows, Sandstorm calls) for this long ends the wait
 * early: longer than any recovery path here (ack waits 5 s, publish timeouts 10 s, a lost
 * dispatch presumed lost after 30 s), so it only cuts short runs that will never finish.
 */
const STALL_MS = 35_000;
/** The issue's target for the time from a fault to the last run done. */
const RECOVERY_TARGET_MS = 40_000;
/** After a broker restart, clients need a moment to reconnect; calls open until then count as "during". */
const NATS_RECONNECT_SLACK_MS = 3_000;
const SCENARIO_TIMEOUT_MS = 240_000;

const WORKFLOW =
  [
    'name: Fault Injection Fan-out',
    'runtime: sandstorm',
    'default_timeout: 15',
    'steps:',
    '  - id: seed',
    `    prompt: "[fi] run={run_id} step=seed item=-1 [fake:slow=${STEP_MS}]"`,
    '    output_schema:',
    '      type: object',
    `      properties: { items: { type: array, minItems: ${FAN_OUT}, maxItems: ${FAN_OUT}, items: { type: string } } }`,
    '      required: [items]',
    `  - id: ${FAN_STEP}`,
    '    depends_on: [seed]',
    '    parallel_over: steps.seed.output.items',
    `    prompt: "[fi] run={run_id} step=${FAN_STEP} item={input._index} [fake:slow=${STEP_MS}]"`,
    '  - id: merge',
    `    depends_on: [${FAN_STEP}]`,
    `    prompt: "[fi] run={run_id} step=merge item=-1 [fake:slow=${STEP_MS}]"`,
    '  - id: final',
    '    depends_on: [merge]',
    `    prompt: "[fi] run={run_id} step=final item=-1 [fake:slow=${STEP_MS}]"`,
  ].join('\n') + '\n';

interface Fault {
  /** When the fault began (Date.now()). */
  at: number;
  description: string;
  policy: DuplicatePolicy;
  /** After the runs: did the fault hit work in flight? Returns a problem, or null. */
  hitInFlight?: (calls: SandstormCall[]) => string | null;
}

interface ScenarioResult {
  name: string;
  passed: boolean;
  completed: number;
  faultToDoneMs: number | null;
  waitEnded: 'done' | 'deadline' | 'stalled';
  calls: number;
  duplicatesAllowed: number;
  duplicatesForbidden: number;
  consistency: string;
  problems: number;
  durationMs: number;
}

interface LogLine {
  at: number;
  service: string;
  line: string;
}

/** Level, message and error message of a service's JSON log line (plain lines that look like errors: `error?`). */
function parseLogLine(line: string): { level: string; msg: string; detail: string } {
  try {
    const parsed = JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string } };
    return { level: parsed.level ?? '', msg: parsed.msg ?? line, detail: parsed.err?.message ?? '' };
  } catch {
    return { level: /error|exception|fatal/i.test(line) ? 'error?' : '', msg: line, detail: '' };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);

describe('fault injection: 2 orchestrators, 3 executors, private NATS and PostgreSQL', () => {
  let pg: PrivatePostgres | undefined;
  let nats: PrivateNats | undefined;
  let fake: FakeSandstorm | undefined;
  let stack: Stack | undefined;
  let pool: Pool | undefined;
  const logs: LogLine[] = [];
  const results: ScenarioResult[] = [];
  const suiteStarted = Date.now();

  beforeAll(async () => {
    const logDir = process.env['E2E_LOG_DIR'];
    if (logDir) mkdirSync(logDir, { recursive: true });
    // Each is assigned as soon as it runs, so afterAll cleans up whatever started.
    const started = await Promise.allSettled([
      startPrivatePostgres().then((server) => (pg = server)),
      startPrivateNats().then((server) => (nats = server)),
      startFakeSandstorm({ pingIntervalMs: 200 }).then((server) => (fake = server)),
    ]);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    if (!pg || !nats || !fake) throw new Error('unreachable: every server started');
    const databaseUrl = pg.url('sandcastle');
    stack = await startStack({
      databaseUrl,
      natsUrl: nats.url,
      natsNamespace: 'fi',
      basePort: await findFreeBasePort(stackPortCount({ executors: 3, orchestrators: 2 })),
      executors: 3,
      orchestrators: 2,
      embedded: false,
      migrate: true,
      progress: false,
      readyTimeoutMs: 90_000,
      stopTimeoutMs: 15_000,
      stdio: (line, service) => {
        logs.push({ at: Date.now(), service, line });
        if (process.env['E2E_LOGS']) process.stdout.write(`[${service}] ${line}\n`);
        if (logDir) appendFileSync(join(logDir, `${service}.log`), `${line}\n`);
      },
      env: {
        LOG_LEVEL: 'info',
        WORKFLOWS_DIR: 'workflows',
        SANDSTORM_URL: fake.url,
        // A killed executor's dispatches go to another one after this long without a heartbeat.
        EXECUTOR_ACK_WAIT_MS: 5000,
        // Same for a killed orchestrator replica's commands and results.
        ORCHESTRATOR_ACK_WAIT_MS: 5000,
        // A stopping executor hands its attempts back soon (only matters for the final stop).
        EXECUTOR_DRAIN_TIMEOUT_MS: 1000,
        // With `default_timeout: 15` an attempt is presumed lost 20 s after its start, or 30 s after
        // it was queued if no executor started it: far beyond a healthy 600 ms call (a few seconds
        // on a loaded machine), yet soon enough for the reconciler to rescue a lost dispatch within
        // STALL_MS and the deadline.
        LOST_ATTEMPT_GRACE_SECONDS: 5,
        QUEUE_ALLOWANCE_SECONDS: 10,
      },
    });
    pool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'fault-injection-e2e' });
    // Idle clients see their connection cut by the PostgreSQL restart: not an error of the test.
    pool.on('error', () => undefined);
  }, 240_000);

  afterAll(async () => {
    if (results.length > 0) {
      const rows = results.map(
        (r) =>
          `  ${r.passed ? 'pass' : 'FAIL'}  ${r.name.padEnd(26)} ${String(r.completed).padStart(2)}/${RUNS} completed` +
          `  fault→done ${r.faultToDoneMs === null ? `never (${r.waitEnded})` : seconds(r.faultToDoneMs)}` +
          `  calls ${r.calls}  dup allowed ${r.duplicatesAllowed} forbidden ${r.duplicatesForbidden}` +
          `  consistency ${r.consistency}  problems ${r.problems}  (${seconds(r.durationMs)})`,
      );
      console.log(
        [
          `fault-injection summary (suite ${seconds(Date.now() - suiteStarted)}; target fault→done < ${seconds(RECOVERY_TARGET_MS)})`,
          ...rows,
        ].join('\n'),
      );
    }
    const steps: [string, () => Promise<unknown> | undefined][] = [
      ['stack', () => stack?.stop()],
      ['pool', () => pool?.end()],
      ['fake Sandstorm', () => fake?.close()],
      ['nats-server', () => nats?.cleanup()],
      ['PostgreSQL', () => pg?.cleanup()],
    ];
    for (const [what, stop] of steps) {
      try {
        await stop();
      } catch (err) {
        console.warn(`cleanup of ${what} failed: ${String(err)}`);
      }
    }
  }, 120_000);

  // ------------------------------------------------------------------ helpers

  function need<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`${what} did not start (see beforeAll)`);
    return value;
  }

  /** A query against the private database that rides out its restart. */
  async function q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return (await need(pool, 'the pool').query(sql, params)).rows as T[];
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(250);
      }
    }
  }

  async function startRun(scenario: string, index: number): Promise<string> {
    const res = await fetch(`${need(stack, 'the stack').gatewayUrl}/workflows/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: WORKFLOW, input: { scenario, index } }),
    });
    const text = await res.text();
    const runId = (JSON.parse(text) as { data?: { run_id?: string } } | null)?.data?.run_id;
    if (res.status !== 202 || !runId)
      throw new Error(`run not accepted: ${res.status} ${text.slice(0, 500)}`);
    return runId;
  }

  /** This suite's Sandstorm calls for these runs, from request index `from` on. */
  function callsOf(runIds: Set<string>, from: number): SandstormCall[] {
    const calls: SandstormCall[] = [];
    for (const req of need(fake, 'the fake Sandstorm').requests.slice(from)) {
      if (req.path !== '/query') continue;
      const prompt = (req.body as { prompt?: unknown } | null)?.prompt;
      const key = typeof prompt === 'string' ? callKeyOf(prompt) : null;
      if (!key || !runIds.has(key.runId)) continue;
      calls.push({
        ...key,
        at: req.at.getTime(),
        endedAt: req.endedAt ? req.endedAt.getTime() : null,
        droppedByClient: req.droppedByClient,
        clientPort: req.remotePort,
      });
    }
    return calls;
  }

  async function waitForOpenItemCalls(
    runIds: Set<string>,
    from: number,
    timeoutMs = 30_000,
  ): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = callsOf(runIds, from).filter((c) => c.stepId === FAN_STEP && c.endedAt === null).length;
      if (open >= FAULT_AT_OPEN_ITEM_CALLS || Date.now() > deadline) return open;
      await sleep(25);
    }
  }

  /** Waits until every run has finished, the deadline passes, or nothing moves for STALL_MS. */
  async function waitForRuns(
    runIds: string[],
    from: number,
    faultAt: number,
  ): Promise<{ doneAt: number | null; ended: 'done' | 'deadline' | 'stalled' }> {
    const ids = new Set(runIds);
    let fingerprint = '';
    let lastChange = Date.now();
    for (;;) {
      const [row] = await q<{ finished: number; done_rows: number; last_update: Date | null }>(
        `SELECT (SELECT count(*)::int FROM runs WHERE id = ANY($1::uuid[]) AND status NOT IN ('queued', 'running')) AS finished,
                (SELECT count(*)::int FROM run_steps WHERE run_id = ANY($1::uuid[])
                   AND status IN ('completed', 'failed', 'skipped', 'cancelled')) AS done_rows,
                (SELECT max(updated_at) FROM run_steps WHERE run_id = ANY($1::uuid[])) AS last_update`,
        [runIds],
      );
      if (row && row.finished === runIds.length) return { doneAt: Date.now(), ended: 'done' };
      const now = Date.now();
      const next = `${row?.finished} ${row?.done_rows} ${row?.last_update?.getTime()} ${callsOf(ids, from).length}`;
      if (next !== fingerprint) {
        fingerprint = next;
        lastChange = now;
      }
      if (now - faultAt > DONE_DEADLINE_MS) return { doneAt: null, ended: 'deadline' };
      if (now - lastChange > STALL_MS) return { doneAt: null, ended: 'stalled' };
      await sleep(250);
    }
  }

  /** The executor process with the most running step rows of these runs. */
  async function busiestExecutor(runIds: string[]): Promise<ServiceName> {
    const s = need(stack, 'the stack');
    const rows = await q<{ executor_id: string; n: number }>(
      `SELECT executor_id, count(*)::int AS n FROM run_steps
        WHERE run_id = ANY($1::uuid[]) AND status = 'running' AND executor_id IS NOT NULL
        GROUP BY executor_id ORDER BY n DESC`,
      [runIds],
    );
    const executors = s.services.filter((name) => name.startsWith('executor'));
    for (const row of rows) {
      const name = executors.find((e) => row.executor_id.endsWith(`:${s.processes.get(e)?.pid}`));
      if (name) return name;
    }
    return 'executor-2';
  }

  /** Every service answers /health/ready (after a restart of NATS or PostgreSQL, too). */
  async function allReady(): Promise<void> {
    const s = need(stack, 'the stack');
    await Promise.all(s.services.map((name) => s.waitReady(name, 60_000)));
  }

  /** Services that died on their own (killed ones were restarted), restarted so later scenarios can go on. */
  async function crashedServices(): Promise<string[]> {
    const s = need(stack, 'the stack');
    const problems: string[] = [];
    for (const name of s.services) {
      const child = s.processes.get(name);
      if (!child) continue;
      if (child.exitCode === null && child.signalCode === null) continue;
      problems.push(
        `${name} exited on its own (${child.signalCode ?? `code ${child.exitCode}`}); last log lines:\n` +
          s
            .logsOf(name)
            .map((l) => `    | ${l}`)
            .join('\n'),
      );
      await s
        .start(name)
        .catch((err: unknown) => problems.push(`${name} could not be restarted: ${String(err)}`));
    }
    return problems;
  }

  /** Warnings and errors the services logged since `from`, grouped by service, level and message. */
  function logDigest(from: number): string[] {
    const groups = new Map<string, { count: number; example: string }>();
    for (const entry of logs) {
      if (entry.at < from) continue;
      const { level, msg, detail } = parseLogLine(entry.line);
      if (!['warn', 'error', 'fatal', 'error?'].includes(level)) continue;
      const key = `${entry.service} ${level} ${msg.slice(0, 120)}`;
      const group = groups.get(key) ?? { count: 0, example: detail.slice(0, 200) };
      group.count += 1;
      groups.set(key, group);
    }
    return [...groups.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 20)
      .map(([key, g]) => `  ${key} ×${g.count}${g.example ? `  (${g.example})` : ''}`);
  }

  /** The consistency checker over this scenario's runs (and their outbox messages). */
  async function consistency(runIds: string[]): Promise<{ label: string; problems: string[] }> {
    const report = await checkConsistency((sql, params) => q<unknown>(sql, params ?? []), { runIds });
    if (report.ok) return { label: `ok (${report.checks.length} checks)`, problems: [] };
    return {
      label: `FAILED (${report.problems.map((p) => p.check).join(', ')})`,
      problems: report.problems.map(
        (p) =>
          `consistency ${p.check} (${p.description}): ${p.count}, e.g. ${JSON.stringify(p.examples.slice(0, 3)).slice(0, 600)}`,
      ),
    };
  }

  /** Why runs did not complete: their non-terminal rows, recorded attempts and Sandstorm calls. */
  function diagnoseStuck(
    runs: DbRun[],
    steps: DbStep[],
    attempts: DbAttempt[],
    calls: SandstormCall[],
    runIds: string[],
  ): string[] {
    const byId = new Map(runs.map((r) => [r.id, r]));
    const stuck = runIds.filter((id) => byId.get(id)?.status !== 'completed');
    if (stuck.length === 0) return [];
    const lines = [`runs not completed: ${stuck.length} of ${runIds.length}`];
    const rowsByStatus = new Map<string, number>();
    for (const s of steps) rowsByStatus.set(s.status, (rowsByStatus.get(s.status) ?? 0) + 1);
    lines.push(`  all rows by status: ${[...rowsByStatus].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const runId of stuck.slice(0, 8)) {
      const run = byId.get(runId);
      lines.push(
        `  run ${runId}: ${run?.status ?? 'missing'}, updated ${run ? clock(run.updated_at.getTime()) : '-'}` +
          (run?.error ? ` (${run.error})` : ''),
      );
      for (const row of nonTerminal(steps.filter((s) => s.run_id === runId))) {
        const key = { stepId: row.step_id, itemIndex: row.item_index };
        const recorded = attempts
          .filter((a) => a.run_id === runId && a.step_id === row.step_id && a.item_index === row.item_index)
          .map((a) => `#${a.attempt} ${a.outcome}${a.error_kind ? `/${a.error_kind}` : ''}`);
        const made = calls
          .filter((c) => c.runId === runId && keyOf(c) === keyOf(key))
          .map((c) =>
            c.endedAt === null
              ? `open since ${clock(c.at)}`
              : `${clock(c.at)}+${c.endedAt - c.at} ms${c.droppedByClient ? ' dropped' : ''}`,
          );
        const items = steps.filter(
          (s) => s.run_id === runId && s.step_id === row.step_id && s.item_index >= 0,
        );
        const fanOut =
          row.item_index === -1 && row.item_count !== null
            ? ` (fan-out: ${items.filter((i) => i.status === 'completed').length}/${row.item_count} items completed)`
            : '';
        lines.push(
          `    ${keyOf(key)}${fanOut}: ${row.status} attempt ${row.attempt} on ${row.executor_id ?? '-'},` +
            ` updated ${clock(row.updated_at.getTime())}, deadline ${row.deadline_at ? clock(row.deadline_at.getTime()) : '-'};` +
            ` attempts recorded [${recorded.join(', ')}]; Sandstorm calls [${made.join(', ')}]`,
        );
      }
    }
    if (stuck.length > 8) lines.push(`  … and ${stuck.length - 8} more`);
    return lines;
  }

  // ------------------------------------------------------------------ one scenario

  async function runScenario(name: string, inject: (runIds: string[]) => Promise<Fault>): Promise<void> {
    const started = Date.now();
    await allReady();
    const from = need(fake, 'the fake Sandstorm').requests.length;
    const runIds = await Promise.all(Array.from({ length: RUNS }, (_v, i) => startRun(name, i)));
    const ids = new Set(runIds);
    const openAtFault = await waitForOpenItemCalls(ids, from);
    const [unfinished] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')`,
      [runIds],
    );
    const fault = await inject(runIds);
    const wait = await waitForRuns(runIds, from, fault.at);
    const faultToDoneMs = wait.doneAt === null ? null : wait.doneAt - fault.at;

    const runs = await q<DbRun>(
      `SELECT id, status, error, total_cost_usd, updated_at FROM runs WHERE id = ANY($1::uuid[])`,
      [runIds],
    );
    const steps = await q<DbStep>(
      `SELECT run_id, step_id, item_index, item_count, status, attempt, cost_usd, executor_id, updated_at, deadline_at
         FROM run_steps WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    const attempts = await q<DbAttempt>(
      `SELECT run_id, step_id, item_index, attempt, outcome, error_kind, cost_usd, executor_id
         FROM step_attempts WHERE run_id = ANY($1::uuid[])`,
      [runIds],
    );
    const calls = callsOf(ids, from);
    const completed = runs.filter((r) => r.status === 'completed').map((r) => r.id);
    const callReport = checkSandstormCalls(calls, completed, fault.policy);
    const hit = fault.hitInFlight?.(calls) ?? null;
    const crashed = await crashedServices();
    const checked = await consistency(runIds);
    const problemsBy: [string, string[]][] = [
      ['services that crashed', crashed],
      ['runs not completed', checkRunsCompleted(runs, runIds)],
      ['run_steps rows', checkStepRows(steps, runIds)],
      ['costs', checkCosts(runs, steps)],
      ['Sandstorm calls', callReport.problems],
      ['fault', hit ? [hit] : []],
      ['consistency checker', checked.problems],
    ];
    const problems = problemsBy.flatMap(([, list]) => list);

    const failedAttempts = attempts.filter((a) => a.outcome !== 'completed');
    const allowed = callReport.duplicates.filter((d) => d.allowed);
    const forbidden = callReport.duplicates.filter((d) => !d.allowed);
    const doneText =
      faultToDoneMs === null
        ? `NOT all finished (${wait.ended} ${seconds(Date.now() - fault.at)} after the fault)`
        : `${seconds(faultToDoneMs)} ${faultToDoneMs < RECOVERY_TARGET_MS ? '(under' : '(OVER'} the ${seconds(RECOVERY_TARGET_MS)} target)`;
    const report = [
      `── fault injection · ${name} ──`,
      `fault: ${fault.description} at ${clock(fault.at)} (+${seconds(fault.at - started)}); ${openAtFault} fan-out calls open, ${unfinished?.n ?? '?'}/${RUNS} runs unfinished`,
      `runs: ${completed.length}/${RUNS} completed; fault → all runs finished: ${doneText}`,
      `Sandstorm: ${callReport.calls} calls for ${RUNS * CALLS_PER_RUN} attempts; duplicates allowed ${allowed.length}` +
        `${allowed.length ? ` (${[...new Set(allowed.map((d) => d.why))].join('; ')})` : ''}, forbidden ${forbidden.length}`,
      `step_attempts: ${attempts.length} recorded, ${failedAttempts.length} not completed` +
        (failedAttempts.length
          ? ` (${failedAttempts
              .slice(0, 5)
              .map(
                (a) =>
                  `${a.run_id} ${keyOf({ stepId: a.step_id, itemIndex: a.item_index })} #${a.attempt} ${a.outcome}/${a.error_kind}`,
              )
              .join(', ')})`
          : ''),
      `consistency checker: ${checked.label}`,
      ...(() => {
        const digest = logDigest(started);
        return digest.length
          ? ['service warnings/errors during the scenario:', ...digest]
          : ['no service warnings/errors'];
      })(),
      ...diagnoseStuck(runs, steps, attempts, calls, runIds),
      ...(problems.length ? [`PROBLEMS (${problems.length}):`] : ['no problems']),
      ...problemsBy.flatMap(([what, list]) =>
        list.length === 0
          ? []
          : [
              `  ${what} (${list.length}):`,
              ...list.slice(0, 12).map((p) => `    - ${p}`),
              ...(list.length > 12 ? [`    … and ${list.length - 12} more`] : []),
            ],
      ),
    ].join('\n');
    console.log(report);

    results.push({
      name,
      passed: problems.length === 0,
      completed: completed.length,
      faultToDoneMs,
      waitEnded: wait.ended,
      calls: callReport.calls,
      duplicatesAllowed: allowed.length,
      duplicatesForbidden: forbidden.length,
      consistency: checked.label,
      problems: problems.length,
      durationMs: Date.now() - started,
    });
    if (problems.length > 0) throw new Error(`${name}: ${problems.length} problem(s)\n${report}`);
  }

  // ------------------------------------------------------------------ the scenarios

  it(
    '0. baseline (no fault): every run completes, one call per attempt',
    () =>
      runScenario('0 baseline', async () => ({
        at: Date.now(),
        description: 'none',
        policy: { kind: 'none' },
      })),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '1. executor SIGKILL while runs are in flight',
    () =>
      runScenario('1 executor SIGKILL', async (runIds) => {
        const s = need(stack, 'the stack');
        const victim = await busiestExecutor(runIds);
        // Its sockets tell its Sandstorm calls apart from the other executors'.
        const pid = s.processes.get(victim)?.pid;
        const ports = pid === undefined ? null : tcpPortsOf(pid);
        const at = Date.now();
        await s.kill(victim, 'SIGKILL');
        await s.start(victim);
        return {
          at,
          description:
            `SIGKILL ${victim} (${ports ? `${ports.size} sockets known` : 'sockets unknown'}; ` +
            `restarted, ready after ${seconds(Date.now() - at)})`,
          policy: { kind: 'after-executor-kill', killedAt: at, victimPorts: ports && [...ports] },
          hitInFlight: (calls) =>
            calls.some((c) => c.droppedByClient && (c.endedAt ?? 0) >= at)
              ? null
              : `the kill of ${victim} dropped no Sandstorm call in flight: the scenario did not test anything`,
        };
      }),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '2. orchestrator SIGKILL (one of two) while runs are in flight',
    () =>
      runScenario('2 orchestrator SIGKILL', async () => {
        const s = need(stack, 'the stack');
        const victim: ServiceName = 'orchestrator-2';
        const at = Date.now();
        await s.kill(victim, 'SIGKILL');
        await sleep(2000);
        await s.start(victim);
        return {
          at,
          description: `SIGKILL ${victim} (restarted after 2 s, ready after ${seconds(Date.now() - at)})`,
          policy: { kind: 'none' },
        };
      }),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '3. NATS restart (stopped for 2 s, same port and store)',
    () =>
      runScenario('3 NATS restart', async () => {
        const server = need(nats, 'nats-server');
        const at = Date.now();
        const { stoppedAt, startedAt } = await server.restart(2000);
        return {
          at,
          description: `nats-server stopped (down after ${stoppedAt - at} ms), back ${seconds(startedAt - at)} after the stop began`,
          policy: { kind: 'after-broker-outage', from: at, to: startedAt + NATS_RECONNECT_SLACK_MS },
          hitInFlight: (calls) =>
            calls.some((c) => c.at <= startedAt && (c.endedAt ?? Infinity) >= at)
              ? null
              : 'no Sandstorm call was open during the NATS outage: the scenario did not test anything',
        };
      }),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    '4. PostgreSQL restart (pg_ctl restart -m fast)',
    () =>
      runScenario('4 PostgreSQL restart', async () => {
        const { startedAt, readyAt } = await need(pg, 'PostgreSQL').restart();
        return {
          at: startedAt,
          description: `pg_ctl restart -m fast (back after ${seconds(readyAt - startedAt)})`,
          policy: { kind: 'none' },
        };
      }),
    SCENARIO_TIMEOUT_MS,
  );
});
