import { IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

const STATUSES = ['active', 'needs_reauth', 'revoked', 'unbound'] as const;

/** A shop connection changed state, or needs the merchant soon (reauthDueAt). Carried to ops and ERP webhooks. */
export class ConnectionStatusChanged {
  @IsUUID() connectionId: string;
  @IsUUID() merchantId: string;
  @IsIn(['kuaishou', 'youzan']) platform: 'kuaishou' | 'youzan';
  @IsString() @MaxLength(100) shopId: string;
  @IsIn(STATUSES) status: (typeof STATUSES)[number];
  @IsOptional() @IsIn(STATUSES) previousStatus?: (typeof STATUSES)[number];
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
  /** When the merchant must have re-authorized (grant ends). */
  @IsOptional() @IsInt() reauthDueAt?: number;
  @IsInt() occurredAt: number;
}

export const connectionStatusChangedTopic = defineTopic({
  name: Topic.ConnectionStatusChanged,
  payload: ConnectionStatusChanged,
  key: (p) => p.connectionId,
});
