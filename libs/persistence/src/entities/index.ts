import { ApiKeyEntity } from './api-key.entity';
import { ApprovalEntity } from './approval.entity';
import { DeadLetterItemEntity } from './dead-letter-item.entity';
import { OutboxEntity } from './outbox.entity';
import { RunStepEntity } from './run-step.entity';
import { RunEntity } from './run.entity';
import { StepAttemptEntity } from './step-attempt.entity';
import { WorkflowEntity } from './workflow.entity';
import { ScheduleEntity } from './schedule.entity';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { RunArtifactEntity } from './run-artifact.entity';

export { ApiKeyEntity } from './api-key.entity';
export { ApprovalEntity } from './approval.entity';
export { DeadLetterItemEntity } from './dead-letter-item.entity';
export { OutboxEntity } from './outbox.entity';
export { RunStepEntity } from './run-step.entity';
export { RunEntity } from './run.entity';
export { StepAttemptEntity, type AttemptOutcome } from './step-attempt.entity';
export { WorkflowEntity, type WorkflowSource } from './workflow.entity';
export { ScheduleEntity, type OverlapPolicy } from './schedule.entity';
export { WebhookAttemptEntity } from './webhook-attempt.entity';
export { RunArtifactEntity } from './run-artifact.entity';
export {
  WebhookDeliveryEntity,
  DELIVERY_TARGETS,
  type DeliveryTarget,
  type DeliveryFormat,
  type DeliveryStatus,
} from './webhook-delivery.entity';

/** Every entity of the schema, in the order the DataSource registers them. */
export const ENTITIES = [
  WorkflowEntity,
  RunEntity,
  RunStepEntity,
  StepAttemptEntity,
  OutboxEntity,
  DeadLetterItemEntity,
  ApiKeyEntity,
  ScheduleEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  ApprovalEntity,
  RunArtifactEntity,
];
