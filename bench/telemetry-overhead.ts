/**
 * Telemetry cost (DESIGN §6.4, target ≤ 5 % added): CPU time per request of the framework-free
 * bearer gate with a cached valid token (the common path: one verification counted as a cache
 * hit, one auth outcome counted, no span), with no OpenTelemetry SDK registered vs with the
 * metrics and trace SDKs registered globally (a pull metric reader, as the Prometheus exporter
 * uses, and a batch span processor). Variants alternate A B, B A, … in one process; process CPU
 * (user + system) is read around each run. The gate is called in-process, so the figure is the
 * gate's own cost: over HTTP the relative overhead is smaller.
 *
 * `npx tsx bench/telemetry-overhead.ts [--quick]`
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { createBearerGate } from '../src/http/bearer.js';
import type { SafeHttpClient } from '../src/ssrf/types.js';
import { IntrospectionTokenVerifier } from '../src/verify/introspection/verifier.js';
import { median } from './lib/load.js';

/** Settings of {@link runTelemetryOverhead}. */
export interface TelemetrySettings {
  /** Gate calls per measured run. */
  readonly requests: number;
  /** Measured runs per variant. */
  readonly rounds: number;
}

/** Result of {@link runTelemetryOverhead}: median CPU µs per request. */
export interface TelemetryFigures {
  readonly cpuUsPerRequest: { readonly withoutSdk: number; readonly withSdk: number };
  /** `withSdk / withoutSdk − 1`, in percent. */
  readonly addedPercent: number;
}

class PullReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const dropSpans: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function fakeAuthorizationServer(): SafeHttpClient {
  const body = new TextEncoder().encode(
    JSON.stringify({
      active: true,
      client_id: 'bench',
      scope: 'read',
      aud: 'https://mcp.example.com/mcp',
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  );
  return {
    request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body }),
    close: async () => {},
  };
}

function register(): () => Promise<void> {
  const meterProvider = new MeterProvider({ readers: [new PullReader()] });
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(dropSpans)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  return async () => {
    metrics.disable();
    trace.disable();
    context.disable();
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
  };
}

async function cpuPerRequest(run: () => Promise<unknown>, requests: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i += 64) {
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < 64; k++) batch.push(run());
    await Promise.all(batch);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

/** Runs the benchmark. */
export async function runTelemetryOverhead(s: TelemetrySettings): Promise<TelemetryFigures> {
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: 'https://auth.example.com/token/introspection',
    serverUrl: 'https://mcp.example.com/mcp',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    httpClient: fakeAuthorizationServer(),
  });
  const gate = createBearerGate({ verifier, requiredScopes: ['read'] });
  const request = { authorization: 'Bearer bench-token-0123456789abcdef' };
  const call = async () => {
    const result = await gate(request);
    if (!result.ok) throw new Error(`gate refused: ${result.response.status}`);
  };
  const variants = {
    withoutSdk: async () => cpuPerRequest(call, s.requests),
    withSdk: async () => {
      const unregister = register();
      try {
        return await cpuPerRequest(call, s.requests);
      } finally {
        await unregister();
      }
    },
  };
  await variants.withoutSdk(); // warm-up: JIT and the verdict cache
  await variants.withSdk();
  const runs = { withoutSdk: [] as number[], withSdk: [] as number[] };
  for (let round = 0; round < s.rounds; round++) {
    const order =
      round % 2 === 0 ? (['withoutSdk', 'withSdk'] as const) : (['withSdk', 'withoutSdk'] as const);
    for (const name of order) runs[name].push(await variants[name]());
  }
  await verifier.close();
  const withoutSdk = median(runs.withoutSdk);
  const withSdk = median(runs.withSdk);
  return {
    cpuUsPerRequest: { withoutSdk, withSdk },
    addedPercent: (withSdk / withoutSdk - 1) * 100,
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const quick = process.argv.includes('--quick');
  runTelemetryOverhead(quick ? { requests: 20_000, rounds: 3 } : { requests: 100_000, rounds: 7 })
    .then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
