"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=template-context.js.map