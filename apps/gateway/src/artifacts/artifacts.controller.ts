import { Get, Param, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Artifact, OutputRef } from './artifact.schemas';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { ArtifactView } from '@sandcastle/contracts';
import { ApiController } from '../http/api-controller.decorator';
import { Paged } from '../http/paged';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiAnswer, ApiErrors, ApiIdParam } from '../openapi/api-docs.decorator';
import { EXAMPLES } from '../openapi/examples';
import { ReadScope } from '../tenancy/tenant.decorator';
import type { TenantScope } from '../tenancy/tenant-scope';
import { ArtifactsUseCase } from './artifacts.use-case';

/**
 * A run's artifacts: what it wrote to storage (docs/storage.md). The list is enveloped JSON; a
 * download is the object's bytes, sent as an attachment (never rendered by a browser on the API's
 * origin: a tenant's HTML or SVG must not run there).
 */
@ApiTags('runs')
@ApiExtraModels(Artifact, OutputRef)
@ApiController('runs')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsUseCase) {}

  @ApiOperation({
    summary: 'What the run wrote to storage: offloaded outputs, runtime files, storage_write, on_complete',
  })
  @ApiIdParam('run')
  @ApiAnswer(200, EXAMPLES.artifact, { list: true })
  @ApiErrors('INVALID_ID', 'RUN_NOT_FOUND')
  @Get(':id/artifacts')
  async list(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<Paged<ArtifactView>> {
    return Paged.all(await this.artifacts.list(scope, id));
  }

  @ApiOperation({ summary: 'One artifact of the run, as stored' })
  @ApiIdParam('run')
  @ApiParam({
    name: 'name',
    description: "an artifact's name from GET /runs/{id}/artifacts (letters, digits, '.', '_', '-')",
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,250}$' },
    example: 'output.enrich.a1.json',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({
    status: 200,
    description: "the object's bytes, with its content type, as an attachment",
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors('INVALID_ID', 'STORAGE_PATH_INVALID', 'RUN_NOT_FOUND', 'ARTIFACT_NOT_FOUND')
  @Get(':id/artifacts/:name')
  async download(
    @ReadScope() scope: TenantScope,
    @Param('id', UuidParamPipe) id: string,
    @Param('name') name: string,
    @Res() res: Response,
  ): Promise<void> {
    const artifact = await this.artifacts.download(scope, id, name);
    res.status(200);
    res.setHeader('content-type', artifact.contentType);
    res.setHeader('content-length', String(artifact.object.size));
    res.setHeader('content-disposition', `attachment; filename="${artifact.name}"`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    // Streamed: a large artifact never sits whole in the gateway's memory. A storage failure
    // midway can only cut the response (its length then tells the client it is incomplete).
    await pipeline(artifact.object.stream, res).catch(() => res.destroy());
  }
}
