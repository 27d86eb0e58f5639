/**
 * Test helper: an SDK `OAuthClientProvider` for the authorization code + PKCE flow that needs no
 * browser. `redirectToAuthorization` follows the authorization server's redirects with a small
 * cookie jar through the fixture's automatic login + consent, and keeps the `code` that reaches
 * the redirect URI; the test then calls `transport.finishAuth(provider.takeCode())`.
 *
 * @module
 */

import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

const MAX_REDIRECTS = 20;

/** A browserless public PKCE client registered in the fixture. */
export class BrowserlessPkceProvider implements OAuthClientProvider {
  readonly #clientId: string;
  readonly #redirectUrl: string;
  readonly #cookies = new Map<string, string>();
  #tokens: OAuthTokens | undefined;
  #verifier: string | undefined;
  #code: string | undefined;
  /** Every authorization URL visited (to assert on `scope` and `resource`). */
  readonly authorizationUrls: URL[] = [];

  constructor(clientId: string, redirectUrl: string) {
    this.#clientId = clientId;
    this.#redirectUrl = redirectUrl;
  }

  get redirectUrl(): string {
    return this.#redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'browserless-test-client',
      redirect_uris: [this.#redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return { client_id: this.#clientId };
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    if (this.#verifier === undefined) throw new Error('no code verifier saved');
    return this.#verifier;
  }

  /** The code received by the last authorization; it can be used once. */
  takeCode(): string {
    const code = this.#code;
    this.#code = undefined;
    if (code === undefined) throw new Error('no authorization code received');
    return code;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizationUrls.push(new URL(authorizationUrl));
    let url = authorizationUrl.href;
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      if (url.startsWith(this.#redirectUrl)) {
        const params = new URL(url).searchParams;
        const code = params.get('code');
        if (code === null) throw new Error(`authorization failed: ${params.get('error')}`);
        this.#code = code;
        return;
      }
      const response = await fetch(url, { redirect: 'manual', headers: this.#cookieHeader() });
      this.#storeCookies(response.headers.getSetCookie());
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null)
        throw new Error(`no redirect from the authorization server (${response.status})`);
      url = new URL(location, url).href;
    }
    throw new Error('too many redirects');
  }

  #cookieHeader(): Record<string, string> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return cookie === '' ? {} : { cookie };
  }

  #storeCookies(lines: string[]): void {
    for (const line of lines) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}
