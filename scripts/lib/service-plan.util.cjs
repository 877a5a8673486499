'use strict';
// Which processes a stack runs, on which ports, with which environment. Pure functions: the
// launcher and its tests share them, and the port layout is the contract the docs promise
// (gateway P, orchestrator P+1, executor P+2, scheduler P+3, notifier P+4, extra executors
// P+5…P+19, extra orchestrators P+20…).
const path = require('node:path');

/** The five apps, in port order. */
const APPS = /** @type {const} */ (['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier']);

/** Apps that may run as several processes: `executor-2`, `orchestrator-2`, … */
const REPLICATED = /** @type {const} */ (['executor', 'orchestrator']);

/** Offset of `executor-2` from the base port; extra executors fill P+5 … P+19. */
const EXTRA_EXECUTORS_OFFSET = APPS.length;
/** Offset of `orchestrator-2` from the base port, after the executors' block. */
const EXTRA_ORCHESTRATORS_OFFSET = 20;
/** Most executor processes in one stack: their ports must stay below the orchestrators' block. */
const MAX_EXECUTORS = EXTRA_ORCHESTRATORS_OFFSET - EXTRA_EXECUTORS_OFFSET + 1;

/**
 * An extra replica's app and number: `executor-3` → {app: 'executor', index: 3}; null otherwise.
 * @param {string} name
 * @returns {{app: 'executor' | 'orchestrator', index: number} | null}
 */
function replicaOf(name) {
  const match = /^(executor|orchestrator)-(\d+)$/.exec(name);
  if (!match) return null;
  return { app: /** @type {'executor' | 'orchestrator'} */ (match[1]), index: Number(match[2]) };
}

/**
 * The app a service name runs: `executor-3` → `executor`, `orchestrator-2` → `orchestrator`.
 * @param {string} name
 * @returns {import('./stack.d.cts').AppName}
 */
function appOf(name) {
  const replica = replicaOf(name);
  if (replica) return replica.app;
  if (!APPS.includes(/** @type {any} */ (name))) {
    throw new Error(
      `unknown service '${name}' (expected one of ${APPS.join(', ')}, executor-N or orchestrator-N)`,
    );
  }
  return /** @type {import('./stack.d.cts').AppName} */ (name);
}

/**
 * Port of a service for a base port P.
 * @param {string} name
 * @param {number} basePort
 * @returns {number}
 */
function portOf(name, basePort) {
  const replica = replicaOf(name);
  if (replica) {
    if (replica.index < 2) throw new Error(`'${name}': extra ${replica.app}s are numbered from 2`);
    if (replica.app === 'orchestrator') return basePort + EXTRA_ORCHESTRATORS_OFFSET + replica.index - 2;
    if (replica.index > MAX_EXECUTORS) {
      throw new Error(
        `'${name}': at most ${MAX_EXECUTORS} executors per stack (ports P+${EXTRA_EXECUTORS_OFFSET}…P+${EXTRA_ORCHESTRATORS_OFFSET - 1}; extra orchestrators start at P+${EXTRA_ORCHESTRATORS_OFFSET})`,
      );
    }
    return basePort + EXTRA_EXECUTORS_OFFSET + replica.index - 2;
  }
  return basePort + APPS.indexOf(/** @type {any} */ (appOf(name)));
}

/**
 * @param {string} what
 * @param {number} count
 * @param {number} [max]
 */
function checkCount(what, count, max = Infinity) {
  if (!Number.isInteger(count) || count < 1 || count > max) {
    const range = max === Infinity ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new Error(`${what} must be ${range}, got ${String(count)}`);
  }
}

/**
 * Service names for a stack: the chosen apps, with `executor` expanded to `executors` processes
 * and `orchestrator` to `orchestrators` processes.
 * @param {{services?: readonly string[], executors?: number, orchestrators?: number}} options
 * @returns {import('./stack.d.cts').ServiceName[]}
 */
function serviceNames({ services = APPS, executors = 1, orchestrators = 1 }) {
  checkCount('executors', executors, MAX_EXECUTORS);
  checkCount('orchestrators', orchestrators);
  /** @type {Record<string, number>} */
  const counts = { executor: executors, orchestrator: orchestrators };
  /** @type {string[]} */
  const names = [];
  for (const service of services) {
    appOf(service);
    if (names.includes(service)) continue;
    names.push(service);
    if (REPLICATED.includes(/** @type {any} */ (service))) {
      for (let index = 2; index <= (counts[service] ?? 1); index += 1) names.push(`${service}-${index}`);
    }
  }
  return /** @type {import('./stack.d.cts').ServiceName[]} */ (names);
}

/**
 * How many consecutive ports from the base port a stack needs (for `findFreeBasePort`).
 * @param {{executors?: number, orchestrators?: number}} [options]
 * @returns {number}
 */
function stackPortCount({ executors = 1, orchestrators = 1 } = {}) {
  const names = serviceNames({ executors, orchestrators });
  return Math.max(...names.map((name) => portOf(name, 0))) + 1;
}

/**
 * Whether a service talks to PostgreSQL (everything but executors: they get all they need in the
 * dispatch message, see DESIGN.md rule 8).
 * @param {string} name
 */
function needsDatabase(name) {
  return appOf(name) !== 'executor';
}

/**
 * The environment of one service process. Values the launcher owns (URLs, namespace, port) win
 * over the caller's extras, because a stray PORT in `env` would make every app collide.
 * @param {object} input
 * @param {string} input.name
 * @param {number} input.basePort
 * @param {string} input.natsUrl
 * @param {string} input.natsNamespace
 * @param {string | undefined} input.databaseUrl
 * @param {string} input.cwd
 * @param {Record<string, string | undefined>} input.baseEnv  usually process.env
 * @param {Record<string, string>} input.extraEnv
 * @returns {Record<string, string>}
 */
function serviceEnv({ name, basePort, natsUrl, natsNamespace, databaseUrl, cwd, baseEnv, extraEnv }) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const [key, value] of Object.entries(baseEnv)) {
    if (value !== undefined) env[key] = value;
  }
  // The workflows shipped with the repo, unless the caller points elsewhere.
  if (appOf(name) === 'gateway' && !env.WORKFLOWS_DIR && !extraEnv.WORKFLOWS_DIR) {
    env.WORKFLOWS_DIR = path.join(cwd, 'workflows');
  }
  Object.assign(env, extraEnv);
  env.NATS_URL = natsUrl;
  env.NATS_NAMESPACE = natsNamespace;
  env.PORT = String(portOf(name, basePort));
  env.SANDCASTLE_SERVICE = name;
  env.LOG_LEVEL = env.LOG_LEVEL || 'info';
  if (needsDatabase(name) && databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/**
 * The compiled entry point of an app.
 * @param {string} cwd
 * @param {string} app
 */
function defaultEntry(cwd, app) {
  return path.join(cwd, 'apps', app, 'dist', 'main.js');
}

module.exports = {
  APPS,
  MAX_EXECUTORS,
  appOf,
  portOf,
  serviceNames,
  stackPortCount,
  needsDatabase,
  serviceEnv,
  defaultEntry,
};
