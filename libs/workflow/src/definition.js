"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=definition.js.map