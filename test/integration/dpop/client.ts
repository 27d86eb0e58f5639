/**
 * Test fixture: a DPoP client made of `oauth4webapi` (the real client library): client
 * credentials with a DPoP proof to the in-process oidc-provider, protected resource requests that
 * retry once on `use_dpop_nonce`, and a `fetch` the SDK's MCP client transport can use.
 */
import * as oauth from 'oauth4webapi';
import type { AuthServer } from '../../helpers/auth-server.js';

type KeyPair = Awaited<ReturnType<typeof oauth.generateKeyPair>>;
type HeadersInit = ConstructorParameters<typeof Headers>[0];

export interface DpopClient {
  readonly keyPair: KeyPair;
  readonly handle: oauth.DPoPHandle;
  /** RFC 7638 thumbprint of the client's public key. */
  readonly jkt: string;
  /** A DPoP-bound access token for `resource`. */
  token(resource: string): Promise<string>;
  /** `tools/call whoami` with a proof; one retry on `use_dpop_nonce`. */
  callTool(url: string, token: string, options?: { retry?: boolean }): Promise<Response>;
  /** A `fetch` that sends every request with `token` and a fresh proof (retrying on a nonce). */
  fetchWith(token: string): typeof fetch;
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;

async function withNonceRetry<T>(retry: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!retry || !oauth.isDPoPNonceError(err)) throw err;
    return fn();
  }
}

const toolCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
});

/** Creates a client with a fresh key pair (`alg`: ES256 by default). */
export async function dpopClient(as: AuthServer, alg = 'ES256'): Promise<DpopClient> {
  const server: oauth.AuthorizationServer = { issuer: as.issuer, token_endpoint: as.tokenEndpoint };
  const client: oauth.Client = { client_id: as.clients.m2m.clientId };
  const auth = oauth.ClientSecretBasic(as.clients.m2m.clientSecret);
  const keyPair = await oauth.generateKeyPair(alg, { extractable: true });
  const handle = oauth.DPoP(client, keyPair);
  const jkt = await handle.calculateThumbprint();
  const request = (
    url: string,
    token: string,
    method: string,
    body?: string,
    extra?: HeadersInit,
  ) =>
    oauth.protectedResourceRequest(
      token,
      method,
      new URL(url),
      new Headers(
        extra ?? {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      ),
      body,
      { DPoP: handle, ...insecure },
    );
  return {
    keyPair,
    handle,
    jkt,
    async token(resource) {
      const params = { scope: 'read write', resource };
      return withNonceRetry(true, async () => {
        const response = await oauth.clientCredentialsGrantRequest(server, client, auth, params, {
          DPoP: handle,
          ...insecure,
        });
        const result = await oauth.processClientCredentialsResponse(server, client, response);
        if (result.token_type !== 'dpop') throw new Error(`token_type ${result.token_type}`);
        return result.access_token;
      });
    },
    callTool: (url, token, options = {}) =>
      withNonceRetry(options.retry ?? true, () => request(url, token, 'POST', toolCall)),
    fetchWith(token) {
      return async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const headers = new Headers(init?.headers);
        headers.delete('authorization');
        const body = typeof init?.body === 'string' ? init.body : undefined;
        const method = init?.method ?? 'GET';
        return withNonceRetry(true, async () => {
          try {
            return await request(url, token, method, body, headers);
          } catch (err) {
            // The SDK reads the refusal itself; give it the response when it is not a nonce.
            if (
              err instanceof oauth.WWWAuthenticateChallengeError &&
              !oauth.isDPoPNonceError(err)
            ) {
              return err.response;
            }
            throw err;
          }
        });
      };
    },
  };
}
