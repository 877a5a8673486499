import { useState } from 'react';
import { ApiError } from '../api/client';
import {
  useDeleteSchedule,
  useSaveSchedule,
  useSchedules,
  useToggleSchedule,
  useWorkflows,
} from '../api/queries';
import type { Schedule, ScheduleBody } from '../api/types';
import { inputProblem } from '../components/RunDialog';
import { Button, Card, ErrorState, Field, inputClass, Modal, PageHeader } from '../components/ui';
import { useConnection } from '../lib/connection';
import { cronInWords, nextRuns } from '../lib/cron';
import { formatTime, shortId, text } from '../lib/format';
import { Link } from '../lib/router';
import { QueryView } from '../components/QueryView';

function ScheduleDialog({ schedule, onClose }: { schedule: Schedule | null; onClose: () => void }) {
  const workflows = useWorkflows();
  const saveSchedule = useSaveSchedule();
  const [workflow, setWorkflow] = useState(schedule?.workflow_name ?? '');
  const [cron, setCron] = useState(schedule?.cron_expression ?? '0 9 * * 1-5');
  const [timezone, setTimezone] = useState(
    schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [input, setInput] = useState(JSON.stringify(schedule?.input_data ?? {}, null, 2));
  const [overlap, setOverlap] = useState(schedule?.overlap ?? 'allow');
  const [budget, setBudget] = useState(schedule?.max_cost_usd ? String(schedule.max_cost_usd) : '');
  const [error, setError] = useState<string>();
  const preview = nextRuns(cron, timezone);
  const words = cronInWords(cron);
  const problem = inputProblem(input);
  const submit = () => {
    // The gateway documents max_cost_usd loosely (see docs/dashboard.md); it takes a number or null.
    const body = {
      workflow_name: workflow,
      cron_expression: cron,
      timezone,
      input_data: input.trim() ? (JSON.parse(input) as Record<string, unknown>) : {},
      overlap: overlap as 'allow' | 'skip',
      max_cost_usd: budget ? Number(budget) : null,
    } as unknown as ScheduleBody;
    saveSchedule
      .mutateAsync(schedule ? { id: schedule.id, body } : { body })
      .then(onClose, (err: unknown) =>
        setError(
          err instanceof ApiError
            ? `${err.message}${err.details.map((d) => ` · ${d.field}: ${d.message}`).join('')}`
            : String(err),
        ),
      );
  };
  return (
    <Modal title={schedule ? 'Edit schedule' : 'New schedule'} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="Workflow">
          <select
            className={inputClass}
            value={workflow}
            onChange={(e) => setWorkflow(e.target.value)}
            disabled={schedule !== null}
            required
          >
            <option value="">choose…</option>
            {workflows.data?.map((w) => (
              <option key={w.name}>{w.name}</option>
            ))}
          </select>
        </Field>
        <Field
          label="Cron expression"
          error={'error' in preview ? preview.error : undefined}
          hint={words ?? undefined}
        >
          <input
            className={`${inputClass} font-mono`}
            value={cron}
            onChange={(e) => setCron(e.target.value)}
          />
        </Field>
        <Field label="Time zone (IANA)">
          <input className={inputClass} value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </Field>
        {'times' in preview && (
          <div className="mb-3 text-sm">
            <p className="font-medium">Next 5 runs</p>
            <ol className="list-decimal pl-5 text-slate-700 dark:text-slate-300" data-testid="next-runs">
              {preview.times.map((t) => (
                <li key={t.toISOString()}>
                  {t.toLocaleString(undefined, {
                    timeZone: timezone,
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  })}
                </li>
              ))}
            </ol>
          </div>
        )}
        <Field label="Input (JSON)" error={problem}>
          <textarea
            className={`${inputClass} font-mono`}
            rows={3}
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="While the previous run is active">
            <select className={inputClass} value={overlap} onChange={(e) => setOverlap(e.target.value)}>
              <option value="allow">start anyway</option>
              <option value="skip">skip</option>
            </select>
          </Field>
          <Field label="Budget per run (USD)">
            <input
              className={inputClass}
              inputMode="decimal"
              value={budget}
              onChange={(e) => setBudget(e.target.value)}
            />
          </Field>
        </div>
        {error && (
          <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Button
            variant="primary"
            type="submit"
            disabled={!workflow || 'error' in preview || problem !== undefined || saveSchedule.isPending}
          >
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function SchedulesPage() {
  const { demo } = useConnection();
  const schedules = useSchedules();
  const toggle = useToggleSchedule();
  const remove = useDeleteSchedule();
  const [editing, setEditing] = useState<Schedule | null | undefined>();
  const [error, setError] = useState<unknown>();
  return (
    <div>
      <PageHeader title="Schedules">
        <Button variant="primary" disabled={demo} onClick={() => setEditing(null)}>
          New schedule
        </Button>
      </PageHeader>
      {error !== undefined && <ErrorState error={error} />}
      <QueryView
        query={schedules}
        isEmpty={(data) => data.length === 0}
        empty="No schedules. Create one to run a workflow on a cron."
      >
        {(data) => (
          <Card>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
                  <tr>
                    <th className="p-2">Workflow</th>
                    <th className="p-2">When</th>
                    <th className="p-2">Time zone</th>
                    <th className="p-2">Next run</th>
                    <th className="p-2">Last run</th>
                    <th className="p-2">Enabled</th>
                    <th className="p-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((s) => (
                    <tr
                      key={s.id}
                      className="border-t border-slate-200 dark:border-slate-800"
                      data-testid="schedule-row"
                    >
                      <td className="p-2">{s.workflow_name}</td>
                      <td className="p-2">
                        {cronInWords(s.cron_expression) ?? s.cron_expression}
                        <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">
                          {s.cron_expression}
                        </span>
                      </td>
                      <td className="p-2">{s.timezone}</td>
                      <td className="p-2 whitespace-nowrap">{s.enabled ? formatTime(s.next_run_at) : '—'}</td>
                      <td className="p-2 whitespace-nowrap">
                        {s.last_run_id ? (
                          <Link
                            to={`/runs/${s.last_run_id}`}
                            className="text-blue-700 underline dark:text-blue-300"
                          >
                            {formatTime(s.last_run_at)} ({shortId(s.last_run_id)})
                          </Link>
                        ) : (
                          'never'
                        )}
                      </td>
                      <td className="p-2">
                        <label className="inline-flex cursor-pointer items-center gap-2">
                          <input
                            type="checkbox"
                            role="switch"
                            className="h-4 w-4"
                            checked={s.enabled}
                            disabled={demo || toggle.isPending}
                            aria-label={`enabled: ${s.workflow_name} ${s.cron_expression}`}
                            onChange={(e) =>
                              void toggle.mutateAsync({ id: s.id, enabled: e.target.checked }).catch(setError)
                            }
                          />
                          <span className="text-xs">{s.enabled ? 'on' : 'off'}</span>
                        </label>
                        {s.disabled_reason ? (
                          <span className="block text-xs text-amber-700 dark:text-amber-300">
                            {text(s.disabled_reason)}
                          </span>
                        ) : null}
                      </td>
                      <td className="p-2 whitespace-nowrap">
                        <Button disabled={demo} onClick={() => setEditing(s)}>
                          Edit
                        </Button>{' '}
                        <Button
                          variant="danger"
                          disabled={demo}
                          onClick={() => {
                            if (
                              window.confirm(
                                `Delete the schedule of ${s.workflow_name} (${s.cron_expression})?`,
                              )
                            )
                              void remove.mutateAsync(s.id).catch(setError);
                          }}
                        >
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </QueryView>
      {editing !== undefined && <ScheduleDialog schedule={editing} onClose={() => setEditing(undefined)} />}
    </div>
  );
}
