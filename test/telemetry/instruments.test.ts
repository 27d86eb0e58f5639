import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AuthflowError,
  IntrospectionUnavailableError,
  TokenRejectedError,
} from '../../src/errors.js';
import { loadOpenTelemetryApi, openTelemetryApi } from '../../src/telemetry/api.js';
import { authOutcomeOf, countAuthOutcomes } from '../../src/telemetry/gate.js';
import { observeJwksFetch } from '../../src/telemetry/jwks.js';
import { recordJwksFetch, recordVerification } from '../../src/telemetry/metrics.js';
import { errorType, withClientSpan } from '../../src/telemetry/spans.js';
import { observeIntrospection, observeVerification } from '../../src/telemetry/verification.js';
import { counts, registerTestSdk, type TestSdk } from './_otel.js';

let sdk: TestSdk | undefined;
afterAll(async () => sdk?.shutdown());

function refused(status: number, error: string) {
  return { ok: false as const, response: { status, error } };
}

describe('loadOpenTelemetryApi', () => {
  it('loads the installed api once, and refuses a missing or too old one', () => {
    expect(openTelemetryApi()).toBe(openTelemetryApi());
    expect(typeof openTelemetryApi()?.metrics.getMeterProvider).toBe('function');
    expect(
      loadOpenTelemetryApi(() => {
        throw new Error('Cannot find module');
      }),
    ).toBeUndefined();
    expect(loadOpenTelemetryApi(() => ({ trace: {} }))).toBeUndefined();
    expect(loadOpenTelemetryApi(() => undefined)).toBeUndefined();
    expect(
      loadOpenTelemetryApi(() => ({ metrics: { getMeterProvider() {} }, trace: {} })),
    ).toBeUndefined();
  });
});

describe('authOutcomeOf', () => {
  it('maps every gate verdict to one outcome of DESIGN §6.4', () => {
    expect(authOutcomeOf({ ok: true })).toBe('allowed');
    expect(authOutcomeOf(refused(401, 'unauthorized'))).toBe('missing_token');
    expect(authOutcomeOf(refused(401, 'invalid_token'))).toBe('invalid_token');
    expect(authOutcomeOf(refused(401, 'invalid_dpop_proof'))).toBe('invalid_dpop_proof');
    expect(authOutcomeOf(refused(400, 'invalid_request'))).toBe('invalid_token');
    expect(authOutcomeOf(refused(403, 'insufficient_scope'))).toBe('insufficient_scope');
    expect(authOutcomeOf(refused(503, 'temporarily_unavailable'))).toBe('unavailable');
    expect(authOutcomeOf(refused(500, 'server_error'))).toBe('unavailable');
  });

  it('keeps the wrapped gate name', () => {
    const gate = countAuthOutcomes(async function bearerGate(_: unknown) {
      return { ok: true as const };
    });
    expect(gate.name).toBe('bearerGate');
  });
});

describe('errorType', () => {
  it('prefers the cause code, then the own code, then the class name', () => {
    const timeout = new AuthflowError('ERR_HTTP_TIMEOUT', 'timed out');
    expect(errorType(new IntrospectionUnavailableError('x', { cause: timeout }))).toBe(
      'ERR_HTTP_TIMEOUT',
    );
    expect(errorType(new IntrospectionUnavailableError('x', { cause: new Error('raw') }))).toBe(
      'ERR_INTROSPECTION_UNAVAILABLE',
    );
    expect(errorType(new RangeError('secret-in-message'))).toBe('RangeError');
    expect(errorType('string')).toBe('_OTHER');
    expect(errorType(null)).toBe('_OTHER');
  });
});

describe('with an SDK registered (and registered again)', () => {
  it('creates instruments lazily for each new global provider', async () => {
    sdk = registerTestSdk();
    recordJwksFetch('ok');
    const first = sdk;
    sdk = registerTestSdk();
    recordJwksFetch('error');
    recordJwksFetch('ok');
    const m = await sdk.metrics();
    expect(counts(m.get('mcp_authflow.jwks.fetches'))).toEqual({
      'mcp_authflow.jwks.result=ok': 1,
      'mcp_authflow.jwks.result=error': 1,
    });
    expect(m.get('mcp_authflow.jwks.fetches')?.descriptor.unit).toBe('{fetch}');
    await first.reader.shutdown().catch(() => undefined);
  });

  it('counts JWT verifications with the probe and classifies rejections', async () => {
    await observeVerification('jwt', async (probe) => {
      probe.cache = 'hit';
      return 1;
    });
    await expect(
      observeVerification('jwt', async () => {
        throw new TokenRejectedError('ERR_TOKEN_EXPIRED', 'expired');
      }),
    ).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(
      observeVerification('jwt', async () => {
        throw new AuthflowError('ERR_METADATA_UNAVAILABLE', 'down');
      }),
    ).rejects.toBeInstanceOf(AuthflowError);
    recordVerification({ method: 'jwt', result: 'active', cache: 'hit' });
    const m = await sdk!.metrics();
    const p = 'mcp_authflow.cache.result';
    const q = 'mcp_authflow.verification.method=jwt,mcp_authflow.verification.result';
    expect(counts(m.get('mcp_authflow.token.verifications'))).toEqual({
      [`${p}=hit,${q}=active`]: 2,
      [`${p}=miss,${q}=inactive`]: 1,
      [`${p}=miss,${q}=error`]: 1,
    });
  });

  it('spans a round trip: a token verdict is not an error, a failure is', async () => {
    sdk!.spans.reset();
    let t = 0;
    const clock = () => (t += 250);
    await observeIntrospection(async () => ({ active: false }), clock);
    await expect(
      observeIntrospection(async () => {
        throw new TokenRejectedError('ERR_TOKEN_MALFORMED', 'bad');
      }, clock),
    ).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(
      withClientSpan('mcp_authflow.jwks.fetch', () => {
        throw new SyntaxError('sync');
      }),
    ).rejects.toBeInstanceOf(SyntaxError);
    await expect(withClientSpan('mcp_authflow.jwks.fetch', async () => 1)).resolves.toBe(1);
    const [inactive, verdict, sync, plain] = sdk!.finished();
    expect(plain?.status.code).toBe(SpanStatusCode.UNSET);
    expect(inactive?.attributes).toEqual({ 'mcp_authflow.introspection.result': 'inactive' });
    expect(verdict?.status.code).toBe(SpanStatusCode.UNSET);
    expect(verdict?.attributes['error.type']).toBeUndefined();
    expect(sync?.name).toBe('mcp_authflow.jwks.fetch');
    expect(sync?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'SyntaxError' });
    const m = await sdk!.metrics();
    const duration = m.get('mcp_authflow.introspection.duration');
    expect(counts(duration)).toEqual({ 'mcp_authflow.introspection.result=inactive': 2 });
    expect((duration!.dataPoints[0]!.value as { sum: number }).sum).toBeCloseTo(0.5);
  });

  it('spans and counts JWKS fetches', async () => {
    sdk!.spans.reset();
    await expect(observeJwksFetch(async () => ({ keys: [] }))).resolves.toEqual({ keys: [] });
    const timeout = new AuthflowError('ERR_HTTP_TIMEOUT', 'timed out');
    await expect(
      observeJwksFetch(async () => {
        throw new AuthflowError('ERR_METADATA_UNAVAILABLE', 'x', { cause: timeout });
      }),
    ).rejects.toBeInstanceOf(AuthflowError);
    const [ok, failed] = sdk!.finished();
    expect(ok?.name).toBe('mcp_authflow.jwks.fetch');
    expect(ok?.kind).toBe(SpanKind.CLIENT);
    expect(failed?.attributes['error.type']).toBe('ERR_HTTP_TIMEOUT');
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    const m = await sdk!.metrics();
    expect(counts(m.get('mcp_authflow.jwks.fetches'))).toEqual({
      'mcp_authflow.jwks.result=ok': 2,
      'mcp_authflow.jwks.result=error': 2,
    });
  });
});
