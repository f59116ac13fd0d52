import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** Failed sign-ins counted by rate-limiter-flexible's MySQL store, so every instance counts together. */
@Entity('sign_in_limit')
export class SignInLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'int', default: 0 })
  points: number;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  expire: number | null;
}
