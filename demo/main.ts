/**
 * The demo's command line, run from a clone with `npm run demo` (through tsx; never part of the
 * package).
 *
 * @module
 */

import { parseArgs } from 'node:util';
import { colourEnabled } from './transcript.js';

const USAGE = `Usage: mcp-authflow-resource <command> [options]

Commands:
  demo    run an authorization server, a protected MCP server and an MCP client end to end

Options of demo:
  --serve        keep both servers running after the demo (until Ctrl-C) and print how to try them
  --port <n>     port of the MCP server (default: a random free port)
  --sdk <v1|v2>  MCP SDK line of the protected server (default: v1)
  -h, --help     show this help
`;

/** Deadline of the scripted demo; it normally takes a few seconds. */
const DEMO_TIMEOUT_MS = 50_000;
/** How long to wait for open handles to drain after the command is done. */
const EXIT_GRACE_MS = 2000;

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}`);
  return 2;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return 0;
  const port = Number(value);
  return /^\d+$/.test(value) && port <= 65_535 ? port : undefined;
}

async function demo(args: readonly string[]): Promise<number> {
  let values: { serve?: boolean; port?: string; sdk?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        serve: { type: 'boolean' },
        port: { type: 'string' },
        sdk: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = parsePort(values.port);
  if (port === undefined) return usageError(`Invalid --port: ${values.port}`);
  const sdk = values.sdk ?? 'v1';
  if (sdk !== 'v1' && sdk !== 'v2') return usageError(`Invalid --sdk: ${sdk} (v1 or v2)`);
  const { runDemo } = await import('./demo.js');
  return runDemo({
    serve: values.serve === true,
    port,
    sdk,
    out: process.stdout,
    err: process.stderr,
    colour: colourEnabled(process.stdout, process.env),
    timeoutMs: DEMO_TIMEOUT_MS,
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'demo') return demo(rest);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  return usageError(`Unknown command: ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
  },
);
