import { editDistance } from './parse/did-you-mean.util';
import { slugifyWorkflowName } from './slugify.util';

/** Longer names get no hint: the distance is quadratic in the length, and such a name is no typo. */
const MAX_NAME_LENGTH = 100;

/**
 * The saved workflow a misspelt name most likely meant, or null: `lead-enrichmnt`,
 * `Lead Enrichment` and `lead_enrichment` all → `lead-enrichment`. As for keys, a hint is given
 * only when it is likely right (a few edits, growing slowly with the length).
 */
export function suggestWorkflowName(name: string, known: readonly string[]): string | null {
  if (name.length > MAX_NAME_LENGTH) return null;
  const slug = slugifyWorkflowName(name);
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate === name) continue; // not a typo: it exists (the caller asked about another scope)
    const distance = candidate === slug ? 0 : editDistance(slug, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === null) return null;
  const allowed = best.length < 4 ? 0 : Math.max(1, Math.min(3, Math.floor(best.length / 4)));
  return bestDistance <= allowed ? best : null;
}
