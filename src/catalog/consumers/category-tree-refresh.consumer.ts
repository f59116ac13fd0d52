import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { categoryTreeRefreshRequestedTopic } from '@app/messaging/contracts/category-tree-refresh-requested/category-tree-refresh-requested.contract';
import { isPlatformError } from '@app/platforms/platform-error';
import { CategoryTreeService } from '../categories/category-tree.service';

@Injectable()
export class CategoryTreeRefreshConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly trees: CategoryTreeService,
    private readonly connections: ConnectionsService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      categoryTreeRefreshRequestedTopic,
      'catalog.category-tree-refresh',
      async ({ connectionId }) => {
        try {
          // The schedule names a shop only; its own merchant is the owner.
          const connection = await this.connections.get(connectionId);
          await this.trees.refresh(connection.merchantId, connection.id);
        } catch (error) {
          // Recorded on category_tree_read; the next scheduled pass tries again.
          if (!isPlatformError(error)) throw error;
        }
      },
      { transactional: false },
    );
  }
}
