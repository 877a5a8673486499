import { slugifyWorkflowName } from './slugify.util';

describe('slugifyWorkflowName', () => {
  it.each([
    ['Lead Enrichment', 'lead-enrichment'],
    ['Competitor Monitor', 'competitor-monitor'],
    ['  Support   Ticket -- Triage!  ', 'support-ticket-triage'],
    ['snake_case_name', 'snake-case-name'],
    ['Über Café 2.0', 'uber-cafe-2-0'],
    ['already-a-slug', 'already-a-slug'],
    ['日本語', ''],
    ['', ''],
  ])('%j → %j', (title, slug) => {
    expect(slugifyWorkflowName(title)).toBe(slug);
  });

  it('keeps slugs to 100 characters without a trailing dash', () => {
    const slug = slugifyWorkflowName(`${'a'.repeat(99)} b`);
    expect(slug).toBe('a'.repeat(99));
    expect(slugifyWorkflowName('x'.repeat(300))).toHaveLength(100);
  });
});
