/**
 * Test fixture (never imported by the library): the handlers the in-process authorization
 * server adds next to `oidc-provider`: an automatic login + consent interaction (for the
 * browserless authorization code + PKCE flow) and a `bearer` introspection front door.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { FixtureClient } from './auth-provider.js';

/**
 * Finishes any interaction without a user: logs `accountId` in, then grants every requested
 * OIDC scope, claim and resource scope.
 */
export async function autoInteraction(
  provider: Provider,
  accountId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  const { prompt, params, session, grantId } = interaction;
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId } });
    return;
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({
        accountId: session?.accountId ?? accountId,
        clientId: `${params.client_id}`,
      });
  if (!grant) throw new Error('grant not found');
  const details = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const savedId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: grantId ? {} : { grantId: savedId } },
    { mergeWithLastSubmission: true },
  );
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The `bearer` introspection front door. `oidc-provider` only accepts client authentication at
 * its introspection endpoint, while RFC 7662 §2.1 also allows a protected resource to present a
 * bearer credential. This handler accepts `Authorization: Bearer <bearerToken>` and forwards the
 * form body to the real introspection endpoint as the `upstream` resource-server client.
 */
export async function bearerIntrospection(
  settings: { bearerToken: string; introspectionEndpoint: string; upstream: FixtureClient },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readAll(req);
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'invalid_request' });
    return;
  }
  if (req.headers.authorization !== `Bearer ${settings.bearerToken}`) {
    sendJson(res, 401, { error: 'invalid_client' });
    return;
  }
  const form = new URLSearchParams(body);
  form.delete('client_id');
  form.set('client_id', settings.upstream.clientId);
  form.set('client_secret', settings.upstream.clientSecret);
  const upstream = await fetch(settings.introspectionEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  res.writeHead(upstream.status, {
    'content-type': upstream.headers.get('content-type') ?? 'application/json',
  });
  res.end(await upstream.text());
}
