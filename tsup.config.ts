import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  express: 'src/express.ts',
  node: 'src/node.ts',
  redis: 'src/redis.ts',
  'sdk-v1': 'src/sdk-v1.ts',
  'sdk-v2': 'src/sdk-v2.ts',
};

export default defineConfig({
  // The bin (`mcp-authflow-resource gateway`) is built, but has no declarations.
  entry: { ...entry, cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  dts: { entry },
  clean: true,
  // No source maps: the package ships the library's JavaScript and declarations only.
  sourcemap: false,
  splitting: true,
  // The Redis scripts' Lua (src/store/lua/*.lua) is bundled as strings.
  loader: { '.lua': 'text' },
});
