/**
 * Test helper: runs the authorization code + PKCE flow against the fixture authorization server
 * without a browser (manual redirects, a small cookie jar, the automatic interaction).
 *
 * @module
 */

import { createHash, randomBytes } from 'node:crypto';

/** Options of {@link runPkceFlow}. */
export interface PkceFlowOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly resource?: string;
}

/** The token endpoint's answer. */
export interface PkceTokens {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
}

const MAX_REDIRECTS = 10;

async function followToCallback(start: string, redirectUri: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < MAX_REDIRECTS; hop += 1) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (!location) throw new Error(`authorization flow stopped with HTTP ${res.status}`);
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return next;
    url = next.href;
  }
  throw new Error('too many redirects in the authorization flow');
}

/**
 * Runs authorization code + PKCE (S256) for a public client and returns the tokens.
 *
 * @throws `Error` when the flow does not end at `redirectUri` with a code
 */
export async function runPkceFlow(options: PkceFlowOptions): Promise<PkceTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const auth = new URL(`${options.issuer}/auth`);
  const params: Record<string, string> = {
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...(options.resource ? { resource: options.resource } : {}),
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  const callback = await followToCallback(auth.href, options.redirectUri);
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) {
    throw new Error(
      `no code in callback: ${callback.searchParams.get('error') ?? 'state mismatch'}`,
    );
  }
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: options.redirectUri,
    code_verifier: verifier,
    client_id: options.clientId,
    ...(options.resource ? { resource: options.resource } : {}),
  });
  const res = await fetch(`${options.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const body = (await res.json()) as PkceTokens & { error?: string };
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${body.error}`);
  return body;
}
