import { useState } from 'react';
import { useWorkflows } from '../api/queries';
import { Dag } from '../components/Dag';
import { RunDialog } from '../components/RunDialog';
import { VersionsDialog } from '../components/VersionsDialog';
import { Button, Card, PageHeader } from '../components/ui';
import { useConnection } from '../lib/connection';
import { formatTime } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { QueryView } from '../components/QueryView';

export function WorkflowsPage() {
  const workflows = useWorkflows();
  const { navigate } = useRouter();
  const { demo } = useConnection();
  const [running, setRunning] = useState<string>();
  const [history, setHistory] = useState<string>();
  return (
    <div>
      <PageHeader title="Workflows">
        <Link
          to="/builder"
          className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
        >
          New workflow
        </Link>
      </PageHeader>
      <QueryView
        query={workflows}
        isEmpty={(data) => data.length === 0}
        empty="No workflows yet. Create one in the builder."
      >
        {(data) => (
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {data.map((w) => (
              <Card key={w.name}>
                <div data-testid={`workflow-${w.name}`}>
                  <div className="flex items-start justify-between gap-2">
                    <div>
                      <h2 className="font-semibold">{w.title ?? w.name}</h2>
                      <p className="font-mono text-xs text-slate-600 dark:text-slate-400">{w.name}</p>
                    </div>
                    <span className="rounded bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
                      v{w.version}
                    </span>
                  </div>
                  <p className="mt-2 min-h-10 text-sm text-slate-700 dark:text-slate-300">
                    {w.description ?? 'No description.'}
                  </p>
                  <div className="my-3">
                    <Dag steps={w.steps} height={140} interactive={false} />
                  </div>
                  <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
                    {w.steps_count} steps · updated {formatTime(w.updated_at)}
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button variant="primary" disabled={demo} onClick={() => setRunning(w.name)}>
                      Run
                    </Button>
                    <Button onClick={() => navigate(`/builder/${encodeURIComponent(w.name)}`)}>Edit</Button>
                    <Button onClick={() => setHistory(w.name)}>History</Button>
                    <Link
                      to={`/runs?workflow=${encodeURIComponent(w.name)}`}
                      className="self-center text-sm text-blue-700 underline dark:text-blue-300"
                    >
                      Runs
                    </Link>
                  </div>
                </div>
              </Card>
            ))}
          </div>
        )}
      </QueryView>
      {running && (
        <RunDialog
          workflow={running}
          onClose={() => setRunning(undefined)}
          onStarted={(id) => navigate(`/runs/${id}`)}
        />
      )}
      {history && <VersionsDialog name={history} onClose={() => setHistory(undefined)} />}
    </div>
  );
}
