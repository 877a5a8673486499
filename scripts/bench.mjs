// `npm run bench`: what the engine costs per step, through all five services as separate
// processes on the zero-latency simulated runtime, side by side with a peer engine measured in
// the same run (DBOS Transact, in-process on PostgreSQL: ../shared/bench-peers). Only same-run
// ratios mean anything on a shared machine. See docs/benchmarks.md. Options (environment):
//   BENCH_WARMUP_SECONDS (2)   each round's warm-up, as the peers': its rate sizes the round
//   BENCH_TARGET_SECONDS (10)  a measured round's length to aim for, as the peers' PEERS_TARGET_S
//   BENCH_CHAIN_RUNS           3-step chain runs per round, fixed instead of sized (0 skips the chain)
//   BENCH_FANOUT_RUNS          1→20→1 fan-out runs per round, fixed instead of sized (0 skips it)
//   BENCH_ROUNDS (2)           interleaved rounds (peer, ours, peer, ours…); the best of each counts
//   BENCH_PEER (dbos)          the peer of ../shared/bench-peers to compare with; `none` skips it
//   BENCH_RATE (50)            runs/s in the latency phase
//   BENCH_LATENCY_SECONDS (30) 1,500 runs at 50/s: enough that p99 is not one host stall
//   BENCH_HOP_RUNS (100)       runs sent one at a time to time each hop (0 skips it)
//   BENCH_EXECUTORS (1)        executor processes
//   BENCH_TENANT_CAP (0)       MAX_RUNNING_ATTEMPTS_PER_TENANT of the stack: 0 (no cap) like the
//                              peer's queue; 50 measures the default cap under a one-tenant flood
//   BENCH_INFLIGHT             the closed loop's bound of unfinished runs (100 chain, 20 fan-out), both sides
//   BENCH_STEADY_RUNS (0)      chain runs in a row for the steady phase (e.g. 100000); 0 skips it
//   BENCH_STEADY_BATCH (1000)  runs per steady batch (a sample after each)
//   BENCH_SCALING_LATENCY_MS (200)  executor scaling: chain attempts of this length, with
//                              BENCH_EXECUTORS executors then one more; 0 skips it
//   BENCH_SCALING_RUNS (600)   chain runs per executor-scaling measurement
//   BENCH_SCALING_INFLIGHT (200)  the closed loop's bound in the executor-scaling phase
//   BENCH_CPU_PROFILE_DIR      write a V8 CPU profile per service there (node --cpu-prof), for
//                              scripts/cpu-profile-summary.mjs
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { peerRunner, runPeer } from './lib/bench/peer.mjs';
import { executorScaling, hops, latency, steady, throughput, warmUp } from './lib/bench/phases.mjs';
import { rssBytesOf } from './lib/bench/process-usage.mjs';
import { api, deleteStreams, sleep } from './lib/bench/sandcastle.mjs';
import { inflightOf, WORKLOADS } from './lib/bench/workloads.mjs';

const require = createRequire(import.meta.url);
const { startStack, findFreeBasePort, stackPortCount } = require('./lib/stack.cjs');
const pg = require('pg');

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** A fixed number of runs per round from the environment, or null: sized by the warm-up. */
function fixedRuns(/** @type {string | undefined} */ value) {
  return value === undefined || value === '' ? null : Number(value);
}
const OPTIONS = {
  chainRuns: fixedRuns(process.env.BENCH_CHAIN_RUNS),
  fanoutRuns: fixedRuns(process.env.BENCH_FANOUT_RUNS),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
  targetSeconds: Number(process.env.BENCH_TARGET_SECONDS ?? 10),
  rounds: Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2)),
  peer: process.env.BENCH_PEER ?? 'dbos',
  rate: Number(process.env.BENCH_RATE ?? 50),
  latencySeconds: Number(process.env.BENCH_LATENCY_SECONDS ?? 30),
  hopRuns: Number(process.env.BENCH_HOP_RUNS ?? 100),
  executors: Number(process.env.BENCH_EXECUTORS ?? 1),
  tenantCap: Number(process.env.BENCH_TENANT_CAP ?? 0),
  steadyRuns: Number(process.env.BENCH_STEADY_RUNS ?? 0),
  steadyBatch: Number(process.env.BENCH_STEADY_BATCH ?? 1000),
  scalingLatencyMs: Number(process.env.BENCH_SCALING_LATENCY_MS ?? 200),
  scalingRuns: Number(process.env.BENCH_SCALING_RUNS ?? 600),
  scalingInflight: Number(process.env.BENCH_SCALING_INFLIGHT ?? 200),
  cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR ? path.resolve(process.env.BENCH_CPU_PROFILE_DIR) : null,
};
/** Bounds of a round sized by its warm-up (the peers' PEERS_MIN_N and PEERS_MAX_N). */
const MIN_SIZED_RUNS = 200;
const MAX_SIZED_RUNS = 100_000;
/** Runs per round when there is neither a warm-up to size it nor a fixed number. */
const DEFAULT_RUNS = { chain: 1000, fanout: 100 };
/** Attempts one executor runs at a time: the bound of the executor-scaling phase. */
const EXECUTOR_SLOTS = 64;
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const log = (/** @type {string} */ line) => console.error(line);
const ms = (/** @type {number} */ v) => `${v.toFixed(1)} ms`;
/** The Node.js line of the Docker image (its NODE_IMAGE argument): what production runs. */
const IMAGE_NODE_MAJOR = Number(
  /ARG NODE_IMAGE=node:(\d+)/.exec(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1],
);

/**
 * Polls every service's resident memory while the benchmark runs.
 * @param {import('./lib/stack.d.cts').Stack} stack
 */
function watchMemory(stack) {
  /** @type {Map<string, number>} */
  const peak = new Map();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const [name, child] of stack.processes) {
        const bytes = child.pid === undefined ? null : rssBytesOf(child.pid);
        if (bytes !== null) peak.set(name, Math.max(peak.get(name) ?? 0, bytes));
      }
      await sleep(250);
    }
  })();
  return { peak, stop: async () => ((stopped = true), await loop) };
}

/** How long libs/workflow takes to validate a 10,000-step chain (each step reading the previous output). */
function validationTimes() {
  const { parseWorkflowObject } = require('../libs/workflow/dist/index.js');
  const steps = Array.from({ length: 10_000 }, (_, i) =>
    i === 0
      ? { id: 's0', prompt: 'go' }
      : { id: `s${i}`, prompt: `{steps.s${i - 1}.output} {steps.s0.output}`, depends_on: [`s${i - 1}`] },
  );
  const time = (/** @type {object | undefined} */ limits, /** @type {boolean} */ expectOk) => {
    const started = performance.now();
    const result = parseWorkflowObject({ name: 'Chain', steps }, limits ? { limits } : {});
    const elapsed = Math.round(performance.now() - started);
    if (result.ok !== expectOk)
      throw new Error(
        `validation bench: expected ok=${expectOk}, got ${JSON.stringify(result).slice(0, 300)}`,
      );
    return elapsed;
  };
  return {
    chain_ms: time({ MAX_WORKFLOW_STEPS: 10_000, MAX_WORKFLOW_BYTES: 16 * 1024 * 1024 }, true),
    refused_ms: time(undefined, false),
  };
}

/**
 * The peers' discipline for one round (../shared/bench-peers/bench.js): a closed-loop warm-up of
 * BENCH_WARMUP_SECONDS, whose rate sizes the measured round to last about BENCH_TARGET_SECONDS
 * (rounded to 100 runs, 200 to 100,000), unless the round's runs are fixed.
 * @param {import('./lib/bench/phases.mjs').BenchContext} ctx
 * @param {'chain' | 'fanout'} workload
 * @param {number} inflight
 * @param {number | null} fixed
 * @returns {Promise<{ runs: number, warmupRate: number | null }>}
 */
async function warmUpAndSize(ctx, workload, inflight, fixed) {
  if (OPTIONS.warmupSeconds <= 0) return { runs: fixed ?? DEFAULT_RUNS[workload], warmupRate: null };
  const rate = await warmUp(ctx, workload, inflight, OPTIONS.warmupSeconds);
  const warmupRate = Number(rate.toFixed(1));
  if (fixed !== null) return { runs: fixed, warmupRate };
  const sized = Math.round((rate * OPTIONS.targetSeconds) / 100) * 100;
  return { runs: Math.max(MIN_SIZED_RUNS, Math.min(MAX_SIZED_RUNS, sized)), warmupRate };
}

/**
 * Interleaved rounds: for each workload, the peer then ours, `rounds` times; best of each.
 * @param {import('./lib/bench/phases.mjs').BenchContext} ctx
 * @param {string | null} runner
 */
async function compareThroughput(ctx, runner) {
  /** @type {Record<string, { ours: any[], peer: any[] }>} */
  const results = { chain: { ours: [], peer: [] }, fanout: { ours: [], peer: [] } };
  const runsOf = { chain: OPTIONS.chainRuns, fanout: OPTIONS.fanoutRuns };
  for (let round = 1; round <= OPTIONS.rounds; round++) {
    for (const workload of /** @type {const} */ (['chain', 'fanout'])) {
      if (runsOf[workload] === 0) continue;
      if (runner) {
        log(`round ${round}: ${OPTIONS.peer} ${WORKLOADS[workload].peerWorkload}…`);
        results[workload]?.peer.push(runPeer(runner, OPTIONS.peer, WORKLOADS[workload].peerWorkload));
      }
      const inflight = inflightOf(workload);
      const { runs, warmupRate } = await warmUpAndSize(ctx, workload, inflight, runsOf[workload]);
      log(
        `round ${round}: sandcastle ${workload}: warm-up ${warmupRate ?? '-'} runs/s → ${runs} runs, at most ${inflight} unfinished…`,
      );
      const measured = await throughput(ctx, workload, runs, inflight);
      log(
        `  ${measured.steps_per_second} steps/s; CPU ms per step ${JSON.stringify(measured.cpu_ms_per_step)}`,
      );
      results[workload]?.ours.push({ ...measured, warmup_runs_per_second: warmupRate });
    }
  }
  const best = (/** @type {any[]} */ list, /** @type {string} */ key) =>
    list.reduce((a, b) => (a === null || b[key] > a[key] ? b : a), null);
  return Object.fromEntries(
    Object.entries(results)
      .filter(([, r]) => r.ours.length > 0)
      .map(([workload, r]) => {
        const ours = best(r.ours, 'steps_per_second');
        const peer = best(r.peer, 'steps_per_s');
        return [
          workload,
          {
            ours,
            peer,
            all_rounds: {
              ours: r.ours.map((o) => o.steps_per_second),
              peer: r.peer.map((p) => p.steps_per_s),
            },
            ratio: peer ? Number((ours.steps_per_second / peer.steps_per_s).toFixed(2)) : null,
          },
        ];
      }),
  );
}

async function main() {
  const dbName = `sandcastle_bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const runner = OPTIONS.peer === 'none' ? null : peerRunner(REPO_ROOT);
  log(`bench: database ${dbName}, ${OPTIONS.executors} executor(s), peer ${runner ? OPTIONS.peer : 'none'}`);
  const namespace = `bench${randomBytes(3).toString('hex')}`;
  const stack = await startStack({
    databaseUrl,
    natsUrl: NATS_URL,
    natsNamespace: namespace,
    // One executor more than asked when the scaling phase starts one (its port is kept free).
    basePort: await findFreeBasePort(
      stackPortCount({ executors: OPTIONS.executors + (OPTIONS.scalingLatencyMs > 0 ? 1 : 0) }),
    ),
    executors: OPTIONS.executors,
    embedded: false,
    stdio: 'ignore',
    nodeArgs: (name) =>
      OPTIONS.cpuProfileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${OPTIONS.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
        : [],
    env: {
      SIMULATED_LATENCY_MS: 0,
      SIMULATED_COST_USD: 0.001,
      LOG_LEVEL: 'warn',
      EXECUTOR_CONCURRENCY: EXECUTOR_SLOTS,
      // The bench is one client sending thousands of runs a minute: the gateway's per-client
      // rate limits (a guard against hostile tenants) would measure themselves, not the engine.
      RATE_LIMIT_PER_MINUTE: 0,
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 0,
      // The peer runs with no concurrency limit; the bench's one tenant flooding its cap would
      // measure the cap's hand-offs, not the engine (BENCH_TENANT_CAP=50 measures exactly that).
      MAX_RUNNING_ATTEMPTS_PER_TENANT: OPTIONS.tenantCap,
    },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const memory = watchMemory(stack);
  const ctx = { base: stack.gatewayUrl, db, dbName, stack, natsUrl: NATS_URL, namespace };
  /** @type {Record<string, any>} */
  const report = { options: OPTIONS, node: process.version, peer: runner ? OPTIONS.peer : null };
  try {
    for (const w of Object.values(WORKLOADS)) {
      await api(ctx.base, 'POST', '/workflows', { name: w.workflow, content: w.yaml });
    }
    report.throughput = await compareThroughput(ctx, runner);
    // Without chain rounds nothing has warmed the services up for the phases that follow.
    if (OPTIONS.chainRuns === 0 && OPTIONS.warmupSeconds > 0) {
      await warmUp(ctx, 'chain', inflightOf('chain'), OPTIONS.warmupSeconds);
    }
    log(`latency phase: ${OPTIONS.rate} runs/s for ${OPTIONS.latencySeconds} s…`);
    report.latency = await latency(ctx, OPTIONS.rate, OPTIONS.latencySeconds);
    if (OPTIONS.hopRuns > 0) {
      log(`hops: ${OPTIONS.hopRuns} runs one at a time…`);
      report.hops = await hops(ctx, OPTIONS.hopRuns);
    }
    if (OPTIONS.steadyRuns > 0) {
      log(`steady phase: ${OPTIONS.steadyRuns} runs in a row…`);
      report.steady = await steady(ctx, OPTIONS.steadyRuns, OPTIONS.steadyBatch, log);
    }
    if (OPTIONS.scalingLatencyMs > 0) {
      // Last: the stack keeps the executor it starts.
      const executorName = /** @type {`executor-${number}`} */ (`executor-${OPTIONS.executors + 1}`);
      log(
        `executor scaling: ${OPTIONS.scalingRuns} chain runs of ${OPTIONS.scalingLatencyMs} ms attempts, ` +
          `${OPTIONS.executors} executor(s), then ${OPTIONS.executors + 1}…`,
      );
      report.executor_scaling = {
        executors_before: OPTIONS.executors,
        slots_per_executor: EXECUTOR_SLOTS,
        ...(await executorScaling(ctx, {
          latencyMs: OPTIONS.scalingLatencyMs,
          runs: OPTIONS.scalingRuns,
          inflight: OPTIONS.scalingInflight,
          executorName,
        })),
      };
    }
  } finally {
    await memory.stop();
    report.peak_memory_mb = Object.fromEntries(
      [...memory.peak].map(([name, bytes]) => [name, Number((bytes / 1024 / 1024).toFixed(1))]),
    );
    await db.end();
    await stack.stop();
    await deleteStreams(NATS_URL, namespace);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  report.validation = validationTimes();
  printReport(report);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`(details in ${file})`);
}

/** @param {Record<string, any>} report */
function printReport(report) {
  console.log(
    `\nSandcastle benchmark (simulated runtime, zero latency, five services, ${OPTIONS.executors} executor(s), ` +
      `tenant cap ${OPTIONS.tenantCap > 0 ? OPTIONS.tenantCap : 'off'}, node ${report.node})`,
  );
  if (Number(report.node.slice(1).split('.')[0]) !== IMAGE_NODE_MAJOR) {
    console.log(
      `  note: the image runs Node ${IMAGE_NODE_MAJOR} (Dockerfile); on ${report.node} every service costs more ` +
        `(docs/benchmarks.md, "Which Node")`,
    );
  }
  for (const [workload, r] of Object.entries(report.throughput)) {
    const peer = r.peer
      ? `; ${report.peer} ${r.peer.steps_per_s} steps/s → ratio ${r.ratio}`
      : '; no peer measured';
    console.log(
      `throughput ${workload}: ${r.ours.steps_per_second} steps/s (${r.ours.runs_per_second} runs/s, ${JSON.stringify(r.ours.statuses)})${peer}` +
        ` [rounds: ours ${r.all_rounds.ours.join(', ')}${r.peer ? `; peer ${r.all_rounds.peer.join(', ')}` : ''}]`,
    );
    console.log(
      `  CPU per step: ${Object.entries(r.ours.cpu_ms_per_step)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')}`,
    );
    console.log(
      `  write calls per step: ${Object.entries(r.ours.writes_per_step)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  const l = report.latency;
  console.log(`latency at ${l.achieved_rate} runs/s (${l.runs} runs):`);
  console.log(
    `  trigger → first step start  p50 ${ms(l.trigger_to_first_step_ms.p50)}  p99 ${ms(l.trigger_to_first_step_ms.p99)}`,
  );
  const b = l.trigger_breakdown_ms;
  console.log(
    `    request → run row p50 ${ms(b.request_to_run_row.p50)} p99 ${ms(b.request_to_run_row.p99)}; ` +
      `run row → step queued p50 ${ms(b.run_row_to_step_queued.p50)} p99 ${ms(b.run_row_to_step_queued.p99)}; ` +
      `queued → running p50 ${ms(b.step_queued_to_running.p50)} p99 ${ms(b.step_queued_to_running.p99)}`,
  );
  console.log(
    `  step done → next step start  p50 ${ms(l.step_to_next_step_ms.p50)}  p99 ${ms(l.step_to_next_step_ms.p99)}`,
  );
  const peerLatency = report.throughput.chain?.peer;
  if (peerLatency) {
    console.log(
      `  ${report.peer} (same run, ${peerLatency.latency_rate_per_s} wf/s): first step p50 ${peerLatency.first_step_p50_ms} ms p99 ${peerLatency.first_step_p99_ms} ms`,
    );
  }
  if (report.hops) {
    console.log(`hops, one run at a time (p50 / p90 / p99 ms):`);
    for (const [hop, v] of Object.entries(report.hops)) {
      console.log(`  ${hop.replaceAll('_', ' ')}: ${v.p50} / ${v.p90} / ${v.p99}`);
    }
  }
  if (report.steady) {
    const s = report.steady;
    console.log(
      `steady: ${s.runs} runs in ${s.seconds} s (${s.runs_per_second} runs/s)` +
        (s.vacuumed_by_bench
          ? `; autovacuum off: the bench vacuumed after each batch (${s.vacuum_seconds} s)`
          : ''),
    );
    console.log(
      `  RSS MB first/peak/last: ${Object.entries(s.rss_mb)
        .map(([k, v]) => `${k} ${v.first}/${v.peak}/${v.last}`)
        .join(', ')}`,
    );
    console.log(
      `  outbox max ${s.outbox_rows_max} rows (oldest ${s.outbox_age_s_max} s); consumer lag max ${s.lag_max}, last ${s.lag_last}; ` +
        `database ${s.db_mb.first} → ${s.db_mb.last} MB (${s.db_bytes_per_retained_run.first} → ${s.db_bytes_per_retained_run.last} bytes per retained run)`,
    );
  }
  if (report.executor_scaling) {
    const e = report.executor_scaling;
    console.log(
      `executor scaling (attempts of ${e.latency_ms} ms, ${e.slots_per_executor} slots per executor, at most ${e.inflight} runs unfinished): ` +
        `${e.executors_before} executor(s) ${e.before.steps_per_second} steps/s, ${e.executors_before + 1} executors ` +
        `${e.after.steps_per_second} steps/s (×${e.gain}) ${JSON.stringify(e.after.statuses)}`,
    );
  }
  console.log(
    `peak memory (RSS): ${Object.entries(report.peak_memory_mb)
      .map(([k, v]) => `${k} ${v} MB`)
      .join(', ')}`,
  );
  console.log(
    `validation (limits raised to 10 000 steps): 10 000-step chain ${report.validation.chain_ms} ms; ` +
      `refused by the default step limit in ${report.validation.refused_ms} ms`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
