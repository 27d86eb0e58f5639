/**
 * The environment a stdio server inherits from the gateway.
 *
 * @module
 * @internal
 */

/** The gateway's own variables (client secret, Redis URL, …) start with this, in any case. */
const GATEWAY_PREFIX = /^authflow_/i;

/**
 * A copy of `env` without the gateway's own `AUTHFLOW_*` variables (DESIGN §6.5): the stdio
 * server is somebody else's code and must not see the gateway's secrets.
 *
 * @param env - The gateway's environment.
 * @returns A new object; `env` is not modified.
 */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !GATEWAY_PREFIX.test(name)) out[name] = value;
  }
  return out;
}
