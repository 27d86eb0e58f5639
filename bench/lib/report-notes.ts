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
    'Investigation (bundled build): on this machine the plain Express route costs ≈ 140–230 µs of server CPU per request, and the gate adds ≈ 30–65 µs depending on the run (see the CPU line above; `process.cpuUsage()` per request is steadier than req/s, and autocannon shares the 2 cores with the server). The gate’s own work on a cached token is ≈ 3 µs per request in a hot in-process loop (`createBearerGate` + `IntrospectionTokenVerifier` on a warm cache, of which ≈ 2 µs verification), after these applied fixes: each URL parsed once (`evaluateClaims` 3.4 → 1.7 µs), `crypto.hash()` for the cache key (0.85 → 0.4 µs), and an accepted verdict reused per cache entry with only `exp`/`nbf` re-checked. The rest of the HTTP-level gap is the extra Express middleware layer, its promise hop before `next()`, and GC under load; the ratio ranged 0.67–0.92 across full runs on this machine.',
  'FrictionRegistry (memory':
    'Issue 18, applied (bit-identical; test/friction/oracle.test.ts checks results, events and states against a copy of the previous step): state arrays built unboxed (the adaptive credits were a copy of a frozen array, generic elements, so every credit written was a new heap number), per-tool group lookup tables instead of `members.includes`, no `friction_check` records built for a built-in logger that drops `info`, the friction-0 message cached per tool, no `async` hop in `checkAndRecord`. Left: every recorded call still updates every configured tool (EMA; proportional friction; adaptive credit, friction and gate), about 8 arrays of 11 numbers per client, and with 1 000 clients alternating each call misses the CPU caches. The lazy O(1) EMA of the issue is not bit-identical: `e ← α·r + (1−α)·e` rounds twice per step, and the proportional step moves every warm tool’s friction by κ·(e − T) on every call, so no closed form (e.g. `(1−α)^k`) reproduces today’s trajectories bit for bit.',
  'FrictionController decisions/s':
    'The adaptive controller (the default) recomputes the credit, friction and gate of every configured tool on every recorded call; the proportional one updates every EMA and friction. Both are O(tools) per call by design; bit-identity forbids skipping the per-call arithmetic.',
  'FrictionRegistry (Redis':
    'Not attempted in this run’s code: the state is still one `cmsgpack` blob decoded and re-encoded whole per decision. test/store/redis-guards.test.ts reads and rewrites that blob with `cmsgpack.unpack(GET key)`, so a hash layout cannot pass the existing tests unchanged. CPU-second figures here are the benchmark process only; with 64 in flight the Redis server’s single thread is the bound.',
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
