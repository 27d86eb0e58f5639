/**
 * With only the api's no-op meter provider (nothing registered), the record functions tally
 * nothing and create no instruments; a provider registered later is seen by the next record.
 */

import { createNoopMeter, metrics } from '@opentelemetry/api';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  recordAuthRequest,
  recordFrictionDecision,
  recordJwksFetch,
  recordVerification,
} from '../../src/telemetry/metrics.js';
import { countCacheHit } from '../../src/telemetry/verification.js';
import { counts, registerTestSdk, type TestSdk } from './_otel.js';

let sdk: TestSdk | undefined;
afterEach(() => vi.restoreAllMocks());
afterAll(async () => sdk?.shutdown());

function recordOneOfEach(): void {
  recordAuthRequest('allowed');
  recordVerification({ method: 'introspection', result: 'active', cache: 'miss' });
  countCacheHit('introspection');
  recordFrictionDecision({ toolName: 't', frictionLevel: 'NONE', allowed: true }, true);
  recordJwksFetch('ok');
}

describe('without a registered meter provider', () => {
  it('creates no instrument on the no-op meter, then counts once a provider is registered', async () => {
    metrics.disable();
    const noop = createNoopMeter();
    const observable = vi.spyOn(noop, 'createObservableCounter');
    const counter = vi.spyOn(noop, 'createCounter');
    const histogram = vi.spyOn(noop, 'createHistogram');
    recordOneOfEach();
    recordOneOfEach();
    expect(observable).not.toHaveBeenCalled();
    expect(counter).not.toHaveBeenCalled();
    expect(histogram).not.toHaveBeenCalled();

    sdk = registerTestSdk();
    recordOneOfEach();
    const m = await sdk.metrics();
    expect(counts(m.get('mcp_authflow.auth.requests'))).toEqual({
      'mcp_authflow.auth.outcome=allowed': 1,
    });
    expect(counts(m.get('mcp_authflow.token.verifications'))).toEqual({
      'mcp_authflow.cache.result=miss,mcp_authflow.verification.method=introspection,mcp_authflow.verification.result=active': 1,
      'mcp_authflow.cache.result=hit,mcp_authflow.verification.method=introspection,mcp_authflow.verification.result=active': 1,
    });
    expect(counts(m.get('mcp_authflow.jwks.fetches'))).toEqual({
      'mcp_authflow.jwks.result=ok': 1,
    });
    expect(Object.values(counts(m.get('mcp_authflow.friction.decisions')))).toEqual([1]);

    // Back to the no-op provider: nothing more is tallied into the old instruments.
    metrics.disable();
    recordOneOfEach();
    const after = await sdk.metrics();
    expect(counts(after.get('mcp_authflow.auth.requests'))).toEqual({
      'mcp_authflow.auth.outcome=allowed': 1,
    });
    expect(observable).not.toHaveBeenCalled();
  });
});
