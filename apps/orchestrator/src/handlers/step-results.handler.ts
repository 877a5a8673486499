import { MessagePattern, Payload } from '@nestjs/microservices';
import { HandlerPatterns, StepResult, StepStarted, validateMessage } from '@sandcastle/contracts';
import { JetStreamHandlers, Outcome, type HandlerOutcome } from '@sandcastle/messaging';
import { RunEngine } from '../engine/run-engine';

/** Reports from executors: an attempt started, an attempt finished. */
@JetStreamHandlers()
export class StepResultsHandler {
  constructor(private readonly engine: RunEngine) {}

  @MessagePattern(HandlerPatterns.stepResult)
  async result(@Payload() payload: unknown): Promise<HandlerOutcome> {
    const result = validateMessage(StepResult, payload);
    const outcome = await this.engine.applyResult(result);
    if (outcome === 'unknown-run') return Outcome.terminate(`result for unknown run ${result.runId}`);
    return Outcome.ack();
  }

  @MessagePattern(HandlerPatterns.stepStarted)
  async started(@Payload() payload: unknown): Promise<HandlerOutcome> {
    await this.engine.applyStarted(validateMessage(StepStarted, payload));
    return Outcome.ack();
  }
}
