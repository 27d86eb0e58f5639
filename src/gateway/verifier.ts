/**
 * The gateway's token verifier from its configuration: JWT (`--issuer`), introspection
 * (`--introspection-endpoint`) or both (JWT-shaped tokens to JWT, the others to introspection).
 *
 * @module
 * @internal
 */

import type { Store } from '../store/types.js';
import type { Logger } from '../types.js';
import { CompositeTokenVerifier } from '../verify/composite.js';
import { IntrospectionTokenVerifier } from '../verify/introspection/verifier.js';
import { JwtTokenVerifier } from '../verify/jwt/verifier.js';
import { createSharedIntrospectionCache } from '../verify/redis-cache.js';
import type { GatewayConfig } from './config/resolve.js';

/** A verifier the gateway can close. */
export type GatewayVerifier =
  | JwtTokenVerifier
  | IntrospectionTokenVerifier
  | CompositeTokenVerifier;

/**
 * Builds the verifier of `config`.
 *
 * @param config - The gateway configuration.
 * @param logger - The gateway's logger.
 * @param store - A shared store (`--redis`): introspection verdicts are shared through it.
 */
export function createGatewayVerifier(
  config: GatewayConfig,
  logger: Logger,
  store: Store | undefined,
): GatewayVerifier {
  const common = { serverUrl: config.publicUrl, allowLocalhost: config.allowLocalhost, logger };
  const jwt =
    config.issuers.length === 0
      ? undefined
      : new JwtTokenVerifier({ ...common, issuer: [...config.issuers] });
  const i = config.introspection;
  const introspection =
    i === undefined
      ? undefined
      : new IntrospectionTokenVerifier({
          ...common,
          introspectionEndpoint: i.endpoint,
          ...(i.clientId === undefined ? {} : { clientId: i.clientId }),
          ...(i.clientSecret === undefined ? {} : { clientSecret: i.clientSecret }),
          clientAuthMethod: i.clientAuthMethod,
          ...(store === undefined
            ? {}
            : { cache: { store: createSharedIntrospectionCache({ store }) } }),
        });
  if (jwt !== undefined && introspection !== undefined) {
    return new CompositeTokenVerifier({ jwt, introspection });
  }
  return (jwt ?? introspection) as GatewayVerifier;
}
