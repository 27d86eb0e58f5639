/**
 * The explanatory notes of the benchmark report: how to read the figures, and for each missed
 * target what the CPU profile showed when it was investigated.
 *
 * @module
 */

import type { BenchResults, TargetVerdict } from './report.js';

/** What the profile showed for a target, keyed by the target's name prefix. */
const WHY_MISSED: Readonly<Record<string, string>> = {
  'Gate overhead':
    'Investigation (bundled build): on this machine the plain Express route costs ≈ 140–230 µs of server CPU per request, and the gate adds ≈ 30–65 µs depending on the run (see the CPU line above; `process.cpuUsage()` per request is steadier than req/s, and autocannon shares the 2 cores with the server). The gate’s own work on a cached token is ≈ 3 µs per request in a hot in-process loop (`createBearerGate` + `IntrospectionTokenVerifier` on a warm cache, of which ≈ 2 µs verification), after these applied fixes: each URL parsed once (`evaluateClaims` 3.4 → 1.7 µs), `crypto.hash()` for the cache key (0.85 → 0.4 µs), and an accepted verdict reused per cache entry with only `exp`/`nbf` re-checked. The rest of the HTTP-level gap is the extra Express middleware layer, its promise hop before `next()`, and GC under load; the ratio ranged 0.67–0.92 across full runs on this machine.',
  'FrictionRegistry (memory)':
    'Investigation (CPU profiles and isolated loops, bundled build, 1 000 clients): the memory store’s synchronous step alone runs at ≈ 0.8–0.9 M/s — the proportional controller updates 11 EMAs, frictions and the group on every recorded call, and each client’s state (≈ 2.3 KB, see §6) is a cache miss when 1 000 clients alternate (one client: ≈ 1.6 M/s). Applied: a synchronous fast path in `FrictionRegistry.#step` when the store has `stepSync` (no per-client promise chain), ≈ +45 %. Left: `logDecision` builds a rounded record for every limited decision although the default logger drops `info` (≈ 10–15 %; the `Logger` type has no level query). Even so the registry stays ≈ 0.25–0.3× `RateLimiterMemory`, whose `consume()` updates one small record per key: the target is not reachable with this algorithm’s O(tools) step.',
  'FrictionController decisions/s':
    'The controller updates every configured tool’s EMA and friction on every recorded call (O(tools) per step by design); see the per-round figures for noise.',
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
