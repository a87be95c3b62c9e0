// The browser entry, loaded by file path (Node's own resolution picks the Node entry): using it
// before init() throws a clear error; after init() with the module's bytes it works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = dirname(createRequire(import.meta.url).resolve('stakehold/package.json'));

test('the browser entry refuses to run before init(), then works', async () => {
  const web = await import(pathToFileURL(join(root, 'web', 'index.js')).href);
  assert.throws(() => web.formatAmount(1n), /not initialised yet; call `await init\(\)`/);
  assert.throws(() => new web.Ledger({ council: `0x${'ad'.repeat(20)}` }), /await init\(\)/);
  await web.default(readFileSync(join(root, 'dist', 'web', 'stakehold_wasm_bg.wasm')));
  assert.equal(web.formatAmount(1_500_000_000_000_000_000n), '1.5');
  assert.equal(web.init, web.default);
  const l = new web.Ledger({ council: `0x${'ad'.repeat(20)}` });
  assert.throws(() => l.withdraw({ caller: `0x${'a1'.repeat(20)}`, now: 0 }), web.StakeholdError);
  l.free();
});

test('package.json: exports for Node (ESM and CJS), browsers and types', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'stakehold');
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
  const dot = pkg.exports['.'];
  assert.equal(dot.node.import.default, './node/index.mjs');
  assert.equal(dot.node.require.default, './node/index.cjs');
  assert.equal(dot.browser.default, './web/index.js');
  assert.ok(pkg.types);
  for (const file of ['index.d.ts', 'index.d.cts', 'README.md', 'LICENSE']) {
    assert.ok(readFileSync(join(root, file), 'utf8').length > 0, file);
  }
});

test('the public types have no `any`', () => {
  const types = readFileSync(join(root, 'index.d.ts'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(types, /\bany\b/);
});

test('the README lists every error name of the types with its code', () => {
  const types = readFileSync(join(root, 'index.d.ts'), 'utf8');
  const union = types.slice(types.indexOf('export type StakeholdErrorName'), types.indexOf('export type ErrorField'));
  const names = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]);
  assert.ok(names.length >= 67, `${names.length} names`);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const listed = new Map([...readme.matchAll(/(\d{3}) `(\w+)[ `]/g)].map((m) => [m[2], Number(m[1])]));
  for (const name of names) assert.ok(listed.has(name), `${name} is missing from the README's code table`);
  assert.deepEqual([...listed.keys()].sort(), [...names].sort(), 'the README lists no other names');
  assert.equal(listed.get('TargetEpochOutOfRange'), 809);
  assert.equal(listed.get('ChainMismatch'), 504);
});
