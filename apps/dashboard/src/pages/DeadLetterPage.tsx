import { useState } from 'react';
import { useDeadLetters, useResolveDeadLetter, useRetryDeadLetter } from '../api/queries';
import type { DeadLetterItem } from '../api/types';
import { Button, Card, ErrorState, Field, inputClass, Modal, PageHeader } from '../components/ui';
import { useConnection } from '../lib/connection';
import { formatTime, shortId, text } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { QueryView } from '../components/QueryView';

function ResolveDialog({ item, onClose }: { item: DeadLetterItem; onClose: () => void }) {
  const resolve = useResolveDeadLetter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  return (
    <Modal title={`Resolve ${item.step_id} of ${shortId(item.run_id)}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          resolve.mutateAsync({ id: item.id, reason }).then(onClose, setError);
        }}
      >
        <Field label="Reason" hint="Recorded with the item (up to 2000 characters).">
          <textarea
            className={inputClass}
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
          />
        </Field>
        {error !== undefined && <ErrorState error={error} />}
        <div className="mt-3 flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" type="submit" disabled={!reason.trim() || resolve.isPending}>
            Resolve
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function DeadLetterPage() {
  const { demo } = useConnection();
  const { navigate } = useRouter();
  const [showResolved, setShowResolved] = useState(false);
  const items = useDeadLetters(showResolved);
  const retry = useRetryDeadLetter();
  const [resolving, setResolving] = useState<DeadLetterItem>();
  const [error, setError] = useState<unknown>();
  return (
    <div>
      <PageHeader title="Dead letter queue">
        <Button aria-pressed={showResolved} onClick={() => setShowResolved(!showResolved)}>
          {showResolved ? 'Show open items' : 'Show resolved items'}
        </Button>
      </PageHeader>
      {error !== undefined && <ErrorState error={error} />}
      <QueryView
        query={items}
        isEmpty={(data) => data.items.length === 0}
        empty={showResolved ? 'Nothing resolved yet.' : 'No open items: every failed step has been handled.'}
      >
        {(data) => (
          <div className="space-y-3">
            {data.items.map((item) => (
              <Card key={item.id}>
                <div data-testid="dlq-item">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div>
                      <p className="font-semibold">
                        {item.workflow_name} · step {item.step_id}
                        {item.parallel_index !== null && item.parallel_index !== undefined
                          ? `[${text(item.parallel_index)}]`
                          : ''}
                      </p>
                      <p className="text-xs text-slate-600 dark:text-slate-400">
                        run{' '}
                        <Link
                          to={`/runs/${item.run_id}`}
                          className="font-mono text-blue-700 underline dark:text-blue-300"
                        >
                          {shortId(item.run_id)}
                        </Link>{' '}
                        · {item.attempts} attempts · {formatTime(item.created_at)}
                      </p>
                    </div>
                    {!item.resolved_at && (
                      <div className="flex gap-2">
                        <Button
                          variant="primary"
                          disabled={demo || retry.isPending}
                          onClick={() =>
                            void retry
                              .mutateAsync(item.id)
                              .then((a) => navigate(`/runs/${a.new_run_id}`), setError)
                          }
                        >
                          Retry
                        </Button>
                        <Button disabled={demo} onClick={() => setResolving(item)}>
                          Resolve
                        </Button>
                      </div>
                    )}
                  </div>
                  <pre className="mt-2 whitespace-pre-wrap rounded bg-red-50 p-2 text-xs text-red-900 dark:bg-red-950 dark:text-red-200">
                    {item.error}
                  </pre>
                  {item.resolved_at && (
                    <p className="mt-2 text-xs">
                      Resolved {formatTime(item.resolved_at)} by {String(item.resolved_by ?? '—')}
                      {item.resolution_reason ? `: ${text(item.resolution_reason)}` : ''}
                      {item.retry_run_id ? (
                        <>
                          {' '}
                          · retry run{' '}
                          <Link
                            to={`/runs/${text(item.retry_run_id)}`}
                            className="text-blue-700 underline dark:text-blue-300"
                          >
                            {shortId(text(item.retry_run_id))}
                          </Link>
                        </>
                      ) : null}
                    </p>
                  )}
                </div>
              </Card>
            ))}
          </div>
        )}
      </QueryView>
      {resolving && <ResolveDialog item={resolving} onClose={() => setResolving(undefined)} />}
    </div>
  );
}
