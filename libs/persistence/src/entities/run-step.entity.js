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
exports.RunStepEntity = exports.STEP_ROW_ITEM_INDEX = void 0;
const typeorm_1 = require("typeorm");
/** `item_index` of the row that stands for the step as a whole (not one fan-out item). */
exports.STEP_ROW_ITEM_INDEX = -1;
/**
 * The current state of one step of a run (item_index = -1) or of one fan-out item of it
 * (item_index >= 0). Exactly one row per (run, step, item): the orchestrator updates it in place
 * as attempts come and go; the history of attempts lives in step_attempts.
 */
let RunStepEntity = class RunStepEntity {
};
exports.RunStepEntity = RunStepEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'id', type: 'uuid', default: () => 'gen_random_uuid()' }),
    __metadata("design:type", String)
], RunStepEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'run_id', type: 'uuid' }),
    __metadata("design:type", String)
], RunStepEntity.prototype, "runId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tenant_id', type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], RunStepEntity.prototype, "tenantId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'step_id', type: 'varchar', length: 200 }),
    __metadata("design:type", String)
], RunStepEntity.prototype, "stepId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'item_index', type: 'integer', default: exports.STEP_ROW_ITEM_INDEX }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "itemIndex", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'item_count', type: 'integer', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "itemCount", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'status', type: 'varchar', length: 20, default: 'pending' }),
    __metadata("design:type", String)
], RunStepEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'attempt', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "attempt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'output', type: 'jsonb', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "output", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "error", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error_kind', type: 'varchar', length: 20, nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "errorKind", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'cost_usd', type: 'double precision', default: 0 }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "costUsd", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'input_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "inputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'output_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "outputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'num_turns', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunStepEntity.prototype, "numTurns", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'duration_seconds', type: 'double precision', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "durationSeconds", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'model', type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "model", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'runtime', type: 'varchar', length: 20, nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "runtime", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'prompt', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "prompt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'is_fallback', type: 'boolean', default: false }),
    __metadata("design:type", Boolean)
], RunStepEntity.prototype, "isFallback", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'executor_id', type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "executorId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'queued_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "queuedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'started_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "startedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'completed_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "completedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "nextAttemptAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'deadline_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "deadlineAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'restored_from', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], RunStepEntity.prototype, "restoredFrom", void 0);
__decorate([
    (0, typeorm_1.UpdateDateColumn)({ name: 'updated_at', type: 'timestamptz' }),
    __metadata("design:type", Date)
], RunStepEntity.prototype, "updatedAt", void 0);
exports.RunStepEntity = RunStepEntity = __decorate([
    (0, typeorm_1.Entity)({ name: 'run_steps' })
], RunStepEntity);
//# sourceMappingURL=run-step.entity.js.map