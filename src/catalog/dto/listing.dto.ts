import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { LISTING_STATUSES, ListingEntity } from '../listings/listing.entity';
import type { ImportEntry, ImportReport } from '../listings/listing-publish.service';
import type { ListingFinding } from '../listings/listing-validation';

export class ListingPropertyDto {
  @ApiProperty({ description: 'Target category property id', example: '102' })
  @Matches(/^\d{1,40}$/, { message: 'propertyId must be a numeric property id' })
  propertyId: string;

  @ApiPropertyOptional({ type: [String], description: 'Chosen value ids' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{1,40}$/, { each: true, message: 'each value id must be numeric' })
  valueIds?: string[];

  @ApiPropertyOptional({ description: 'Free text value' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  text?: string;

  @ApiPropertyOptional({ type: [String], description: 'Values of an image property' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^https?:\/\//, { each: true, message: 'each image URL must be http(s)' })
  imageUrls?: string[];
}

/** What a listing shows: the fields a draft may override and an edit may change. */
export class ListingContentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(25_000)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Main images (http(s), or a data: URL for small images)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(15)
  @MaxLength(4000, { each: true })
  @Matches(/^(https?:\/\/|data:image\/)/, { each: true, message: 'each image must be an http(s) or data:image URL' })
  imageUrls?: string[];

  @ApiPropertyOptional({ type: [ListingPropertyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ListingPropertyDto)
  properties?: ListingPropertyDto[];
}

export class CreateListingDto extends ListingContentDto {
  @ApiProperty({ description: 'The shop the item is read from' })
  @IsUUID()
  sourceConnectionId: string;

  @ApiProperty({ description: 'The item id in the source shop', example: '1234567' })
  @Matches(/^\d{1,40}$/, { message: 'sourceItemId must be a numeric platform item id' })
  sourceItemId: string;

  @ApiProperty({ description: 'The shop on the other platform to publish to' })
  @IsUUID()
  targetConnectionId: string;

  @ApiPropertyOptional({ description: "Merchant code for the target item; default: the source item's" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._\-/]{1,64}$/, { message: 'outerItemId must be 1-64 letters, digits or ._-/' })
  outerItemId?: string;

  @ApiPropertyOptional({ description: 'Target category; default for Kuaishou: the mapped leaf of the Youzan category' })
  @IsOptional()
  @Matches(/^\d{1,40}$/, { message: 'categoryId must be a numeric category id' })
  categoryId?: string;
}

export class SpecValueDto {
  @ApiProperty({ example: '颜色' }) @IsString() @Length(1, 30) name: string;
  @ApiProperty({ example: '米白' }) @IsString() @Length(1, 50) value: string;
}

export class SkuEditDto {
  @ApiProperty({ description: "The SKU's merchant code (one of the listing's SKUs)" })
  @Matches(/^[A-Za-z0-9._\-/]{1,64}$/, { message: 'skuCode must be 1–64 letters, digits or ._-/' })
  skuCode: string;

  @ApiPropertyOptional({ description: 'New price in fen, checked by the price-parity guard' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9_999_999)
  priceFen?: number;

  @ApiPropertyOptional({ type: [SpecValueDto], description: 'New sale-property values (Kuaishou targets)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => SpecValueDto)
  specs?: SpecValueDto[];
}

export class EditListingDto extends ListingContentDto {
  @ApiPropertyOptional({ type: [SkuEditDto], description: "Changes of the listing's SKUs: specs and/or price" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(600)
  @ValidateNested({ each: true })
  @Type(() => SkuEditDto)
  skus?: SkuEditDto[];
}

export class ImportListingsDto {
  @ApiProperty() @IsUUID() sourceConnectionId: string;
  @ApiProperty() @IsUUID() targetConnectionId: string;

  @ApiPropertyOptional({ default: true, description: 'Report only (the default); false binds, drafts and queues' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class ListingView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) sourcePlatform: string;
  @ApiProperty() sourceConnectionId: string;
  @ApiProperty() sourceItemId: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) targetPlatform: string;
  @ApiProperty() targetConnectionId: string;
  @ApiProperty() outerItemId: string;
  @ApiPropertyOptional({ nullable: true }) categoryId: string | null;
  @ApiProperty({ enum: LISTING_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, enum: ['created', 'bound'] }) origin: string | null;
  @ApiPropertyOptional({ nullable: true }) targetItemId: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['pending', 'approved', 'rejected', 'needs_changes'] })
  auditState: string | null;
  @ApiPropertyOptional({ nullable: true }) auditReason: string | null;
  @ApiProperty({ description: 'Validator findings with bilingual messages and fix hints' })
  findings: ListingFinding[];
  @ApiPropertyOptional({ nullable: true }) errorCode: string | null;
  @ApiPropertyOptional({ nullable: true }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When a queued listing is tried again' })
  nextAttemptAt: number | null;
  @ApiProperty() draft: {
    title: string;
    description: string;
    imageUrls: string[];
    skus: unknown[];
    properties: unknown[];
  };
  @ApiProperty() createdAt: number;
  @ApiProperty() updatedAt: number;
  @ApiPropertyOptional({ nullable: true }) publishedAt: number | null;

  static of(l: ListingEntity): ListingView {
    return {
      id: l.id,
      sourcePlatform: l.sourcePlatform,
      sourceConnectionId: l.sourceConnectionId,
      sourceItemId: l.sourceItemId,
      targetPlatform: l.targetPlatform,
      targetConnectionId: l.targetConnectionId,
      outerItemId: l.outerItemId,
      categoryId: l.categoryId,
      status: l.status,
      origin: l.origin,
      targetItemId: l.targetItemId,
      auditState: l.auditState,
      auditReason: l.auditReason,
      findings: l.findings,
      errorCode: l.errorCode,
      reason: l.reason,
      nextAttemptAt: l.nextAttemptAt,
      draft: {
        title: l.draft.title,
        description: l.draft.description,
        imageUrls: l.draft.imageUrls,
        skus: l.draft.skus,
        properties: l.draft.properties,
      },
      createdAt: l.createdAt,
      updatedAt: l.updatedAt,
      publishedAt: l.publishedAt,
    };
  }
}

export class ImportReportView implements ImportReport {
  @ApiProperty() dryRun: boolean;
  @ApiProperty() scanned: number;
  @ApiProperty({ description: 'Items the target already had (same merchant code): bound, not created' })
  bound: ImportEntry[];
  @ApiProperty({ description: 'Items drafted and queued for publishing (would be, in a dry run)' })
  created: ImportEntry[];
  @ApiProperty({ description: 'Items without merchant codes or with validation errors' })
  needsDecision: ImportEntry[];
  @ApiProperty({ description: 'Items that already have a listing in the target shop' })
  existing: ImportEntry[];
}
