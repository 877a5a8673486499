// `.env` for the command-line entry points (npm start, npm run demo). The launcher must see the
// same DATABASE_URL / NATS_URL the apps will: otherwise it would start an embedded server and
// hand the apps its URL, silently overriding the .env value. Variables already set in the
// environment win over the file, as with `node --env-file`.
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** Loads `<root>/.env` into process.env (missing keys only); returns the file's path if it existed. */
export function loadDotEnv(root) {
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return undefined;
  for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
  return file;
}
