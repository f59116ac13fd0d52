import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { ShipmentEntity, ShipmentStatus } from './shipment.entity';

@Injectable()
export class ShipmentRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(ShipmentEntity);
  }

  findById(id: string): Promise<ShipmentEntity | null> {
    return this.repo.findOneBy({ id });
  }

  lock(id: string): Promise<ShipmentEntity | null> {
    return this.db.forUpdate(this.repo.createQueryBuilder('s').where('s.id = :id', { id })).getOne();
  }

  findByWaybill(merchantId: string, orderId: string, trackingNo: string): Promise<ShipmentEntity | null> {
    return this.repo.findOneBy({ merchantId, orderId, trackingNo });
  }

  async insert(shipment: ShipmentEntity): Promise<void> {
    await this.repo.insert(shipment);
  }

  async save(shipment: ShipmentEntity): Promise<void> {
    await this.repo.save(shipment);
  }

  list(
    merchantId: string,
    filter: { status?: ShipmentStatus; orderId?: string; limit: number },
  ): Promise<ShipmentEntity[]> {
    return this.repo.find({
      where: {
        merchantId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.orderId ? { orderId: filter.orderId } : {}),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: filter.limit,
    });
  }
}
