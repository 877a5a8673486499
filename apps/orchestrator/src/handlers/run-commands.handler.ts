import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  HandlerPatterns,
  RunApprovalCommand,
  RunCancelCommand,
  RunStartCommand,
  validateMessage,
} from '@sandcastle/contracts';
import { JetStreamHandlers, Outcome, type HandlerOutcome } from '@sandcastle/messaging';
import { RunEngine } from '../engine/run-engine';

/** Commands from the gateway and the scheduler. Decode, validate, call the engine. */
@JetStreamHandlers()
export class RunCommandsHandler {
  constructor(private readonly engine: RunEngine) {}

  @MessagePattern(HandlerPatterns.runStart)
  async start(@Payload() payload: unknown): Promise<HandlerOutcome> {
    const command = validateMessage(RunStartCommand, payload);
    await this.engine.startRun(command.runId);
    return Outcome.ack();
  }

  @MessagePattern(HandlerPatterns.runCancel)
  async cancel(@Payload() payload: unknown): Promise<HandlerOutcome> {
    const command = validateMessage(RunCancelCommand, payload);
    await this.engine.cancelRun(command.runId, command.reason ?? 'Cancelled by user');
    return Outcome.ack();
  }

  @MessagePattern(HandlerPatterns.runApproval)
  async approval(@Payload() payload: unknown): Promise<HandlerOutcome> {
    const command = validateMessage(RunApprovalCommand, payload);
    await this.engine.applyApprovals(command.runId);
    return Outcome.ack();
  }
}
