import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { parse } from 'yaml';
import { ApiError } from '../api/client';
import {
  useAttempts,
  useCancelRun,
  useDeliveries,
  useLineage,
  useReplay,
  useRun,
  useWorkflow,
  useWorkflowVersion,
} from '../api/queries';
import { followStream } from '../api/sse';
import type { Attempt as AttemptRecord, Lineage, RunDetail, StepView } from '../api/types';
import { BudgetBar } from '../components/BudgetBar';
import { Dag, type DagStep } from '../components/Dag';
import { ForkDialog } from '../components/ForkDialog';
import { OutputView } from '../components/OutputView';
import { Timeline, timelineEntries } from '../components/Timeline';
import { Button, Card, Empty, ErrorState, Loading, PageHeader, StatusBadge } from '../components/ui';
import { useConnection } from '../lib/connection';
import { formatCost, formatDuration, formatTime, isActive, shortId, text } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { stepStatuses } from '../lib/step-status';
import { QueryView } from '../components/QueryView';

/** Follows the run's event stream while it is active and refreshes the run on every event. */
function useLiveRun(id: string, active: boolean, demo: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!active || demo) return;
    const controller = new AbortController();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      // Coalesces bursts (a fan-out emits many events at once) into one request.
      pending ??= setTimeout(() => {
        pending = undefined;
        void client.invalidateQueries({ queryKey: ['run', id] });
      }, 150);
    };
    void followStream(`/runs/${id}/stream`, { signal: controller.signal, onEvent: refresh, onEnd: refresh });
    return () => {
      controller.abort();
      if (pending) clearTimeout(pending);
    };
  }, [id, active, demo, client]);
}

function LineageNode({ node, current }: { node: Lineage; current: string }) {
  const children = (node.children ?? []) as Lineage[];
  return (
    <li className="ml-4 list-disc">
      {node.run_id === current ? (
        <strong>{shortId(node.run_id)} (this run)</strong>
      ) : (
        <Link to={`/runs/${node.run_id}`} className="font-mono text-blue-700 underline dark:text-blue-300">
          {shortId(node.run_id)}
        </Link>
      )}{' '}
      <span className="text-xs text-slate-600 dark:text-slate-400">
        {node.kind}
        {node.from_step ? ` from ${String(node.from_step)}` : ''} · {formatCost(node.total_cost_usd)}
      </span>{' '}
      <StatusBadge status={node.status} />
      {children.length > 0 && (
        <ul className="mt-1">
          {children.map((c) => (
            <LineageNode key={c.run_id} node={c} current={current} />
          ))}
        </ul>
      )}
    </li>
  );
}

function Attempt({ s }: { s: StepView }) {
  const rows: [string, string][] = [
    ['status', s.status],
    ['attempt', String(s.attempt)],
    ['cost', formatCost(s.cost_usd)],
    ['tokens', `${s.input_tokens ?? 0} in / ${s.output_tokens ?? 0} out`],
    ['duration', formatDuration(s.duration_seconds)],
    ['model', s.model ?? '—'],
    ['runtime', s.runtime ?? '—'],
    ['turns', String(s.num_turns ?? '—')],
  ];
  return (
    <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700" data-testid="attempt">
      <p className="mb-2 text-sm font-semibold">
        {s.parallel_index !== null && s.parallel_index !== undefined
          ? `item ${text(s.parallel_index)} · `
          : ''}
        attempt {s.attempt} <StatusBadge status={s.status} />
        {s.restored_from ? (
          <span className="ml-2 text-xs font-normal">restored from the parent run</span>
        ) : null}
      </p>
      <dl className="mb-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {s.error && (
        <pre
          role="alert"
          className="mb-2 whitespace-pre-wrap rounded bg-red-50 p-2 text-xs text-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {String(s.error)}
          {s.error_kind ? ` (${text(s.error_kind)})` : ''}
        </pre>
      )}
      <OutputView value={s.output} outputRef={s.output_ref} />
    </div>
  );
}

/** One finished attempt from the run's attempt history. */
function PastAttempt({ a }: { a: AttemptRecord }) {
  const duration =
    a.started_at && a.finished_at ? (Date.parse(a.finished_at) - Date.parse(a.started_at)) / 1000 : null;
  return (
    <li
      className="rounded-md border border-slate-200 p-3 text-xs dark:border-slate-700"
      data-testid="past-attempt"
    >
      <p className="mb-1 font-semibold">
        {a.parallel_index !== null && a.parallel_index !== undefined
          ? `item ${text(a.parallel_index)} · `
          : ''}
        attempt {a.attempt} <StatusBadge status={a.outcome} />
      </p>
      <p className="mb-1 text-slate-600 dark:text-slate-400">
        {formatCost(a.cost_usd)} · {a.input_tokens} in / {a.output_tokens} out · {formatDuration(duration)} ·{' '}
        {text(a.model) || '—'} · {text(a.runtime) || '—'} · {a.num_turns} turns
      </p>
      {a.error ? (
        <pre className="mb-1 whitespace-pre-wrap rounded bg-red-50 p-2 text-red-900 dark:bg-red-950 dark:text-red-200">
          {text(a.error)}
          {a.error_kind ? ` (${text(a.error_kind)})` : ''}
        </pre>
      ) : null}
      {a.outcome === 'completed' && <OutputView value={a.output} />}
    </li>
  );
}

function workflowSteps(run: RunDetail, content: string | undefined): DagStep[] {
  if (content) {
    try {
      const doc = parse(content) as { steps?: { id: string; depends_on?: string[] }[] };
      if (Array.isArray(doc.steps))
        return doc.steps.map((s) => ({
          id: String(s.id),
          depends_on: Array.isArray(s.depends_on) ? s.depends_on.map(String) : [],
        }));
    } catch {
      /* falls back to the steps the run reported */
    }
  }
  return [...new Set(run.steps.map((s) => s.step_id))].map((id) => ({ id, depends_on: [] }));
}

export function RunDetailPage({ id }: { id: string }) {
  const { demo } = useConnection();
  const { navigate } = useRouter();
  const run = useRun(id);
  // The definition the run ran (its version), else the latest one.
  const pinned = useWorkflowVersion(run.data?.workflow_name ?? '', run.data?.workflow_version);
  const latest = useWorkflow(pinned.isError ? run.data?.workflow_name : undefined);
  const workflow = pinned.isError ? latest : pinned;
  const definitionLoading =
    run.data !== undefined && (pinned.isPending || (pinned.isError && latest.isPending));
  const lineage = useLineage(id);
  const deliveries = useDeliveries(id);
  const cancel = useCancelRun();
  const replay = useReplay();
  const [selected, setSelected] = useState<string | undefined>();
  const [forking, setForking] = useState<string | undefined>();
  const [actionError, setActionError] = useState<unknown>();
  const active = run.data ? isActive(run.data.status) : false;
  useLiveRun(id, active, demo);
  const statuses = useMemo(() => (run.data ? stepStatuses(run.data.steps) : {}), [run.data]);
  const focusId =
    selected ?? run.data?.steps.find((s) => s.status === 'failed')?.step_id ?? run.data?.steps[0]?.step_id;
  const moved = (run.data?.steps ?? [])
    .map((s) => `${s.step_id}:${text(s.parallel_index)}:${s.attempt}:${s.status}`)
    .join(',');
  const history = useAttempts(id, focusId ?? null, moved);
  // The whole run's attempts for the timeline (the same query as above when nothing is focused).
  const allAttempts = useAttempts(id, null, moved);
  const dagSteps = useMemo(
    () => (run.data ? workflowSteps(run.data, workflow.data?.content) : []),
    [run.data, workflow.data],
  );

  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const r = run.data;
  const focus = selected ?? r.steps.find((s) => s.status === 'failed')?.step_id ?? dagSteps[0]?.id;
  const entries = r.steps.filter((s) => s.step_id === focus);
  const act = (p: Promise<unknown>) => p.catch((err: unknown) => setActionError(err));

  return (
    <div>
      <PageHeader title={`Run ${shortId(r.run_id)}`}>
        <span data-testid="run-status" data-status={r.status} className="self-center">
          <StatusBadge status={r.status} />
        </span>
        {active && (
          <Button
            variant="danger"
            disabled={demo || cancel.isPending}
            onClick={() => void act(cancel.mutateAsync(r.run_id))}
          >
            Cancel run
          </Button>
        )}
      </PageHeader>
      {actionError !== undefined && (
        <ErrorState
          error={
            actionError instanceof ApiError ? `${actionError.code}: ${actionError.message}` : actionError
          }
        />
      )}
      <div className="mb-4 grid grid-cols-2 gap-3 text-sm md:grid-cols-5">
        <Card>
          <p className="text-slate-600 dark:text-slate-400">Workflow</p>
          <p className="font-medium">
            {r.workflow_name} v{r.workflow_version}
          </p>
        </Card>
        <Card>
          <p className="text-slate-600 dark:text-slate-400">Started</p>
          <p>{formatTime(r.started_at ?? r.created_at)}</p>
        </Card>
        <Card>
          <p className="text-slate-600 dark:text-slate-400">Duration</p>
          <p>
            {formatDuration(
              r.duration_seconds ?? (r.started_at ? (Date.now() - Date.parse(r.started_at)) / 1000 : null),
            )}
          </p>
        </Card>
        <Card>
          <p className="text-slate-600 dark:text-slate-400">Cost</p>
          <p data-testid="run-cost">{formatCost(r.total_cost_usd)}</p>
        </Card>
        <Card>
          <p className="text-slate-600 dark:text-slate-400">Tokens</p>
          <p>
            {r.total_input_tokens ?? 0} / {r.total_output_tokens ?? 0}
          </p>
        </Card>
      </div>
      <Card className="mb-4">
        <BudgetBar spent={r.total_cost_usd} budget={r.max_cost_usd} />
      </Card>
      {r.error && (
        <div
          role="alert"
          className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {String(r.error)}
        </div>
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Graph">
          <Dag steps={dagSteps} status={statuses} selected={focus} onSelect={setSelected} />
        </Card>
        <Card title="Timeline">
          <Timeline
            steps={timelineEntries(r.steps, allAttempts.data?.attempts ?? [])}
            runStart={r.started_at ?? r.created_at}
            runEnd={r.completed_at}
            onSelect={setSelected}
          />
        </Card>
      </div>
      <Card title={focus ? `Step ${focus}` : 'Steps'} className="mt-4">
        {dagSteps.length > 1 && (
          <label className="mb-3 flex items-center gap-2 text-sm">
            Step
            <select
              className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800"
              value={focus}
              onChange={(e) => setSelected(e.target.value)}
            >
              {dagSteps.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} ({statuses[s.id] ?? 'pending'})
                </option>
              ))}
            </select>
          </label>
        )}
        {focus && (
          <div className="mb-3 flex flex-wrap gap-2">
            <Button
              disabled={demo || active || replay.isPending}
              onClick={() =>
                void act(
                  replay
                    .mutateAsync({ id: r.run_id, from_step: focus })
                    .then((a) => navigate(`/runs/${a.new_run_id}`)),
                )
              }
            >
              Replay from here
            </Button>
            <Button disabled={demo || active || definitionLoading} onClick={() => setForking(focus)}>
              Fork from here
            </Button>
            {active && (
              <span className="self-center text-xs text-slate-600 dark:text-slate-400">
                Replay and fork are possible once the run has finished.
              </span>
            )}
          </div>
        )}
        {history.data && history.data.total > 0 && (
          <details className="mt-4" open={history.data.attempts.some((a) => a.outcome === 'failed')}>
            <summary className="cursor-pointer text-sm font-semibold">
              Every attempt ({history.data.total}
              {history.data.total > history.data.attempts.length
                ? `, first ${history.data.attempts.length} shown`
                : ''}
              )
            </summary>
            <ul className="mt-2 space-y-2">
              {history.data.attempts.map((a) => (
                <PastAttempt key={`${text(a.parallel_index)}-${a.attempt}`} a={a} />
              ))}
            </ul>
          </details>
        )}
        {entries.length === 0 ? (
          <Empty>This step has not run yet.</Empty>
        ) : (
          <div className="space-y-3">
            {entries.map((s) => (
              <Attempt key={`${text(s.parallel_index)}-${s.attempt}`} s={s} />
            ))}
          </div>
        )}
      </Card>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Lineage">
          <QueryView query={lineage} retry={false}>
            {(data) => <ul>{<LineageNode node={data} current={r.run_id} />}</ul>}
          </QueryView>
        </Card>
        <Card title="Webhook deliveries">
          <QueryView
            query={deliveries}
            retry={false}
            isEmpty={(data) => data.length === 0}
            empty="No webhook for this run."
          >
            {(data) => (
              <ul className="space-y-2 text-sm">
                {data.map((d) => (
                  <li key={d.id} className="rounded border border-slate-200 p-2 dark:border-slate-700">
                    <StatusBadge status={d.status} /> {d.event} → <code className="break-all">{d.url}</code>
                    <p className="text-xs text-slate-600 dark:text-slate-400">
                      {d.attempts} attempt(s), last HTTP {String(d.last_status_code ?? '—')}{' '}
                      {d.last_error ? `· ${String(d.last_error)}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </Card>
      </div>
      <Card title="Input" className="mt-4">
        <OutputView value={r.input_data} />
      </Card>
      {forking && (
        <ForkDialog
          run={r}
          step={forking}
          content={workflow.data?.content}
          onClose={() => setForking(undefined)}
          onForked={(newId) => navigate(`/runs/${newId}`)}
        />
      )}
    </div>
  );
}
