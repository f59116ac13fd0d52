import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Plain decimal digits only: Number() would also take 0x10, 1e3 and '' (as 0). */
export const decimal = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

/** `?page=&pageSize=` of a list query; the list's own filters extend it. */
export class PagingQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  // Beyond any real page (200 × 10,000 rows); keeps the SQL offset a sane integer.
  @Max(10_000)
  page = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(decimal)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;
}
