/** Where a workflow version came from: saved through the API or loaded from WORKFLOWS_DIR. */
export type WorkflowSource = 'api' | 'file';
/**
 * One saved version of a workflow. Versions are immutable: saving a workflow again adds a row
 * with the next version number instead of updating the old one, so a run's
 * (workflow_name, workflow_version) always points at what it was started from.
 */
export declare class WorkflowEntity {
    id: string;
    tenantId: string;
    /** The identifier slug, stable across versions. */
    name: string;
    version: number;
    title: string;
    description: string;
    /** The YAML exactly as submitted. */
    content: string;
    /** sha256 hex of `content`: lets a save of unchanged YAML be recognised without a new version. */
    contentHash: string;
    /** The parsed, validated definition. */
    definition: Record<string, unknown>;
    source: WorkflowSource;
    createdAt: Date;
}
