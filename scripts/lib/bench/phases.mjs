// The benchmark's phases against a running stack: throughput of one workload, latency at a steady
// arrival rate, and a long steady run that watches memory, outbox, lag and database size.
import {
  cpuSecondsOf,
  growthPerStep,
  pidsNamed,
  readingByPid,
  rssBytesOf,
  writeCallsOf,
} from './process-usage.mjs';
import { runRequests, slowChainYaml, SLOW_CHAIN_WORKFLOW } from './workloads.mjs';
import {
  api,
  backendPids,
  consumerLag,
  outcomeOf,
  sleep,
  submitAll,
  submitClosedLoop,
  waitAllFinished,
} from './sandcastle.mjs';

/**
 * @typedef {object} BenchContext
 * @property {string} base            the gateway's URL
 * @property {import('pg').Client} db  a connection to the stack's database
 * @property {string} dbName
 * @property {import('../stack.d.cts').Stack} stack
 * @property {string} natsUrl
 * @property {string} namespace
 */

/**
 * @param {number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Process groups whose CPU time is measured: each service, the PostgreSQL backends of the
 * stack's database, the NATS server (shared: on a quiet machine, the stack is its only user) and
 * this benchmark process itself (the HTTP client sending the runs), so the figures add up to
 * what a step costs the whole machine.
 * @param {BenchContext} ctx
 * @returns {Promise<Record<string, number[]>>}
 */
async function processGroups(ctx) {
  /** @type {Record<string, number[]>} */
  const groups = {};
  for (const [name, child] of ctx.stack.processes) {
    if (child.pid !== undefined) groups[name] = [child.pid];
  }
  groups.postgres = await backendPids(ctx.db, ctx.dbName);
  const nats = pidsNamed('nats-server');
  if (nats.length > 0) groups['nats-server'] = nats;
  groups['bench client'] = [process.pid];
  return groups;
}

/** @param {BenchContext} ctx */
export async function autovacuumIsOff(ctx) {
  const { rows } = await ctx.db.query(`SELECT current_setting('autovacuum') AS autovacuum`);
  return rows[0].autovacuum === 'off';
}

/**
 * What autovacuum does on a production server (docs/operations.md#database-upkeep), for a server
 * that has it off: the engine's churning tables would otherwise bloat from round to round and
 * every later round would measure the bloat.
 * @param {BenchContext} ctx
 */
export async function vacuumEngineTables(ctx) {
  await ctx.db.query(`VACUUM (ANALYZE) outbox, run_steps, runs, step_attempts`);
}

/** More runs than a warm-up could send on this kind of machine; it stops by time, not by these. */
const WARM_UP_REQUESTS = 50_000;

/**
 * The peers' warm-up (../shared/bench-peers/bench.js): the closed loop for `seconds` (JIT,
 * connection pools, consumers, caches), whose completion rate over its second half then sizes the
 * measured round. Returns that rate in runs/s.
 * @param {BenchContext} ctx
 * @param {'chain' | 'fanout'} workload
 * @param {number} inflight
 * @param {number} seconds
 */
export async function warmUp(ctx, workload, inflight, seconds) {
  const { ids, startedAt, lastFinishedAt, finishTimes } = await submitClosedLoop(
    ctx,
    runRequests(workload, WARM_UP_REQUESTS),
    inflight,
    120_000,
    { submitForMs: seconds * 1000 },
  );
  await waitAllFinished(ctx.db, ids, 60_000);
  const halfway = startedAt + seconds * 500;
  const end = startedAt + seconds * 1000;
  const inSecondHalf = finishTimes.filter((t) => t >= halfway && t <= end).length;
  // As the peers do: the whole warm-up's rate when nothing finished in its second half.
  return inSecondHalf > 0
    ? inSecondHalf / (seconds / 2)
    : ids.length / Math.max((lastFinishedAt - startedAt) / 1000, 0.001);
}

/**
 * Sustained throughput: `runs` runs of one workload in a closed loop of at most `inflight`
 * unfinished runs (the peers' discipline), from the first request to the last run's end.
 * @param {BenchContext} ctx
 * @param {'chain' | 'fanout' | 'slowChain'} workload
 * @param {number} runs
 * @param {number} inflight
 */
export async function throughput(ctx, workload, runs, inflight) {
  if (await autovacuumIsOff(ctx)) await vacuumEngineTables(ctx);
  const groupsBefore = await processGroups(ctx);
  const cpuBefore = readingByPid(groupsBefore, cpuSecondsOf);
  const writesBefore = readingByPid(groupsBefore, writeCallsOf);
  const started = performance.now();
  const { ids, lastFinishedAt } = await submitClosedLoop(ctx, runRequests(workload, runs), inflight, 600_000);
  const seconds = (lastFinishedAt - started) / 1000;
  await waitAllFinished(ctx.db, ids, 60_000);
  const groupsAfter = await processGroups(ctx);
  const { steps, statuses } = await outcomeOf(ctx.db, ids);
  return {
    workload,
    runs: ids.length,
    steps,
    seconds: Number(seconds.toFixed(2)),
    steps_per_second: Math.round(steps / seconds),
    runs_per_second: Number((ids.length / seconds).toFixed(1)),
    statuses,
    cpu_ms_per_step: growthPerStep(cpuBefore, groupsAfter, steps, cpuSecondsOf, 1000, 3),
    writes_per_step: growthPerStep(writesBefore, groupsAfter, steps, writeCallsOf, 1, 2),
  };
}

/**
 * Whether executors add capacity where they are the constraint: the chain with attempts that last
 * `latencyMs`, first through the executors running now, then with `executorName` started beside
 * them. At zero latency a 2-core machine is bound by CPU, not by executors (docs/benchmarks.md);
 * with attempts that last, each executor's slots (EXECUTOR_CONCURRENCY) are the bound, as with
 * real agent steps. The stack keeps the extra executor afterwards.
 * @param {BenchContext} ctx
 * @param {{ latencyMs: number, runs: number, inflight: number, executorName: `executor-${number}` }} options
 */
export async function executorScaling(ctx, { latencyMs, runs, inflight, executorName }) {
  await api(ctx.base, 'POST', '/workflows', { name: SLOW_CHAIN_WORKFLOW, content: slowChainYaml(latencyMs) });
  const before = await throughput(ctx, 'slowChain', runs, inflight);
  await ctx.stack.start(executorName);
  const after = await throughput(ctx, 'slowChain', runs, inflight);
  return {
    latency_ms: latencyMs,
    inflight,
    runs,
    before: { steps_per_second: before.steps_per_second, statuses: before.statuses },
    after: { steps_per_second: after.steps_per_second, statuses: after.statuses },
    gain: Number((after.steps_per_second / before.steps_per_second).toFixed(2)),
  };
}

/**
 * The fixed cost of each hop: chain runs sent one at a time (the next once the last finished) to
 * an otherwise idle stack, timed from their rows. p50/p90/p99 in ms of: request → run row
 * (gateway), run row → first step queued (orchestrator), queued → started (publish, executor),
 * step done → next step queued (result, orchestrator), next queued → started.
 * @param {BenchContext} ctx
 * @param {number} runs
 */
export async function hops(ctx, runs) {
  const series = {
    request_to_run_row: /** @type {number[]} */ ([]),
    run_row_to_first_queued: /** @type {number[]} */ ([]),
    queued_to_started: /** @type {number[]} */ ([]),
    step_done_to_next_queued: /** @type {number[]} */ ([]),
    next_queued_to_started: /** @type {number[]} */ ([]),
  };
  for (let i = 0; i < runs; i++) {
    const sentAt = Date.now();
    const { run_id } = await api(ctx.base, 'POST', '/workflows/run', runRequests('chain', 1, i)[0]);
    await waitAllFinished(ctx.db, [run_id], 30_000, 1);
    const { rows } = await ctx.db.query(
      `SELECT s.step_id, s.queued_at, s.started_at, s.completed_at, r.created_at
         FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = $1 ORDER BY s.step_id`,
      [run_id],
    );
    const [a, b, c] = rows;
    series.request_to_run_row.push(a.created_at.getTime() - sentAt);
    series.run_row_to_first_queued.push(a.queued_at.getTime() - a.created_at.getTime());
    for (const step of [a, b, c]) series.queued_to_started.push(step.started_at - step.queued_at);
    series.step_done_to_next_queued.push(b.queued_at - a.completed_at, c.queued_at - b.completed_at);
    series.next_queued_to_started.push(b.started_at - b.queued_at, c.started_at - c.queued_at);
  }
  return Object.fromEntries(
    Object.entries(series).map(([k, v]) => [
      k,
      { p50: percentile(v, 50), p90: percentile(v, 90), p99: percentile(v, 99) },
    ]),
  );
}

/**
 * Latency at a steady arrival rate of chain runs.
 * @param {BenchContext} ctx
 * @param {number} rate
 * @param {number} seconds
 */
export async function latency(ctx, rate, seconds) {
  /** @type {Map<string, number>} */
  const sent = new Map();
  /** @type {string[]} */
  const ids = [];
  const total = rate * seconds;
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      (async () => {
        const at = Date.now();
        const { run_id } = await api(ctx.base, 'POST', '/workflows/run', runRequests('chain', 1, i)[0]);
        sent.set(run_id, at);
        ids.push(run_id);
      })(),
    );
  }
  await Promise.all(inflight);
  const achievedRate = total / ((performance.now() - start) / 1000);
  await waitAllFinished(ctx.db, ids, 120_000);
  const { rows: steps } = await ctx.db.query(
    `SELECT s.run_id, s.step_id, s.started_at, s.completed_at, s.queued_at, r.created_at AS run_created_at
       FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = ANY($1)`,
    [ids],
  );
  /** @type {Map<string, Record<string, any>>} */
  const byRun = new Map();
  for (const s of steps) {
    if (!byRun.has(s.run_id)) byRun.set(s.run_id, {});
    /** @type {Record<string, any>} */ (byRun.get(s.run_id))[s.step_id] = s;
  }
  const series = {
    trigger: /** @type {number[]} */ ([]),
    next: /** @type {number[]} */ ([]),
    gateway: /** @type {number[]} */ ([]),
    orchestrator: /** @type {number[]} */ ([]),
    executor: /** @type {number[]} */ ([]),
  };
  for (const [runId, s] of byRun) {
    const sentAt = /** @type {number} */ (sent.get(runId));
    series.trigger.push(s.a.started_at.getTime() - sentAt);
    // Where the trigger latency goes: request → run row (gateway), row → first step queued
    // (orchestrator), queued → attempt running (executor).
    series.gateway.push(s.a.run_created_at.getTime() - sentAt);
    series.orchestrator.push(s.a.queued_at.getTime() - s.a.run_created_at.getTime());
    series.executor.push(s.a.started_at.getTime() - s.a.queued_at.getTime());
    series.next.push(s.b.started_at.getTime() - s.a.completed_at.getTime());
    series.next.push(s.c.started_at.getTime() - s.b.completed_at.getTime());
  }
  const p = (/** @type {number[]} */ v) => ({ p50: percentile(v, 50), p99: percentile(v, 99) });
  return {
    runs: ids.length,
    target_rate: rate,
    achieved_rate: Number(achievedRate.toFixed(1)),
    trigger_to_first_step_ms: p(series.trigger),
    trigger_breakdown_ms: {
      request_to_run_row: p(series.gateway),
      run_row_to_step_queued: p(series.orchestrator),
      step_queued_to_running: p(series.executor),
    },
    step_to_next_step_ms: p(series.next),
  };
}

/**
 * What a steady-run sample records: memory of every service, outbox, consumer lag, database size.
 * @param {BenchContext} ctx
 * @param {number} done
 */
async function sample(ctx, done) {
  /** @type {Record<string, number>} */
  const rssMb = {};
  for (const [name, child] of ctx.stack.processes) {
    const bytes = child.pid === undefined ? null : rssBytesOf(child.pid);
    if (bytes !== null) rssMb[name] = Number((bytes / 1024 / 1024).toFixed(1));
  }
  const { rows } = await ctx.db.query(
    `SELECT (SELECT count(*)::int FROM outbox) AS outbox_rows,
            (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float FROM outbox) AS outbox_age_s,
            (SELECT count(*)::int FROM runs) AS runs_retained,
            pg_database_size(current_database())::bigint AS db_bytes`,
  );
  const lag = await consumerLag(ctx.natsUrl, ctx.namespace);
  return {
    done,
    rss_mb: rssMb,
    outbox_rows: rows[0].outbox_rows,
    outbox_age_s: Number(rows[0].outbox_age_s.toFixed(1)),
    lag: Object.values(lag).reduce((a, b) => a + b, 0),
    runs_retained: rows[0].runs_retained,
    db_mb: Number((Number(rows[0].db_bytes) / 1024 / 1024).toFixed(1)),
  };
}

/**
 * Runs `total` chain runs in a row, `batch` at a time, sampling after each batch. Flat memory
 * means: the last sample's RSS close to the first's (after warm-up), not rising batch after batch.
 * @param {BenchContext} ctx
 * @param {number} total
 * @param {number} batch
 * @param {(line: string) => void} log
 */
export async function steady(ctx, total, batch, log) {
  const samples = [];
  // A server with autovacuum off (as some development machines have) lets the engine's churning
  // tables bloat, which production does not (docs/operations.md): the bench then vacuums after
  // each batch, as autovacuum would, outside the measured time, and says so.
  const vacuumByBench = await autovacuumIsOff(ctx);
  if (vacuumByBench) log('  autovacuum is off on this server: the bench vacuums after each batch');
  let vacuumSeconds = 0;
  let measured = 0;
  for (let done = 0; done < total;) {
    const count = Math.min(batch, total - done);
    const batchStarted = performance.now();
    const ids = await submitAll(ctx.base, runRequests('chain', count, done), 16);
    await waitAllFinished(ctx.db, ids, 600_000);
    measured += performance.now() - batchStarted;
    done += count;
    if (vacuumByBench) {
      const vacuumStarted = performance.now();
      await vacuumEngineTables(ctx);
      vacuumSeconds += (performance.now() - vacuumStarted) / 1000;
    }
    const s = await sample(ctx, done);
    samples.push(s);
    const rss = Object.entries(s.rss_mb)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    log(
      `  steady ${done}/${total} runs: RSS MB ${rss}; outbox ${s.outbox_rows} (oldest ${s.outbox_age_s} s); lag ${s.lag}; db ${s.db_mb} MB`,
    );
  }
  const seconds = measured / 1000;
  const first = samples[0];
  const last = samples[samples.length - 1];
  /** @type {Record<string, { first: number, peak: number, last: number }>} */
  const rss = {};
  for (const name of Object.keys(last?.rss_mb ?? {})) {
    const values = samples.map((s) => s.rss_mb[name] ?? 0);
    rss[name] = { first: first?.rss_mb[name] ?? 0, peak: Math.max(...values), last: last?.rss_mb[name] ?? 0 };
  }
  const bytesPerRun = (/** @type {typeof last} */ s) =>
    s && s.runs_retained > 0 ? Math.round((s.db_mb * 1024 * 1024) / s.runs_retained) : 0;
  return {
    runs: total,
    seconds: Number(seconds.toFixed(1)),
    runs_per_second: Number((total / seconds).toFixed(1)),
    vacuumed_by_bench: vacuumByBench,
    vacuum_seconds: Number(vacuumSeconds.toFixed(1)),
    rss_mb: rss,
    outbox_rows_max: Math.max(...samples.map((s) => s.outbox_rows)),
    outbox_age_s_max: Math.max(...samples.map((s) => s.outbox_age_s)),
    lag_max: Math.max(...samples.map((s) => s.lag)),
    lag_last: last?.lag ?? 0,
    db_mb: { first: first?.db_mb ?? 0, last: last?.db_mb ?? 0 },
    db_bytes_per_retained_run: { first: bytesPerRun(first), last: bytesPerRun(last) },
  };
}
