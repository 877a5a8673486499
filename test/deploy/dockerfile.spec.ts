import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, readRepoFile } from './support/deploy-files.util';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readRepoFile('Dockerfile'));
const stages = dockerfile.filter((i) => i.keyword === 'FROM');
const lastStageStart = dockerfile.lastIndexOf(stages[stages.length - 1]!);
const runtime = dockerfile.slice(lastStageStart);
const runs = dockerfile.filter((i) => i.keyword === 'RUN').map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage on node:24-bookworm-slim (docs/operations.md, Node.js versions)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const imageArg = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(imageArg?.args).toBe('NODE_IMAGE=node:24-bookworm-slim');
    for (const stage of stages) expect(stage.args).toMatch(/^(\$\{NODE_IMAGE\}|deps) AS \w+$/);
  });

  it('installs from the lockfile, builds, and drops dev dependencies', () => {
    const all = runs.join('\n');
    expect(all).toMatch(/npm ci\b/);
    expect(all).toMatch(/npm run build\b/);
    expect(all).toMatch(/npm prune --omit=dev\b/);
  });

  it('copies every workspace manifest before `npm ci` (or npm ci fails on a new workspace)', () => {
    const workspaces = ['apps', 'libs'].flatMap((dir) =>
      fs
        .readdirSync(path.join(REPO, dir))
        .filter((name) => fs.existsSync(path.join(REPO, dir, name, 'package.json')))
        .map((name) => `${dir}/${name}/package.json`),
    );
    const npmCi = dockerfile.findIndex((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args));
    const copied = dockerfile
      .slice(0, npmCi)
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.args.split(' ')[0]);
    expect(copied).toEqual(expect.arrayContaining(['package.json', ...workspaces]));
  });

  it('selects the app with the APP build arg', () => {
    expect(runtime.some((i) => i.keyword === 'ARG' && /^APP(=|$)/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'ENV' && i.args.includes('APP=${APP}'))).toBe(true);
    const cmd = runtime.find((i) => i.keyword === 'CMD');
    expect(JSON.parse(cmd!.args)).toEqual(['sh', '-c', 'exec node apps/${APP}/dist/main.js']);
  });

  it('runs as a non-root user named by numeric uid:gid (so runAsNonRoot can check it)', () => {
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1];
    expect(last).toMatch(/^\d+:\d+$/);
    expect(last).not.toMatch(/^0:/);
  });

  it('checks health on /health/live with a script the image contains', () => {
    const healthcheck = runtime.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toContain('"scripts/healthcheck.cjs", "/health/live"');
    expect(fs.existsSync(path.join(REPO, 'scripts/healthcheck.cjs'))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.endsWith('/app/scripts ./scripts'))).toBe(true);
  });

  it('keeps node_modules, build output and local state out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(
      expect.arrayContaining(['.git', '**/node_modules', '**/dist', '.sandcastle', '.env']),
    );
  });
});
