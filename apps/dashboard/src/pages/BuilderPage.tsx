import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { ApiError } from '../api/client';
import { useSaveWorkflow, useWorkflow, useWorkflowVersion } from '../api/queries';
import { dagElements, layoutSteps, nodeTypes } from '../components/Dag';
import { RunDialog } from '../components/RunDialog';
import { StepForm } from '../components/StepForm';
import { Button, Card, ErrorState, Field, inputClass, Loading, PageHeader } from '../components/ui';
import { useConnection } from '../lib/connection';
import { useRouter } from '../lib/router';
import * as wf from '../lib/workflow-doc';
import type { Document } from 'yaml';

const DRAG_TYPE = 'application/x-sandcastle-step';

/** The "saved" message survives the switch from /builder to /builder/{name} (a new mount). */
let flash: string | undefined;

interface Problem {
  field: string;
  message: string;
}

function Canvas({
  doc,
  selected,
  problemSteps,
  positions,
  onPositions,
  onSelect,
  edit,
  disabled,
}: {
  doc: Document | null;
  selected: string | undefined;
  problemSteps: Set<string>;
  positions: Record<string, { x: number; y: number }>;
  onPositions: (p: Record<string, { x: number; y: number }>) => void;
  onSelect: (id: string | undefined) => void;
  edit: (fn: (doc: Document) => void) => void;
  disabled: boolean;
}) {
  const flow = useReactFlow();
  const steps = useMemo(() => (doc ? wf.readSteps(doc) : []), [doc]);
  const { nodes, edges } = useMemo(() => {
    const elements = dagElements(steps, {}, selected, problemSteps);
    const auto = layoutSteps(steps);
    for (const node of elements.nodes)
      node.position = positions[node.id] ?? auto.get(node.id) ?? node.position;
    return elements;
  }, [steps, selected, problemSteps, positions]);

  // Keeps every step in view as steps come and go.
  const count = steps.length;
  useEffect(() => {
    const timer = setTimeout(() => void flow.fitView({ maxZoom: 1, duration: 150 }), 50);
    return () => clearTimeout(timer);
  }, [count, flow]);

  const onNodesChange = (changes: NodeChange[]) => {
    const next = { ...positions };
    let moved = false;
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        next[change.id] = change.position;
        moved = true;
      }
      if (change.type === 'remove' && !disabled) edit((d) => wf.removeStep(d, change.id));
    }
    if (moved) onPositions(next);
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    for (const change of changes) {
      if (change.type !== 'remove' || disabled) continue;
      const [source, target] = change.id.split('->');
      if (source && target) edit((d) => wf.disconnect(d, source, target));
    }
  };
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE) || disabled) return;
    event.preventDefault();
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    edit((d) => {
      const id = wf.freshId(d);
      wf.addStep(d, id);
      onPositions({ ...positions, [id]: position });
      onSelect(id);
    });
  };
  return (
    <div
      className="h-[28rem] rounded-md border border-slate-200 dark:border-slate-800"
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
      data-testid="builder-canvas"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c) => !disabled && edit((d) => wf.connect(d, c.source, c.target))}
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(undefined)}
        nodesConnectable={!disabled}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls />
      </ReactFlow>
    </div>
  );
}

export function BuilderPage({ name }: { name?: string | undefined }) {
  const { demo } = useConnection();
  const { navigate } = useRouter();
  const version = Number(new URLSearchParams(window.location.search).get('version')) || undefined;
  const latest = useWorkflow(version ? undefined : name);
  const pinned = useWorkflowVersion(name ?? '', name ? version : undefined);
  const source = version ? pinned : latest;
  const [text, setText] = useState<string | null>(name ? null : wf.NEW_WORKFLOW);
  const [identifier, setIdentifier] = useState(name ?? '');
  const [selected, setSelected] = useState<string>();
  const [positions, setPositions] = useState<Record<string, { x: number; y: number }>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<string | undefined>(() => flash);
  useEffect(() => {
    flash = undefined;
  }, []);
  const [savedText, setSavedText] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const save = useSaveWorkflow();
  const lastGood = useRef<Document | null>(null);

  useEffect(() => {
    if (text === null && source.data) {
      setText(source.data.content);
      setSavedText(version ? null : source.data.content);
    }
  }, [source.data, text, version]);

  const parsed = useMemo(() => (text === null ? null : wf.parseWorkflow(text)), [text]);
  if (parsed?.ok) lastGood.current = parsed.doc;
  const doc = parsed?.ok ? parsed.doc : lastGood.current;
  const steps = doc ? wf.readSteps(doc) : [];
  const step = steps.find((s) => s.id === selected);

  // Server problems on their step (by index) and field.
  const byStep = new Map<number, Record<string, string>>();
  const general: string[] = [];
  for (const p of problems) {
    const at = wf.problemLocation(p.field);
    if (at) byStep.set(at.index, { ...byStep.get(at.index), [at.field]: p.message });
    // Every problem is listed in the message too; step ones are also shown on their node and field.
    general.push(
      at ? `${steps[at.index]?.id ?? p.field} · ${p.field}: ${p.message}` : `${p.field}: ${p.message}`,
    );
  }
  const problemSteps = new Set(steps.filter((s) => byStep.has(s.index)).map((s) => s.id));

  /** Applies a change to a fresh parse of the text and prints it back. */
  const edit = (fn: (d: Document) => void) => {
    if (text === null) return;
    const fresh = wf.parseWorkflow(text);
    if (!fresh.ok) return;
    fn(fresh.doc);
    setText(wf.printWorkflow(fresh.doc));
  };

  if (name && source.isPending) return <Loading />;
  if (name && source.isError)
    return <ErrorState error={source.error} onRetry={() => void source.refetch()} />;
  if (text === null) return <Loading />;

  const onSave = () => {
    setMessage(undefined);
    save.mutateAsync({ ...(identifier.trim() ? { name: identifier.trim() } : {}), content: text }).then(
      (saved) => {
        setProblems([]);
        setText(saved.content);
        setSavedText(saved.content);
        const done = `Saved as ${saved.name} version ${saved.version}.`;
        setMessage(done);
        if (saved.name !== name || version) {
          flash = done;
          navigate(`/builder/${encodeURIComponent(saved.name)}`);
        }
      },
      (err: unknown) => {
        if (err instanceof ApiError) {
          setProblems(err.details);
          setMessage(`${err.code}: ${err.message}`);
        } else setMessage(String(err));
      },
    );
  };
  const onExport = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${identifier || 'workflow'}.yaml`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const savedName = name && savedText === text ? name : undefined;

  return (
    <div>
      <PageHeader
        title={name ? `Builder: ${name}${version ? ` (from v${version})` : ''}` : 'Builder: new workflow'}
      >
        <Button onClick={onExport}>Export YAML</Button>
        <Button variant="primary" disabled={demo || save.isPending || !parsed?.ok} onClick={onSave}>
          Save
        </Button>
        <Button
          disabled={demo || !savedName}
          title={savedName ? undefined : 'Save first'}
          onClick={() => setRunning(true)}
        >
          Run
        </Button>
      </PageHeader>
      {message && (
        <p
          role="status"
          data-testid="builder-message"
          className={`mb-3 rounded-md p-2 text-sm ${problems.length ? 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200' : 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200'}`}
        >
          {message}
          {general.map((g) => (
            <span key={g} className="block">
              {g}
            </span>
          ))}
        </p>
      )}
      {!name && (
        <div className="mb-3 max-w-sm">
          <Field label="Identifier (optional)" hint="Defaults to the name as a slug.">
            <input
              className={inputClass}
              value={identifier}
              onChange={(e) => setIdentifier(e.target.value)}
              placeholder="my-workflow"
            />
          </Field>
        </div>
      )}
      <div className="grid gap-4 xl:grid-cols-[1fr_22rem]">
        <Card>
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <div
              draggable={!demo}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, 'step');
                e.dataTransfer.effectAllowed = 'move';
              }}
              className="cursor-grab rounded-md border border-dashed border-blue-500 px-3 py-1.5 text-sm text-blue-800 dark:text-blue-200"
            >
              ⠿ Drag a new step onto the canvas
            </div>
            <Button
              disabled={demo || !parsed?.ok}
              onClick={() =>
                edit((d) => {
                  const id = wf.freshId(d);
                  wf.addStep(d, id, selected ? [selected] : []);
                  setSelected(id);
                })
              }
            >
              Add step{selected ? ` after ${selected}` : ''}
            </Button>
            <span className="text-xs text-slate-600 dark:text-slate-400">
              Connect handles to add a dependency; select an edge or step and press Backspace to delete it.
            </span>
          </div>
          <ReactFlowProvider>
            <Canvas
              doc={doc}
              selected={selected}
              problemSteps={problemSteps}
              positions={positions}
              onPositions={setPositions}
              onSelect={setSelected}
              edit={edit}
              disabled={demo}
            />
          </ReactFlowProvider>
        </Card>
        <Card title={step ? undefined : 'Step'}>
          {steps.length > 0 && (
            <label className="mb-3 flex items-center gap-2 text-sm">
              Step
              <select
                className={inputClass}
                value={selected ?? ''}
                onChange={(e) => setSelected(e.target.value || undefined)}
              >
                <option value="">choose…</option>
                {steps.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id}
                  </option>
                ))}
              </select>
            </label>
          )}
          {step && doc ? (
            <StepForm
              doc={doc}
              index={step.index}
              stepId={step.id}
              problems={byStep.get(step.index) ?? {}}
              disabled={demo || !parsed?.ok}
              onRename={(id) => {
                edit((d) => wf.renameStep(d, step.index, id));
                setSelected(id);
              }}
              onField={(path, value) => edit((d) => wf.writeField(d, step.index, path, value))}
              onRemove={() => {
                edit((d) => wf.removeStep(d, step.id));
                setSelected(undefined);
              }}
            />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Select a step on the canvas (or in the list below) to configure it.
            </p>
          )}
        </Card>
      </div>
      <Card title="YAML" className="mt-4">
        <label htmlFor="yaml-editor" className="sr-only">
          Workflow YAML
        </label>
        <textarea
          id="yaml-editor"
          data-testid="yaml-editor"
          spellCheck={false}
          className={`${inputClass} h-96 font-mono text-xs`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={parsed?.ok === false}
        />
        {parsed && !parsed.ok && (
          <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {parsed.error}
          </p>
        )}
      </Card>
      {running && savedName && (
        <RunDialog
          workflow={savedName}
          onClose={() => setRunning(false)}
          onStarted={(id) => navigate(`/runs/${id}`)}
        />
      )}
    </div>
  );
}
