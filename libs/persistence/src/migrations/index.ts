import { InitialSchema1795669714882 } from './1795669714882-InitialSchema';
import { RunControl1795700000000 } from './1795700000000-RunControl';
import { ApiKeys1795800000000 } from './1795800000000-ApiKeys';
import { StepRowVersion1795900000000 } from './1795900000000-StepRowVersion';
import { ErrorKindLength1796100000000 } from './1796100000000-ErrorKindLength';
import { PoisonAndFairness1796200000000 } from './1796200000000-PoisonAndFairness';
import { SchedulesAndWebhooks1796400000000 } from './1796400000000-SchedulesAndWebhooks';
import { RunArtifacts1796500000000 } from './1796500000000-RunArtifacts';
import { RuntimesAndApprovals1796600000000 } from './1796600000000-RuntimesAndApprovals';
import { TraceContext1796700000000 } from './1796700000000-TraceContext';
import { OutboxPendingIndexOnly1796800000000 } from './1796800000000-OutboxPendingIndexOnly';

export { InitialSchema1795669714882 } from './1795669714882-InitialSchema';
export { RunControl1795700000000 } from './1795700000000-RunControl';
export { ApiKeys1795800000000 } from './1795800000000-ApiKeys';
export { StepRowVersion1795900000000 } from './1795900000000-StepRowVersion';
export { ErrorKindLength1796100000000 } from './1796100000000-ErrorKindLength';
export { PoisonAndFairness1796200000000 } from './1796200000000-PoisonAndFairness';
export { SchedulesAndWebhooks1796400000000 } from './1796400000000-SchedulesAndWebhooks';
export { RunArtifacts1796500000000 } from './1796500000000-RunArtifacts';
export { RuntimesAndApprovals1796600000000 } from './1796600000000-RuntimesAndApprovals';
export { TraceContext1796700000000 } from './1796700000000-TraceContext';
export { OutboxPendingIndexOnly1796800000000 } from './1796800000000-OutboxPendingIndexOnly';

/**
 * Every migration, listed explicitly rather than globbed so the same list works from the
 * TypeScript sources (Jest) and from the compiled JavaScript (the TypeORM CLI).
 */
export const MIGRATIONS = [
  InitialSchema1795669714882,
  RunControl1795700000000,
  ApiKeys1795800000000,
  StepRowVersion1795900000000,
  ErrorKindLength1796100000000,
  PoisonAndFairness1796200000000,
  SchedulesAndWebhooks1796400000000,
  RunArtifacts1796500000000,
  RuntimesAndApprovals1796600000000,
  TraceContext1796700000000,
  OutboxPendingIndexOnly1796800000000,
];
