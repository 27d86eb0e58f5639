#!/usr/bin/env node
/**
 * The `mcp-authflow-resource` command.
 *
 * @module
 */

const USAGE = `Usage: mcp-authflow-resource <command>

Commands:
  demo    run an authorization server, a protected MCP server and an MCP client end to end
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === 'demo') {
    process.stdout.write('The demo is not yet available.\n');
    return 0;
  }
  process.stderr.write(USAGE);
  return command === undefined || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
