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
exports.OutboxEntity = void 0;
const typeorm_1 = require("typeorm");
/**
 * A message to publish once the transaction that wrote it commits (transactional outbox). A
 * relay publishes rows in id order with `msg_id` as the JetStream message id, then deletes them;
 * a crash between publish and delete re-publishes, and the duplicate window drops the copy.
 */
let OutboxEntity = class OutboxEntity {
};
exports.OutboxEntity = OutboxEntity;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)('increment', { name: 'id', type: 'bigint' }),
    __metadata("design:type", String)
], OutboxEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'subject', type: 'varchar', length: 300 }),
    __metadata("design:type", String)
], OutboxEntity.prototype, "subject", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'msg_id', type: 'varchar', length: 300 }),
    __metadata("design:type", String)
], OutboxEntity.prototype, "msgId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'payload', type: 'text' }),
    __metadata("design:type", String)
], OutboxEntity.prototype, "payload", void 0);
__decorate([
    (0, typeorm_1.CreateDateColumn)({ name: 'created_at', type: 'timestamptz' }),
    __metadata("design:type", Date)
], OutboxEntity.prototype, "createdAt", void 0);
exports.OutboxEntity = OutboxEntity = __decorate([
    (0, typeorm_1.Entity)({ name: 'outbox' })
], OutboxEntity);
//# sourceMappingURL=outbox.entity.js.map