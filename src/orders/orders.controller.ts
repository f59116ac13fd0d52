import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import {
  ListOrdersQueryDto,
  OnTimeQueryDto,
  ReconcileRunsQueryDto,
  SetErpOrderIdDto,
  ShopShipPolicyDto,
} from './dto/orders.dto';
import { OrderReconcileJob } from './jobs/order-reconcile.job';
import { OrderReconcileRunEntity } from './order-reconcile-run.entity';
import { OrderView } from './order.view';
import { OrderPage, OrdersService, ShopOnTime, ShopShipPolicy } from './orders.service';

@ApiTags('orders')
@Controller('api/merchants/:merchantId')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly merchants: MerchantsService,
    private readonly reconcileJob: OrderReconcileJob,
  ) {}

  @Get('orders')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'Orders of both platforms, newest first, with their ids, status, deadline and risk.' })
  list(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ListOrdersQueryDto,
  ): Promise<OrderPage> {
    return this.orders.list(merchantId, query);
  }

  @Get('orders/on-time-rate')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'Per shop: of the orders due in the window, the share shipped by their deadline.' })
  onTime(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: OnTimeQueryDto,
  ): Promise<ShopOnTime[]> {
    return this.orders.onTimeRates(merchantId, query.days);
  }

  @Get('orders/reconciliations')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description: 'Reconciler runs, newest first: orders found missing, drifted or duplicated, and fixed.',
  })
  async runs(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ReconcileRunsQueryDto,
  ): Promise<OrderReconcileRunEntity[]> {
    return this.orders.reconcileRuns(merchantId, query.limit, query.connectionId);
  }

  @Post('orders/reconcile')
  @MerchantAccess('staff', { operators: 'write' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: "Enqueues a reconciliation of the merchant's active shops now (otherwise hourly).",
  })
  async reconcile(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<{ shops: number }> {
    await this.merchants.get(merchantId);
    return { shops: await this.reconcileJob.enqueueForMerchant(merchantId) };
  }

  @Get('orders/ship-policies')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: "Each shop's ship promise after payment (used where the platform sets no ship-by)." })
  policies(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<ShopShipPolicy[]> {
    return this.orders.shipPolicies(merchantId);
  }

  @Put('connections/:connectionId/ship-policy')
  @MerchantAccess('owner')
  @ApiOkResponse({ description: "Sets the shop's ship promise in hours (1–720; default 48)." })
  setPolicy(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
    @Body() body: ShopShipPolicyDto,
  ): Promise<ShopShipPolicy> {
    return this.orders.setShipPolicy(merchantId, connectionId, body.promiseHours);
  }

  @Get('orders/:orderId')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description:
      'One order by any of its ids: internal id, Kuaishou oid, Youzan tid or line oid, or the ERP order id (`matchedBy` says which).',
  })
  @ApiNotFoundResponse({ description: 'No order of this merchant has that id.' })
  @ApiConflictResponse({ description: 'Several orders carry that id (use the internal id).' })
  get(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('orderId') orderId: string,
  ): Promise<OrderView> {
    return this.orders.getForMerchant(merchantId, orderId);
  }

  @Put('orders/:orderId/erp-order-id')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: "Sets the ERP's own id of the order (unique per merchant); answers the order." })
  @ApiConflictResponse({ description: 'Another order of this merchant holds that ERP id.' })
  setErpId(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('orderId') orderId: string,
    @Body() body: SetErpOrderIdDto,
  ): Promise<OrderView> {
    return this.orders.setErpOrderId(merchantId, orderId, body.erpOrderId);
  }
}
