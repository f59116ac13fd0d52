import { ChannelAllocationEntity } from '@app/inventory/channel-allocation.entity';
import { InventoryRepository } from '@app/inventory/inventory.repository';
import { StockLedgerEntity } from '@app/inventory/stock-ledger.entity';
import { ReservationKind, StockReservationEntity } from '@app/inventory/stock-reservation.entity';
import { factory } from '@test/factories/entity.factory';

type LedgerMethods =
  | 'lockLedger'
  | 'findLedger'
  | 'saveLedger'
  | 'addReservation'
  | 'setReservationQuantity'
  | 'reservationKinds'
  | 'uncountedShipments'
  | 'openReserved'
  | 'allocation'
  | 'ensureAllocation'
  | 'saveAllocation';

/**
 * The ledger's part of InventoryRepository in memory, with the same rules the database enforces
 * (one reservation per line and kind; a new allocation starts at zero), for unit tests of the
 * ledger's decisions. The integration tier checks the SQL itself.
 */
export class InMemoryInventoryRepository implements Pick<InventoryRepository, LedgerMethods> {
  readonly ledgers = new Map<string, StockLedgerEntity>();
  readonly reservations: StockReservationEntity[] = [];
  readonly allocations = new Map<string, ChannelAllocationEntity>();

  async lockLedger(merchantSkuId: string, now: number): Promise<StockLedgerEntity> {
    let ledger = this.ledgers.get(merchantSkuId);
    if (!ledger) this.ledgers.set(merchantSkuId, (ledger = factory.ledger({ merchantSkuId, updatedAt: now })));
    return ledger;
  }

  async findLedger(merchantSkuId: string): Promise<StockLedgerEntity | null> {
    return this.ledgers.get(merchantSkuId) ?? null;
  }

  async saveLedger(ledger: StockLedgerEntity): Promise<void> {
    this.ledgers.set(ledger.merchantSkuId, ledger);
  }

  async addReservation(entry: Omit<StockReservationEntity, 'id'>): Promise<boolean> {
    if (this.reservations.some((r) => r.orderLineId === entry.orderLineId && r.kind === entry.kind)) return false;
    this.reservations.push({ id: String(this.reservations.length + 1), ...entry });
    return true;
  }

  async setReservationQuantity(entry: StockReservationEntity, quantity: number): Promise<void> {
    const row = this.reservations.find((r) => r.id === entry.id);
    if (row) row.quantity = quantity;
  }

  async reservationKinds(orderLineId: string): Promise<Map<ReservationKind, StockReservationEntity>> {
    return new Map(this.reservations.filter((r) => r.orderLineId === orderLineId).map((r) => [r.kind, r]));
  }

  async uncountedShipments(merchantSkuId: string, recordedBy: number): Promise<StockReservationEntity[]> {
    const counted = new Set(this.reservations.filter((r) => r.kind === 'counted').map((r) => r.orderLineId));
    return this.reservations.filter(
      (r) =>
        r.merchantSkuId === merchantSkuId &&
        r.kind === 'shipped' &&
        r.createdAt <= recordedBy &&
        !counted.has(r.orderLineId),
    );
  }

  async openReserved(merchantSkuId: string): Promise<number> {
    const sign: Record<ReservationKind, number> = { placed: 1, cancelled: -1, refunded: -1, shipped: 0, counted: -1 };
    return this.reservations
      .filter((r) => r.merchantSkuId === merchantSkuId)
      .reduce((sum, r) => sum + sign[r.kind] * r.quantity, 0);
  }

  async allocation(bindingId: string): Promise<ChannelAllocationEntity | null> {
    return this.allocations.get(bindingId) ?? null;
  }

  async ensureAllocation(
    bindingId: string,
    merchantSkuId: string,
    platform: string,
    now: number,
  ): Promise<ChannelAllocationEntity> {
    let allocation = this.allocations.get(bindingId);
    if (!allocation) {
      allocation = factory.allocation({
        bindingId,
        merchantSkuId,
        platform,
        allotted: 0,
        target: 0,
        established: false,
        updatedAt: now,
      });
      this.allocations.set(bindingId, allocation);
    }
    return allocation;
  }

  async saveAllocation(allocation: ChannelAllocationEntity): Promise<void> {
    this.allocations.set(allocation.bindingId, allocation);
  }
}
