// The package README's examples (every ```js block) run as written and print what they say
// they print (the `// → …` lines, in order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = dirname(createRequire(import.meta.url).resolve('stakehold/package.json'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has its examples', () => {
  assert.ok(blocks.length >= 2, 'the quick start and the chain example');
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1}`, () => {
    const expected = [...code.matchAll(/\/\/ → (.*)$|\/\/ (\d+ '\w+' \d+n)$/gm)].map((m) => m[1] ?? m[2]);
    assert.ok(expected.length > 0, 'an example shows its output');
    const file = `readme-example-${i + 1}.mjs`;
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => l.replace(/ (StillLocked) /, " 'StillLocked' "));
    assert.deepEqual(lines, expected);
  });
});
