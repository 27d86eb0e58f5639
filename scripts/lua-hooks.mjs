// The module hook behind scripts/lua-loader.mjs: a `.lua` file is a module whose default export
// is the file's text.
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  if (!new URL(url).pathname.endsWith('.lua')) return nextLoad(url, context);
  const text = await readFile(new URL(url), 'utf8');
  return {
    format: 'module',
    source: `export default ${JSON.stringify(text)};`,
    shortCircuit: true,
  };
}
