/**
 * What the demo's scripted client steps share: the transcript, the server, the authorization
 * server's clients and what it has seen.
 *
 * @module
 * @internal
 */

import type { DemoServer } from './demo-server.js';
import type { Transcript } from './transcript.js';

/** What the scripted client needs. */
export interface DemoFlowContext {
  readonly out: Transcript;
  readonly mcp: DemoServer;
  /** Issuer of the authorization server. */
  readonly issuer: string;
  /** The machine-to-machine client registered at the authorization server (opaque tokens). */
  readonly client: DemoClient;
  /** A second machine-to-machine client, whose access tokens are RFC 9068 JWTs. */
  readonly jwtClient: DemoClient;
  /** Requests the authorization server's introspection endpoint has seen so far. */
  readonly introspectionCount: () => number;
  /** Friction events logged by the server so far. */
  readonly events: readonly Record<string, unknown>[];
}

/** Client credentials at the authorization server. */
export interface DemoClient {
  readonly clientId: string;
  readonly clientSecret: string;
}
