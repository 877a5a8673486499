#!/usr/bin/env node
'use strict';
// Container health check (Dockerfile HEALTHCHECK, compose): GET http://127.0.0.1:$PORT<path>,
// exit 0 on a 2xx answer within 2 s, 1 otherwise. Node instead of curl: the slim image has none.
const http = require('node:http');

const path = process.argv[2] ?? '/health/live';
const port = Number(process.env.PORT ?? 8080);
const request = http.get({ host: '127.0.0.1', port, path, timeout: 2000 }, (response) => {
  response.resume();
  process.exit(response.statusCode !== undefined && response.statusCode < 300 ? 0 : 1);
});
request.on('timeout', () => request.destroy());
request.on('error', () => process.exit(1));
