export {
  AttemptFailedError,
  abortError,
  isErrorLike,
  type AgentRuntime,
  type AttemptOutput,
  type AttemptRequest,
  type RuntimeProgress,
} from './agent-runtime';
export { SandstormRuntime, checkHealth, type SandstormRuntimeOptions } from './sandstorm-runtime';
export { SimulatedRuntime, type SimulatedRuntimeOptions } from './simulated-runtime';
export {
  selectRuntime,
  describeDefaultRuntime,
  type RuntimeSelection,
  type EndpointTable,
} from './runtime-selection';
