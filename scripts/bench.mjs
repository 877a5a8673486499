// `npm run bench`: throughput and latency of the engine through all five services on the
// simulated runtime with zero latency. Prints steps/s, runs/s, trigger→first-step and
// step→next-step latency percentiles, and peak memory per service. Options (env):
//   BENCH_CHAIN_RUNS (1000)   3-step chain runs in the throughput phase
//   BENCH_FANOUT_RUNS (100)   1→20→1 fan-out runs in the throughput phase
//   BENCH_RATE (50)          runs/s in the latency phase
//   BENCH_LATENCY_SECONDS (10)
//   BENCH_EXECUTORS (1)      executor processes
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { startStack, findFreeBasePort, stackPortCount } = require('./lib/stack.cjs');
const pg = require('pg');

const CHAIN_RUNS = Number(process.env.BENCH_CHAIN_RUNS ?? 1000);
const FANOUT_RUNS = Number(process.env.BENCH_FANOUT_RUNS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const EXECUTORS = Number(process.env.BENCH_EXECUTORS ?? 1);
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CHAIN = `name: Bench Chain
runtime: simulated
steps:
  - id: a
    prompt: "first {input.n}"
  - id: b
    depends_on: [a]
    prompt: "second {steps.a.output}"
  - id: c
    depends_on: [b]
    prompt: "third"
`;
const FANOUT = `name: Bench Fanout
runtime: simulated
steps:
  - id: split
    prompt: "split"
    output_schema:
      type: object
      properties: { items: { type: array, minItems: 20, maxItems: 20, items: { type: string } } }
      required: [items]
  - id: each
    depends_on: [split]
    parallel_over: steps.split.output.items
    prompt: "work on {input._item}"
  - id: join
    depends_on: [each]
    prompt: "join"
`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;

async function api(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = /** @type {any} */ (await res.json());
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Polls every service's resident memory while the benchmark runs. */
function watchMemory(stack) {
  const peak = new Map();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await Promise.all(
        stack.services.map(async (name) => {
          try {
            const text = await (await fetch(`${stack.urlOf(name)}/metrics`)).text();
            const m = text.match(/_process_resident_memory_bytes\{[^}]*\} (\d+)/);
            if (m) peak.set(name, Math.max(peak.get(name) ?? 0, Number(m[1])));
          } catch {
            // a service busy or restarting: next tick
          }
        }),
      );
      await sleep(250);
    }
  })();
  return { peak, stop: async () => ((stopped = true), await loop) };
}

async function waitAllFinished(db, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status IN ('queued','running')`,
      [ids],
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} runs still unfinished`);
    await sleep(50);
  }
}

async function submitAll(base, requests, concurrency) {
  const ids = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const request = requests[next++];
        ids.push((await api(base, 'POST', '/workflows/run', request)).run_id);
      }
    }),
  );
  return ids;
}

/** Removes the benchmark's streams (and its stopped-runs bucket) from the NATS server. */
async function deleteStreams(namespace) {
  const { connect } = require('@nats-io/transport-node');
  const { jetstreamManager } = require('@nats-io/jetstream');
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const jsm = await jetstreamManager(nc);
  const upper = namespace.toUpperCase();
  for (const name of ['COMMANDS', 'STEPS', 'RESULTS', 'EVENTS']) {
    await jsm.streams.delete(`${upper}_${name}`).catch(() => undefined);
  }
  await jsm.streams.delete(`KV_${upper}_STOPPED_RUNS`).catch(() => undefined);
  await nc.close();
}

/** How long libs/workflow takes to validate a 10,000-step chain (each step reading the previous output). */
function validationTimes() {
  const { parseWorkflowObject } = require('../libs/workflow/dist/index.js');
  const steps = Array.from({ length: 10_000 }, (_, i) =>
    i === 0
      ? { id: 's0', prompt: 'go' }
      : { id: `s${i}`, prompt: `{steps.s${i - 1}.output} {steps.s0.output}`, depends_on: [`s${i - 1}`] },
  );
  const time = (limits) => {
    const started = performance.now();
    parseWorkflowObject({ name: 'Chain', steps }, limits);
    return Math.round(performance.now() - started);
  };
  return {
    chain_ms: time({ MAX_WORKFLOW_STEPS: 10_000, MAX_WORKFLOW_BYTES: 16 * 1024 * 1024 }),
    refused_ms: time(undefined),
  };
}

async function main() {
  const dbName = `sandcastle_bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  console.error(`bench: database ${dbName}, ${EXECUTORS} executor(s)`);
  const namespace = `bench${randomBytes(3).toString('hex')}`;
  const stack = await startStack({
    databaseUrl,
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    natsNamespace: namespace,
    basePort: await findFreeBasePort(stackPortCount({ executors: EXECUTORS })),
    executors: EXECUTORS,
    embedded: false,
    stdio: 'ignore',
    env: { SIMULATED_LATENCY_MS: 0, SIMULATED_COST_USD: 0.001, LOG_LEVEL: 'warn', EXECUTOR_CONCURRENCY: 64 },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const memory = watchMemory(stack);
  const base = stack.gatewayUrl;
  const report = {};
  try {
    await api(base, 'POST', '/workflows', { name: 'bench-chain', content: CHAIN });
    await api(base, 'POST', '/workflows', { name: 'bench-fanout', content: FANOUT });
    // Warm-up: JIT, connection pools, consumers.
    const warm = await submitAll(
      base,
      Array.from({ length: 20 }, (_, n) => ({ workflow: 'bench-chain', input: { n } })),
      8,
    );
    await waitAllFinished(db, warm, 60_000);

    // Phase 1: sustained throughput, everything submitted at once.
    const requests = [
      ...Array.from({ length: CHAIN_RUNS }, (_, n) => ({ workflow: 'bench-chain', input: { n } })),
      ...Array.from({ length: FANOUT_RUNS }, (_, n) => ({ workflow: 'bench-fanout', input: { n } })),
    ].sort(() => Math.random() - 0.5);
    const t0 = performance.now();
    const ids = await submitAll(base, requests, 16);
    await waitAllFinished(db, ids, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const { rows: counts } = await db.query(
      `SELECT count(*)::int AS steps FROM step_attempts WHERE run_id = ANY($1)`,
      [ids],
    );
    const { rows: statuses } = await db.query(
      `SELECT status, count(*)::int AS n FROM runs WHERE id = ANY($1) GROUP BY 1`,
      [ids],
    );
    report.throughput = {
      runs: ids.length,
      steps: counts[0].steps,
      seconds: Number(seconds.toFixed(2)),
      steps_per_second: Math.round(counts[0].steps / seconds),
      runs_per_second: Number((ids.length / seconds).toFixed(1)),
      statuses: Object.fromEntries(statuses.map((r) => [r.status, r.n])),
    };

    // Phase 2: latency at a steady arrival rate of chain runs.
    const sent = new Map();
    const latencyIds = [];
    const total = RATE * LATENCY_SECONDS;
    const start = performance.now();
    const inflight = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inflight.push(
        (async () => {
          const at = Date.now();
          const { run_id } = await api(base, 'POST', '/workflows/run', {
            workflow: 'bench-chain',
            input: { n: i },
          });
          sent.set(run_id, at);
          latencyIds.push(run_id);
        })(),
      );
    }
    await Promise.all(inflight);
    const achievedRate = total / ((performance.now() - start) / 1000);
    await waitAllFinished(db, latencyIds, 120_000);
    const { rows: steps } = await db.query(
      `SELECT s.run_id, s.step_id, s.started_at, s.completed_at, s.queued_at, r.created_at AS run_created_at,
              r.started_at AS run_started_at
         FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = ANY($1)`,
      [latencyIds],
    );
    const byRun = new Map();
    for (const s of steps) {
      if (!byRun.has(s.run_id)) byRun.set(s.run_id, {});
      byRun.get(s.run_id)[s.step_id] = s;
    }
    const triggerToFirst = [];
    const stepToNext = [];
    const gatewayPart = [];
    const orchestratorPart = [];
    const executorPart = [];
    for (const [runId, s] of byRun) {
      triggerToFirst.push(s.a.started_at.getTime() - sent.get(runId));
      // Where the trigger latency goes: request → run row (gateway), row → run started and first
      // step queued (orchestrator picks up the command), queued → attempt running (executor).
      gatewayPart.push(s.a.run_created_at.getTime() - sent.get(runId));
      orchestratorPart.push(s.a.queued_at.getTime() - s.a.run_created_at.getTime());
      executorPart.push(s.a.started_at.getTime() - s.a.queued_at.getTime());
      stepToNext.push(s.b.started_at.getTime() - s.a.completed_at.getTime());
      stepToNext.push(s.c.started_at.getTime() - s.b.completed_at.getTime());
    }
    report.latency = {
      runs: latencyIds.length,
      target_rate: RATE,
      achieved_rate: Number(achievedRate.toFixed(1)),
      trigger_to_first_step_ms: { p50: pct(triggerToFirst, 50), p99: pct(triggerToFirst, 99) },
      trigger_breakdown_ms: {
        request_to_run_row: { p50: pct(gatewayPart, 50), p99: pct(gatewayPart, 99) },
        run_row_to_step_queued: { p50: pct(orchestratorPart, 50), p99: pct(orchestratorPart, 99) },
        step_queued_to_running: { p50: pct(executorPart, 50), p99: pct(executorPart, 99) },
      },
      step_to_next_step_ms: { p50: pct(stepToNext, 50), p99: pct(stepToNext, 99) },
    };
  } finally {
    await memory.stop();
    report.peak_memory_mb = Object.fromEntries(
      [...memory.peak].map(([name, bytes]) => [name, Number((bytes / 1024 / 1024).toFixed(1))]),
    );
    await db.end();
    await stack.stop();
    await deleteStreams(namespace);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }

  const t = report.throughput;
  const l = report.latency;
  console.log('\nSandcastle benchmark (simulated runtime, zero latency, all five services)');
  console.log(
    `throughput: ${t.runs} runs / ${t.steps} steps in ${t.seconds}s → ${t.steps_per_second} steps/s, ${t.runs_per_second} runs/s ${JSON.stringify(t.statuses)}`,
  );
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
  console.log(
    `peak memory (RSS): ${Object.entries(report.peak_memory_mb)
      .map(([k, v]) => `${k} ${v} MB`)
      .join(', ')}`,
  );
  report.validation = validationTimes();
  console.log(
    `validation (limits raised to 10 000 steps): 10 000-step chain ${report.validation.chain_ms} ms; ` +
      `refused by the default step limit in ${report.validation.refused_ms} ms`,
  );
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`(details in ${file})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
