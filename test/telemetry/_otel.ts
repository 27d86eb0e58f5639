/**
 * An OpenTelemetry SDK registered globally for tests: an in-memory metric reader (collect on
 * demand) and an in-memory span exporter, plus the AsyncLocalStorage context manager.
 */

import { type Attributes, context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A pull reader kept in memory. */
export class TestMetricReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface TestSdk {
  readonly reader: TestMetricReader;
  readonly spans: InMemorySpanExporter;
  /** Every metric collected so far, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  finished(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/** Registers a fresh SDK globally (replacing any previous one). */
export function registerTestSdk(): TestSdk {
  metrics.disable();
  trace.disable();
  context.disable();
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  return {
    reader,
    spans,
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      const out = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const m of scope.metrics) out.set(m.descriptor.name, m);
      }
      return out;
    },
    finished: () => spans.getFinishedSpans(),
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      metrics.disable();
      trace.disable();
      context.disable();
    },
  };
}

/** `{ "k=v,k2=v2": value }` for a counter; histograms give their count. */
export function counts(metric: MetricData | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of (metric?.dataPoints ?? []) as DataPoint<number | Histogram>[]) {
    const key = attributeKey(p.attributes);
    out[key] = typeof p.value === 'number' ? p.value : p.value.count;
  }
  return out;
}

export function attributeKey(attributes: Attributes): string {
  return Object.keys(attributes)
    .sort()
    .map((k) => `${k}=${String(attributes[k])}`)
    .join(',');
}
