"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startService = startService;
const node_perf_hooks_1 = require("node:perf_hooks");
const core_1 = require("@nestjs/core");
const json_nest_logger_1 = require("./json-nest-logger");
const shutdown_guard_1 = require("./shutdown-guard");
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
/**
 * Boots a service the same way everywhere: JSON logs from the first line (Nest's boot logs are
 * buffered until the JSON logger is attached), graceful shutdown on SIGTERM/SIGINT, and a
 * process that exits with code 1 when boot fails, so the orchestrator restarts it.
 *
 * The default shutdown grace is 25 s, under Kubernetes' 30 s `terminationGracePeriodSeconds`,
 * so the service exits by itself (and says why) before it is killed.
 */
async function startService(opts) {
    const started = node_perf_hooks_1.performance.now();
    const { logger, service } = opts;
    try {
        const app = await core_1.NestFactory.create(opts.module, {
            logger: new json_nest_logger_1.JsonNestLogger(logger),
            bufferLogs: true,
            // Rethrow instead of process.abort(): the error reaches the catch below and is logged as JSON.
            abortOnError: false,
        });
        // useProcessExit: Nest exits with code 0 once closed, rather than re-raising the signal,
        // so log lines written during shutdown are flushed and the exit is a clean one.
        app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
        await opts.configure?.(app);
        await app.listen(opts.port, opts.host ?? '0.0.0.0');
        (0, shutdown_guard_1.installShutdownGuard)({ app, logger, signals: SHUTDOWN_SIGNALS, timeoutMs: opts.shutdownTimeoutMs ?? 25_000 });
        const address = app.getHttpServer().address();
        logger.info(`${service} listening`, {
            port: typeof address === 'object' && address !== null ? address.port : opts.port,
            bootMs: Math.round(node_perf_hooks_1.performance.now() - started),
        });
        return app;
    }
    catch (err) {
        logger.error(`${service} failed to start`, { err });
        process.exit(1);
        // Only reached when exit is intercepted (tests): the caller still sees the failure.
        throw err;
    }
}
//# sourceMappingURL=start-service.js.map