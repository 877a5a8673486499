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
var PersistenceModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.PersistenceModule = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const observability_1 = require("@sandcastle/observability");
const create_data_source_1 = require("./create-data-source");
let DataSourceLifecycle = class DataSourceLifecycle {
    constructor(dataSource, health) {
        this.dataSource = dataSource;
        this.health = health;
    }
    onModuleInit() {
        this.health.register('database', async () => {
            await this.dataSource.query('SELECT 1');
            return true;
        }, { critical: true });
    }
    async onApplicationShutdown() {
        if (this.dataSource.isInitialized)
            await this.dataSource.destroy();
    }
};
DataSourceLifecycle = __decorate([
    __param(0, (0, common_1.Inject)(typeorm_1.DataSource)),
    __param(1, (0, common_1.Inject)(observability_1.HealthRegistry)),
    __metadata("design:paramtypes", [typeorm_1.DataSource,
        observability_1.HealthRegistry])
], DataSourceLifecycle);
/**
 * Global module providing the initialised TypeORM `DataSource` (inject it by its class) and the
 * `database` health check. The pool is closed last, when the application shuts down, after the
 * consumers have drained.
 */
let PersistenceModule = PersistenceModule_1 = class PersistenceModule {
    static forRoot(options) {
        return {
            module: PersistenceModule_1,
            global: true,
            providers: [
                {
                    provide: typeorm_1.DataSource,
                    useFactory: async () => (0, create_data_source_1.createDataSource)(options.url, options).initialize(),
                },
                DataSourceLifecycle,
            ],
            exports: [typeorm_1.DataSource],
        };
    }
};
exports.PersistenceModule = PersistenceModule;
exports.PersistenceModule = PersistenceModule = PersistenceModule_1 = __decorate([
    (0, common_1.Module)({})
], PersistenceModule);
//# sourceMappingURL=persistence.module.js.map