import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { isWellFormedToken, MAX_TOKEN_LENGTH } from '../../src/verify/token-syntax.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const B64 = /^[A-Za-z0-9\-._~+/]+=*$/;

let server: FaultyServer;
let verifier: IntrospectionTokenVerifier;

beforeAll(async () => {
  server = await startFaultyServer();
  server.handle((_req, res) => json(res, 200, { active: true }));
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: server.url,
    validateResource: false,
    cache: false,
    logger: captureLogger(),
  });
});

afterAll(async () => {
  await verifier.close();
  await server.close();
});

describe('token pre-check (RFC 6750 b64token, ≤ 4096)', () => {
  it.each([
    ['abc', true],
    ['a.b-c_d~e+f/g', true],
    ['abc==', true],
    ['=', false],
    ['ab=c', false],
    ['', false],
    ['a b', false],
    ['a\nb', false],
    ['a,b', false],
    ['é', false],
    ['a'.repeat(MAX_TOKEN_LENGTH), true],
    ['a'.repeat(MAX_TOKEN_LENGTH + 1), false],
  ])('%j → %s', (token, expected) => {
    expect(isWellFormedToken(token)).toBe(expected);
  });

  it('non-strings are malformed', () => {
    for (const value of [undefined, null, 1, {}, ['abc']])
      expect(isWellFormedToken(value)).toBe(false);
  });

  it('anything outside the charset or too long → ERR_TOKEN_MALFORMED with no network call', async () => {
    const before = server.count;
    const bad = fc.oneof(
      fc.string({ unit: 'binary' }).filter((s) => !B64.test(s)),
      fc.stringMatching(/^[A-Za-z0-9]{4097,4200}$/),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (token) => {
        await expect(verifier.verifyAccessToken(token)).rejects.toMatchObject({
          code: 'ERR_TOKEN_MALFORMED',
          errorCode: 'invalid_token',
        });
        expect(await verifier.verifyToken(token)).toBeNull();
      }),
      { numRuns: 200 },
    );
    expect(server.count).toBe(before);
  });

  it('well-formed tokens do reach the server (the check is not vacuous)', async () => {
    const before = server.count;
    const good = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,64}=*$/);
    await fc.assert(
      fc.asyncProperty(good, async (token) => {
        await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ token });
      }),
      { numRuns: 20 },
    );
    expect(server.count - before).toBe(20);
  });
});
