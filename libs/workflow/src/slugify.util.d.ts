/**
 * The identifier made from a workflow title when none is given: "Lead Enrichment" →
 * "lead-enrichment", "Über Café 2.0" → "uber-cafe-2-0". Lower-case ASCII letters, digits and
 * single dashes; accents are dropped, everything else separates words. A title with no Latin
 * letters or digits gives "" — the caller must then ask for an explicit name.
 */
export declare function slugifyWorkflowName(title: string): string;
