import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '@app/database/columns';
import { BreakerState, CallUsage } from '../shared/platform-gateway';

/** What one instance's gateway to one platform reported last: its breakers and the last minute's calls. */
@Entity('platform_instance_state')
@Index('idx_platform_instance_state_reported', ['reportedAt'])
export class PlatformInstanceStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  instance: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  platform: string;

  @Column({ type: 'text', transformer: jsonText })
  breakers: Record<string, BreakerState>;

  @Column({ type: 'text', transformer: jsonText })
  apis: CallUsage[];

  @Column({ type: 'text', transformer: jsonText })
  shops: CallUsage[];

  @Column({ name: 'started_at', type: 'bigint', transformer: bigintNumber })
  startedAt: number;

  @Column({ name: 'reported_at', type: 'bigint', transformer: bigintNumber })
  reportedAt: number;
}
