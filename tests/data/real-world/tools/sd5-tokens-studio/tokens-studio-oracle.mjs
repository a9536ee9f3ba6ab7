// Oracle for a Tokens Studio set of tests/data/real-world: Style Dictionary 5 with
// @tokens-studio/sd-transforms (the Tokens Studio ecosystem's own build), run by the
// Node 22 of node_modules (npm ci first). Never our code.
//
//   node_modules/.bin/node tokens-studio-oracle.mjs ../../<set>
//
// Reads <set>/manifest.json ("input": the folder with $themes.json and the set files).
// Every theme combination is one permutation of the themes, as sd-transforms'
// permutateThemes builds it: one theme per group (groups in the order they first appear in
// $themes; no group at all: each theme alone), the sets each selects ("source" before
// "enabled", "disabled" left out) concatenated and deduplicated, later sets winning.
// Transforms: sd-transforms' platform-agnostic ones plus its CSS ones (resolve math, px
// for unitless sizes, opacity, line heights, font weights, colour modifiers, rgba(hex, a),
// letter spacing, inner shadows), without Style Dictionary's built-in CSS group, so values
// keep their shape (objects stay objects). Writes <set>/oracle/<id>.json
// ({"token.path": value} for every token Style Dictionary outputs) and rewrites the
// manifest's "combinations" (id: the theme names joined by "-", input: {group: theme}).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import StyleDictionary from 'style-dictionary';
import { getTransforms, register } from '@tokens-studio/sd-transforms';

const setDir = resolve(process.argv[2]);
const manifestPath = join(setDir, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const input = resolve(setDir, manifest.input);
const themes = JSON.parse(readFileSync(join(input, '$themes.json'), 'utf8'));
const DEFAULT_GROUP = 'theme'; // our importer's modifier for themes without a group

register(StyleDictionary);

function setsOf(theme) {
  return Object.entries(theme.selectedTokenSets)
    .filter(([, status]) => status !== 'disabled')
    .sort(([, a], [, b]) => (a === b ? 0 : a === 'source' ? -1 : b === 'source' ? 1 : 0))
    .map(([name]) => name);
}

function combinations() {
  const groups = new Map();
  for (const theme of themes) {
    const group = theme.group ?? DEFAULT_GROUP;
    groups.set(group, [...(groups.get(group) ?? []), theme]);
  }
  let combos = [[]];
  for (const members of groups.values()) {
    combos = combos.flatMap((combo) => members.map((theme) => [...combo, theme]));
  }
  return combos.map((combo) => ({
    id: combo.map((t) => t.name).join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    input: Object.fromEntries(combo.map((t) => [t.group ?? DEFAULT_GROUP, t.name])),
    sets: [...new Set(combo.flatMap(setsOf))],
  }));
}

async function build(sets) {
  const sd = new StyleDictionary({
    source: sets.map((name) => join(input, `${name}.json`)),
    preprocessors: ['tokens-studio'],
    platforms: { oracle: { transforms: getTransforms({ platform: 'css' }) } },
    log: { verbosity: 'silent', warnings: 'disabled', errors: { brokenReferences: 'console' } },
  });
  await sd.hasInitialized;
  const { allTokens } = await sd.getPlatformTokens('oracle', { cache: false });
  const out = {};
  for (const token of allTokens) out[token.path.join('.')] = token.$value ?? token.value;
  return out;
}

mkdirSync(join(setDir, 'oracle'), { recursive: true });
manifest.combinations = [];
for (const { id, input: selection, sets } of combinations()) {
  const file = `oracle/${id}.json`;
  writeFileSync(join(setDir, file), `${JSON.stringify(await build(sets), null, 1)}\n`);
  manifest.combinations.push({ id, input: selection, oracle: file });
  console.log(`${file}: ${sets.length} sets`);
}
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
