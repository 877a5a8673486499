'use strict';
// Small network helpers for the launcher. They use node:net/node:http rather than fetch so the
// launcher behaves the same when it is require()d from inside Jest.
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');

/**
 * True when something accepts a TCP connection at host:port.
 * @param {string} host
 * @param {number} port
 * @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
function isListening(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {boolean} */ answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * True when a server could bind the port on all interfaces (which is what the apps do).
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port the OS says is free right now.
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A base port P such that P … P+count-1 are all free, so a whole stack (tests run several at
 * once) gets a contiguous block like the default 8080–8084 layout.
 * @param {number} [count]
 * @returns {Promise<number>}
 */
async function findFreeBasePort(count = 8) {
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new Error(`findFreeBasePort: count must be an integer from 1 to 1000, got ${String(count)}`);
  }
  // Below the kernel's ephemeral range: a port in it can be taken at any moment by an outgoing
  // connection (a database or broker client), between this check and the service's bind.
  const [ephemeralLow] = ephemeralPortRange();
  const low = 10000;
  const high = ephemeralLow - count > low + 1000 ? ephemeralLow - count : 60000 - count;
  for (let tries = 0; tries < 50; tries += 1) {
    const base = low + Math.floor(Math.random() * (high - low));
    let allFree = true;
    for (let port = base; port < base + count && allFree; port += 1) {
      allFree = await isPortFree(port);
    }
    if (allFree) return base;
  }
  throw new Error(`could not find ${count} consecutive free ports`);
}

/**
 * The kernel's range for outgoing connections' local ports (Linux), or the usual default.
 * @returns {[number, number]}
 */
function ephemeralPortRange() {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (
      typeof low === 'number' &&
      typeof high === 'number' &&
      Number.isInteger(low) &&
      Number.isInteger(high) &&
      low > 0 &&
      high >= low
    )
      return [low, high];
  } catch {
    // Not Linux, or no /proc: assume the common default.
  }
  return [32768, 60999];
}

/**
 * GET a URL once; never throws (a network error is status 0).
 * @param {string} url
 * @param {number} [timeoutMs]
 * @returns {Promise<{status: number, body: string}>}
 */
function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        if (body.length < 4000) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ status: 0, body: String(error) }));
    });
    request.on('timeout', () => request.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
  });
}

/**
 * Host and port of a postgres:// or nats:// URL (the first server of a NATS list).
 * @param {string} url
 * @param {number} defaultPort
 * @returns {{host: string, port: number}}
 */
function hostPortOf(url, defaultPort) {
  const first = url.split(',')[0] ?? url;
  const parsed = new URL(first.includes('://') ? first : `tcp://${first}`);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : defaultPort };
}

/**
 * A URL safe to print: the password is replaced by ***.
 * @param {string} url
 * @returns {string}
 */
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = {
  isListening,
  isPortFree,
  freePort,
  findFreeBasePort,
  ephemeralPortRange,
  httpGet,
  hostPortOf,
  redactUrl,
  sleep,
};
