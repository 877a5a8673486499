"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENTITIES = exports.WorkflowEntity = exports.StepAttemptEntity = exports.RunEntity = exports.STEP_ROW_ITEM_INDEX = exports.RunStepEntity = exports.OutboxEntity = void 0;
const outbox_entity_1 = require("./outbox.entity");
const run_step_entity_1 = require("./run-step.entity");
const run_entity_1 = require("./run.entity");
const step_attempt_entity_1 = require("./step-attempt.entity");
const workflow_entity_1 = require("./workflow.entity");
var outbox_entity_2 = require("./outbox.entity");
Object.defineProperty(exports, "OutboxEntity", { enumerable: true, get: function () { return outbox_entity_2.OutboxEntity; } });
var run_step_entity_2 = require("./run-step.entity");
Object.defineProperty(exports, "RunStepEntity", { enumerable: true, get: function () { return run_step_entity_2.RunStepEntity; } });
Object.defineProperty(exports, "STEP_ROW_ITEM_INDEX", { enumerable: true, get: function () { return run_step_entity_2.STEP_ROW_ITEM_INDEX; } });
var run_entity_2 = require("./run.entity");
Object.defineProperty(exports, "RunEntity", { enumerable: true, get: function () { return run_entity_2.RunEntity; } });
var step_attempt_entity_2 = require("./step-attempt.entity");
Object.defineProperty(exports, "StepAttemptEntity", { enumerable: true, get: function () { return step_attempt_entity_2.StepAttemptEntity; } });
var workflow_entity_2 = require("./workflow.entity");
Object.defineProperty(exports, "WorkflowEntity", { enumerable: true, get: function () { return workflow_entity_2.WorkflowEntity; } });
/** Every entity of the schema, in the order the DataSource registers them. */
exports.ENTITIES = [workflow_entity_1.WorkflowEntity, run_entity_1.RunEntity, run_step_entity_1.RunStepEntity, step_attempt_entity_1.StepAttemptEntity, outbox_entity_1.OutboxEntity];
//# sourceMappingURL=index.js.map