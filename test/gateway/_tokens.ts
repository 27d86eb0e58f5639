/**
 * Real tokens for the in-process gateway tests: the fixture oidc-provider issues RFC 9068 JWT
 * access tokens (DPoP-bound when the client sends a proof), and a `JwtTokenVerifier` checks them
 * for the gateway's public URL.
 */
import { exportJWK } from 'jose';
import { silentLogger } from '../../src/lib/logger.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import type { ProofKey } from '../http/dpop/_proofs.js';
import { dpopClient } from '../integration/dpop/client.js';

/** An authorization server and what the gateway tests take from it. */
export interface RealTokens {
  readonly as: AuthServer;
  /** The verifier of JWTs issued for `publicUrl` (close it with {@link RealTokens.close}). */
  verifier(publicUrl: string): JwtTokenVerifier;
  /** An unbound client-credentials token for `resource` with `scope`. */
  bearer(resource: string, scope?: string): Promise<string>;
  /** A DPoP-bound token for `resource` and the key its proofs must be signed with. */
  bound(resource: string): Promise<{ token: string; key: ProofKey }>;
  close(): Promise<void>;
}

/** Starts oidc-provider on 127.0.0.1 issuing JWT access tokens for every resource. */
export async function startRealTokens(): Promise<RealTokens> {
  const as = await startAuthServer({
    scopes: ['read', 'write'],
    dpop: true,
    jwtResources: () => true,
  });
  const verifiers: JwtTokenVerifier[] = [];
  return {
    as,
    verifier(publicUrl) {
      const v = new JwtTokenVerifier({
        issuer: as.issuer,
        serverUrl: publicUrl,
        allowLocalhost: true,
        logger: silentLogger,
      });
      verifiers.push(v);
      return v;
    },
    bearer: (resource, scope = 'read') => as.issueToken({ resource, scope }),
    async bound(resource) {
      const client = await dpopClient(as);
      const token = await client.token(resource);
      const jwk = await exportJWK(client.keyPair.publicKey);
      return { token, key: { alg: 'ES256', privateKey: client.keyPair.privateKey, jwk } };
    },
    async close() {
      await Promise.all(verifiers.map((v) => v.close()));
      await as.close();
    },
  };
}
