#!/usr/bin/env node
'use strict';
// The `sandcastle` command's stable entry. npm links package bins at install time, before the
// TypeScript is compiled (dist/ is not committed), so the bin must be a file that is always there.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('sandcastle: the CLI is not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
require(main);
