/**
 * The one error the gateway's configuration raises: it names the field, and the CLI turns it
 * into exit code 2.
 *
 * @module
 * @internal
 */

/** A configuration value that cannot be used; `field` names it as the user wrote it. */
export class GatewayConfigError extends Error {
  /** Exit code of the CLI for a configuration error. */
  readonly exitCode = 2;
  /** The flag, environment variable or config-file key at fault (`--port`, `AUTHFLOW_PORT`). */
  readonly field: string;

  /**
   * @param field - The field as the user wrote it.
   * @param problem - What is wrong with it (never the value of a secret).
   */
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'GatewayConfigError';
    this.field = field;
  }
}
