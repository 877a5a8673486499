'use strict';
// Which processes a stack runs, on which ports, with which environment. Pure functions: the
// launcher and its tests share them, and the port layout is the contract the docs promise
// (gateway P, orchestrator P+1, executor P+2, scheduler P+3, notifier P+4, extra executors P+5…).
const path = require('node:path');

/** The five apps, in port order. */
const APPS = /** @type {const} */ (['gateway', 'orchestrator', 'executor', 'scheduler', 'notifier']);

/**
 * The app a service name runs: `executor-3` → `executor`.
 * @param {string} name
 * @returns {string}
 */
function appOf(name) {
  const match = /^executor-(\d+)$/.exec(name);
  if (match) return 'executor';
  if (!APPS.includes(/** @type {any} */ (name))) {
    throw new Error(`unknown service '${name}' (expected one of ${APPS.join(', ')} or executor-N)`);
  }
  return name;
}

/**
 * Port of a service for a base port P.
 * @param {string} name
 * @param {number} basePort
 * @returns {number}
 */
function portOf(name, basePort) {
  const match = /^executor-(\d+)$/.exec(name);
  if (match) {
    const index = Number(match[1]);
    if (index < 2) throw new Error(`'${name}': extra executors are numbered from 2`);
    return basePort + APPS.length + index - 2;
  }
  return basePort + APPS.indexOf(/** @type {any} */ (appOf(name)));
}

/**
 * Service names for a stack: the chosen apps, with `executor` expanded to `executors` processes.
 * @param {{services?: readonly string[], executors?: number}} options
 * @returns {string[]}
 */
function serviceNames({ services = APPS, executors = 1 }) {
  if (!Number.isInteger(executors) || executors < 1) {
    throw new Error(`executors must be a positive integer, got ${String(executors)}`);
  }
  const names = [];
  for (const service of services) {
    appOf(service);
    if (service === 'executor') {
      names.push('executor');
      for (let index = 2; index <= executors; index += 1) names.push(`executor-${index}`);
    } else if (!names.includes(service)) {
      names.push(service);
    }
  }
  return names;
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

module.exports = { APPS, appOf, portOf, serviceNames, needsDatabase, serviceEnv, defaultEntry };
