import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/express.ts',
    node: 'src/node.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: {
    entry: {
      index: 'src/index.ts',
      express: 'src/express.ts',
      node: 'src/node.ts',
    },
  },
  clean: true,
  sourcemap: true,
  splitting: true,
});
