// Lets a plain `node` child process run this repo's TypeScript, for tests that need a real
// process (signals, exit codes): `node -r ./run-ts.cjs file.ts`. Sources are compiled with the
// same swc options as Jest, and `@sandcastle/<lib>` resolves to libs/<lib>/src like in Jest.
const Module = require('node:module');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');
const { swc } = require('../../../../jest.preset.cjs');

const root = path.resolve(__dirname, '../../../..');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@sandcastle\/([a-z-]+)$/.exec(request);
  const target = lib ? path.join(root, 'libs', lib[1], 'src', 'index.ts') : request;
  return resolveFilename.call(this, target, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformFileSync(filename, { ...swc, filename });
  module._compile(code, filename);
};
