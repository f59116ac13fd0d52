import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { Correlation } from '@app/common/context/correlation';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { TopicContract, validatePayload } from '../contracts/topic-contract';
import { OutboxRepository } from './outbox.repository';
import { OutboxRelay } from './outbox.relay';

/**
 * Writes events into the outbox inside the caller's transaction, so a state change and the
 * event announcing it commit (or roll back) together.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: Db,
    private readonly repo: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /**
   * The last sequence given out for the contract's topic and this key: every event up to it has committed, so a
   * reader that has seen this sequence has seen every change announced so far.
   */
  currentSequence<P extends object>(contract: TopicContract<P>, key: string): Promise<number> {
    return this.repo.currentSequence(contract.name, key);
  }

  async enqueue<P extends object>(
    contract: TopicContract<P>,
    payload: P,
    options: { type?: string } = {},
  ): Promise<string> {
    if (!this.db.inTransaction) throw new Error('OutboxService.enqueue must run inside Db.transaction()');
    const valid = validatePayload(contract, payload);
    const key = contract.key(valid);
    const eventId = this.ids.uuid();
    const keySeq = await this.repo.nextSequence(contract.name, key);
    await this.repo.insert({
      eventId,
      topic: contract.name,
      eventKey: key,
      keySeq,
      eventType: options.type ?? contract.payload.name,
      payload: JSON.stringify(payload),
      correlationId: Correlation.id() ?? null,
      status: 'pending',
      createdAt: this.clock.now(),
      publishedAt: null,
      publishAttempts: 0,
      lastError: null,
    });
    this.db.afterCommit(() => this.relay.wake());
    return eventId;
  }
}
