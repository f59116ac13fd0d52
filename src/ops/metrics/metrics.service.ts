import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MetricDefinition } from './metric-names';

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

  /** A metric of the catalogue (metric-names.ts); the string form is kept only until callers move over. */
  counter(definition: MetricDefinition<'counter'>): Counter;
  /** @deprecated Add the metric to METRICS (metric-names.ts) and pass its entry. */
  counter(name: string, help: string, labelNames?: string[]): Counter;
  counter(nameOrDefinition: string | MetricDefinition<'counter'>, help = '', labels: string[] = []): Counter {
    const { name, helpText, labelNames } = resolve(nameOrDefinition, help, labels);
    let metric = this.counters.get(name);
    if (!metric) {
      metric = new Counter({ name, help: helpText, labelNames, registers: [this.registry] });
      this.counters.set(name, metric);
    }
    return metric;
  }

  gauge(definition: MetricDefinition<'gauge'>): Gauge;
  /** @deprecated Add the metric to METRICS (metric-names.ts) and pass its entry. */
  gauge(name: string, help: string, labelNames?: string[]): Gauge;
  gauge(nameOrDefinition: string | MetricDefinition<'gauge'>, help = '', labels: string[] = []): Gauge {
    const { name, helpText, labelNames } = resolve(nameOrDefinition, help, labels);
    let metric = this.gauges.get(name);
    if (!metric) {
      metric = new Gauge({ name, help: helpText, labelNames, registers: [this.registry] });
      this.gauges.set(name, metric);
    }
    return metric;
  }

  histogram(definition: MetricDefinition<'histogram'>): Histogram;
  /** @deprecated Add the metric to METRICS (metric-names.ts) and pass its entry. */
  histogram(name: string, help: string, labelNames?: string[], buckets?: number[]): Histogram;
  histogram(
    nameOrDefinition: string | MetricDefinition<'histogram'>,
    help = '',
    labels: string[] = [],
    buckets?: number[],
  ): Histogram {
    const { name, helpText, labelNames } = resolve(nameOrDefinition, help, labels);
    const bounds =
      typeof nameOrDefinition === 'string' ? buckets : nameOrDefinition.buckets && [...nameOrDefinition.buckets];
    let metric = this.histograms.get(name);
    if (!metric) {
      metric = new Histogram({ name, help: helpText, labelNames, buckets: bounds, registers: [this.registry] });
      this.histograms.set(name, metric);
    }
    return metric;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function resolve(nameOrDefinition: string | MetricDefinition, help: string, labels: string[]) {
  if (typeof nameOrDefinition === 'string') return { name: nameOrDefinition, helpText: help, labelNames: labels };
  return { name: nameOrDefinition.name, helpText: nameOrDefinition.help, labelNames: [...nameOrDefinition.labels] };
}
