import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelRegistry } from '@sandcastle/config';
import { isModelApiRuntime } from '@sandcastle/contracts';
import { parseWorkflowYaml } from './parse/workflow.parser';
import { fanOutItems, withFanOutItem } from './templates/fan-out.util';
import { renderTemplate } from './templates/render-template.util';
import { topologicalOrder } from './planning/plan.util';

// The bundled workflows are what users copy first: every one must parse without problems.
const dir = join(__dirname, '..', '..', '..', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const parse = (file: string) => parseWorkflowYaml(readFileSync(join(dir, file), 'utf8'));

describe('bundled workflows', () => {
  it('include the seed examples and at least one more', () => {
    expect(files).toEqual(expect.arrayContaining(['lead-enrichment.yaml', 'competitor-monitor.yaml']));
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)(
    '%s is valid (models in the default registry), and an agent workflow connects through ${SANDSTORM_URL} with the runtime open',
    (file) => {
      const aliases = [...defaultModelRegistry().models.keys()];
      const result = parseWorkflowYaml(readFileSync(join(dir, file), 'utf8'), { models: { aliases } });
      expect(result.ok ? [] : result.problems).toEqual([]);
      if (!result.ok) return;
      expect(result.warnings).toEqual([]);
      if (isModelApiRuntime(result.definition.runtime)) {
        expect(result.definition.sandstormUrl).toBeNull();
      } else {
        expect(result.definition.sandstormUrl).toBe('${SANDSTORM_URL}');
        expect(result.definition.runtime).toBeNull();
      }
      expect(topologicalOrder(result.definition)).toHaveLength(result.definition.steps.length);
    },
  );

  it('competitor monitor fans out over the list its first step returns', () => {
    const result = parse('competitor-monitor.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [fetch, analyze] = result.definition.steps;
    expect(fetch?.outputSchema).toMatchObject({
      properties: { competitors: { type: 'array', items: { type: 'string' } } },
    });
    expect(analyze?.parallelOver).toBe('steps.fetch-competitors.output.competitors');

    const ctx = {
      input: { company_url: 'https://acme.example' },
      steps: { 'fetch-competitors': { output: { competitors: ['Globex', 'Initech'] } } },
      runId: 'r',
      date: '2026-11-26',
    };
    const prompts = fanOutItems(analyze?.parallelOver ?? '', ctx).map((item, i) =>
      renderTemplate(analyze?.prompt ?? '', withFanOutItem(ctx, item, i)),
    );
    expect(prompts).toEqual([
      'Analyze Globex for pricing and feature changes.',
      'Analyze Initech for pricing and feature changes.',
    ]);
  });
});
