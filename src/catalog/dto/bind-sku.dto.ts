import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';

export class BindSkuDto {
  @ApiProperty({ description: 'Merchant SKU code (created if new)', example: 'TSHIRT-RED-M' })
  @IsString()
  @Matches(/^[A-Za-z0-9._\-/]{1,64}$/, { message: 'skuCode must be 1–64 letters, digits or ._-/' })
  skuCode: string;

  @ApiProperty({ description: 'Shop connection the platform SKU belongs to' })
  @IsUUID()
  connectionId: string;

  @ApiProperty({ description: 'Platform item id (Kuaishou kwaiItemId / Youzan item_id)' })
  @Matches(/^\d{1,30}$/, { message: 'platformItemId must be the numeric platform item id' })
  platformItemId: string;

  @ApiProperty({ description: 'Platform SKU id (Kuaishou kwaiSkuId / Youzan sku_id)' })
  @Matches(/^\d{1,30}$/, { message: 'platformSkuId must be the numeric platform SKU id' })
  platformSkuId: string;
}
