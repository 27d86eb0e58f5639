import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { type RunningGateway, runGateway } from '../../src/gateway/run.js';
import { startStdioBridge } from '../../src/gateway/stdio-wiring.js';
import { silentLogger } from '../../src/lib/logger.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { freePort } from '../helpers/everything-server.js';

const EVERYTHING = fileURLToPath(
  new URL(
    '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js',
    import.meta.url,
  ),
);
/** The branch `gateway` carries a placeholder bridge until `gateway-stdio` is merged. */
const PLACEHOLDER = readFileSync(
  new URL('../../src/gateway/stdio/upstream.ts', import.meta.url),
  'utf8',
).includes('PLACEHOLDER');

let as: AuthServer;
let gateway: RunningGateway;
let publicUrl: string;

describe.skipIf(PLACEHOLDER)('the gateway in front of a stdio server (server-everything)', () => {
  beforeAll(async () => {
    as = await startAuthServer({ scopes: ['read'], jwtResources: (r) => r.endsWith('/mcp') });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}/mcp`;
    const loaded = loadGatewayConfig(
      [
        ...['--stdio', `"${process.execPath}" "${EVERYTHING}" stdio`],
        ...['--public-url', publicUrl, '--port', String(port)],
        ...['--issuer', as.issuer, '--allow-localhost', '--scopes', 'read'],
      ],
      {},
    );
    if (loaded.help) throw new Error('help');
    expect(loaded.config.upstream).toEqual({
      kind: 'stdio',
      command: `"${process.execPath}" "${EVERYTHING}" stdio`,
    });
    gateway = await runGateway(loaded.config, {
      logger: silentLogger,
      startStdio: startStdioBridge,
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await as?.close();
  });

  it('the SDK client: discovery → token → tools/list → tools/call over stdio', async () => {
    const provider = new ClientCredentialsProvider({
      clientId: as.clients.m2m.clientId,
      clientSecret: as.clients.m2m.clientSecret,
      scope: 'read',
      expectedIssuer: as.issuer,
    });
    const client = new Client({ name: 'gateway-stdio', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(publicUrl), { authProvider: provider }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('echo');
      const result = await client.callTool({ name: 'echo', arguments: { message: 'via stdio' } });
      expect(JSON.stringify(result.content)).toContain('via stdio');
    } finally {
      await client.close();
    }
  }, 60_000);
});
