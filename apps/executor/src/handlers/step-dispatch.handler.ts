import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { HandlerPatterns, StepDispatch, validateMessage } from '@sandcastle/contracts';
import { JetStreamContext, JetStreamHandlers, Outcome, type HandlerOutcome } from '@sandcastle/messaging';
import { StepRunnerService } from '../steps/step-runner.service';

/** `step.dispatch`: run the attempt; ack once its result is stored in the results stream. */
@JetStreamHandlers()
export class StepDispatchHandler {
  constructor(private readonly runner: StepRunnerService) {}

  @MessagePattern(HandlerPatterns.stepDispatch)
  async dispatch(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext): Promise<HandlerOutcome> {
    const dispatch = validateMessage(StepDispatch, payload);
    const outcome = await this.runner.run(dispatch, ctx.shutdownSignal);
    // Handed back on shutdown: redeliver now so another executor runs the attempt.
    return outcome === 'handed_back' ? Outcome.retryAfter(0, 'executor shutting down') : Outcome.ack();
  }
}
