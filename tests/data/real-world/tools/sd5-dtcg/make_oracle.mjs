// Oracle for a DTCG set of tests/data/real-world: Style Dictionary 5, no transforms.
//
//   npm ci && npm run oracle -- ../../<set>        (or: node make_oracle.mjs ../../<set>)
//
// Reads <set>/manifest.json. Its "input" is the DTCG resolver document (or a folder
// holding exactly one *.resolver.json). For each combination of the manifest, the files
// of that selection are those of the resolver document in resolutionOrder (each set's
// sources, then the selected context's sources), every file $ref percent-decoded as a URI
// reference (decodeURIComponent), all given to Style Dictionary as `source`, in that
// order, so a later file wins. One platform with `transforms: []`: values are the
// resolved values as Style Dictionary resolves them (references replaced, nothing
// converted). Writes the combination's oracle file: {"<token.path>": $value}.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import StyleDictionary from 'style-dictionary';

const setDir = resolve(process.argv[2] ?? '.');
const manifest = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'));
let resolverPath = resolve(setDir, manifest.input);
if (statSync(resolverPath).isDirectory()) {
  const found = readdirSync(resolverPath).filter((f) => f.endsWith('.resolver.json'));
  if (found.length !== 1) throw new Error(`${resolverPath}: expected one *.resolver.json`);
  resolverPath = join(resolverPath, found[0]);
}
const root = dirname(resolverPath);
const doc = JSON.parse(readFileSync(resolverPath, 'utf8'));

function filesFor(selection) {
  const files = [];
  for (const { $ref } of doc.resolutionOrder) {
    const [, kind, name] = $ref.split('/');
    const sources = kind === 'sets'
      ? doc.sets[name].sources
      : doc.modifiers[name].contexts[selection[name] ?? doc.modifiers[name].default];
    for (const src of sources) files.push(resolve(root, decodeURIComponent(src.$ref)));
  }
  return files;
}

for (const combo of manifest.combinations) {
  const sd = new StyleDictionary({
    source: filesFor(combo.input),
    platforms: { oracle: { transforms: [] } },
    log: { verbosity: 'silent', warnings: 'disabled', errors: { brokenReferences: 'throw' } },
  });
  await sd.hasInitialized;
  const { allTokens } = await sd.getPlatformTokens('oracle', { cache: false });
  const out = {};
  for (const token of [...allTokens].sort((a, b) => a.path.join('.').localeCompare(b.path.join('.')))) {
    out[token.path.join('.')] = token.$value ?? token.value;
  }
  const target = join(setDir, combo.oracle);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${combo.id}: ${Object.keys(out).length} tokens → ${combo.oracle}`);
}
