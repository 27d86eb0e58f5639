/**
 * Test fixture (never imported by the library): the `oidc-provider` configuration of the
 * in-process authorization server started by `startAuthServer` in `auth-server.ts`.
 *
 * @module
 */

import type { ClientMetadata, Configuration } from 'oidc-provider';

/** Credentials of one confidential client. */
export interface FixtureClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The clients the fixture registers, one per introspection auth method we test. */
export interface FixtureClients {
  /** Resource-server client authenticating with `client_secret_basic`. */
  readonly basic: FixtureClient;
  /** Resource-server client authenticating with `client_secret_post`. */
  readonly post: FixtureClient;
  /** Resource-server client with `:`, `%`, `+` and a space in its id and secret (Basic). */
  readonly special: FixtureClient;
  /** Public resource-server client (`none`): sends only its `client_id`. */
  readonly none: { readonly clientId: string };
  /** Machine-to-machine client (client credentials grant, every scope). */
  readonly m2m: FixtureClient;
  /** Like `m2m`, but every access token it gets is an RFC 9068 JWT (whatever the resource). */
  readonly m2mJwt: FixtureClient;
  /** A second machine-to-machine client (tests that two callers are limited independently). */
  readonly m2m2: FixtureClient;
  /** Public client for authorization code + PKCE (`token_endpoint_auth_method: none`). */
  readonly public: { readonly clientId: string; readonly redirectUris: readonly string[] };
}

/** Settings the provider configuration is built from. */
export interface ProviderSettings {
  readonly clients: FixtureClients;
  readonly resourceScopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
  /** Resources that get RFC 9068 JWT access tokens instead of opaque ones. */
  readonly jwtResources?: (resource: string) => boolean;
  /** Issue DPoP-bound tokens (RFC 9449) to clients that send a proof. */
  readonly dpop?: boolean;
}

/** The OIDC scopes always offered besides the resource scopes. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'offline_access'];

/** Paths of the fixture's own handlers. */
export const INTERACTION_PATH = '/interaction/';

function randomSecret(): string {
  return `s-${crypto.randomUUID()}`;
}

/** Builds a fresh set of fixture clients with random secrets. */
export function makeClients(redirectUris: readonly string[]): FixtureClients {
  return {
    basic: { clientId: 'rs-basic', clientSecret: randomSecret() },
    post: { clientId: 'rs-post', clientSecret: randomSecret() },
    special: { clientId: 'rs:special%id', clientSecret: `p@ss:w%rd+ /${randomSecret()}` },
    none: { clientId: 'rs-none' },
    m2m: { clientId: 'm2m-client', clientSecret: randomSecret() },
    m2mJwt: { clientId: 'm2m-jwt-client', clientSecret: randomSecret() },
    m2m2: { clientId: 'm2m-client-2', clientSecret: randomSecret() },
    public: { clientId: 'mcp-public', redirectUris },
  };
}

function resourceServerClient(
  client: FixtureClient,
  method: 'client_secret_basic' | 'client_secret_post',
): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: [],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: method,
  };
}

function clientMetadata(settings: ProviderSettings): ClientMetadata[] {
  const { clients, resourceScopes } = settings;
  return [
    resourceServerClient(clients.basic, 'client_secret_basic'),
    resourceServerClient(clients.post, 'client_secret_post'),
    resourceServerClient(clients.special, 'client_secret_basic'),
    {
      client_id: clients.none.clientId,
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
    },
    ...[clients.m2m, clients.m2mJwt, clients.m2m2].map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: resourceScopes.join(' '),
    })),
    {
      client_id: clients.public.clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [...clients.public.redirectUris],
      scope: [...OIDC_SCOPES, ...resourceScopes].join(' '),
    },
  ];
}

/**
 * Builds the provider configuration: opaque tokens (RFC 9068 JWTs for `jwtResources` and for
 * the `m2mJwt` client),
 * introspection, resource indicators.
 */
export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { clients, resourceScopes, accessTokenTtlSeconds, jwtResources, dpop } = settings;
  const resourceServers = new Set([clients.basic, clients.post, clients.special, clients.none]);
  const introspectors = new Set([...resourceServers].map((client) => client.clientId));
  const ttl = (): number => accessTokenTtlSeconds;
  return {
    clients: clientMetadata(settings),
    scopes: [...OIDC_SCOPES, ...resourceScopes],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    clientBasedCORS: () => true,
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      IdToken: 3600,
      RefreshToken: 86_400,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: dpop === true },
      registration: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        // Resource-server clients may introspect any token; others only their own.
        allowedPolicy: (_ctx, client, token) =>
          introspectors.has(client.clientId) || token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator, client) => ({
          scope: resourceScopes.join(' '),
          audience: resourceIndicator,
          accessTokenFormat:
            client.clientId === clients.m2mJwt.clientId || jwtResources?.(resourceIndicator)
              ? 'jwt'
              : 'opaque',
          accessTokenTTL: accessTokenTtlSeconds,
        }),
      },
    },
  };
}
