import type { WorkflowSummaryView, WorkflowView } from '@sandcastle/contracts';
import type { WorkflowEntity } from '@sandcastle/persistence';
import type { WorkflowDefinition } from '@sandcastle/workflow';

type StepSummary = WorkflowSummaryView['steps'][number];

export function toWorkflowSummaryView(row: WorkflowEntity): WorkflowSummaryView {
  const definition = row.definition as unknown as WorkflowDefinition;
  const steps = definition.steps.map((step): StepSummary => {
    const summary: StepSummary = { id: step.id, depends_on: step.dependsOn, model: step.model };
    if (step.parallelOver !== null) summary.parallel_over = step.parallelOver;
    return summary;
  });
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    version: row.version,
    steps_count: steps.length,
    steps,
    updated_at: row.createdAt.toISOString(),
  };
}

export function toWorkflowView(row: WorkflowEntity): WorkflowView {
  return { ...toWorkflowSummaryView(row), content: row.content };
}
