/**
 * A small Prometheus metrics registry and the text exposition format (version 0.0.4).
 * Label values are escaped per the format: backslash, double quote and newline.
 */
type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export class Counter implements Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, amount = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${formatNumber(v)}`);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  private readonly values = new Map<string, number>();
  private collector: (() => Array<[Labels, number]>) | undefined;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(value: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }

  /** Computes the values at scrape time instead of storing them. */
  collect(collector: () => Array<[Labels, number]>): void {
    this.collector = collector;
  }

  render(): string[] {
    const entries: Array<[string, number]> = this.collector
      ? this.collector().map(([l, v]) => [labelKey(l), v])
      : [...this.values];
    return entries.map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${formatNumber(v)}`);
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) entry.counts[i]!++;
    entry.sum += value;
    entry.count++;
  }

  render(): string[] {
    const lines: string[] = [];
    for (const [key, entry] of this.series) {
      const prefix = key ? `${key},` : '';
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{${prefix}le="${formatNumber(bound)}"} ${entry.counts[i]}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ''} ${formatNumber(entry.sum)}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ''} ${entry.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) {
      lines.push(`# HELP ${metric.name} ${metric.help.replace(/\n/g, ' ')}`);
      lines.push(`# TYPE ${metric.name} ${metric.type}`);
      lines.push(...metric.render());
    }
    return lines.join('\n') + '\n';
  }

  private add<M extends Metric>(metric: M): M {
    const existing = this.metrics.get(metric.name);
    if (existing) return existing as M;
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** Registers the standard process metrics (resident memory, CPU, event-loop lag, uptime). */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const startedAt = Date.now();
  registry
    .gauge('process_resident_memory_bytes', 'Resident memory size in bytes.')
    .collect(() => [[{}, process.memoryUsage().rss]]);
  registry
    .gauge('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.')
    .collect(() => {
      const usage = process.cpuUsage();
      return [[{}, (usage.user + usage.system) / 1e6]];
    });
  registry
    .gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.')
    .collect(() => [[{}, process.memoryUsage().heapUsed]]);
  registry
    .gauge('process_uptime_seconds', 'Seconds since the process started.')
    .collect(() => [[{}, (Date.now() - startedAt) / 1000]]);
}
