import type { PromptPart } from '@sandcastle/contracts';
import { dataKey } from '@sandcastle/storage';
import type { PromptPiece, StepDefinition } from '@sandcastle/workflow';

/**
 * The deferred pieces of a rendered prompt as the dispatch carries them: tenant paths become
 * object keys under the tenant's prefix (docs/storage.md), so the executor reads exactly the
 * objects the orchestrator allowed, and only within the run's tenant.
 */
export function promptPartsOf(
  pieces: readonly PromptPiece[],
  tenantId: string,
  step: StepDefinition,
): PromptPart[] {
  return pieces.map((piece): PromptPart => {
    switch (piece.kind) {
      case 'text':
        return { text: piece.text };
      case 'storage':
        return {
          object: dataKey(tenantId, piece.path),
          as: 'text',
          placeholder: piece.placeholder,
          default: step.storageDefault ?? null,
          label: piece.path,
        };
      case 'output':
        return {
          object: piece.ref.key,
          as: 'json',
          path: piece.path,
          placeholder: piece.placeholder,
          label: piece.ref.name,
        };
      case 'value':
        return { value: piece.value };
    }
  });
}
