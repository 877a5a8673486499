import type { SimulationDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
import { SIMULATION_KEYS, WORKFLOW_LIMITS } from './workflow-schema';

/** `simulation: {latency_ms, cost_usd, failure_rate}` → camelCase; null when absent. */
export function parseSimulation(owner: SectionReader): SimulationDefinition | null {
  const raw = owner.mapping('simulation');
  if (raw === undefined) return null;
  const reader = owner.nested('simulation', raw);
  reader.checkKeys(SIMULATION_KEYS);
  const { latencyMs, costUsd, failureRate } = WORKFLOW_LIMITS;
  const result: SimulationDefinition = {};
  const latency = reader.integer('latency_ms', latencyMs.min, latencyMs.max);
  const cost = reader.number('cost_usd', costUsd.min, costUsd.max);
  const rate = reader.number('failure_rate', failureRate.min, failureRate.max);
  if (latency !== undefined) result.latencyMs = latency;
  if (cost !== undefined) result.costUsd = cost;
  if (rate !== undefined) result.failureRate = rate;
  return result;
}

/** A step's settings win field by field over the workflow's; null when neither has any. */
export function mergeSimulation(
  workflow: SimulationDefinition | null,
  step: SimulationDefinition | null,
): SimulationDefinition | null {
  if (workflow === null && step === null) return null;
  return { ...(workflow ?? {}), ...(step ?? {}) };
}
