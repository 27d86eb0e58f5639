/**
 * Import rules of DESIGN §2, checked by `npm test` (`npm run deps`).
 * @type {import('dependency-cruiser').IConfiguration}
 */

module.exports = {
  forbidden: [
    {
      name: 'src-not-to-outside',
      comment: 'The library never imports tests, benchmarks, examples or the demo.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples|demo)/' },
    },
    {
      name: 'src-not-to-oidc-provider',
      comment:
        'oidc-provider is a test fixture (the demo authorization server), never library code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: 'oidc-provider' },
    },
    {
      name: 'friction-not-to-verify-or-store',
      comment:
        'Friction owns its store port; src/store implements it (store → friction, never back).',
      severity: 'error',
      from: { path: '^src/friction/' },
      to: { path: '^src/(verify|store)/' },
    },
    {
      name: 'lib-is-generic',
      comment:
        'src/lib holds generic helpers and imports no domain folder (errors/types are shared).',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/(lib/|errors\\.ts$|types\\.ts$)' },
    },
    {
      name: 'express-only-in-adapters',
      comment: 'Only the Express adapters (and the ./express entry) import express.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(adapters/|express\\.ts$|node\\.ts$)' },
      to: { path: '(^|/)node_modules/(express|@types/express|express-serve-static-core)/' },
    },
    {
      name: 'sdk-only-in-sdk-entries',
      comment:
        "The core imports neither MCP SDK line (DESIGN §6.3); only the /sdk-v1 and /sdk-v2 entries do, and the gateway's stdio bridge (loaded on demand by the CLI, never by the library entries).",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(sdk-v[12]\\.ts$|gateway/stdio/)' },
      to: { path: '(^|/)node_modules/@modelcontextprotocol/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
