"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var ObservabilityModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ObservabilityModule = void 0;
const common_1 = require("@nestjs/common");
const health_controller_1 = require("./health.controller");
const health_registry_1 = require("./health-registry");
const metrics_controller_1 = require("./metrics.controller");
const tokens_1 = require("./tokens");
/**
 * Global: every module of a service can inject `LOGGER`, `METRICS_REGISTRY`, `SERVICE_NAME`
 * and `HealthRegistry`. Serves `/health`, `/health/live`, `/health/ready` and `/metrics`.
 * The logger and registry are created in `main.ts` before Nest, so boot can log and count too.
 */
let ObservabilityModule = ObservabilityModule_1 = class ObservabilityModule {
    static forRoot(options) {
        return {
            module: ObservabilityModule_1,
            global: true,
            controllers: [health_controller_1.HealthController, metrics_controller_1.MetricsController],
            providers: [
                { provide: tokens_1.LOGGER, useValue: options.logger },
                { provide: tokens_1.METRICS_REGISTRY, useValue: options.registry },
                { provide: tokens_1.SERVICE_NAME, useValue: options.service },
                {
                    provide: health_registry_1.HealthRegistry,
                    useFactory: () => new health_registry_1.HealthRegistry({ logger: options.logger.child({ component: 'health' }) }),
                },
            ],
            exports: [tokens_1.LOGGER, tokens_1.METRICS_REGISTRY, tokens_1.SERVICE_NAME, health_registry_1.HealthRegistry],
        };
    }
};
exports.ObservabilityModule = ObservabilityModule;
exports.ObservabilityModule = ObservabilityModule = ObservabilityModule_1 = __decorate([
    (0, common_1.Module)({})
], ObservabilityModule);
//# sourceMappingURL=observability.module.js.map