#!/usr/bin/env node
'use strict';
// Container health check (Dockerfile HEALTHCHECK, compose): GET http://127.0.0.1:$PORT<path>,
// exit 0 on a 2xx answer within 2 s, 1 otherwise. Node instead of curl: the slim image has none.
const http = require('node:http');

// Without PORT each app listens on its own default; the image sets APP.
const DEFAULT_PORTS = { gateway: 8080, orchestrator: 8081, executor: 8082, scheduler: 8083, notifier: 8084 };
const path = process.argv[2] ?? '/health/live';
const port = Number(process.env.PORT || DEFAULT_PORTS[process.env.APP ?? ''] || 8080);
const request = http.get({ host: '127.0.0.1', port, path, timeout: 2000 }, (response) => {
  response.resume();
  process.exit(response.statusCode !== undefined && response.statusCode < 300 ? 0 : 1);
});
request.on('timeout', () => request.destroy());
request.on('error', () => process.exit(1));
