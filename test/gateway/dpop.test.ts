import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/config/error.js';
import { loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { runGateway } from '../../src/gateway/run.js';
import { createNonceSource } from '../../src/http/dpop/nonce.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freePort } from '../helpers/everything-server.js';
import { proofKey, signProof } from '../http/dpop/_proofs.js';

const BASE = ['--upstream', 'http://127.0.0.1:1/mcp', '--issuer', 'http://127.0.0.1:2'];

function dpopOf(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const loaded = loadGatewayConfig([...BASE, ...argv], env);
  if (loaded.help) throw new Error('help');
  return loaded.config.dpop;
}

describe('gateway --dpop', () => {
  it('is off by default and reads allowed|required from a flag or AUTHFLOW_DPOP', () => {
    expect(dpopOf([])).toBeUndefined();
    expect(dpopOf(['--dpop', 'allowed'])).toBe('allowed');
    expect(dpopOf(['--dpop=required'])).toBe('required');
    expect(dpopOf([], { AUTHFLOW_DPOP: 'required' })).toBe('required');
    expect(dpopOf(['--dpop', 'allowed'], { AUTHFLOW_DPOP: 'required' })).toBe('allowed');
  });

  it('refuses any other value, naming the field', () => {
    for (const bad of ['', 'yes', 'Required', 'true', 'off']) {
      let field: string | undefined;
      try {
        dpopOf(['--dpop', bad]);
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayConfigError);
        field = (err as GatewayConfigError).field;
      }
      expect(field, bad).toBe('--dpop');
    }
  });

  it('required: the metadata says so, and a Bearer token is refused with a DPoP challenge before the upstream', async () => {
    const port = await freePort();
    const loaded = loadGatewayConfig(
      [...BASE, '--allow-localhost', '--port', String(port), '--dpop', 'required'],
      {},
    );
    if (loaded.help) throw new Error('help');
    const running = await runGateway(loaded.config, { logger: silentLogger });
    try {
      const prm = await fetch(`${running.origin}/.well-known/oauth-protected-resource/mcp`);
      expect(await prm.json()).toMatchObject({ dpop_bound_access_tokens_required: true });
      const none = await fetch(`${running.origin}/mcp`, { method: 'POST' });
      expect(none.status).toBe(401);
      const challenge = none.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toMatch(/DPoP algs="/);
      const wrongScheme = await fetch(`${running.origin}/mcp`, {
        method: 'POST',
        headers: { authorization: 'DPoP abc.def.ghi', 'content-type': 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      });
      expect(wrongScheme.status).toBeGreaterThanOrEqual(400);
      expect(wrongScheme.status).toBeLessThan(402);
      expect(wrongScheme.headers.get('www-authenticate') ?? '').toMatch(/DPoP/);
    } finally {
      await running.close();
    }
  });

  it('--dpop-nonce: a proof without a nonce gets use_dpop_nonce and a nonce of the shared secret', async () => {
    const secret = 'replicas-share-this-secret';
    const port = await freePort();
    const loaded = loadGatewayConfig(
      [...BASE, '--allow-localhost', '--port', String(port), '--dpop', 'allowed', '--dpop-nonce'],
      { AUTHFLOW_DPOP_NONCE_SECRET: secret },
    );
    if (loaded.help) throw new Error('help');
    const running = await runGateway(loaded.config, { logger: silentLogger });
    try {
      const url = `${running.origin}/mcp`;
      const dpop = await signProof(await proofKey('ES256'), { htu: url, token: 'abc.def.ghi' });
      const answer = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'DPoP abc.def.ghi', dpop, 'content-type': 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate') ?? '').toMatch(/error="use_dpop_nonce"/);
      const nonce = answer.headers.get('dpop-nonce');
      expect(createNonceSource(secret, 300_000, Date.now).accepts(nonce)).toBe(true);
    } finally {
      await running.close();
    }
  });
});
