import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installPlan, missingNatsMessage, which } from '../../scripts/lib/nats-install.util.cjs';

// The launcher's answer when no nats-server is on PATH: one command, chosen for the machine.
// Fake PATHs hold empty executable files named like the package managers.
function fakePath(...tools: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-nats-install-'));
  for (const tool of tools) fs.writeFileSync(path.join(dir, tool), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('missing nats-server', () => {
  it('names `npm run demo -- --install-deps` as root on Debian, which runs apt-get without sudo', () => {
    const machine = { platform: 'linux' as const, uid: 0, searchPath: fakePath('apt-get') };
    expect(missingNatsMessage('nats://127.0.0.1:4222', machine)).toBe(
      'NATS is not running at nats://127.0.0.1:4222 and there is no nats-server on PATH to start one. ' +
        "Run: npm run demo -- --install-deps   (it runs apt-get install nats-server (Debian's package); " +
        'or set NATS_URL to a NATS server started with -js)',
    );
    expect(installPlan(machine)?.commands).toEqual([
      ['apt-get', 'update'],
      [
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        'nats-server',
      ],
    ]);
  });

  it('uses sudo for a normal user on Debian', () => {
    const machine = { platform: 'linux' as const, uid: 1000, searchPath: fakePath('apt-get', 'sudo') };
    expect(installPlan(machine)?.commands[1]?.slice(0, 2)).toEqual(['sudo', 'env']);
    expect(missingNatsMessage('nats://127.0.0.1:4222', machine)).toContain(
      'sudo apt-get install nats-server',
    );
  });

  it('uses Homebrew on macOS', () => {
    const machine = { platform: 'darwin' as const, uid: 501, searchPath: fakePath('brew') };
    expect(installPlan(machine)).toEqual({
      description: 'brew install nats-server',
      commands: [['brew', 'install', 'nats-server']],
    });
  });

  it('points at the release binaries when it knows no way to install (no apt-get, or no sudo)', () => {
    for (const machine of [
      { platform: 'linux' as const, uid: 1000, searchPath: fakePath('apt-get') },
      { platform: 'linux' as const, uid: 0, searchPath: fakePath() },
    ]) {
      expect(installPlan(machine)).toBeUndefined();
      const message = missingNatsMessage('nats://127.0.0.1:4222', machine);
      expect(message).toContain('https://github.com/nats-io/nats-server/releases');
      expect(message).not.toContain('--install-deps');
    }
  });

  it('finds only executable files on the search path', () => {
    const dir = fakePath('nats-server');
    fs.writeFileSync(path.join(dir, 'not-executable'), '', { mode: 0o644 });
    expect(which('nats-server', `/nonexistent${path.delimiter}${dir}`)).toBe(path.join(dir, 'nats-server'));
    expect(which('not-executable', dir)).toBeUndefined();
  });
});
