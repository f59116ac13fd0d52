import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** Calls one instance's gateway made to one platform API in one minute, and how many of them failed. */
@Entity('platform_call_stat')
@Index('idx_platform_call_stat_minute', ['minuteStart'])
export class PlatformCallStatEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  instance: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  platform: string;

  @PrimaryColumn({ type: 'varchar', length: 80 })
  api: string;

  @PrimaryColumn({ name: 'minute_start', type: 'bigint', transformer: bigintNumber })
  minuteStart: number;

  @Column({ type: 'int' })
  calls: number;

  /** Calls answered with anything but success (platform errors, timeouts, calls refused by an open breaker). */
  @Column({ type: 'int' })
  errors: number;
}
