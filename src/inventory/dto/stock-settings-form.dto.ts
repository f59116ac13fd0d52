import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOmittable } from '@app/common/http/validation';
import { StockSettingsDto } from './stock-settings.dto';

const WHOLE = /^\d{0,7}$/;

/** The stock settings form of the stock page: whole numbers as typed; an empty field is left as it is. */
export class StockSettingsFormDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(WHOLE, { message: 'safetyStock must be a whole number' })
  safetyStock?: string;

  @ApiPropertyOptional({ enum: ['auto', 'split', 'pool'] })
  @IsOmittable()
  @IsIn(['', 'auto', 'split', 'pool'])
  allocationMode?: '' | 'auto' | 'split' | 'pool';

  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(WHOLE, { message: 'scarceBelow must be a whole number' })
  scarceBelow?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(WHOLE, { message: 'tranche must be a whole number' })
  tranche?: string;

  static toSettings(form: StockSettingsFormDto): StockSettingsDto {
    const whole = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
    return Object.assign(new StockSettingsDto(), {
      safetyStock: whole(form.safetyStock),
      allocationMode: form.allocationMode || undefined,
      scarceBelow: whole(form.scarceBelow),
      tranche: whole(form.tranche),
    });
  }
}
