// Talking to the Sandcastle stack under benchmark: the REST API, the database, the broker.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

// node:http with a keep-alive agent, not fetch: the bench's own CPU counts in the figures, and
// fetch costs about twice as much per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * @param {string} base
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export function api(base, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      base + path,
      {
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if ((res.statusCode ?? 0) >= 300)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`));
            else resolve(json.data);
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Submits run requests with `concurrency` requests in flight; returns the run ids.
 * @param {string} base
 * @param {unknown[]} requests
 * @param {number} concurrency
 * @returns {Promise<string[]>}
 */
export async function submitAll(base, requests, concurrency) {
  /** @type {string[]} */
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

/**
 * @param {import('pg').Client} db
 * @param {string[]} ids
 * @param {number} timeoutMs
 * @param {number} [pollMs] how often to look
 */
export async function waitAllFinished(db, ids, timeoutMs, pollMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1) AND status IN ('queued','running')`,
      [ids],
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} runs still unfinished`);
    await sleep(pollMs);
  }
}

/**
 * Attempts and run statuses of a set of runs.
 * @param {import('pg').Client} db
 * @param {string[]} ids
 */
export async function outcomeOf(db, ids) {
  const { rows: counts } = await db.query(
    `SELECT count(*)::int AS steps FROM step_attempts WHERE run_id = ANY($1)`,
    [ids],
  );
  const { rows: statuses } = await db.query(
    `SELECT status, count(*)::int AS n FROM runs WHERE id = ANY($1) GROUP BY 1`,
    [ids],
  );
  return {
    steps: /** @type {number} */ (counts[0].steps),
    statuses: Object.fromEntries(statuses.map((r) => [r.status, r.n])),
  };
}

/**
 * Process ids of the PostgreSQL backends serving a database (the services' pools).
 * @param {import('pg').Client} db
 * @param {string} database
 * @returns {Promise<number[]>}
 */
export async function backendPids(db, database) {
  const { rows } = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rows.map((r) => r.pid);
}

/**
 * Removes the benchmark's streams (and its KV buckets) from the NATS server.
 * @param {string} natsUrl
 * @param {string} namespace
 */
export async function deleteStreams(natsUrl, namespace) {
  const { connect } = require('@nats-io/transport-node');
  const { jetstreamManager } = require('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const upper = namespace.toUpperCase();
  // Every stream of the namespace and of its KV buckets, whichever the stack has created.
  const names = [];
  for await (const name of jsm.streams.names()) {
    if (name.startsWith(`${upper}_`) || name.startsWith(`KV_${upper}_`)) names.push(name);
  }
  for (const name of names) await jsm.streams.delete(name).catch(() => undefined);
  await nc.close();
}

/**
 * Messages waiting for each durable consumer of the namespace's streams (consumer lag).
 * @param {string} natsUrl
 * @param {string} namespace
 * @returns {Promise<Record<string, number>>}
 */
export async function consumerLag(natsUrl, namespace) {
  const { connect } = require('@nats-io/transport-node');
  const { jetstreamManager } = require('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    /** @type {Record<string, number>} */
    const lag = {};
    for (const name of ['COMMANDS', 'STEPS', 'RESULTS', 'EVENTS']) {
      const stream = `${namespace.toUpperCase()}_${name}`;
      const consumers = await jsm.consumers
        .list(stream)
        .next()
        .catch(() => []);
      for (const info of consumers) {
        lag[`${name.toLowerCase()}/${info.name}`] = info.num_pending + info.num_ack_pending;
      }
    }
    return lag;
  } finally {
    await nc.close();
  }
}

/**
 * Closed loop, the discipline of the peers' bench (../shared/bench-peers): at most `inflight`
 * runs submitted but not finished; a run's `result` event (core NATS, `<ns>.evt.run.*.result`)
 * frees its place for the next request. With `submitForMs`, sending stops once that much time has
 * passed (the peers' timed warm-up) and the loop waits for the runs already sent. Returns the run
 * ids, when the loop started and when each run finished (performance.now() of this process).
 * @param {{ base: string, natsUrl: string, namespace: string }} ctx
 * @param {unknown[]} requests
 * @param {number} inflight
 * @param {number} timeoutMs
 * @param {{ submitForMs?: number }} [options]
 * @returns {Promise<{ ids: string[], startedAt: number, lastFinishedAt: number, finishTimes: number[] }>}
 */
export async function submitClosedLoop(ctx, requests, inflight, timeoutMs, { submitForMs = Infinity } = {}) {
  const { connect } = require('@nats-io/transport-node');
  const nc = await connect({ servers: ctx.natsUrl });
  /** @type {string[]} */
  const ids = [];
  const mine = new Set();
  const finishedEarly = new Set(); // a result can arrive before its request's answer
  let finished = 0;
  let lastFinishedAt = 0;
  /** @type {number[]} */
  const finishTimes = [];
  const markFinished = () => {
    finished++;
    lastFinishedAt = performance.now();
    finishTimes.push(lastFinishedAt);
  };
  /** @type {(() => void) | null} */
  let wake = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // The contract's subject for one event type of every run (libs/contracts), not a copy of its layout.
  const { natsNames } = require('../../../libs/contracts/dist/index.js');
  const sub = nc.subscribe(natsNames(ctx.namespace).runEventsOfType('result'), {
    callback: (_err, msg) => {
      const runId = msg.subject.split('.').at(-2);
      if (mine.has(runId)) {
        mine.delete(runId);
        markFinished();
        poke();
      } else finishedEarly.add(runId);
    },
  });
  await nc.flush();
  const deadline = Date.now() + timeoutMs;
  const startedAt = performance.now();
  try {
    let next = 0;
    /** Runs the loop sends and waits for: fewer than requested once `submitForMs` is up. */
    let total = requests.length;
    /** @type {unknown} */
    let failure = null;
    while (finished < total) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`${total - finished} runs still unfinished`);
      if (performance.now() - startedAt >= submitForMs) total = next;
      while (next < total && next - finished < inflight) {
        const request = requests[next++];
        api(ctx.base, 'POST', '/workflows/run', request).then(
          ({ run_id }) => {
            ids.push(run_id);
            if (finishedEarly.delete(run_id)) markFinished();
            else mine.add(run_id);
            poke();
          },
          (err) => {
            failure = err;
            poke();
          },
        );
      }
      if (finished >= total) break;
      await new Promise((resolve) => {
        wake = () => resolve(undefined);
        setTimeout(poke, 1000).unref();
      });
    }
    return { ids, startedAt, lastFinishedAt, finishTimes };
  } finally {
    sub.unsubscribe();
    await nc.close();
  }
}
