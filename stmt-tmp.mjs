import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { startStack, findFreeBasePort } = require('./scripts/lib/stack.cjs');
const stack = await startStack({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/stmtcount', natsUrl: 'nats://127.0.0.1:4222', natsNamespace: 'stmtc', basePort: await findFreeBasePort(10), embedded: false, stdio: 'ignore', env: { SIMULATED_LATENCY_MS: 0, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: 0, RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 0 } });
const yaml = `name: Chain\nruntime: simulated\nsteps:\n  - id: a\n    prompt: "x"\n  - id: b\n    prompt: "y {steps.a.output}"\n    depends_on: [a]\n  - id: c\n    prompt: "z"\n    depends_on: [b]\n`;
const post = (p, b) => fetch(stack.gatewayUrl + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }).then(r => r.json());
console.log(JSON.stringify(await post('/workflows', { name: 'chain', content: yaml })).slice(0, 300));
await new Promise(r => setTimeout(r, 3000));
console.log('MARK-START', new Date().toISOString());
const ids = [];
for (let i = 0; i < 10; i++) { ids.push((await post('/workflows/run', { workflow: 'chain', input: { n: i } })).run_id); await new Promise(r => setTimeout(r, 300)); }
await new Promise(r => setTimeout(r, 2000));
console.log('MARK-END', new Date().toISOString(), ids);
await stack.stop();
