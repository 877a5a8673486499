'use strict';
// Getting a nats-server binary when none is on PATH. No npm package ships one (the packages that
// claim to download it at install time from GitHub), so it comes from the system's package
// manager, and only when the user said so (`npm run demo -- --install-deps`); otherwise the
// launcher stops with the one command that fixes it.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/**
 * @param {string} name
 * @param {string} [searchPath]
 * @returns {string | undefined}
 */
function which(name, searchPath = process.env.PATH ?? '') {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * How this machine installs nats-server: argv lists to run in order, or undefined when we know
 * no way (then the message points at the release binaries).
 * @param {{platform?: NodeJS.Platform, uid?: number, searchPath?: string}} [machine]
 * @returns {{description: string, commands: string[][]} | undefined}
 */
function installPlan(machine = {}) {
  const platform = machine.platform ?? process.platform;
  const uid = machine.uid ?? (typeof process.getuid === 'function' ? process.getuid() : -1);
  const searchPath = machine.searchPath ?? `${process.env.PATH ?? ''}${path.delimiter}/usr/sbin:/usr/bin`;
  if (platform === 'linux' && which('apt-get', searchPath)) {
    const sudo = uid === 0 ? [] : which('sudo', searchPath) ? ['sudo'] : undefined;
    if (!sudo) return undefined;
    return {
      description: `${sudo.length ? 'sudo ' : ''}apt-get install nats-server (Debian's package)`,
      commands: [
        [...sudo, 'apt-get', 'update'],
        [
          ...sudo,
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '--no-install-recommends',
          'nats-server',
        ],
      ],
    };
  }
  if (platform === 'darwin' && which('brew', searchPath)) {
    return { description: 'brew install nats-server', commands: [['brew', 'install', 'nats-server']] };
  }
  return undefined;
}

/**
 * The message when NATS is missing: exactly one command to run, and what it does.
 * @param {string} natsUrl
 * @param {{platform?: NodeJS.Platform, uid?: number, searchPath?: string}} [machine]
 */
function missingNatsMessage(natsUrl, machine) {
  const plan = installPlan(machine);
  const head = `NATS is not running at ${natsUrl} and there is no nats-server on PATH to start one.`;
  if (plan) {
    return `${head} Run: npm run demo -- --install-deps   (it runs ${plan.description}; or set NATS_URL to a NATS server started with -js)`;
  }
  return (
    `${head} Put a nats-server release binary on PATH ` +
    '(https://github.com/nats-io/nats-server/releases), or set NATS_URL to a NATS server started with -js.'
  );
}

/**
 * Installs nats-server with the system's package manager, its output on our stderr.
 * @param {(message: string) => void} log
 * @returns {boolean} whether every command succeeded
 */
function installNatsServer(log) {
  const plan = installPlan();
  if (!plan) {
    log('no package manager this launcher knows how to use (apt-get as root or with sudo, brew)');
    return false;
  }
  for (const [command, ...args] of plan.commands) {
    if (command === undefined) continue;
    log(`running: ${[command, ...args].join(' ')}`);
    const result = spawnSync(command, args, { stdio: ['inherit', process.stderr, process.stderr] });
    if (result.status !== 0) {
      log(`${command} failed (${result.error?.message ?? `exit ${result.status}`})`);
      return false;
    }
  }
  return true;
}

module.exports = { which, installPlan, missingNatsMessage, installNatsServer };
