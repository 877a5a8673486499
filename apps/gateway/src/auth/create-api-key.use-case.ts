import { Injectable } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import { generateApiKey, keyPrefixOf } from './api-key.util';
import type { CreatedApiKeyView } from './api-key.views';
import { ApiKeysRepository } from './api-keys.repository';

export interface CreateApiKeyCommand {
  tenantId: string;
  name: string;
  maxCostPerRunUsd: number | null;
}

/** `POST /api-keys`: a new random key; the answer is the only place it is ever shown. */
@Injectable()
export class CreateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async execute(command: CreateApiKeyCommand): Promise<CreatedApiKeyView> {
    const key = generateApiKey();
    const keyHash = this.authenticator.digestOf(key);
    // Unreachable: a caller that may create keys exists only when API_KEY_SECRET is set.
    if (keyHash === undefined) throw new Error('API_KEY_SECRET is not configured');
    const row = await this.keys.insert({
      tenantId: command.tenantId,
      name: command.name,
      keyPrefix: keyPrefixOf(key),
      keyHash,
      maxCostPerRunUsd: command.maxCostPerRunUsd,
    });
    return {
      id: row.id,
      key,
      key_prefix: row.keyPrefix,
      tenant_id: row.tenantId,
      name: row.name,
      max_cost_per_run_usd: row.maxCostPerRunUsd,
      created_at: row.createdAt.toISOString(),
    };
  }
}
