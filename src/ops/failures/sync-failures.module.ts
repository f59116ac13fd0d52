import { Module } from '@nestjs/common';
import { SyncFailureRepository } from './sync-failure.repository';
import { SyncFailureService } from './sync-failure.service';

@Module({ providers: [SyncFailureRepository, SyncFailureService], exports: [SyncFailureService] })
export class SyncFailuresModule {}
