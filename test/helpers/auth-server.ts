/**
 * Test fixture shared by the tests and the demo (the library never imports it): a real
 * `oidc-provider` 9 authorization server in process on 127.0.0.1, on a random port.
 *
 * - opaque access tokens, audience = the requested resource (RFC 8707), scope = the resource's
 *   allowed scopes; no default resource;
 * - RFC 7662 introspection at `/token/introspection` for the resource-server clients
 *   (`client_secret_basic`, `client_secret_post`, `none`), any token;
 * - `bearer` introspection: `/bearer-introspection` accepts `Authorization: Bearer <bearerToken>`
 *   and forwards to the real endpoint (oidc-provider itself only takes client authentication);
 * - client credentials for a machine-to-machine client with every resource scope, and for a
 *   second one whose access tokens are always RFC 9068 JWTs;
 * - authorization code + PKCE for a public native client, with an automatic login + consent
 *   interaction (no browser); dynamic client registration at `/reg`.
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { autoInteraction, bearerIntrospection } from './auth-interactions.js';
import {
  type FixtureClients,
  INTERACTION_PATH,
  makeClients,
  OIDC_SCOPES,
  providerConfiguration,
} from './auth-provider.js';

export type { FixtureClient, FixtureClients } from './auth-provider.js';

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  /** Resource scopes. @default ['read', 'write', 'tasks:read', 'tasks:write'] */
  readonly scopes?: readonly string[];
  /** Access token lifetime in seconds. @default 3600 */
  readonly accessTokenTtlSeconds?: number;
  /** Redirect URIs of the public PKCE client (loopback, any port). */
  readonly redirectUris?: readonly string[];
  /** The account every automatic login uses. @default 'user-1' */
  readonly accountId?: string;
  /**
   * Resources that get RFC 9068 JWT access tokens (`typ: at+jwt`, signed with the provider's
   * keys, published at `/jwks`) instead of opaque ones. @default none
   */
  readonly jwtResources?: (resource: string) => boolean;
  /** Enable oidc-provider's DPoP feature: a client sending a proof gets a bound token. */
  readonly dpop?: boolean;
}

/** Options of {@link AuthServer.issueToken}. */
export interface IssueTokenOptions {
  /** Space-separated scopes. @default every resource scope */
  readonly scope?: string;
  /** RFC 8707 resource (becomes the token's `aud`). */
  readonly resource?: string;
  /** A client-credentials client. @default the m2m client */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** A running fixture authorization server. */
export interface AuthServer {
  readonly issuer: string;
  readonly port: number;
  readonly tokenEndpoint: string;
  readonly introspectionEndpoint: string;
  /** Accepts `Authorization: Bearer <bearerToken>` (see the module notes). */
  readonly bearerIntrospectionEndpoint: string;
  readonly bearerToken: string;
  readonly clients: FixtureClients;
  readonly scopes: readonly string[];
  readonly provider: Provider;
  /** Requests seen at the introspection path so far. */
  readonly introspectionCount: number;
  /** Client-credentials access token, obtained over real HTTP from the token endpoint. */
  issueToken(options?: IssueTokenOptions): Promise<string>;
  /** Stops listening (the port is kept for {@link AuthServer.start}). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_SCOPES = ['read', 'write', 'tasks:read', 'tasks:write'];
const INTROSPECTION_PATH = '/token/introspection';
const BEARER_PATH = '/bearer-introspection';
const QUIET_WARNINGS = ['Unsupported runtime', 'in-memory adapter', 'signing keys'];

let providerClass: Promise<typeof Provider> | undefined;

/** Runs `fn` while dropping oidc-provider's known start-up `console.warn` lines only. */
async function quietly<T>(fn: () => Promise<T> | T): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = String(args[0]);
    if (text.includes('oidc-provider') && QUIET_WARNINGS.some((w) => text.includes(w))) return;
    warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

function loadProvider(): Promise<typeof Provider> {
  providerClass ??= quietly(async () => (await import('oidc-provider')).default);
  return providerClass;
}

async function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
}

/**
 * Starts the fixture authorization server.
 *
 * @param options - scopes, token lifetime, PKCE redirect URIs
 * @returns the running server; call `close()` when done
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const accountId = options.accountId ?? 'user-1';
  const clients = makeClients(options.redirectUris ?? ['http://127.0.0.1/callback']);
  const bearerToken = `b-${crypto.randomUUID()}`;
  let introspectionCount = 0;
  let route: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    if (req.url?.startsWith(INTROSPECTION_PATH)) introspectionCount += 1;
    route(req, res);
  });
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const introspectionEndpoint = `${issuer}${INTROSPECTION_PATH}`;
  const ProviderClass = await loadProvider();
  const settings = {
    clients,
    resourceScopes: scopes,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    jwtResources: options.jwtResources,
    dpop: options.dpop,
  };
  const provider = await quietly(() => new ProviderClass(issuer, providerConfiguration(settings)));
  const callback = provider.callback();
  const bearer = { bearerToken, introspectionEndpoint, upstream: clients.basic };
  route = (req, res) => {
    const fail = (): void => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    if (req.url?.startsWith(INTERACTION_PATH)) {
      autoInteraction(provider, accountId, req, res).catch(fail);
    } else if (req.url === BEARER_PATH) {
      bearerIntrospection(bearer, req, res).catch(fail);
    } else {
      callback(req, res);
    }
  };
  const secrets = new Map(
    [clients.m2m, clients.m2mJwt].map((c) => [c.clientId, c.clientSecret] as const),
  );
  return {
    issuer,
    port,
    tokenEndpoint: `${issuer}/token`,
    introspectionEndpoint,
    bearerIntrospectionEndpoint: `${issuer}${BEARER_PATH}`,
    bearerToken,
    clients,
    scopes: [...OIDC_SCOPES, ...scopes],
    provider,
    get introspectionCount() {
      return introspectionCount;
    },
    issueToken: (opts = {}) =>
      issueToken(`${issuer}/token`, {
        scope: opts.scope ?? scopes.join(' '),
        resource: opts.resource,
        clientId: opts.clientId ?? clients.m2m.clientId,
        clientSecret: opts.clientSecret ?? secrets.get(opts.clientId ?? clients.m2m.clientId),
      }),
    stop: async () => {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
    start: () => listen(server, port),
    close: async () => {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

async function issueToken(tokenEndpoint: string, opts: IssueTokenOptions): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (opts.scope) form.set('scope', opts.scope);
  if (opts.resource) form.set('resource', opts.resource);
  const credentials = Buffer.from(
    `${encodeURIComponent(opts.clientId ?? '')}:${encodeURIComponent(opts.clientSecret ?? '')}`,
  ).toString('base64');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${credentials}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token request failed: ${response.status} ${body.error ?? ''}`);
  }
  return body.access_token;
}
