/** Issue 11 §5: friction keys — client_id, else sub, else a hash of the token; never unlimited. */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { describe, expect, it } from 'vitest';
import { frictionKey } from '../../src/friction/client-key.js';

const auth = (over: Partial<AuthInfo> & { claims?: object; subject?: string }): AuthInfo => ({
  token: over.token ?? 'tok-a',
  clientId: over.clientId ?? 'unknown',
  scopes: [],
  extra: { subject: over.subject, claims: over.claims ?? {} },
});

describe('frictionKey', () => {
  it('clientId order: client, else sub, else token hash', () => {
    expect(frictionKey(auth({ clientId: 'app', claims: { client_id: 'app' } }), 'clientId')).toBe(
      'app',
    );
    expect(frictionKey(auth({ subject: 'alice' }), 'clientId')).toBe('sub:alice');
    expect(frictionKey(auth({ claims: { sub: 'bob' } }), 'clientId')).toBe('sub:bob');
    const a = frictionKey(auth({ token: 'tok-a' }), 'clientId');
    const b = frictionKey(auth({ token: 'tok-b' }), 'clientId');
    expect(a).toMatch(/^token:[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('tok-a');
  });

  it('a client really named "unknown" (claims say so) keeps its name', () => {
    expect(frictionKey(auth({ claims: { client_id: 'unknown' } }), 'clientId')).toBe('unknown');
  });

  it('subject order: sub, else client, else token hash — never unlimited', () => {
    expect(frictionKey(auth({ subject: 'alice', clientId: 'app' }), 'subject')).toBe('sub:alice');
    expect(frictionKey(auth({ clientId: 'app' }), 'subject')).toBe('app');
    expect(frictionKey(auth({}), 'subject')).toMatch(/^token:/);
  });

  it('a keyBy function falls back to the clientId order; no token at all → undefined', () => {
    expect(frictionKey(auth({ clientId: 'app' }), () => 'tenant-1')).toBe('tenant-1');
    expect(frictionKey(auth({ clientId: 'app' }), () => undefined)).toBe('app');
    expect(frictionKey(auth({ token: '' }), 'clientId')).toBeUndefined();
  });
});
