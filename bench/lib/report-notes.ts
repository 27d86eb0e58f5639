/**
 * The explanatory notes of the benchmark report: how to read the figures, and for each missed
 * target what the CPU profile showed when it was investigated.
 *
 * @module
 */

import type { BenchResults, TargetVerdict } from './report-types.js';

/** What the profile showed for a target, keyed by the target's name prefix. */
const WHY_MISSED: Readonly<Record<string, string>> = {
  'Gate overhead':
    'On a cached token the node:http and Express gates now decide without a promise (the node adapter’s only promise is the body read, as in the unprotected handler; Express calls `next()` in the same turn). `npx tsx bench/gate-node.ts` alone measured node 1.31–1.38× and Express ≈ 1.18× server CPU per request (was 1.7–2.1× on node). What is left (≈ 11 µs at load): ≈ 5 µs in the introspection verifier’s cached lookup (token syntax re-checked, the clock read three times, two maps per hit, the AuthInfo copied per request) and ≈ 5 µs in the rest of the gate; the one-shot SHA-256 key is already the cheapest safe derivation measured. Flat-out runs favour the faster server (more requests per event-loop turn), so req/s ratios vary between runs on 2 shared cores.',
  'FrictionRegistry (memory':
    'Issue 18 (blocked on the contract): DESIGN §3.5 updates every configured tool on every recorded call (EMA, friction through a dead zone and a clamp, group pressure; the adaptive loop moves every credit and gate), and bit-identity forbids replacing that with a lazy closed form, so the controller math alone (see its row) bounds the registry below `RateLimiterMemory`. Applied, bit-identical (test/friction/oracle.test.ts): one pass for adaptive credits, frictions and gates with one `exp` per call; packed state arrays; a direct step on the in-process store with a linked-list LRU (same eviction order); `recordUnconfigured` builds no result; friction texts without `toFixed` (exact); the decision counter without string keys.',
  'FrictionController decisions/s':
    'Both controllers are O(tools) per recorded call by DESIGN §3.5 (every tool’s EMA and friction, or credit, friction and gate); bit-identity forbids skipping the per-call arithmetic. Issue 18 is blocked on that decision.',
  'FrictionRegistry (Redis':
    'State layout 3: a header and exact doubles through one `struct.unpack`/`struct.pack` instead of cmsgpack, cheaper validation, constants folded into the script (Redis time per decision ≈ 60 → 43 µs adaptive, ≈ 55 → 35 µs proportional on a private redis-server). What is left (adaptive, cumulative per call, `bench/redis-script-profile.ts`): script set-up ≈ 8 µs, GET ≈ 11, decode and checks ≈ 18, step math ≈ 29, encode and SET ≈ 39; the step is O(tools) by contract (see the memory note). With 64 in flight Redis’s single thread is the bound.',
  'Redis round trips':
    'Commands are counted at the client: more than one per decision means the store sent a script load or a second command.',
};

/**
 * Notes under the tables: one paragraph per missed target (from {@link WHY_MISSED}) and the
 * fixed reading notes.
 */
export function notesFor(r: BenchResults, targets: readonly TargetVerdict[]): string[] {
  const missed = targets.filter((t) => t.pass === false);
  const out = ['### Notes', ''];
  for (const t of missed) {
    const key = Object.keys(WHY_MISSED).find((k) => t.name.startsWith(k));
    out.push(
      `- **Missed: ${t.name}** (${t.measured}, wanted ${t.target}). ${key ? WHY_MISSED[key] : ''}`,
    );
  }
  out.push(
    '- Every figure comes from one run on the machine above; with other processes on the machine the per-run columns show the noise. Ratios compare variants measured alternately in the same run.',
    `- The MCP rows include the SDK's per-request \`McpServer\` + transport and SSE framing; \`cache: false\` is bounded by the in-process oidc-provider (introspection on every request, ≈ ${r.mcp.uncachedIntrospectionsPerRequest.toFixed(2)} per request here).`,
    '- Fan-in and flood count requests at the authorization server itself; the counting server answers after a 10 ms timer so that concurrent cold requests overlap.',
    '- Friction workload: 20 % of calls to one of the 11 production mutation tools (`checkAndRecord`), 80 % to a read tool (`recordUnconfigured`), seeded; the clock advances 1 ms per call.',
  );
  return out;
}
