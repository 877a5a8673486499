"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS = exports.InitialSchema1795669714882 = void 0;
const _1795669714882_InitialSchema_1 = require("./1795669714882-InitialSchema");
var _1795669714882_InitialSchema_2 = require("./1795669714882-InitialSchema");
Object.defineProperty(exports, "InitialSchema1795669714882", { enumerable: true, get: function () { return _1795669714882_InitialSchema_2.InitialSchema1795669714882; } });
/**
 * Every migration, listed explicitly rather than globbed so the same list works from the
 * TypeScript sources (Jest) and from the compiled JavaScript (the TypeORM CLI).
 */
exports.MIGRATIONS = [_1795669714882_InitialSchema_1.InitialSchema1795669714882];
//# sourceMappingURL=index.js.map