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
exports.RunEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * One execution of a workflow. The orchestrator changes a run only while holding this row's
 * lock (SELECT … FOR UPDATE), which serialises all work on one run across replicas.
 */
let RunEntity = class RunEntity {
};
exports.RunEntity = RunEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'id', type: 'uuid' }),
    __metadata("design:type", String)
], RunEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tenant_id', type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], RunEntity.prototype, "tenantId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'workflow_name', type: 'varchar', length: 200 }),
    __metadata("design:type", String)
], RunEntity.prototype, "workflowName", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'workflow_version', type: 'integer', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "workflowVersion", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'definition', type: 'jsonb' }),
    __metadata("design:type", Object)
], RunEntity.prototype, "definition", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'status', type: 'varchar', length: 20, default: 'queued' }),
    __metadata("design:type", String)
], RunEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'kind', type: 'varchar', length: 10, default: 'original' }),
    __metadata("design:type", String)
], RunEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'input_data', type: 'jsonb', default: () => `'{}'` }),
    __metadata("design:type", Object)
], RunEntity.prototype, "inputData", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'outputs', type: 'jsonb', default: () => `'{}'` }),
    __metadata("design:type", Object)
], RunEntity.prototype, "outputs", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'error', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "error", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'total_cost_usd', type: 'double precision', default: 0 }),
    __metadata("design:type", Number)
], RunEntity.prototype, "totalCostUsd", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'total_input_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunEntity.prototype, "totalInputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'total_output_tokens', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], RunEntity.prototype, "totalOutputTokens", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'max_cost_usd', type: 'double precision', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "maxCostUsd", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'budget_warned', type: 'boolean', default: false }),
    __metadata("design:type", Boolean)
], RunEntity.prototype, "budgetWarned", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'callback_url', type: 'text', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "callbackUrl", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "idempotencyKey", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'request_hash', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "requestHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'parent_run_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "parentRunId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'root_run_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "rootRunId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'replay_from_step', type: 'varchar', length: 200, nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "replayFromStep", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'fork_changes', type: 'jsonb', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "forkChanges", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz' }),
    __metadata("design:type", Date)
], RunEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'started_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "startedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'completed_at', type: 'timestamptz', nullable: true }),
    __metadata("design:type", Object)
], RunEntity.prototype, "completedAt", void 0);
__decorate([
    (0, typeorm_1.UpdateDateColumn)({ name: 'updated_at', type: 'timestamptz' }),
    __metadata("design:type", Date)
], RunEntity.prototype, "updatedAt", void 0);
exports.RunEntity = RunEntity = __decorate([
    (0, typeorm_1.Entity)({ name: 'runs' })
], RunEntity);
//# sourceMappingURL=run.entity.js.map