import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MerchantEntity } from '../merchant.entity';
import { MerchantOverview } from '../merchants.service';
import { ShopConnectionEntity } from '../shop-connection.entity';
import { StorePairEntity } from '../store-pair.entity';

export class MerchantView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: number;

  static of(m: MerchantEntity): MerchantView {
    return { id: m.id, name: m.name, createdAt: m.createdAt };
  }
}

/** A connection as merchants and ops see it: never any token. */
export class ConnectionView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['kuaishou', 'youzan'] }) platform: string;
  @ApiProperty({ description: 'Kuaishou open_id / Youzan kdt_id' }) shopId: string;
  @ApiPropertyOptional({ nullable: true }) shopName: string | null;
  @ApiProperty({ enum: ['active', 'needs_reauth', 'revoked', 'unbound'] }) status: string;
  @ApiPropertyOptional({ nullable: true }) statusReason: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiPropertyOptional({ nullable: true }) accessTokenExpiresAt: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'When the grant ends unless renewed' }) refreshTokenExpiresAt:
    number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Set when the merchant must authorize again before this time' })
  reauthDueAt: number | null;
  @ApiPropertyOptional({ nullable: true }) lastRefreshedAt: number | null;
  @ApiProperty() failureCount: number;
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiProperty({ description: 'Open in a browser to (re)authorize' }) connectUrl: string;

  static of(c: ShopConnectionEntity): ConnectionView {
    return {
      id: c.id,
      platform: c.platform,
      shopId: c.shopId,
      shopName: c.shopName,
      status: c.status,
      statusReason: c.statusReason,
      scopes: c.scopeList,
      accessTokenExpiresAt: c.accessTokenExpiresAt,
      refreshTokenExpiresAt: c.refreshTokenExpiresAt,
      reauthDueAt: c.reauthDueAt,
      lastRefreshedAt: c.lastRefreshedAt,
      failureCount: c.failureCount,
      lastError: c.lastError,
      connectUrl: `/connect/${c.platform}?merchantId=${c.merchantId}`,
    };
  }
}

export class StorePairView {
  @ApiProperty() id: string;
  @ApiProperty() kuaishouConnectionId: string;
  @ApiProperty() youzanConnectionId: string;
  @ApiProperty({ enum: ['active', 'unbound'] }) status: string;
  @ApiProperty() createdAt: number;

  static of(p: StorePairEntity): StorePairView {
    return {
      id: p.id,
      kuaishouConnectionId: p.kuaishouConnectionId,
      youzanConnectionId: p.youzanConnectionId,
      status: p.status,
      createdAt: p.createdAt,
    };
  }
}

export class MerchantOverviewView {
  @ApiProperty({ type: MerchantView }) merchant: MerchantView;
  @ApiProperty({ type: [ConnectionView] }) connections: ConnectionView[];
  @ApiProperty({ type: [StorePairView] }) pairs: StorePairView[];

  static of(o: MerchantOverview): MerchantOverviewView {
    return {
      merchant: MerchantView.of(o.merchant),
      connections: o.connections.map(ConnectionView.of),
      pairs: o.pairs.map(StorePairView.of),
    };
  }
}
