/**
 * PLACEHOLDER (branch `gateway`): the real module comes from branch `gateway-stdio`; drop this
 * file at merge.
 *
 * @module
 * @internal
 */

import type { Logger } from '../../types.js';

/** Options of {@link startStdioUpstream}. */
export interface StdioUpstreamOptions {
  readonly command: string;
  readonly maxSessions?: number;
  readonly idleTimeoutMs?: number;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** A running stdio bridge. */
export interface StdioUpstream {
  readonly url: string;
  close(): Promise<void>;
}

/** Placeholder: always rejects. */
export function startStdioUpstream(_options: StdioUpstreamOptions): Promise<StdioUpstream> {
  return Promise.reject(new Error('stdio upstreams are not in this build'));
}
