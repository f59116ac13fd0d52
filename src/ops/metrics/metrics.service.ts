import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per app instance (tests boot several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly gauges = new Map<string, Gauge>();
  private readonly histograms = new Map<string, Histogram>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kwaizan_process_' });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    let metric = this.counters.get(name);
    if (!metric) {
      metric = new Counter({ name, help, labelNames, registers: [this.registry] });
      this.counters.set(name, metric);
    }
    return metric;
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    let metric = this.gauges.get(name);
    if (!metric) {
      metric = new Gauge({ name, help, labelNames, registers: [this.registry] });
      this.gauges.set(name, metric);
    }
    return metric;
  }

  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram {
    let metric = this.histograms.get(name);
    if (!metric) {
      metric = new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
      this.histograms.set(name, metric);
    }
    return metric;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
