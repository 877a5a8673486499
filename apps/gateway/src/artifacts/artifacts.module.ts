import { Module } from '@nestjs/common';
import { EnvelopeInterceptor } from '../http/envelope.interceptor';
import { RunsRepository } from '../runs/runs.repository';
import { ArtifactsController } from './artifacts.controller';
import { ArtifactsRepository } from './artifacts.repository';
import { ArtifactsUseCase } from './artifacts.use-case';

/** Listing and downloading a run's artifacts; storage comes from the global StorageModule. */
@Module({
  controllers: [ArtifactsController],
  providers: [EnvelopeInterceptor, RunsRepository, ArtifactsRepository, ArtifactsUseCase],
})
export class ArtifactsModule {}
