"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PassThroughRpcFilter = void 0;
exports.JetStreamHandlers = JetStreamHandlers;
const common_1 = require("@nestjs/common");
const rxjs_1 = require("rxjs");
/**
 * Nest's default RPC filter turns every error into `{status: 'error', message}` and logs it.
 * The JetStream transport decides what an error means (terminate an invalid message, redeliver
 * otherwise), so errors must reach it unchanged.
 */
let PassThroughRpcFilter = class PassThroughRpcFilter {
    catch(exception) {
        return (0, rxjs_1.throwError)(() => exception);
    }
};
exports.PassThroughRpcFilter = PassThroughRpcFilter;
exports.PassThroughRpcFilter = PassThroughRpcFilter = __decorate([
    (0, common_1.Catch)()
], PassThroughRpcFilter);
/**
 * Marks a class as a set of JetStream handlers: a controller whose errors reach the transport
 * unchanged. Use it instead of `@Controller()` on every handler class.
 */
function JetStreamHandlers() {
    return (0, common_1.applyDecorators)((0, common_1.Controller)(), (0, common_1.UseFilters)(PassThroughRpcFilter));
}
//# sourceMappingURL=pass-through-rpc.filter.js.map