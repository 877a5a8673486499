import { Injectable } from '@nestjs/common';
import { Paged } from '../http/paged';
import type { TenantScope } from '../tenancy/tenant-scope';
import { toApiKeyView, type ApiKeyView } from './api-key.views';
import { ApiKeysRepository } from './api-keys.repository';

/** `GET /api-keys`: active keys, newest first. */
@Injectable()
export class ListApiKeysUseCase {
  constructor(private readonly keys: ApiKeysRepository) {}

  async execute(scope: TenantScope, limit: number, offset: number): Promise<Paged<ApiKeyView>> {
    const [rows, total] = await this.keys.listActive(scope, limit, offset);
    return new Paged(rows.map(toApiKeyView), { total, limit, offset });
  }
}
