import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';
import { yuanToFen } from '@app/common/money';

/** The price form of the prices page: owners type yuan, the service keeps fen. */
export class PriceFormDto {
  @ApiProperty({ description: 'Yuan, up to two decimals', example: '99.90' })
  @Matches(/^\d{1,6}(\.\d{1,2})?$/, { message: 'priceYuan must be an amount in yuan such as 99.90' })
  priceYuan: string;

  @ApiPropertyOptional({ enum: ['', 'kuaishou', 'youzan'], description: 'Empty: the master price for both platforms' })
  @IsOmittable()
  @IsIn(['', 'kuaishou', 'youzan'])
  platform?: '' | 'kuaishou' | 'youzan';

  static toRequest(form: PriceFormDto): { priceFen: number; platform?: 'kuaishou' | 'youzan' } {
    return { priceFen: yuanToFen(form.priceYuan), ...(form.platform ? { platform: form.platform } : {}) };
  }
}
