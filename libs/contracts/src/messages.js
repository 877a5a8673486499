"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RunEvent = exports.RUN_EVENT_TYPES = exports.StepResult = exports.ATTEMPT_ERROR_KINDS = exports.ATTEMPT_OUTCOMES = exports.TokenUsage = exports.StepStarted = exports.StepDispatch = exports.SimulationSettings = exports.RunCancelCommand = exports.RunStartCommand = exports.MESSAGE_SCHEMA_VERSION = void 0;
exports.emptyUsage = emptyUsage;
require("reflect-metadata");
const class_validator_1 = require("class-validator");
const class_transformer_1 = require("class-transformer");
const statuses_1 = require("./statuses");
/**
 * Message payloads exchanged over JetStream. Every payload carries a schema version (`v`) and the
 * tenant id. Each is a class so that `validateMessage()` can check it with class-validator at the
 * consuming edge; producers build plain objects of the same shape.
 */
exports.MESSAGE_SCHEMA_VERSION = 1;
class TenantMessage {
}
__decorate([
    (0, class_validator_1.Equals)(exports.MESSAGE_SCHEMA_VERSION),
    __metadata("design:type", Object)
], TenantMessage.prototype, "v", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MinLength)(1),
    __metadata("design:type", String)
], TenantMessage.prototype, "tenantId", void 0);
/** gateway/scheduler → orchestrator: a run row exists in `queued`; start executing it. */
class RunStartCommand extends TenantMessage {
}
exports.RunStartCommand = RunStartCommand;
__decorate([
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], RunStartCommand.prototype, "runId", void 0);
/** gateway → orchestrator: stop a run (the feature itself arrives with run control). */
class RunCancelCommand extends TenantMessage {
}
exports.RunCancelCommand = RunCancelCommand;
__decorate([
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], RunCancelCommand.prototype, "runId", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], RunCancelCommand.prototype, "reason", void 0);
/** Settings of the `simulated` runtime for one step; unset fields use the executor's defaults. */
class SimulationSettings {
}
exports.SimulationSettings = SimulationSettings;
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], SimulationSettings.prototype, "latencyMs", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsNumber)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], SimulationSettings.prototype, "costUsd", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsNumber)(),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.Max)(1),
    __metadata("design:type", Number)
], SimulationSettings.prototype, "failureRate", void 0);
/** Identifies one attempt of one step (or fan-out item) of a run. */
class AttemptMessage extends TenantMessage {
}
__decorate([
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], AttemptMessage.prototype, "runId", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MinLength)(1),
    __metadata("design:type", String)
], AttemptMessage.prototype, "stepId", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Object)
], AttemptMessage.prototype, "itemIndex", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    __metadata("design:type", Number)
], AttemptMessage.prototype, "attempt", void 0);
/**
 * orchestrator → executor: everything needed to run one attempt. Executors hold no database
 * connection, so the prompt is already rendered and every limit resolved.
 */
class StepDispatch extends AttemptMessage {
}
exports.StepDispatch = StepDispatch;
__decorate([
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], StepDispatch.prototype, "prompt", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MinLength)(1),
    __metadata("design:type", String)
], StepDispatch.prototype, "model", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    __metadata("design:type", Number)
], StepDispatch.prototype, "maxTurns", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(1),
    __metadata("design:type", Number)
], StepDispatch.prototype, "timeoutSeconds", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsObject)(),
    __metadata("design:type", Object)
], StepDispatch.prototype, "outputSchema", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsIn)(statuses_1.RUNTIME_KINDS),
    __metadata("design:type", Object)
], StepDispatch.prototype, "runtime", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", Object)
], StepDispatch.prototype, "sandstormUrl", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => SimulationSettings),
    __metadata("design:type", Object)
], StepDispatch.prototype, "simulation", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    __metadata("design:type", Boolean)
], StepDispatch.prototype, "isFallback", void 0);
__decorate([
    (0, class_validator_1.IsISO8601)(),
    __metadata("design:type", String)
], StepDispatch.prototype, "dispatchedAt", void 0);
/** executor → orchestrator: an attempt began running (moves the step to `running`). */
class StepStarted extends AttemptMessage {
}
exports.StepStarted = StepStarted;
__decorate([
    (0, class_validator_1.IsISO8601)(),
    __metadata("design:type", String)
], StepStarted.prototype, "startedAt", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], StepStarted.prototype, "executorId", void 0);
__decorate([
    (0, class_validator_1.IsIn)(statuses_1.RUNTIME_KINDS),
    __metadata("design:type", String)
], StepStarted.prototype, "runtime", void 0);
class TokenUsage {
}
exports.TokenUsage = TokenUsage;
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], TokenUsage.prototype, "inputTokens", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], TokenUsage.prototype, "outputTokens", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], TokenUsage.prototype, "cacheCreationInputTokens", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], TokenUsage.prototype, "cacheReadInputTokens", void 0);
exports.ATTEMPT_OUTCOMES = ['completed', 'failed'];
/** Why an attempt failed, for people and for retry decisions. */
exports.ATTEMPT_ERROR_KINDS = ['runtime_error', 'timeout', 'aborted', 'lost'];
/** executor → orchestrator: what one attempt produced. Applied at most once per attempt. */
class StepResult extends AttemptMessage {
}
exports.StepResult = StepResult;
__decorate([
    (0, class_validator_1.IsIn)(exports.ATTEMPT_OUTCOMES),
    __metadata("design:type", String)
], StepResult.prototype, "outcome", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    __metadata("design:type", Object)
], StepResult.prototype, "output", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", Object)
], StepResult.prototype, "error", void 0);
__decorate([
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsIn)(exports.ATTEMPT_ERROR_KINDS),
    __metadata("design:type", Object)
], StepResult.prototype, "errorKind", void 0);
__decorate([
    (0, class_validator_1.IsNumber)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], StepResult.prototype, "costUsd", void 0);
__decorate([
    (0, class_validator_1.ValidateNested)(),
    (0, class_transformer_1.Type)(() => TokenUsage),
    __metadata("design:type", TokenUsage)
], StepResult.prototype, "usage", void 0);
__decorate([
    (0, class_validator_1.IsInt)(),
    (0, class_validator_1.Min)(0),
    __metadata("design:type", Number)
], StepResult.prototype, "numTurns", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], StepResult.prototype, "model", void 0);
__decorate([
    (0, class_validator_1.IsIn)(statuses_1.RUNTIME_KINDS),
    __metadata("design:type", String)
], StepResult.prototype, "runtime", void 0);
__decorate([
    (0, class_validator_1.IsISO8601)(),
    __metadata("design:type", String)
], StepResult.prototype, "startedAt", void 0);
__decorate([
    (0, class_validator_1.IsISO8601)(),
    __metadata("design:type", String)
], StepResult.prototype, "finishedAt", void 0);
__decorate([
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], StepResult.prototype, "executorId", void 0);
exports.RUN_EVENT_TYPES = ['status', 'step', 'budget', 'result'];
/**
 * orchestrator → anyone following a run (SSE, notifier). `data` uses the API's snake_case shapes
 * so the gateway can forward it as is.
 */
class RunEvent extends TenantMessage {
}
exports.RunEvent = RunEvent;
__decorate([
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], RunEvent.prototype, "runId", void 0);
__decorate([
    (0, class_validator_1.IsIn)(exports.RUN_EVENT_TYPES),
    __metadata("design:type", String)
], RunEvent.prototype, "type", void 0);
__decorate([
    (0, class_validator_1.IsISO8601)(),
    __metadata("design:type", String)
], RunEvent.prototype, "at", void 0);
__decorate([
    (0, class_validator_1.IsObject)(),
    __metadata("design:type", Object)
], RunEvent.prototype, "data", void 0);
function emptyUsage() {
    return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}
//# sourceMappingURL=messages.js.map