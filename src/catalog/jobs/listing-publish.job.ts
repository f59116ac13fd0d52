import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { ListingPublishService } from '../listings/listing-publish.service';

/**
 * Enqueues the listings due again: queued past the daily create cap (once the China day rolled
 * over), and those under platform audit (their state is read by the consumer).
 */
@Injectable()
export class ListingPublishJob {
  constructor(
    private readonly listings: ListingPublishService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('listing-publish-due', { everyMs: 10 * 60_000 })
  enqueueDue(now: number = this.clock.now()): Promise<{ publish: number; audit: number }> {
    return this.listings.enqueueDue(now);
  }
}
