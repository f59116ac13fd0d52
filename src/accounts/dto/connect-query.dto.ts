import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ConnectQueryDto {
  @ApiProperty({ description: 'Merchant who connects the shop' })
  @IsUUID()
  merchantId: string;
}
