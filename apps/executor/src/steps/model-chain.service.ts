import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ModelRuntime } from '@sandcastle/config';
import type { NatsNames } from '@sandcastle/contracts';
import { NATS_CONNECTION, NATS_NAMES } from '@sandcastle/messaging';
import { HealthRegistry, LOGGER, type Logger } from '@sandcastle/observability';
import { EXECUTOR_CONFIG, type ExecutorConfig } from '../config/executor.config';
import type { AttemptRequest, RuntimeProgress } from '../runtimes/agent-runtime';
import { AnthropicClient } from '../runtimes/model-api/anthropic-client';
import type { ModelApiClient } from '../runtimes/model-api/model-api-client';
import { ModelChainRunner, type ChainAnswer } from '../runtimes/model-api/model-chain-runner';
import { NatsModelCooldowns } from '../runtimes/model-api/model-cooldowns';
import { OpenAiClient } from '../runtimes/model-api/openai-client';

/**
 * The `anthropic` and `openai` runtimes of this executor: one client per wire format, the
 * operator's registry and keys, and the cooldowns shared through NATS KV. `/health` lists each
 * configured model endpoint (its key set, or none needed) as `runtime:<endpoint>`. Providers are
 * not probed: a probe costs rate limit, and some bill for it.
 */
@Injectable()
export class ModelChainService implements OnModuleInit {
  private runner: ModelChainRunner | null = null;

  constructor(
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const limits = {
      idleTimeoutMs: this.config.MODEL_API_IDLE_TIMEOUT_MS,
      maxEventBytes: this.config.MAX_RUNTIME_EVENT_BYTES,
      maxStreamBytes: this.config.MAX_RUNTIME_STREAM_BYTES,
      maxErrorBodyBytes: this.config.MAX_RUNTIME_ERROR_BODY_BYTES,
    };
    const clients = new Map<ModelRuntime, ModelApiClient>([
      ['anthropic', new AnthropicClient(limits)],
      ['openai', new OpenAiClient(limits)],
    ]);
    const cooldowns = await NatsModelCooldowns.open(this.nc, this.names, this.logger);
    const registry = this.config.MODEL_REGISTRY_FILE;
    this.runner = new ModelChainRunner(registry, this.config.MODEL_KEYS, clients, cooldowns, {
      defaultCooldownMs: this.config.MODEL_COOLDOWN_SECONDS * 1000,
      retries: this.config.MODEL_API_RETRIES,
    });
    // An endpoint is configured once its key is (or it needs none); one without a key is only
    // in the start log, so a default registry nobody uses does not mark the executor degraded.
    for (const endpoint of registry.endpoints.values()) {
      if (endpoint.keyVariable !== null && !this.config.MODEL_KEYS.has(endpoint.keyVariable)) continue;
      this.health.register(`runtime:${endpoint.name}`, () => Promise.resolve(true), { critical: false });
    }
  }

  run(
    chain: readonly string[],
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
    stepRuntime: ModelRuntime,
  ): Promise<ChainAnswer> {
    if (this.runner === null) throw new Error('ModelChainService used before init');
    return this.runner.run(chain, req, signal, onProgress, stepRuntime);
  }
}
