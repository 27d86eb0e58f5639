/**
 * The demo's last step: an agent spams `delete_task` and friction control holds it back, level
 * by level, until the call is refused.
 *
 * @module
 * @internal
 */

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FrictionLevel } from '../src/index.js';
import type { DemoFlowContext } from './demo-context.js';
import { resultText } from './transcript.js';

/** Upper bound on the spam loop (the demo's config blocks after about 27 calls). */
const MAX_CALLS = 60;
const LEVELS: readonly FrictionLevel[] = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'BLOCKED'];

interface Row {
  readonly call: number;
  readonly friction: number;
  readonly level: FrictionLevel;
  readonly blocked: boolean;
  readonly text: string;
}

async function levelNow(ctx: DemoFlowContext, clientKey: string) {
  const status = await ctx.mcp.registry.getClientStatus(clientKey);
  const tool = status?.delete_task;
  return { friction: tool?.friction ?? 0, level: tool?.level ?? ('NONE' as FrictionLevel) };
}

function printRow(ctx: DemoFlowContext, row: Row): void {
  const { out } = ctx;
  const style = row.blocked
    ? 'red'
    : row.level === 'NONE' || row.level === 'LOW'
      ? 'green'
      : 'yellow';
  const call = String(row.call).padStart(4);
  const level = out.paint(style, row.level.padEnd(7));
  out.detail(`${call}   ${row.friction.toFixed(3)}   ${level}  ${row.text}`);
}

/** Distinct levels in the order first seen. */
function climb(rows: readonly Row[]): FrictionLevel[] {
  const seen: FrictionLevel[] = [];
  for (const row of rows) if (seen.at(-1) !== row.level) seen.push(row.level);
  return seen;
}

/**
 * Calls `delete_task` until friction refuses it, printing the friction level after each call.
 *
 * @throws DemoCheckError when the levels do not climb to BLOCKED as expected.
 */
export async function frictionSpam(ctx: DemoFlowContext, client: Client): Promise<void> {
  const { out, mcp } = ctx;
  const clientKey = ctx.client.clientId;
  out.step('Spamming delete_task until friction control blocks it');
  out.note(
    `delete_task may take 5 % of this client's calls (warm-up 0); friction after each call:`,
  );
  out.detail(out.paint('dim', 'call   friction  level    result'));
  const start = await levelNow(ctx, clientKey);
  const rows: Row[] = [{ call: 0, ...start, blocked: false, text: '(before the first call)' }];
  printRow(ctx, rows[0] as Row);
  const ids = [...mcp.tasks.keys()].filter((id) => id > 3);
  for (let call = 1; call <= MAX_CALLS; call++) {
    const before = mcp.tasks.size;
    const result = await client.callTool({ name: 'delete_task', arguments: { id: ids[call - 1] } });
    const now = await levelNow(ctx, clientKey);
    const blocked = result.isError === true && mcp.tasks.size === before;
    const row = { call, ...now, blocked, text: resultText(result) };
    rows.push(row);
    printRow(ctx, row);
    if (blocked) break;
  }
  const levels = climb(rows);
  const last = rows.at(-1) as Row;
  out.detail(`levels: ${levels.join(' → ')}`);
  const block = ctx.events.find((e) => e.event_type === 'friction_block');
  if (block !== undefined) out.note(`event logged by the server: ${JSON.stringify(block)}`);
  out.check(
    levels.length === LEVELS.length && levels.every((l, i) => l === LEVELS[i]),
    'friction climbed NONE → LOW → MEDIUM → HIGH → BLOCKED',
  );
  out.check(
    last.blocked && last.text.includes("Tool 'delete_task' is temporarily rate-limited"),
    `call ${last.call} was refused with an MCP error result; the tool did not run`,
  );
  out.check(block?.allowed === false, 'a structured friction_block event was logged');
}
