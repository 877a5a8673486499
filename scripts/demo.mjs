#!/usr/bin/env node
// `npm run demo`: build, start the whole stack (services' logs go to .sandcastle/logs/), run the
// lead-enrichment workflow end to end through the REST API while printing its progress, then
// stop. Exit 0 only if the run completed.
//
//   npm run demo                  build, run, stop
//   npm run demo -- --keep        leave the stack running afterwards (Ctrl-C stops it)
//   npm run demo -- --skip-build  reuse the last build
//   npm run demo -- --install-deps  without a nats-server on PATH, install Debian's (apt-get) or
//                                   Homebrew's package first
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadDotEnv } from './lib/dotenv.util.mjs';
import { stopOnSignal } from './lib/foreground.util.mjs';
import {
  formatCost,
  formatOutputs,
  formatSeconds,
  formatStepLine,
  runSeconds,
  stepKey,
} from './lib/demo-report.util.mjs';

const require = createRequire(import.meta.url);
const { startStack, REPO_ROOT } = require('./lib/stack.cjs');
loadDotEnv(REPO_ROOT);

const POLL_MS = 250;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'budget_exceeded']);
const REQUEST = { workflow: 'lead-enrichment', input: { target_url: 'https://example.com', max_depth: 3 } };

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--keep', '--skip-build', '--install-deps', '--help', '-h'].includes(arg)) {
    console.error(`unknown argument: ${arg} (try --help)`);
    process.exit(2);
  }
}
if (args.has('--help') || args.has('-h')) {
  console.log(
    'usage: npm run demo [-- --keep] [-- --skip-build] [-- --install-deps]   (env: PORT, SANDSTORM_URL, DEMO_TIMEOUT_S, …)',
  );
  process.exit(0);
}
const timeoutMs = Number(process.env.DEMO_TIMEOUT_S ?? 300) * 1000;
const say = (line = '') => process.stdout.write(`${line}\n`);

if (!args.has('--skip-build')) {
  say('Building (npm run build)…');
  const [command, commandArgs] = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, 'run', 'build']]
    : ['npm', ['run', 'build']];
  const build = spawnSync(command, commandArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed; see the errors above.');
    process.exit(1);
  }
}

// Logs: one file per service, so this terminal shows only the demo.
const logDir = path.join(REPO_ROOT, '.sandcastle', 'logs');
fs.mkdirSync(logDir, { recursive: true });
const logStreams = new Map();
// The latest error any service logged: shown when the run stops making progress.
let lastError;
const writeLog = (line, service) => {
  if (line.includes('"level":"error"')) lastError = { service, line };
  if (!logStreams.has(service)) {
    logStreams.set(service, fs.createWriteStream(path.join(logDir, `${service}.log`), { flags: 'w' }));
  }
  logStreams.get(service).write(`${line}\n`);
};
const closeLogs = () => Promise.all([...logStreams.values()].map((s) => new Promise((r) => s.end(r))));

const runtime = process.env.SANDSTORM_URL
  ? `sandstorm (${process.env.SANDSTORM_URL})`
  : 'simulated: no SANDSTORM_URL is set, so steps run on the built-in simulated runtime ' +
    '(deterministic outputs shaped by each output_schema, no network, no real cost)';

const startup = new AbortController();
const abortStartup = () => startup.abort();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, abortStartup);

let stack;
try {
  stack = await startStack({
    basePort: Number(process.env.PORT ?? 8080),
    stdio: writeLog,
    progress: true,
    installDeps: args.has('--install-deps'),
    signal: startup.signal,
  });
} catch (error) {
  await closeLogs();
  if (startup.signal.aborted) process.exit(130);
  console.error(`\nCould not start Sandcastle: ${error instanceof Error ? error.message : error}`);
  console.error(`Service logs: ${path.relative(process.cwd(), logDir)}/`);
  process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, abortStartup);
// Ctrl-C stops the stack gracefully; during the demo that is an interruption (exit 130), with
// --keep after the demo it is the normal way out (exit with the demo's result).
let exitCode = 0;
let demoDone = false;
let stopping = false;
const interrupted = stopOnSignal(stack, () => (stopping = true)).then(async () => {
  await closeLogs();
  process.exit(demoDone ? exitCode : 130);
});

async function api(method, route, body) {
  const response = await fetch(`${stack.gatewayUrl}${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${route} → ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, data: envelope.data, error: envelope.error };
}

async function runDemo() {
  say('');
  say(`Sandcastle is up at ${stack.gatewayUrl} (service logs in ${path.relative(process.cwd(), logDir)}/)`);
  say(`Dashboard: ${stack.gatewayUrl}/dashboard/`);
  say(`Agent runtime: ${runtime}`);
  say('');
  say(`POST /workflows/run ${JSON.stringify(REQUEST)}`);
  const accepted = await api('POST', '/workflows/run', REQUEST);
  if (accepted.status !== 202 || !accepted.data?.run_id) {
    throw new Error(
      `the gateway answered ${accepted.status}: ${JSON.stringify(accepted.error ?? accepted.data)}`,
    );
  }
  const runId = accepted.data.run_id;
  say(`→ 202, run ${runId}; polling GET /runs/${runId} every ${POLL_MS} ms`);
  say('');

  const seen = new Map();
  let lastStatus = '';
  const deadline = Date.now() + timeoutMs;
  let lastChange = Date.now();
  let hinted = false;
  for (;;) {
    const { status, data: run, error } = await api('GET', `/runs/${runId}`);
    if (status !== 200) throw new Error(`GET /runs/${runId} → ${status}: ${JSON.stringify(error)}`);
    if (run.status !== lastStatus) {
      say(`run ${run.status}`);
      lastStatus = run.status;
      lastChange = Date.now();
    }
    for (const step of run.steps ?? []) {
      const signature = `${step.status}/${step.attempt}`;
      if (seen.get(stepKey(step)) !== signature) {
        seen.set(stepKey(step), signature);
        say(formatStepLine(step));
        lastChange = Date.now();
      }
    }
    if (TERMINAL.has(run.status)) return run;
    if (!hinted && Date.now() - lastChange > 20000) {
      hinted = true;
      say(`  (no progress for 20 s; still waiting. Logs: ${path.relative(process.cwd(), logDir)}/)`);
      if (lastError) say(`  last error, from ${lastError.service}: ${lastError.line.slice(0, 400)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the run is still ${run.status} after ${timeoutMs / 1000} s (DEMO_TIMEOUT_S raises the limit)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

try {
  const run = await runDemo();
  say('');
  say(`Run ${run.run_id} ${run.status.toUpperCase()}  (${stack.gatewayUrl}/dashboard/runs/${run.run_id})`);
  say(`  workflow    ${run.workflow_name}`);
  say(`  total cost  ${formatCost(run.total_cost_usd)}`);
  say(`  duration    ${formatSeconds(runSeconds(run))}`);
  say(
    `  steps       ${(run.steps ?? []).length}, on ${[...new Set((run.steps ?? []).map((s) => s.runtime).filter(Boolean))].join(', ') || 'unknown runtime'}`,
  );
  say('  outputs:');
  say(
    formatOutputs(run.outputs)
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
  if (run.status !== 'completed') {
    say('');
    say(`The run did not complete: ${run.error ?? 'no error recorded'}`);
    exitCode = 1;
  }
} catch (error) {
  // Interrupted (Ctrl-C): the stack is going down on purpose; `interrupted` exits when it is down.
  if (stopping) await interrupted;
  say('');
  console.error(`Demo failed: ${error instanceof Error ? error.message : error}`);
  console.error(`Service logs: ${path.relative(process.cwd(), logDir)}/ (gateway's last lines below)`);
  for (const line of stack.logsOf('gateway').slice(-10)) console.error(`  | ${line}`);
  exitCode = 1;
}

demoDone = true;
if (args.has('--keep')) {
  say('');
  say(
    `The stack keeps running at ${stack.gatewayUrl} (dashboard: ${stack.gatewayUrl}/dashboard/, API docs: ${stack.gatewayUrl}/docs). Ctrl-C stops it.`,
  );
  await interrupted;
} else {
  say('');
  await stack.stop();
  await closeLogs();
  process.exit(exitCode);
}
