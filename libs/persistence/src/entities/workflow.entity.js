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
exports.WorkflowEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * One saved version of a workflow. Versions are immutable: saving a workflow again adds a row
 * with the next version number instead of updating the old one, so a run's
 * (workflow_name, workflow_version) always points at what it was started from.
 */
let WorkflowEntity = class WorkflowEntity {
};
exports.WorkflowEntity = WorkflowEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ name: 'id', type: 'uuid', default: () => 'gen_random_uuid()' }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'tenant_id', type: 'varchar', length: 100 }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "tenantId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'name', type: 'varchar', length: 200 }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "name", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'version', type: 'integer' }),
    __metadata("design:type", Number)
], WorkflowEntity.prototype, "version", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'title', type: 'varchar', length: 500 }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "title", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'description', type: 'text', default: '' }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "description", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'content', type: 'text' }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "content", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'content_hash', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "contentHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'definition', type: 'jsonb' }),
    __metadata("design:type", Object)
], WorkflowEntity.prototype, "definition", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'source', type: 'varchar', length: 10 }),
    __metadata("design:type", String)
], WorkflowEntity.prototype, "source", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz' }),
    __metadata("design:type", Date)
], WorkflowEntity.prototype, "createdAt", void 0);
exports.WorkflowEntity = WorkflowEntity = __decorate([
    (0, typeorm_1.Entity)({ name: 'workflows' })
], WorkflowEntity);
//# sourceMappingURL=workflow.entity.js.map