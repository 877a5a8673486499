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
exports.StepAttemptEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * The record of one applied attempt result. The primary key (run, step, item, attempt) is what
 * makes applying a result idempotent: the orchestrator inserts this row in the same transaction
 * that updates run_steps, and a redelivered result hits the key and changes nothing.
 */
let StepAttemptEntity = class StepAttemptEntity {
};
exports.StepAttemptEntity = StepAttemptEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'run_id', type: 'uuid' }),
    __metadata("design:type", String)
], StepAttemptEntity.prototype, "runId", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'step_id', type: 'varchar', length: 200 }),
    __metadata("design:type", String)
], StepAttemptEntity.prototype, "stepId", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'item_index', type: 'integer' }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "itemIndex", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'attempt', type: 'integer' }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "attempt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tenant_id', type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], StepAttemptEntity.prototype, "tenantId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'outcome', type: 'varchar', length: 20 }),
    __metadata("design:type", String)
], StepAttemptEntity.prototype, "outcome", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'output', type: 'jsonb', nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "output", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "error", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error_kind', type: 'varchar', length: 20, nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "errorKind", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'cost_usd', type: 'double precision', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "costUsd", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'input_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "inputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'output_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "outputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'cache_creation_input_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "cacheCreationInputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'cache_read_input_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "cacheReadInputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'num_turns', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], StepAttemptEntity.prototype, "numTurns", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'model', type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "model", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'runtime', type: 'varchar', length: 20, nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "runtime", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'executor_id', type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "executorId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'started_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "startedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'finished_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], StepAttemptEntity.prototype, "finishedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'applied_at', type: 'timestamptz', default: () => 'now()' }),
    __metadata("design:type", Date)
], StepAttemptEntity.prototype, "appliedAt", void 0);
exports.StepAttemptEntity = StepAttemptEntity = __decorate([
    (0, typeorm_1.Entity)({ name: 'step_attempts' })
], StepAttemptEntity);
//# sourceMappingURL=step-attempt.entity.js.map