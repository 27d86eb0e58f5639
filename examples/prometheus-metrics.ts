/**
 * Example: OpenTelemetry metrics of the bearer gate, the introspection verifier and friction,
 * scraped by Prometheus through the OpenTelemetry Prometheus exporter.
 *
 * The library depends on `@opentelemetry/api` only; the application registers the SDK. Here a
 * `MeterProvider` with a `PrometheusExporter` reader serves `/metrics` on its own loopback port
 * (keep the scrape endpoint off the public listener), and a `node:http` server protects `/mcp`
 * with `requireBearerAuth` and an `IntrospectionTokenVerifier`.
 *
 * ```sh
 * npm install @opentelemetry/api @opentelemetry/sdk-metrics @opentelemetry/exporter-prometheus
 * INTROSPECTION_ENDPOINT=https://auth.example.com/token/introspection \
 * INTROSPECTION_CLIENT_ID=mcp-server INTROSPECTION_CLIENT_SECRET=… \
 * PORT=3000 METRICS_PORT=9464 npx tsx examples/prometheus-metrics.ts
 * curl -s http://127.0.0.1:9464/metrics | grep mcp_authflow
 * ```
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { FrictionRegistry, IntrospectionTokenVerifier } from '../src/index.js';
import { requireBearerAuth } from '../src/node.js';

/** Options of {@link startPrometheusExample}. */
export interface PrometheusExampleOptions {
  readonly introspectionEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Port of the MCP endpoint (0: any). @default 3000 */
  readonly port?: number;
  /** Port of the Prometheus scrape endpoint. @default 9464 */
  readonly metricsPort?: number;
}

/** A running example. */
export interface PrometheusExample {
  /** The protected endpoint. */
  readonly mcpUrl: string;
  /** The Prometheus scrape URL. */
  readonly metricsUrl: string;
  close(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Registers the SDK with a Prometheus reader and starts the protected server. */
export async function startPrometheusExample(
  options: PrometheusExampleOptions,
): Promise<PrometheusExample> {
  const metricsPort = options.metricsPort ?? 9464;
  const exporter = new PrometheusExporter({
    host: '127.0.0.1',
    port: metricsPort,
    preventServerStart: true,
  });
  await exporter.startServer();
  const meterProvider = new MeterProvider({ readers: [exporter] });
  // Registering after the library was imported is fine: its instruments are created lazily.
  metrics.setGlobalMeterProvider(meterProvider);

  const server = createServer();
  const port = await listen(server, options.port ?? 3000);
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: options.introspectionEndpoint,
    serverUrl: mcpUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  const gate = requireBearerAuth({ verifier, requiredScopes: ['read'] });
  const friction = new FrictionRegistry({ toolConfigs: { delete_task: { targetRate: 0.05 } } });
  server.on('request', async (req, res) => {
    const passed = await gate(req, res);
    if (passed === undefined) return;
    const auth = (req as { auth?: { clientId: string } }).auth;
    const tool = new URL(req.url ?? '/', mcpUrl).searchParams.get('tool') ?? 'get_tasks';
    const decision = await friction.checkAndRecord(auth?.clientId ?? 'anonymous', tool);
    res.writeHead(decision.allowed ? 200 : 429, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ tool, allowed: decision.allowed }));
  });
  return {
    mcpUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async close() {
      server.close();
      server.closeAllConnections();
      await verifier.close();
      await friction.close();
      await meterProvider.shutdown();
      metrics.disable();
    },
  };
}

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Set ${name}`);
  return value;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  startPrometheusExample({
    introspectionEndpoint: env('INTROSPECTION_ENDPOINT'),
    clientId: env('INTROSPECTION_CLIENT_ID'),
    clientSecret: env('INTROSPECTION_CLIENT_SECRET'),
    port: Number(process.env.PORT ?? 3000),
    metricsPort: Number(process.env.METRICS_PORT ?? 9464),
  }).then(
    (running) =>
      process.stdout.write(`MCP endpoint ${running.mcpUrl}; scrape ${running.metricsUrl}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
