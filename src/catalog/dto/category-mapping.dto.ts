import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAPPING_SCOPES, MappingScope } from '../mapping/category-mapping.entity';

export class SetCategoryMappingDto {
  @ApiProperty({
    enum: MAPPING_SCOPES,
    description: 'category: a Youzan cid; item: one Youzan item (overrides its category)',
  })
  @IsIn(MAPPING_SCOPES)
  scope: MappingScope;

  @ApiProperty({ description: 'Youzan cid or Youzan item id', example: '1000000' })
  @Matches(/^\d{1,40}$/, { message: 'youzanId must be a Youzan numeric id' })
  youzanId: string;

  @ApiProperty({ description: 'Kuaishou leaf category open for the shop', example: '1584' })
  @Matches(/^\d{1,40}$/, { message: 'kuaishouCategoryId must be a Kuaishou numeric category id' })
  kuaishouCategoryId: string;
}

export class ImportCategoryMappingDto {
  @ApiProperty({
    description: 'CSV with the header scope,youzan_id,kuaishou_category_id (other exported columns are ignored)',
  })
  @IsString()
  @Length(1, 2_000_000)
  csv: string;
}

export class RefreshCategoryTreesDto {
  @ApiPropertyOptional({ description: 'One shop; all of the merchant’s active shops when left out' })
  @IsOptional()
  @IsUUID()
  connectionId?: string;
}

export class SuggestCategoryDto {
  @ApiProperty({ example: '法式碎花雪纺连衣裙' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ description: 'Youzan category name or cid', example: '女人' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  youzanCategory?: string;

  @ApiPropertyOptional({
    description: "Kuaishou-hosted image URLs; with one, Kuaishou's own suggestion is asked too (daily-capped)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUrl({ require_protocol: true }, { each: true })
  imageUrls?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;
}
