/**
 * `*.lua` files are imported as their text: tsup (`loader`), vitest (its plugin) and
 * `scripts/lua-loader.mjs` (Node, tsx) all turn one into a module whose default export is the
 * file's content.
 */
declare module '*.lua' {
  const text: string;
  export default text;
}
