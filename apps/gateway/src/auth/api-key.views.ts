import type { ApiKeyEntity } from '@sandcastle/persistence';

/** `GET /api-keys` item: never the key itself, only its prefix. */
export interface ApiKeyView {
  id: string;
  key_prefix: string;
  tenant_id: string;
  name: string;
  is_active: boolean;
  max_cost_per_run_usd: number | null;
  created_at: string;
  last_used_at: string | null;
}

/** `POST /api-keys`: the only answer that carries `key`. */
export interface CreatedApiKeyView {
  id: string;
  key: string;
  key_prefix: string;
  tenant_id: string;
  name: string;
  max_cost_per_run_usd: number | null;
  created_at: string;
}

export interface DeactivatedApiKeyView {
  deactivated: true;
  id: string;
}

export function toApiKeyView(row: ApiKeyEntity): ApiKeyView {
  return {
    id: row.id,
    key_prefix: row.keyPrefix,
    tenant_id: row.tenantId,
    name: row.name,
    is_active: row.isActive,
    max_cost_per_run_usd: row.maxCostPerRunUsd,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}
