import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Module } from '@nestjs/common';
import { createMetricsRegistry } from './metrics-registry';
import { ObservabilityModule } from './observability.module';
import { startService } from './start-service';
import { captureLogger } from './testing/capture-logger';

type Line = Record<string, unknown>;

const children: ChildProcess[] = [];

afterEach(() => {
  // A failed assertion must not leave a fixture process behind.
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Runs testing/signal-fixture.service.ts in a real child process, so signals and exit codes
 * are the real ones. Every stdout line must be JSON: a non-JSON line fails the parse.
 */
function runFixture(env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, 'testing/run-ts.cjs'), join(__dirname, 'testing/signal-fixture.service.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines: Line[] = [];
  const waiters: { msg: string; resolve: (line: Line) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    for (const w of waiters.filter((w) => w.msg === line.msg)) w.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (msg: string): Promise<Line> =>
    new Promise((resolve) => {
      const seen = lines.find((l) => l.msg === msg);
      if (seen) resolve(seen);
      else waiters.push({ msg, resolve });
    });
  return { child, lines, exited, waitFor, messages: () => lines.map((l) => l.msg) };
}

describe('startService in a real process', () => {
  it('logs JSON from the first line, then drains on SIGTERM and exits with code 0', async () => {
    const fixture = runFixture();
    const listening = await fixture.waitFor('fixture listening');
    expect(listening).toMatchObject({
      service: 'fixture',
      level: 'info',
      port: expect.any(Number),
      bootMs: expect.any(Number),
    });
    const res = await fetch(`http://127.0.0.1:${listening.port as number}/health/live`);
    expect(res.status).toBe(200);
    // Nest's own boot lines were buffered and then written as JSON, with their context.
    expect(fixture.lines[0]).toMatchObject({ service: 'fixture', context: 'NestFactory' });

    fixture.child.kill('SIGTERM');
    expect(await fixture.exited).toBe(0);
    expect(fixture.messages().slice(-4)).toEqual([
      'shutting down',
      'draining',
      'drained',
      'shutdown complete',
    ]);
    expect(fixture.lines.at(-4)).toMatchObject({ signal: 'SIGTERM' });
  });

  it('exits with code 1 at once on a second signal while draining', async () => {
    const fixture = runFixture({ FIXTURE_HOLD_DRAIN: '1' });
    await fixture.waitFor('fixture listening');
    fixture.child.kill('SIGINT');
    await fixture.waitFor('draining');
    fixture.child.kill('SIGINT');
    expect(await fixture.exited).toBe(1);
    expect(fixture.lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'second signal during shutdown; exiting now',
      signal: 'SIGINT',
    });
  });

  it('exits with code 1 when draining outlasts the shutdown timeout', async () => {
    const fixture = runFixture({ FIXTURE_HOLD_DRAIN: '1', FIXTURE_SHUTDOWN_TIMEOUT_MS: '300' });
    await fixture.waitFor('fixture listening');
    fixture.child.kill('SIGTERM');
    expect(await fixture.exited).toBe(1);
    expect(fixture.messages()).toContain('draining');
    expect(fixture.lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'shutdown timed out; exiting now',
      timeoutMs: 300,
    });
  });

  it('logs a boot failure as JSON and exits with code 1', async () => {
    const fixture = runFixture({ FIXTURE_BROKEN: '1' });
    expect(await fixture.exited).toBe(1);
    expect(fixture.lines.at(-1)).toMatchObject({
      level: 'error',
      service: 'fixture',
      msg: 'fixture failed to start',
      err: { message: 'database unreachable', stack: expect.stringContaining('database unreachable') },
    });
    expect(fixture.messages()).not.toContain('fixture listening');
  });
});

describe('startService in this process', () => {
  it('returns the listening app and detaches its signal handling when the app is closed directly', async () => {
    const { logger, lines } = captureLogger('svc', 'info');
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'svc', logger, registry: createMetricsRegistry('svc') }),
      ],
    })
    class AppModule {}
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };

    const app = await startService({ module: AppModule, service: 'svc', port: 0, host: '127.0.0.1', logger });
    const { port } = app.getHttpServer().address() as { port: number };
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'svc listening', port }));
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 2);

    await app.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
  });
});
