import { ApiProperty } from '@nestjs/swagger';
import type { ArtifactView, OutputRefView } from '@sandcastle/contracts';

/**
 * Named OpenAPI schemas (`OutputRef`, `Artifact`) for clients that generate types: `output_ref` of
 * a step in `GET /runs/{id}` (and the values of `output_refs`), and the items of
 * `GET /runs/{id}/artifacts`. Every nullable property states its type.
 */
export class OutputRef implements OutputRefView {
  @ApiProperty({ type: String, example: 'output.enrich.a1.json', description: 'artifact name' })
  name!: string;

  @ApiProperty({ type: Number, example: 5242890, description: 'bytes stored' })
  size!: number;

  @ApiProperty({ type: String, example: 'application/json' })
  content_type!: string;

  @ApiProperty({
    type: String,
    example: '{"companies":[',
    description: 'the first 1 KiB of the stored JSON text',
  })
  preview!: string;

  @ApiProperty({
    type: String,
    example: '/runs/9f0c6a1e-2b3d-4c5e-8f70-1a2b3c4d5e6f/artifacts/output.enrich.a1.json',
  })
  url!: string;
}

export class Artifact implements ArtifactView {
  @ApiProperty({ type: String, example: 'output.enrich.a1.json' })
  name!: string;

  @ApiProperty({ type: String, enum: ['output', 'file', 'write', 'result'], example: 'output' })
  kind!: string;

  @ApiProperty({ type: String, example: 'runs/9f0c6a1e-2b3d-4c5e-8f70-1a2b3c4d5e6f/output.enrich.a1.json' })
  path!: string;

  @ApiProperty({ type: Number, example: 5242890 })
  size!: number;

  @ApiProperty({ type: String, example: 'application/json' })
  content_type!: string;

  @ApiProperty({ type: String, nullable: true, example: 'enrich' })
  step_id!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  parallel_index!: number | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T09:31:30.300Z' })
  created_at!: string;

  @ApiProperty({
    type: String,
    example: '/runs/9f0c6a1e-2b3d-4c5e-8f70-1a2b3c4d5e6f/artifacts/output.enrich.a1.json',
  })
  url!: string;
}
