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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.HealthController = void 0;
const common_1 = require("@nestjs/common");
const contracts_1 = require("@sandcastle/contracts");
const health_registry_1 = require("./health-registry");
const body = ({ status, checks }) => (0, contracts_1.ok)({ status, ...checks });
/**
 * Probes for operators and Kubernetes. `/health` always answers 200 (it reports, it does not
 * judge); `/health/live` only proves the event loop answers, so a slow database never gets a
 * pod restarted; `/health/ready` is 503 while a critical dependency is down, which takes the
 * pod out of load balancing until it recovers.
 */
let HealthController = class HealthController {
    constructor(health) {
        this.health = health;
    }
    async overall() {
        return body(await this.health.run());
    }
    live() {
        return (0, contracts_1.ok)({ status: 'ok' });
    }
    async ready(res) {
        const report = await this.health.report();
        if (!report.ready)
            res.status(common_1.HttpStatus.SERVICE_UNAVAILABLE);
        return body(report);
    }
};
exports.HealthController = HealthController;
__decorate([
    (0, common_1.Get)(),
    (0, common_1.Header)('Cache-Control', 'no-store'),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "overall", null);
__decorate([
    (0, common_1.Get)('live'),
    (0, common_1.Header)('Cache-Control', 'no-store'),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Object)
], HealthController.prototype, "live", null);
__decorate([
    (0, common_1.Get)('ready'),
    (0, common_1.Header)('Cache-Control', 'no-store'),
    __param(0, (0, common_1.Res)({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "ready", null);
exports.HealthController = HealthController = __decorate([
    (0, common_1.Controller)('health'),
    __metadata("design:paramtypes", [health_registry_1.HealthRegistry])
], HealthController);
//# sourceMappingURL=health.controller.js.map