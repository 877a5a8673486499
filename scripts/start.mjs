#!/usr/bin/env node
// `npm start`: every Sandcastle service in the foreground (after `npm run build`, which the npm
// script runs first). Ctrl-C or SIGTERM stops them gracefully and exits 0.
//
//   npm start                        gateway on :8080, the others on 8081–8084
//   PORT=9080 npm start              base port 9080
//   npm start -- --executors 3       three executor processes (ports P+2, P+5, P+6)
//   npm start -- --orchestrators 2   two orchestrator replicas (ports P+1, P+20)
import { createRequire } from 'node:module';
import { loadDotEnv } from './lib/dotenv.util.mjs';
import { stopOnSignal } from './lib/foreground.util.mjs';

const { startStack, REPO_ROOT } = createRequire(import.meta.url)('./lib/stack.cjs');
loadDotEnv(REPO_ROOT);

function parseArgs(argv) {
  const options = {
    executors: Number(process.env.SANDCASTLE_EXECUTORS ?? 1),
    orchestrators: Number(process.env.SANDCASTLE_ORCHESTRATORS ?? 1),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--executors') {
      options.executors = Number(inline ?? argv[++i]);
    } else if (flag === '--orchestrators') {
      options.orchestrators = Number(inline ?? argv[++i]);
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npm start [-- --executors N --orchestrators M]   (env: PORT, DATABASE_URL, NATS_URL, NATS_NAMESPACE, …)',
      );
      process.exit(0);
    } else {
      console.error(`unknown argument: ${argv[i]}`);
      process.exit(2);
    }
  }
  return options;
}

const { executors, orchestrators } = parseArgs(process.argv.slice(2));
const basePort = Number(process.env.PORT ?? 8080);

// Ctrl-C while starting: abort, which stops whatever already runs (the services are in their own
// process group and would not see the terminal's SIGINT).
const startup = new AbortController();
const abortStartup = () => startup.abort();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, abortStartup);

let stack;
try {
  stack = await startStack({
    basePort,
    executors,
    orchestrators,
    natsNamespace: process.env.NATS_NAMESPACE || 'sc',
    stdio: 'inherit',
    signal: startup.signal,
  });
} catch (error) {
  if (startup.signal.aborted) process.exit(130);
  console.error(`\n[sandcastle] could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, abortStartup);
const signalled = stopOnSignal(stack);
process.stderr.write(
  [
    '',
    `Sandcastle is running: ${stack.gatewayUrl}`,
    `  API docs   ${stack.gatewayUrl}/docs`,
    `  metrics    ${stack.gatewayUrl}/metrics`,
    `  try it     curl -X POST ${stack.gatewayUrl}/workflows/run -H 'Content-Type: application/json' \\`,
    `               -d '{"workflow":"lead-enrichment","input":{"target_url":"https://example.com"}}'`,
    `             curl ${stack.gatewayUrl}/runs/<run_id>`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n') + '\n',
);

// A service that dies on its own is reported by the launcher; the rest keep running so the
// operator can read its logs, as with any process supervisor that does not restart.
await signalled;
process.exit(0);
