/**
 * Bench: CPU per verification of an active token whose introspection response carries a large
 * `aud` array (issue 20, class 1), against a fake authorization server on loopback.
 * Run: `npx tsx bench/large-audience.ts [audCount] [requests]`.
 *
 * @module
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IntrospectionTokenVerifier } from '../src/verify/introspection/verifier.js';

const audCount = Number(process.argv[2] ?? 16_000);
const requests = Number(process.argv[3] ?? 20);
const aud = Array.from({ length: audCount }, (_, i) => String.fromCharCode(97 + (i % 26)));
const body = JSON.stringify({ active: true, client_id: 'c', scope: 'read', aud });
let introspections = 0;
const server = createServer((_req, res) => {
  introspections += 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;
const verifier = new IntrospectionTokenVerifier({
  introspectionEndpoint: `http://127.0.0.1:${port}/introspect`,
  serverUrl: 'https://mcp.example.com/mcp',
  logger: { debug() {}, info() {}, warn() {}, error() {} },
});
await verifier.verifyToken('tok-large-aud'); // first request: introspection (not measured)
const cpu = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: requests }, () => verifier.verifyToken('tok-large-aud')));
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
console.log(
  JSON.stringify({
    audCount,
    responseBytes: body.length,
    requests,
    introspections,
    cpuMsPerRequest: +(cpuMs / requests).toFixed(3),
    wallMsForAll: +wallMs.toFixed(1),
  }),
);
await verifier.close();
server.close();
