import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreateStorePairDto {
  @ApiProperty({ description: 'Kuaishou shop connection id' })
  @IsUUID()
  kuaishouConnectionId: string;

  @ApiProperty({ description: 'Youzan shop connection id' })
  @IsUUID()
  youzanConnectionId: string;
}
