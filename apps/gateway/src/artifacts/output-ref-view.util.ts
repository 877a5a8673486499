import { outputRefOf, type OutputRefView } from '@sandcastle/contracts';

export function artifactUrl(runId: string, name: string): string {
  return `/runs/${runId}/artifacts/${encodeURIComponent(name)}`;
}

/** The public view of an offloaded output, or null; the object key stays internal. */
export function outputRefView(value: unknown, runId: string): OutputRefView | null {
  const ref = outputRefOf(value);
  if (!ref) return null;
  return {
    name: ref.name,
    size: ref.size,
    content_type: ref.content_type,
    preview: ref.preview,
    url: artifactUrl(runId, ref.name),
  };
}

/**
 * A run's outputs as the API shows them: an offloaded output is null with its reference in
 * `output_refs`; a list (a fan-out) with offloaded items shows each such item as
 * `{"output_ref": {…}}`, so no internal key ever leaves the gateway.
 */
export function publicOutputs(
  outputs: Record<string, unknown>,
  runId: string,
): { outputs: Record<string, unknown>; outputRefs: Record<string, OutputRefView> } {
  const shown: Record<string, unknown> = {};
  const refs: Record<string, OutputRefView> = {};
  for (const [stepId, value] of Object.entries(outputs)) {
    const ref = outputRefView(value, runId);
    if (ref) {
      shown[stepId] = null;
      refs[stepId] = ref;
    } else if (Array.isArray(value)) {
      shown[stepId] = value.map((item) => {
        const itemRef = outputRefView(item, runId);
        return itemRef ? { output_ref: itemRef } : (item as unknown);
      });
    } else shown[stepId] = value;
  }
  return { outputs: shown, outputRefs: refs };
}
