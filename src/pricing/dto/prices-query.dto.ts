import { ApiPropertyOptional } from '@nestjs/swagger';
import { PagingQueryDto } from '../../common/http/paging.dto';

/** `?page=&pageSize=` of the prices overview (bound SKUs by code; 200 a page unless asked). */
export class PricesQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ default: 200, minimum: 1, maximum: 200 })
  override pageSize = 200;
}
