import { useState } from 'react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/queries';
import type { CreatedApiKey } from '../api/types';
import { Button, Card, ErrorState, Field, inputClass, Modal, PageHeader } from '../components/ui';
import { useConnection } from '../lib/connection';
import { formatCost, formatTime } from '../lib/format';
import { QueryView } from '../components/QueryView';

function CreateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateApiKey();
  const [tenant, setTenant] = useState('');
  const [name, setName] = useState('');
  const [budget, setBudget] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>();
  if (created) {
    return (
      <Modal title="API key created" onClose={onClose}>
        <p className="mb-2 text-sm">Copy the key now: it is shown only once and cannot be read again.</p>
        <code
          data-testid="new-key"
          className="block break-all rounded bg-slate-100 p-2 font-mono text-sm dark:bg-slate-800"
        >
          {created.key}
        </code>
        <div className="mt-3 flex justify-end gap-2">
          <Button
            onClick={() =>
              void navigator.clipboard.writeText(created.key).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </Button>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title="New API key" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create
            .mutateAsync({
              tenant_id: tenant,
              name,
              ...(budget ? { max_cost_per_run_usd: Number(budget) } : {}),
            })
            .then(setCreated, setError);
        }}
      >
        <Field label="Tenant" hint="A tenant key can only create keys for its own tenant.">
          <input
            className={inputClass}
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,99}"
            required
          />
        </Field>
        <Field label="Name">
          <input
            className={inputClass}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </Field>
        <Field label="Budget per run (USD, optional)">
          <input
            className={inputClass}
            inputMode="decimal"
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
          />
        </Field>
        {error !== undefined && <ErrorState error={error} />}
        <div className="mt-3 flex justify-end gap-2">
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" type="submit" disabled={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Modal>
  );
}

export function ApiKeysPage() {
  const { demo } = useConnection();
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <div>
      <PageHeader title="API keys">
        <Button variant="primary" disabled={demo} onClick={() => setCreating(true)}>
          New key
        </Button>
      </PageHeader>
      {error !== undefined && <ErrorState error={error} />}
      <QueryView query={keys} isEmpty={(data) => data.length === 0} empty="No API keys yet.">
        {(data) => (
          <Card>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
                  <tr>
                    <th className="p-2">Name</th>
                    <th className="p-2">Tenant</th>
                    <th className="p-2">Key</th>
                    <th className="p-2">Budget per run</th>
                    <th className="p-2">Last used</th>
                    <th className="p-2">State</th>
                    <th className="p-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((k) => (
                    <tr key={k.id} className="border-t border-slate-200 dark:border-slate-800">
                      <td className="p-2">{k.name}</td>
                      <td className="p-2">{k.tenant_id}</td>
                      <td className="p-2 font-mono">{k.key_prefix}…</td>
                      <td className="p-2">{formatCost(k.max_cost_per_run_usd)}</td>
                      <td className="p-2 whitespace-nowrap">{formatTime(k.last_used_at)}</td>
                      <td className="p-2">{k.is_active ? 'active' : 'revoked'}</td>
                      <td className="p-2">
                        {k.is_active && (
                          <Button
                            variant="danger"
                            disabled={demo}
                            onClick={() => {
                              if (
                                window.confirm(
                                  `Revoke the key ${k.name}? Clients using it are refused at once.`,
                                )
                              )
                                void revoke.mutateAsync(k.id).catch(setError);
                            }}
                          >
                            Revoke
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </QueryView>
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
