/**
 * `ipaddr.js` for ESM: it is CommonJS without named-export hints, so Node exposes it only as the
 * default export, while `verbatimModuleSyntax` without `allowSyntheticDefaultImports` only lets
 * TypeScript see the namespace. This module bridges the two once.
 *
 * @module
 * @internal
 */

import * as ipaddrNamespace from 'ipaddr.js';

type IpAddrModule = typeof ipaddrNamespace;

/* v8 ignore start -- the `??` fallback runs only under a bundler that adds named exports */
/** The `ipaddr.js` API. */
export const ipaddr: IpAddrModule =
  (ipaddrNamespace as unknown as { default?: IpAddrModule }).default ?? ipaddrNamespace;
/* v8 ignore stop */

export type { IPv4, IPv6 } from 'ipaddr.js';
