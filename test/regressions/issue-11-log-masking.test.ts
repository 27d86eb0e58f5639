/**
 * Issue 11 §4 through the real node:http and Express logging middlewares, gates and the SDK's
 * real transport (oidc-provider introspection): credentials the code has never heard of — in
 * header names fast-check makes up, query parameters, and anywhere in the JSON-RPC body — never
 * reach the log, whether the gate refuses the call (the tool never runs) or lets it through.
 */

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGGED_HEADERS } from '../../src/http/mask.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type CaptureLogger, captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { call, type Harness, startHarness } from './_gate-harness.js';

const MCP_URL = 'http://127.0.0.1/mcp';
/** Headers with a meaning to HTTP itself (framing, routing): not credentials, not generated. */
const HTTP_HEADERS =
  /^(content-|transfer-|proxy-|sec-|accept|te$|trailer|upgrade|expect|keep-alive|host$|connection$|authorization$|mcp-)/;

let as: AuthServer;
let verifier: IntrospectionTokenVerifier;
let harness: Harness;
let logs: CaptureLogger;
let readToken: string;

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read', 'write'] });
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: MCP_URL,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
  });
  readToken = await as.issueToken({ scope: 'read', resource: MCP_URL });
  logs = captureLogger();
  harness = await startHarness({ verifier, serverUrl: MCP_URL, logger: logs });
});

afterAll(async () => {
  await harness.close();
  await verifier.close();
  await as.close();
});

const secret = fc
  .stringMatching(/^[A-Za-z0-9._~-]{20,40}$/)
  .map((s) => `${s}${randomBytes(4).toString('hex')}`);
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,8}){0,2}$/)
  .filter((n) => !LOGGED_HEADERS.has(n) && !HTTP_HEADERS.test(n));
const fieldName = fc
  .stringMatching(/^[A-Za-z_$][A-Za-z0-9_$-]{0,30}$/)
  .filter((n) => !['jsonrpc', 'id', 'method', 'params', 'name', 'arguments', '_meta'].includes(n));

async function lastRecordOf(count: number): Promise<string> {
  await expect.poll(() => logs.records.length).toBe(count);
  return JSON.stringify(logs.records.at(-1));
}

describe.each(['node', 'express'] as const)('log masking through the %s adapter', (adapter) => {
  it('a refused write call: 403, the tool never ran, no credential logged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        headerName,
        fieldName,
        secret,
        secret,
        secret,
        async (header, field, inHeader, inQuery, inBody) => {
          const before = harness.runs.get('delete_task') ?? 0;
          const count = logs.records.length;
          const body = { ...call('delete_task', { [field]: inBody }), [field]: inBody };
          const res = await harness.send(adapter, readToken, body, {
            headers: { [header]: inHeader },
            query: `${field}=${inQuery};${inQuery}`,
          });
          expect(res.status).toBe(403);
          expect(harness.runs.get('delete_task') ?? 0).toBe(before);
          const text = await lastRecordOf(count + 1);
          for (const credential of [inHeader, inQuery, inBody, readToken]) {
            expect(text).not.toContain(credential);
          }
          expect(text).toContain('"status":403');
        },
      ),
      { numRuns: 15 },
    );
  });

  it('an allowed call: the tool runs, the log names the tool and masks the rest (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fieldName, secret, secret, async (field, inArgs, inMeta) => {
        const count = logs.records.length;
        const body = call('read_notes', { [field]: inArgs, nested: [{ [field]: inArgs }] });
        (body.params as Record<string, unknown>)._meta = { [field]: inMeta };
        (body.params as Record<string, unknown>)[field] = inMeta;
        const res = await harness.send(adapter, readToken, body);
        expect(res.status).toBe(200);
        expect(res.text).toContain('read_notes ran');
        const text = await lastRecordOf(count + 1);
        expect(text).not.toContain(inArgs);
        expect(text).not.toContain(inMeta);
        expect(text).not.toContain(readToken);
        expect(text).toContain('"method":"tools/call"');
        expect(text).toContain('"name":"read_notes"');
      }),
      { numRuns: 15 },
    );
  });
});
