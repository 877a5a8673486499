import type { ExecutorConfig } from '../config/executor.config';
import type { AgentRuntime } from '../runtimes/agent-runtime';
import { SandstormRuntime } from '../runtimes/sandstorm-runtime';
import { SimulatedRuntime } from '../runtimes/simulated-runtime';

/**
 * One simulated runtime, and one Sandstorm client per configured endpoint, created on first use.
 * Only `selectRuntime` picks the base URL, and it only ever picks a configured endpoint: that is
 * what keeps the credentials below from reaching any other host.
 */
export class RuntimeRegistry {
  private readonly simulated: SimulatedRuntime;
  private readonly sandstorm = new Map<string, SandstormRuntime>();

  constructor(private readonly config: ExecutorConfig) {
    this.simulated = new SimulatedRuntime({
      latencyMs: config.SIMULATED_LATENCY_MS,
      costUsd: config.SIMULATED_COST_USD,
      failureRate: config.SIMULATED_FAILURE_RATE,
      maxOutputBytes: config.MAX_STEP_OUTPUT_BYTES,
    });
  }

  simulatedRuntime(): AgentRuntime {
    return this.simulated;
  }

  sandstormRuntime(baseUrl: string, endpoint: string): AgentRuntime {
    let runtime = this.sandstorm.get(baseUrl);
    if (!runtime) {
      runtime = new SandstormRuntime({
        baseUrl,
        endpoint,
        apiKey: this.config.SANDSTORM_API_KEY,
        anthropicApiKey: this.config.ANTHROPIC_API_KEY,
        e2bApiKey: this.config.E2B_API_KEY,
        maxEventBytes: this.config.MAX_RUNTIME_EVENT_BYTES,
        maxStreamBytes: this.config.MAX_RUNTIME_STREAM_BYTES,
        maxErrorBodyBytes: this.config.MAX_RUNTIME_ERROR_BODY_BYTES,
        maxFileBytes: this.config.MAX_RUNTIME_FILE_BYTES,
      });
      this.sandstorm.set(baseUrl, runtime);
    }
    return runtime;
  }
}
