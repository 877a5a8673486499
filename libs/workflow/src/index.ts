export * from './definition';
export {
  parseWorkflowYaml,
  parseWorkflowObject,
  YAML_FIELD,
  type ParseOptions,
  type ParseResult,
  type WorkflowSizeLimits,
} from './parse/workflow.parser';
export {
  endpointProblems,
  normaliseUrl,
  sandstormTargetOf,
  type EndpointFields,
  type EndpointPolicy,
  type SandstormTarget,
} from './parse/endpoint-policy.util';
export { WORKFLOW_DEFAULTS, WORKFLOW_LIMITS, MODEL_ALIASES } from './parse/workflow-schema';
export { chainOf, storedModelProblems, type ModelPolicy } from './parse/model-chain.parser';
export { slugifyWorkflowName } from './slugify.util';
export { suggestWorkflowName } from './workflow-name-suggestion.util';
export {
  readySteps,
  descendantsOf,
  dependenciesOf,
  topologicalOrder,
  type StepPhase,
} from './planning/plan.util';
export type { TemplateContext } from './templates/template-context';
export {
  renderTemplate,
  resolvePath,
  TemplateTooLargeError,
  type RenderOptions,
  type ResolvedPath,
} from './templates/render-template.util';
export { fanOutItems, fanOutReadsOffloaded, withFanOutItem } from './templates/fan-out.util';
export {
  renderPromptParts,
  walkJsonPath,
  type DeferredPiece,
  type PromptPiece,
  type RenderedPrompt,
} from './templates/prompt-parts.util';
export {
  findStorageReferences,
  renderStoragePath,
  storagePathProblems,
  storagePathTemplateProblem,
  type StorageReference,
} from './templates/storage-refs.util';
export { stringifyTemplateValue } from './templates/render-template.util';
export { resolveEnvVars, envVarNames } from './templates/env-vars.util';
export { retryDelayMs } from './retry/retry-delay.util';
export {
  applyStepChanges,
  STEP_CHANGE_KEYS,
  type StepChanges,
  type ApplyStepChangesResult,
} from './fork/apply-step-changes';
export { isHttpUrl } from './parse/url-field.util';
export {
  checkCron,
  describeCron,
  nextOccurrence,
  collapseMissed,
  latestOccurrence,
  isValidTimeZone,
  MAX_CRON_LENGTH,
  type CronCheck,
} from './schedule/cron.util';
