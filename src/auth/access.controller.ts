import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokensService } from './api-tokens.service';
import {
  AdminChangeRoleDto,
  ChangeRoleDto,
  CreateCredentialDto,
  CreateMerchantUserDto,
  CreateUserDto,
  ResetPasswordDto,
  RotateCredentialDto,
} from './dto/auth.dto';
import {
  ApiTokenView,
  ErpCredentialView,
  IssuedApiTokenView,
  IssuedErpCredentialView,
  UserView,
} from './dto/auth.views';
import { ErpCredentialsService, IssuedErpCredential } from './erp-credentials.service';
import { Admin, CurrentPrincipal, MerchantAccess } from './policy.decorator';
import { UserPrincipal } from './principal';
import { UsersService } from './users.service';

const issued = (i: IssuedErpCredential): IssuedErpCredentialView => ({
  ...ErpCredentialView.of(i.credential),
  secret: i.secret,
});

/** Users, ERP credentials and API tokens. Managing credentials needs a signed-in owner, never an API token. */
@ApiTags('access')
@Controller('api')
export class AccessController {
  constructor(
    private readonly users: UsersService,
    private readonly erp: ErpCredentialsService,
    private readonly tokens: ApiTokensService,
  ) {}

  @Get('users')
  @Admin()
  @ApiOkResponse({ type: [UserView] })
  async listUsers(): Promise<UserView[]> {
    return (await this.users.list()).map(UserView.of);
  }

  @Post('users')
  @Admin()
  @ApiCreatedResponse({ type: UserView })
  async createUser(@Body() body: CreateUserDto): Promise<UserView> {
    return UserView.of(await this.users.create(body));
  }

  @Post('users/:userId/disable')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: UserView, description: "Ends the user's sessions and revokes their API tokens at once." })
  async disableUser(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<UserView> {
    return UserView.of(await this.users.setDisabled(principal.userId, userId, true, null));
  }

  @Post('users/:userId/enable')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: UserView })
  async enableUser(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<UserView> {
    return UserView.of(await this.users.setDisabled(principal.userId, userId, false, null));
  }

  @Put('users/:userId/role')
  @Admin()
  @ApiOkResponse({
    type: UserView,
    description:
      'owner ↔ staff or ops ↔ admin, never your own; a merchant keeps an active owner and the service an active admin (409 otherwise).',
  })
  async changeUserRole(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: AdminChangeRoleDto,
  ): Promise<UserView> {
    return UserView.of(await this.users.changeRole(principal.userId, userId, body.role, null));
  }

  @Put('users/:userId/password')
  @Admin()
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Sets a new password and ends the user's sessions." })
  async resetUserPassword(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    await this.users.resetPassword(userId, body.password);
  }

  @Get('merchants/:merchantId/users')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: [UserView] })
  async listMerchantUsers(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<UserView[]> {
    return (await this.users.listByMerchant(merchantId)).map(UserView.of);
  }

  @Post('merchants/:merchantId/users')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({ type: UserView })
  async createMerchantUser(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateMerchantUserDto,
  ): Promise<UserView> {
    return UserView.of(await this.users.create({ ...body, merchantId }));
  }

  @Post('merchants/:merchantId/users/:userId/disable')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(200)
  @ApiOkResponse({ type: UserView, description: "Ends the user's sessions and revokes their API tokens at once." })
  async disableMerchantUser(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<UserView> {
    return UserView.of(await this.users.setDisabled(principal.userId, userId, true, merchantId));
  }

  @Post('merchants/:merchantId/users/:userId/enable')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(200)
  @ApiOkResponse({ type: UserView })
  async enableMerchantUser(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<UserView> {
    return UserView.of(await this.users.setDisabled(principal.userId, userId, false, merchantId));
  }

  @Put('merchants/:merchantId/users/:userId/role')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiOkResponse({
    type: UserView,
    description: 'owner ↔ staff; the merchant keeps at least one active owner (409 otherwise).',
  })
  async changeMerchantUserRole(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ChangeRoleDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<UserView> {
    return UserView.of(await this.users.changeRole(principal.userId, userId, body.role, merchantId));
  }

  @Get('merchants/:merchantId/erp-credentials')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: [ErpCredentialView] })
  async listErpCredentials(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ErpCredentialView[]> {
    return (await this.erp.listByMerchant(merchantId)).map(ErpCredentialView.of);
  }

  @Post('merchants/:merchantId/erp-credentials')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({ type: IssuedErpCredentialView, description: 'The secret is shown only in this answer.' })
  async createErpCredential(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateCredentialDto,
  ): Promise<IssuedErpCredentialView> {
    return issued(await this.erp.create(merchantId, body.name));
  }

  @Post('merchants/:merchantId/erp-credentials/:keyId/rotate')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({
    type: IssuedErpCredentialView,
    description: 'A new key; the old one keeps working for overlapHours (default 24).',
  })
  async rotateErpCredential(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('keyId') keyId: string,
    @Body() body: RotateCredentialDto,
  ): Promise<IssuedErpCredentialView> {
    return issued(
      await this.erp.rotate(
        merchantId,
        keyId,
        body.overlapHours === undefined ? undefined : body.overlapHours * 3600_000,
      ),
    );
  }

  @Delete('merchants/:merchantId/erp-credentials/:keyId')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: deliveries signed with it get 401 from now on.' })
  async revokeErpCredential(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    await this.erp.revoke(merchantId, keyId);
  }

  @Get('merchants/:merchantId/api-tokens')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: [ApiTokenView] })
  async listApiTokens(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ApiTokenView[]> {
    return (await this.tokens.listByMerchant(merchantId)).map(ApiTokenView.of);
  }

  @Post('merchants/:merchantId/api-tokens')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({
    type: IssuedApiTokenView,
    description: 'The token acts as you, for this merchant only; it is shown only in this answer.',
  })
  async createApiToken(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateCredentialDto,
  ): Promise<IssuedApiTokenView> {
    const { token, entity } = await this.tokens.create(principal.userId, merchantId, body.name);
    return { ...ApiTokenView.of(entity), token };
  }

  @Delete('merchants/:merchantId/api-tokens/:tokenId')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeApiToken(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('tokenId', new ParseUUIDPipe()) tokenId: string,
  ): Promise<void> {
    await this.tokens.revoke(merchantId, tokenId);
  }
}
