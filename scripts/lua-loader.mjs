// Lets Node (and tsx, which defers unknown extensions to Node) import `*.lua` files as text,
// the way tsup (`loader: { '.lua': 'text' }`) and vitest (the plugin in vitest.config.ts) do.
// Use: `node --import tsx --import ./scripts/lua-loader.mjs …`, `tsx --import ./scripts/lua-loader.mjs …`.
import { register } from 'node:module';

register('./lua-hooks.mjs', import.meta.url);
