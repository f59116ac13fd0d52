import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { WebhookSenderService } from '../webhook-sender.service';

/** The backstop of the sender: due deliveries and expired claims (a sender that died mid-attempt) are picked up. */
@Injectable()
export class WebhookSweepJob implements OnApplicationBootstrap {
  constructor(private readonly sender: WebhookSenderService) {}

  /** Deliveries left pending by the previous run go out at start. */
  onApplicationBootstrap(): void {
    this.sender.kick();
  }

  @ScheduledJob('webhook-delivery-sweep', { everyMs: 5_000 })
  sweep(): Promise<number> {
    return this.sender.sweep();
  }
}
