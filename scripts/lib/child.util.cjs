'use strict';
// Spawning and stopping child processes for the launcher.
//
// Children run in their own process group (`detached`): a Ctrl-C in the terminal then reaches only
// the launcher, which sends each service exactly one SIGTERM and waits for its drain. Without
// this, every service would get the terminal's SIGINT *and* the launcher's SIGTERM, and a second
// signal during a NestJS shutdown kills the process mid-drain. The price is that children
// outlive a launcher that is SIGKILLed; `killAllOnExit` covers every other way of exiting.
const { spawn } = require('node:child_process');
const readline = require('node:readline');

const TAIL_LINES = 40;

/**
 * @typedef {'inherit' | 'pipe' | 'ignore' | ((line: string, service: string) => void)} StdioOption
 */

/**
 * Spawns `node entry` with stdout/stderr read line by line: the last lines are kept (to explain
 * a crash) and each line goes where `stdio` says.
 * @param {object} input
 * @param {string} input.name
 * @param {string} input.entry
 * @param {string} input.cwd
 * @param {Record<string, string>} input.env
 * @param {StdioOption} input.stdio
 * @param {string[]} [input.nodeArgs] extra node options (e.g. --cpu-prof; NODE_OPTIONS refuses some)
 * @returns {{child: import('node:child_process').ChildProcess, tail: () => string[]}}
 */
function spawnService({ name, entry, cwd, env, stdio, nodeArgs = [] }) {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackExit(child);
  /** @type {string[]} */
  const lines = [];
  /** @param {string} line @param {NodeJS.WriteStream} stream */
  const onLine = (line, stream) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    if (stdio === 'inherit') stream.write(`${line}\n`);
    else if (typeof stdio === 'function') stdio(line, name);
  };
  // In 'pipe' mode the caller may also read child.stdout; our reader just keeps the pipe drained.
  if (child.stdout)
    readline.createInterface({ input: child.stdout }).on('line', (l) => onLine(l, process.stdout));
  if (child.stderr)
    readline.createInterface({ input: child.stderr }).on('line', (l) => onLine(l, process.stderr));
  return { child, tail: () => [...lines] };
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @returns {boolean}
 */
function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** @type {WeakMap<import('node:child_process').ChildProcess, Promise<{code: number | null, signal: NodeJS.Signals | null}>>} */
const endings = new WeakMap();

/**
 * Starts watching a child right after spawn. Its end is 'close' (exited *and* its output read to
 * the last line, so the final log lines reach their destination), or 1 s after 'exit' in case a
 * grandchild still holds the pipes open.
 * @param {import('node:child_process').ChildProcess} child
 */
function trackExit(child) {
  const ending = new Promise((resolve) => {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    child.once('exit', (code, signal) => {
      timer = setTimeout(() => resolve({ code, signal }), 1000);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  endings.set(child, /** @type {Promise<{code: number | null, signal: NodeJS.Signals | null}>} */ (ending));
}

/**
 * Resolves when the child has ended (see trackExit; at once if it exited untracked).
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<{code: number | null, signal: NodeJS.Signals | null}>}
 */
function waitExit(child) {
  const ending = endings.get(child);
  if (ending) return ending;
  if (hasExited(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Sends `signal`, waits up to `timeoutMs`, then SIGKILLs.
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 * @param {number} timeoutMs
 * @returns {Promise<{code: number | null, signal: NodeJS.Signals | null, forced: boolean}>}
 */
async function stopChild(child, signal, timeoutMs) {
  if (hasExited(child)) return { code: child.exitCode, signal: child.signalCode, forced: false };
  const exited = waitExit(child);
  child.kill(signal);
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...(await exited), forced: false };
  child.kill('SIGKILL');
  return { ...(await exited), forced: true };
}

/** @type {Set<import('node:child_process').ChildProcess>} */
const tracked = new Set();
let exitHookInstalled = false;

/**
 * Remembers a detached child so it is SIGKILLed if this process exits without stopping it
 * (an uncaught error, process.exit in a test runner…). 'exit' handlers must be synchronous,
 * hence SIGKILL rather than a graceful stop.
 * @param {import('node:child_process').ChildProcess} child
 */
function killAllOnExit(child) {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const orphan of tracked) {
      if (!hasExited(orphan)) orphan.kill('SIGKILL');
    }
  });
}

/**
 * Formats the last log lines of a process for an error message.
 * @param {string[]} lines
 */
function formatTail(lines) {
  if (lines.length === 0) return '  (no output)';
  return lines.map((line) => `  | ${line}`).join('\n');
}

module.exports = { spawnService, trackExit, hasExited, waitExit, stopChild, killAllOnExit, formatTail };
