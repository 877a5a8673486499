// The builder edits the workflow YAML through the `yaml` package's Document API: every change
// from the graph or the forms is applied to the parsed document, which is then printed again, so
// comments, key order and keys the builder does not know survive a round trip.
import { text } from './format';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';

export interface BuilderStep {
  index: number;
  id: string;
  depends_on: string[];
}

/** The step fields the form edits; a path into the step's mapping. */
export const STEP_FIELDS = [
  { key: 'prompt', path: ['prompt'], kind: 'text' },
  { key: 'model', path: ['model'], kind: 'string' },
  { key: 'max_turns', path: ['max_turns'], kind: 'number' },
  { key: 'timeout', path: ['timeout'], kind: 'number' },
  { key: 'retry.max_attempts', path: ['retry', 'max_attempts'], kind: 'number' },
  { key: 'retry.backoff', path: ['retry', 'backoff'], kind: 'string' },
  { key: 'retry.on_failure', path: ['retry', 'on_failure'], kind: 'string' },
  { key: 'parallel_over', path: ['parallel_over'], kind: 'string' },
  { key: 'output_schema', path: ['output_schema'], kind: 'json' },
  { key: 'runtime', path: ['runtime'], kind: 'string' },
] as const;

export type StepFieldKey = (typeof STEP_FIELDS)[number]['key'];

export const NEW_WORKFLOW = `# A new workflow: add steps on the canvas, or write YAML here.
name: My workflow
description: ""
steps:
  - id: research
    prompt: "Research {input.topic}"
`;

export type Parsed = { ok: true; doc: Document } | { ok: false; error: string };

export function parseWorkflow(text: string): Parsed {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, error: doc.errors.map((e) => e.message).join('\n') };
  return { ok: true, doc };
}

function stepsSeq(doc: Document): YAMLSeq | null {
  const steps = doc.get('steps', true);
  return isSeq(steps) ? steps : null;
}

/** Prints a document the way workflow files are written here: `[a, b]`, not `[ a, b ]`. */
export function printWorkflow(doc: Document): string {
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}

function scalarText(value: unknown): string {
  return text(value);
}

export function readSteps(doc: Document): BuilderStep[] {
  const seq = stepsSeq(doc);
  if (!seq) return [];
  return seq.items.map((item, index) => {
    const map = isMap(item) ? item : null;
    const deps = map?.get('depends_on', true);
    const dependsOn = isSeq(deps)
      ? deps.items.map((d) => scalarText(isScalar(d) ? d.value : d))
      : isScalar(deps)
        ? [scalarText(deps.value)]
        : [];
    const id: unknown = map?.get('id');
    return {
      index,
      id: id === undefined || id === null ? `step-${index + 1}` : scalarText(id),
      depends_on: dependsOn,
    };
  });
}

export function readField(doc: Document, index: number, path: readonly string[]): unknown {
  const node: unknown = doc.getIn(['steps', index, ...path], false);
  return node && typeof node === 'object' && 'toJSON' in node
    ? (node as { toJSON: () => unknown }).toJSON()
    : node;
}

/** Sets (or, with an empty value, removes) a field of a step. */
export function writeField(doc: Document, index: number, path: readonly string[], value: unknown): void {
  if (value === undefined || value === '') {
    doc.deleteIn(['steps', index, ...path]);
    // An emptied `retry` block goes too.
    if (path.length > 1) {
      const parent = doc.getIn(['steps', index, ...path.slice(0, -1)], true);
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(['steps', index, ...path.slice(0, -1)]);
    }
    return;
  }
  doc.setIn(['steps', index, ...path], doc.createNode(value));
}

export function addStep(doc: Document, id: string, dependsOn: string[] = []): void {
  let seq = stepsSeq(doc);
  if (!seq) {
    seq = new YAMLSeq();
    doc.set('steps', seq);
  }
  const step = new YAMLMap();
  step.set('id', id);
  if (dependsOn.length > 0) step.set('depends_on', doc.createNode(dependsOn, { flow: true }));
  step.set('prompt', `Describe what ${id} should do`);
  seq.add(step);
}

export function removeStep(doc: Document, id: string): void {
  const steps = readSteps(doc);
  const target = steps.find((s) => s.id === id);
  if (!target) return;
  for (const s of steps)
    if (s.depends_on.includes(id))
      setDependsOn(
        doc,
        s.index,
        s.depends_on.filter((d) => d !== id),
      );
  stepsSeq(doc)?.delete(target.index);
}

export function setDependsOn(doc: Document, index: number, deps: string[]): void {
  if (deps.length === 0) doc.deleteIn(['steps', index, 'depends_on']);
  else doc.setIn(['steps', index, 'depends_on'], doc.createNode(deps, { flow: true }));
}

/** Renames a step and every `depends_on` that names it. */
export function renameStep(doc: Document, index: number, id: string): void {
  const steps = readSteps(doc);
  const old = steps[index]?.id;
  doc.setIn(['steps', index, 'id'], id);
  if (!old) return;
  for (const s of steps)
    if (s.depends_on.includes(old))
      setDependsOn(
        doc,
        s.index,
        s.depends_on.map((d) => (d === old ? id : d)),
      );
}

export function connect(doc: Document, source: string, target: string): void {
  const step = readSteps(doc).find((s) => s.id === target);
  if (!step || source === target || step.depends_on.includes(source)) return;
  setDependsOn(doc, step.index, [...step.depends_on, source]);
}

export function disconnect(doc: Document, source: string, target: string): void {
  const step = readSteps(doc).find((s) => s.id === target);
  if (step)
    setDependsOn(
      doc,
      step.index,
      step.depends_on.filter((d) => d !== source),
    );
}

/** A step id not used yet: `step-2`, `step-3`, … */
export function freshId(doc: Document): string {
  const ids = new Set(readSteps(doc).map((s) => s.id));
  let n = ids.size + 1;
  while (ids.has(`step-${n}`)) n++;
  return `step-${n}`;
}

/** `steps[2].retry.max_attempts` → step 2, field `retry.max_attempts`. */
export function problemLocation(field: string): { index: number; field: string } | null {
  const match = /^steps\[(\d+)\](?:\.(.+))?$/.exec(field);
  return match ? { index: Number(match[1]), field: match[2] ?? '' } : null;
}
