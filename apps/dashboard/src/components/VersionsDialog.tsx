import { useState } from 'react';
import { useWorkflowVersion, useWorkflowVersions } from '../api/queries';
import { formatTime } from '../lib/format';
import { useRouter } from '../lib/router';
import { Button, ErrorState, Loading, Modal } from './ui';
import { QueryView } from './QueryView';

/** Every saved version of a workflow; pick one to read its YAML or open it in the builder. */
export function VersionsDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const versions = useWorkflowVersions(name);
  const [picked, setPicked] = useState<number>();
  const version = useWorkflowVersion(name, picked);
  const { navigate } = useRouter();
  return (
    <Modal title={`History of ${name}`} onClose={onClose} wide>
      <QueryView query={versions} retry={false}>
        {(data) => (
          <div className="grid gap-4 md:grid-cols-[12rem_1fr]">
            <ul className="max-h-96 space-y-1 overflow-y-auto text-sm">
              {data.map((v) => (
                <li key={v.version}>
                  <button
                    type="button"
                    aria-pressed={picked === v.version}
                    className={`w-full rounded px-2 py-1 text-left ${picked === v.version ? 'bg-blue-100 dark:bg-blue-900' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
                    onClick={() => setPicked(v.version)}
                  >
                    <span className="font-semibold">v{v.version}</span> · {v.steps_count} steps
                    <span className="block text-xs text-slate-600 dark:text-slate-400">
                      {formatTime(v.updated_at)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <div>
              {picked === undefined ? (
                <p className="text-sm text-slate-600 dark:text-slate-400">Pick a version to read it.</p>
              ) : version.isPending ? (
                <Loading />
              ) : version.isError ? (
                <ErrorState error={version.error} />
              ) : (
                <>
                  <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800">
                    {version.data.content}
                  </pre>
                  <Button
                    className="mt-2"
                    onClick={() => navigate(`/builder/${encodeURIComponent(name)}?version=${picked}`)}
                  >
                    Open this version in the builder
                  </Button>
                </>
              )}
            </div>
          </div>
        )}
      </QueryView>
    </Modal>
  );
}
