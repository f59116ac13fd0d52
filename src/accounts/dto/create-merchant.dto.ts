import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class CreateMerchantDto {
  @ApiProperty({
    example: '小王的店',
    maxLength: 100,
    description: 'Leading and trailing spaces are dropped; control characters are refused.',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name must contain more than spaces' })
  @MaxLength(100)
  @Matches(/^[^\p{Cc}\p{Cs}\uFFFD]*$/u, { message: 'name must not contain control characters' })
  name: string;
}
