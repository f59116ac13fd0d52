import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { USER_ROLES, UserRole } from '../user.entity';

export class SignInDto {
  @ApiProperty({ example: 'owner@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ description: 'Where the sign-in page goes next (a path on this site)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;
}

/** The sign-in page's form: its pre-session token rides along as `_csrf`. */
export class SignInFormDto extends SignInDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  _csrf?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  newPassword: string;
}

/** The sign-in of a user being created. */
class NewUserDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class CreateUserDto extends NewUserDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;

  @ApiPropertyOptional({ description: 'Required for owner and staff' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

export class CreateMerchantUserDto extends NewUserDto {
  @ApiProperty({ enum: ['owner', 'staff'] })
  @IsIn(['owner', 'staff'])
  role: 'owner' | 'staff';
}

export class CreateCredentialDto {
  @ApiProperty({ example: 'warehouse ERP', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class RotateCredentialDto {
  @ApiPropertyOptional({
    description: 'How long the old key keeps working, in hours (default 24)',
    minimum: 0,
    maximum: 720,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  overlapHours?: number;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ['owner', 'staff'] })
  @IsIn(['owner', 'staff'])
  role: 'owner' | 'staff';
}

/** An admin's role change: owner ↔ staff for a merchant user, ops ↔ admin for an operator. */
export class AdminChangeRoleDto {
  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role: UserRole;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 10 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}
