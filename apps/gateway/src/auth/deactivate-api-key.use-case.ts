import { Injectable } from '@nestjs/common';
import { ApiException } from '../http/api.exception';
import type { TenantScope } from '../tenancy/tenant-scope';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import type { DeactivatedApiKeyView } from './api-key.views';
import { ApiKeysRepository } from './api-keys.repository';

/**
 * `DELETE /api-keys/{id}`: a soft delete. The key stops working at once on this replica and
 * within the cache lifetime (KEY_CACHE_TTL_MS) on the others. Deleting it again answers the
 * same; another tenant's key answers 404 as if it did not exist.
 */
@Injectable()
export class DeactivateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async execute(scope: TenantScope, id: string): Promise<DeactivatedApiKeyView> {
    const row = await this.keys.findById(scope, id);
    if (!row) throw new ApiException('API_KEY_NOT_FOUND', `API key '${id}' not found`);
    await this.keys.deactivate(row.id);
    this.authenticator.forget(row.id);
    return { deactivated: true, id: row.id };
  }
}
