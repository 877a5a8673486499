"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.retryDelayMs = exports.envVarNames = exports.resolveEnvVars = exports.withFanOutItem = exports.fanOutItems = exports.resolvePath = exports.renderTemplate = exports.topologicalOrder = exports.dependenciesOf = exports.descendantsOf = exports.readySteps = exports.slugifyWorkflowName = exports.MODEL_ALIASES = exports.WORKFLOW_LIMITS = exports.WORKFLOW_DEFAULTS = exports.YAML_FIELD = exports.parseWorkflowObject = exports.parseWorkflowYaml = void 0;
__exportStar(require("./definition"), exports);
var workflow_parser_1 = require("./parse/workflow.parser");
Object.defineProperty(exports, "parseWorkflowYaml", { enumerable: true, get: function () { return workflow_parser_1.parseWorkflowYaml; } });
Object.defineProperty(exports, "parseWorkflowObject", { enumerable: true, get: function () { return workflow_parser_1.parseWorkflowObject; } });
Object.defineProperty(exports, "YAML_FIELD", { enumerable: true, get: function () { return workflow_parser_1.YAML_FIELD; } });
var workflow_schema_1 = require("./parse/workflow-schema");
Object.defineProperty(exports, "WORKFLOW_DEFAULTS", { enumerable: true, get: function () { return workflow_schema_1.WORKFLOW_DEFAULTS; } });
Object.defineProperty(exports, "WORKFLOW_LIMITS", { enumerable: true, get: function () { return workflow_schema_1.WORKFLOW_LIMITS; } });
Object.defineProperty(exports, "MODEL_ALIASES", { enumerable: true, get: function () { return workflow_schema_1.MODEL_ALIASES; } });
var slugify_util_1 = require("./slugify.util");
Object.defineProperty(exports, "slugifyWorkflowName", { enumerable: true, get: function () { return slugify_util_1.slugifyWorkflowName; } });
var plan_util_1 = require("./planning/plan.util");
Object.defineProperty(exports, "readySteps", { enumerable: true, get: function () { return plan_util_1.readySteps; } });
Object.defineProperty(exports, "descendantsOf", { enumerable: true, get: function () { return plan_util_1.descendantsOf; } });
Object.defineProperty(exports, "dependenciesOf", { enumerable: true, get: function () { return plan_util_1.dependenciesOf; } });
Object.defineProperty(exports, "topologicalOrder", { enumerable: true, get: function () { return plan_util_1.topologicalOrder; } });
var render_template_util_1 = require("./templates/render-template.util");
Object.defineProperty(exports, "renderTemplate", { enumerable: true, get: function () { return render_template_util_1.renderTemplate; } });
Object.defineProperty(exports, "resolvePath", { enumerable: true, get: function () { return render_template_util_1.resolvePath; } });
var fan_out_util_1 = require("./templates/fan-out.util");
Object.defineProperty(exports, "fanOutItems", { enumerable: true, get: function () { return fan_out_util_1.fanOutItems; } });
Object.defineProperty(exports, "withFanOutItem", { enumerable: true, get: function () { return fan_out_util_1.withFanOutItem; } });
var env_vars_util_1 = require("./templates/env-vars.util");
Object.defineProperty(exports, "resolveEnvVars", { enumerable: true, get: function () { return env_vars_util_1.resolveEnvVars; } });
Object.defineProperty(exports, "envVarNames", { enumerable: true, get: function () { return env_vars_util_1.envVarNames; } });
var retry_delay_util_1 = require("./retry/retry-delay.util");
Object.defineProperty(exports, "retryDelayMs", { enumerable: true, get: function () { return retry_delay_util_1.retryDelayMs; } });
//# sourceMappingURL=index.js.map