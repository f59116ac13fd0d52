import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SyncFailureEntity } from '../sync-failure.entity';

export class SyncFailureView {
  @ApiProperty() id: string;
  @ApiProperty() context: string;
  @ApiProperty() operation: string;
  @ApiPropertyOptional({ nullable: true }) platform: string | null;
  @ApiPropertyOptional({ nullable: true }) shopRef: string | null;
  @ApiPropertyOptional({ nullable: true }) entityType: string | null;
  @ApiPropertyOptional({ nullable: true }) entityRef: string | null;
  @ApiProperty() errorCode: string;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ nullable: true }) platformCode: string | null;
  @ApiPropertyOptional({ nullable: true }) platformMessage: string | null;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, description: 'Epoch ms of the next automatic retry' }) nextRetryAt:
    number | null;
  @ApiProperty({ enum: ['open', 'retrying', 'resolved', 'dismissed'] }) status: string;
  @ApiProperty({ description: 'Whether retry can run the operation again' }) replayable: boolean;
  @ApiProperty() createdAt: number;
  @ApiProperty() updatedAt: number;
  @ApiPropertyOptional({ nullable: true }) closedAt: number | null;
  @ApiPropertyOptional({ nullable: true }) closedNote: string | null;

  static of(f: SyncFailureEntity): SyncFailureView {
    return {
      id: f.id,
      context: f.context,
      operation: f.operation,
      platform: f.platform,
      shopRef: f.shopRef,
      entityType: f.entityType,
      entityRef: f.entityRef,
      errorCode: f.errorCode,
      reason: f.reason,
      platformCode: f.platformCode,
      platformMessage: f.platformMessage,
      attempts: f.attempts,
      nextRetryAt: f.nextRetryAt,
      status: f.status,
      replayable: f.replay !== null,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      closedAt: f.closedAt,
      closedNote: f.closedNote,
    };
  }
}

export class SyncFailurePage {
  @ApiProperty({ type: [SyncFailureView] }) items: SyncFailureView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
