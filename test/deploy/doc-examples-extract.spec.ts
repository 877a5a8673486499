import { extractExamples, fieldMismatches, transcriptPattern } from '../../e2e/support/doc-examples.util';

// The rules of docs/contributing.md ("Docs that cannot drift"), on made-up markdown: what the
// docs test (e2e/doc-examples.e2e-spec.ts) takes from a page.
const PAGE = [
  'Text with `curl localhost:8080/inline` is not an example.',
  '```bash',
  "curl -s -X POST localhost:8080/workflows/run -H 'content-type: application/json' \\",
  '  -d \'{"workflow": "x # not a comment"}\'   # starts a run',
  '# {"data":{"run_id":"…","status":"queued"},"error":null}',
  'curl -s localhost:8080/runs/nope   # → 404',
  'curl -s -X POST localhost:8080/runs/<run_id>/cancel   # not run by the docs test: needs a live run',
  'npm run build',
  '```',
  '```',
  '$ sandcastle runs --limit 1',
  'run … completed',
  '```',
].join('\n');

describe('doc examples', () => {
  const examples = extractExamples(PAGE, 'docs/page.md');

  it('takes curl and CLI lines from code blocks only, joining continuations', () => {
    expect(examples.map((e) => [e.where, e.kind, e.command])).toEqual([
      [
        'docs/page.md:3',
        'curl',
        'curl -s -X POST localhost:8080/workflows/run -H \'content-type: application/json\' -d \'{"workflow": "x # not a comment"}\'',
      ],
      ['docs/page.md:6', 'curl', 'curl -s localhost:8080/runs/nope'],
      ['docs/page.md:7', 'curl', 'curl -s -X POST localhost:8080/runs/<run_id>/cancel'],
      ['docs/page.md:11', 'cli', 'sandcastle runs --limit 1'],
    ]);
  });

  it('reads the shown answer, the promised status, the skip reason and the transcript', () => {
    expect(examples[0]?.expectedJson).toEqual({ data: { run_id: '…', status: 'queued' }, error: null });
    expect(examples[1]?.expectedStatus).toBe(404);
    expect(examples[2]?.skipReason).toBe('needs a live run');
    expect(examples[3]?.expectedOutput).toEqual(['run … completed']);
  });

  it('compares only the fields the doc shows; "…" is any value but must be there', () => {
    const shown = { data: { run_id: '…', status: 'queued' }, error: null };
    expect(
      fieldMismatches(shown, { data: { run_id: 'a', status: 'queued', extra: 1 }, error: null }),
    ).toEqual([]);
    expect(fieldMismatches(shown, { data: { status: 'running' }, error: null })).toEqual([
      '.data.run_id: missing',
      '.data.status: expected "queued", got "running"',
    ]);
  });

  it('matches transcript lines with any id, number and spacing', () => {
    expect(transcriptPattern('  ✓ scrape completed  $0.0020').test('    ✓ scrape completed $0.0135')).toBe(
      true,
    );
    expect(transcriptPattern('✓ run … completed').test('✓ run 3d31a4c8-8e25 completed')).toBe(true);
    expect(transcriptPattern('✓ run … completed').test('✗ run 3d31a4c8 failed')).toBe(false);
  });
});
