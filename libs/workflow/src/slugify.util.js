"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.slugifyWorkflowName = slugifyWorkflowName;
const MAX_SLUG_LENGTH = 100;
/**
 * The identifier made from a workflow title when none is given: "Lead Enrichment" →
 * "lead-enrichment", "Über Café 2.0" → "uber-cafe-2-0". Lower-case ASCII letters, digits and
 * single dashes; accents are dropped, everything else separates words. A title with no Latin
 * letters or digits gives "" — the caller must then ask for an explicit name.
 */
function slugifyWorkflowName(title) {
    const slug = title
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
}
//# sourceMappingURL=slugify.util.js.map