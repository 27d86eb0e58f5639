import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/express.ts',
    node: 'src/node.ts',
    redis: 'src/redis.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: {
    entry: {
      index: 'src/index.ts',
      express: 'src/express.ts',
      node: 'src/node.ts',
      redis: 'src/redis.ts',
    },
  },
  clean: true,
  sourcemap: true,
  splitting: true,
  // The demo (cli entry only) loads the test fixture's authorization server lazily; oidc-provider
  // is a dev dependency and must stay an import, never bundled.
  external: ['oidc-provider'],
});
