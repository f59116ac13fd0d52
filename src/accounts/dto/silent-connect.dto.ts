import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

export class SilentConnectDto {
  @ApiProperty()
  @IsUUID()
  merchantId: string;

  @ApiProperty({ description: 'Youzan shop id (kdt_id)', example: '42583152' })
  @Matches(/^\d{1,20}$/, { message: 'kdtId must be the numeric Youzan shop id' })
  kdtId: string;
}
