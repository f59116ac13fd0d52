import { Global, Module } from '@nestjs/common';
import { CLOCK, SystemClock } from './clock';
import { ID_GENERATOR, RandomIdGenerator } from './ids';

@Global()
@Module({
  providers: [
    { provide: CLOCK, useClass: SystemClock },
    { provide: ID_GENERATOR, useClass: RandomIdGenerator },
  ],
  exports: [CLOCK, ID_GENERATOR],
})
export class CommonModule {}
