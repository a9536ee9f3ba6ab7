// Peer for the benchmarks: Style Dictionary 5 resolving Primer themes, no transforms.
//
// The files of a theme are those of the DTCG resolver document, in resolutionOrder
// (sets' sources, then the selected context's sources), all given as `source`, so a later
// file wins, as in oracle/HOW.md; the generated override files stand in for its
// `primer-theme-overrides` preprocessor. One platform, `transforms: []`.
//
//   node sd_resolve.mjs RESOLVER.json [--theme dark] [--pointer fine] [--runs 5] [--warmup 1]
//                       [--all] [--dump FILE]
//
// Prints one JSON object: per run initMs (new StyleDictionary: read, parse, merge),
// resolveMs (getPlatformTokens: reference resolution), serialiseMs (JSON of
// {path: {type, value}}), totalMs. --all resolves every theme x pointer combination once
// per run (what the server's import validates). --dump writes the last result.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import StyleDictionary from 'style-dictionary';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    theme: { type: 'string', default: 'light' },
    pointer: { type: 'string', default: 'fine' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    all: { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
});
const resolverPath = resolve(positionals[0]);
const root = dirname(resolverPath);
const doc = JSON.parse(readFileSync(resolverPath, 'utf8'));

/** Files of one selection ({modifier: context}) in resolutionOrder. */
function filesFor(selection) {
  const files = [];
  for (const { $ref } of doc.resolutionOrder) {
    const [, kind, name] = $ref.split('/');
    const sources = kind === 'sets'
      ? doc.sets[name].sources
      : doc.modifiers[name].contexts[selection[name] ?? doc.modifiers[name].default];
    for (const src of sources) files.push(resolve(root, src.$ref));
  }
  return files;
}

async function resolveOnce(selection) {
  const t0 = performance.now();
  const sd = new StyleDictionary({
    source: filesFor(selection),
    platforms: { bench: { transforms: [] } },
    log: { verbosity: 'silent', warnings: 'disabled', errors: { brokenReferences: 'console' } },
  });
  await sd.hasInitialized;
  const t1 = performance.now();
  const { allTokens } = await sd.getPlatformTokens('bench', { cache: false });
  const t2 = performance.now();
  const out = {};
  for (const t of allTokens) out[t.path.join('.')] = { type: t.$type ?? t.type, value: t.$value ?? t.value };
  const text = JSON.stringify(out);
  const t3 = performance.now();
  return { initMs: t1 - t0, resolveMs: t2 - t1, serialiseMs: t3 - t2, totalMs: t3 - t0, tokens: allTokens.length, text };
}

const selections = opts.all
  ? Object.keys(doc.modifiers.theme.contexts).flatMap((theme) =>
      Object.keys(doc.modifiers.pointer.contexts).map((pointer) => ({ theme, pointer })))
  : [{ theme: opts.theme, pointer: opts.pointer }];

async function run() {
  const t0 = performance.now();
  let last;
  const parts = { initMs: 0, resolveMs: 0, serialiseMs: 0 };
  for (const sel of selections) {
    last = await resolveOnce(sel);
    for (const k of Object.keys(parts)) parts[k] += last[k];
  }
  return { ...parts, totalMs: performance.now() - t0, tokens: last.tokens, bytes: last.text.length, text: last.text };
}

const runs = [];
for (let i = 0; i < Number(opts.warmup); i++) await run();
let last;
for (let i = 0; i < Number(opts.runs); i++) {
  last = await run();
  const { text, ...figures } = last;
  runs.push(figures);
}
if (opts.dump) writeFileSync(opts.dump, last.text);
const sdVersion = JSON.parse(readFileSync(new URL('./node_modules/style-dictionary/package.json', import.meta.url))).version;
console.log(JSON.stringify({
  node: process.version, styleDictionary: sdVersion, selections: selections.length,
  tokens: last.tokens, bytes: last.bytes, runs,
}));
