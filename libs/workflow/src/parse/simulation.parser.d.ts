import type { SimulationDefinition } from '../definition';
import type { SectionReader } from './section-reader.util';
/** `simulation: {latency_ms, cost_usd, failure_rate}` → camelCase; null when absent. */
export declare function parseSimulation(owner: SectionReader): SimulationDefinition | null;
/** A step's settings win field by field over the workflow's; null when neither has any. */
export declare function mergeSimulation(workflow: SimulationDefinition | null, step: SimulationDefinition | null): SimulationDefinition | null;
