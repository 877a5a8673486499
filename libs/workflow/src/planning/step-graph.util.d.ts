/**
 * Graph helpers over anything with an id and `dependsOn`, shared by the validator (which works
 * on half-parsed steps) and the planner (which works on a WorkflowDefinition). Dependencies on
 * ids that are not in the list are ignored here; the validator reports them separately.
 */
export interface GraphNode {
    id: string;
    dependsOn: readonly string[];
}
/** Every step `stepId` needs, directly or through others (not including itself unless cyclic). */
export declare function ancestorsOf(nodes: readonly GraphNode[], stepId: string): Set<string>;
/**
 * `ancestorsOf` for many steps of one graph: the id index is built once, so asking for every
 * step stays linear per question instead of rebuilding the index each time.
 */
export declare function ancestorLookup(nodes: readonly GraphNode[]): (stepId: string) => Set<string>;
/** Every step that needs `stepId`, directly or through others (not including `stepId`). */
export declare function dependentsOf(nodes: readonly GraphNode[], stepId: string): Set<string>;
/**
 * One cycle per group of mutually dependent steps (a strongly connected component of more than
 * one step), each as the ids in dependency order starting and ending with the step defined
 * first: `['a', 'b', 'c', 'a']` means a depends on b, b on c, c on a. Self-dependencies are left
 * to the caller (they read better as "depends on itself").
 */
export declare function findCycles(nodes: readonly GraphNode[]): string[][];
