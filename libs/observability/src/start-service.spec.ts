import { Injectable, Module, type INestApplication, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createMetricsRegistry } from './metrics-registry';
import { ObservabilityModule } from './observability.module';
import { startService } from './start-service';
import { captureLogger } from './testing/capture-logger';

/** Lets a test hold shutdown open (a module still draining) and see that draining happened. */
const drain = { started: 0, release: (): void => undefined, hold: false };

@Injectable()
class DrainingService implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    drain.started++;
    if (drain.hold) await new Promise<void>((resolve) => (drain.release = resolve));
  }
}

@Injectable()
class BrokenService implements OnModuleInit {
  onModuleInit(): void {
    throw new Error('database unreachable');
  }
}

@Module({ providers: [BrokenService] })
class BrokenModule {}

/**
 * Shutdown is driven by emitting the signal on `process`, which runs the same listeners a real
 * SIGTERM would; `process.exit` is intercepted so the test process survives the exit calls.
 */
describe('startService', () => {
  let exit: jest.SpyInstance;
  let capture: ReturnType<typeof captureLogger>;

  function appModule() {
    @Module({
      imports: [
        ObservabilityModule.forRoot({ service: 'svc', logger: capture.logger, registry: createMetricsRegistry('svc') }),
      ],
      providers: [DrainingService],
    })
    class AppModule {}
    return AppModule;
  }

  const start = (shutdownTimeoutMs?: number): Promise<INestApplication> =>
    startService({ module: appModule(), service: 'svc', port: 0, host: '127.0.0.1', logger: capture.logger, shutdownTimeoutMs });

  /** Resolves at the next `process.exit` call, with its code. */
  const nextExit = (): Promise<number | undefined> =>
    new Promise((resolve) => exit.mockImplementationOnce(((code?: number) => resolve(code)) as never));

  /** Lets a held drain finish, so the app is fully closed before the next test. */
  async function finishHeldShutdown(): Promise<void> {
    const exited = nextExit();
    console.log('releasing', drain.started, process.listenerCount('SIGINT'));
    drain.release();
    const code = await exited;
    console.log(JSON.stringify(capture.lines.slice(10).map((l) => [l.msg, l.context, l.err, l.stack])));
    expect(code).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  }

  beforeEach(() => {
    capture = captureLogger('svc', 'info');
    drain.started = 0;
    drain.hold = false;
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });

  afterEach(() => {
    exit.mockRestore();
  });

  it('serves HTTP, logs JSON from the first line and reports port and boot time', async () => {
    const app = await start();
    try {
      const { port } = app.getHttpServer().address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(res.status).toBe(200);
      const listening = capture.lines.find((l) => l.msg === 'svc listening');
      expect(listening).toMatchObject({ service: 'svc', level: 'info', port });
      expect(typeof listening!.bootMs).toBe('number');
      // Nest's own boot lines went through the JSON logger, with their context.
      expect(capture.lines).toContainEqual(expect.objectContaining({ context: 'RoutesResolver' }));
    } finally {
      await app.close();
    }
  });

  it('drains modules on SIGTERM and exits with code 0', async () => {
    await start();
    const exited = nextExit();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(0);
    expect(drain.started).toBe(1);
    const messages = capture.lines.map((l) => l.msg);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('shutdown complete');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits with code 1 on a second signal while draining', async () => {
    drain.hold = true;
    await start(3000);
    process.emit('SIGINT', 'SIGINT');
    const exited = nextExit();
    process.emit('SIGINT', 'SIGINT');
    expect(await exited).toBe(1);
    expect(capture.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'second signal during shutdown; exiting now', signal: 'SIGINT' }),
    );
    await finishHeldShutdown();
  });

  it('exits with code 1 when draining outlasts the shutdown timeout', async () => {
    drain.hold = true;
    await start(100);
    const exited = nextExit();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(1);
    expect(drain.started).toBe(1);
    expect(capture.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'shutdown timed out; exiting now', timeoutMs: 100 }),
    );
    await finishHeldShutdown();
  });

  it('logs a boot failure as JSON and exits with code 1', async () => {
    await expect(
      startService({ module: BrokenModule, service: 'broken', port: 0, host: '127.0.0.1', logger: capture.logger }),
    ).rejects.toThrow('database unreachable');
    expect(exit).toHaveBeenCalledWith(1);
    expect(capture.lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'broken failed to start',
      err: { message: 'database unreachable' },
    });
  });

  it('leaves no signal listeners behind when the app is closed directly', async () => {
    const app = await start();
    expect(process.listenerCount('SIGTERM')).toBe(2);
    await app.close();
    expect(process.listenerCount('SIGTERM')).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
