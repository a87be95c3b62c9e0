// The package README's quick start runs as written and prints what it says it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

test('the README quick start', () => {
  const root = dirname(createRequire(import.meta.url).resolve('stakehold/package.json'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const [, code] = readme.match(/```js\n([\s\S]*?)```/);
  const expected = [...code.matchAll(/\/\/ → (.*)$|\/\/ (\d+ '\w+' \d+n)$/gm)].map((m) => m[1] ?? m[2]);
  writeFileSync('readme-quick-start.mjs', code);
  const out = execFileSync(process.execPath, ['readme-quick-start.mjs'], { encoding: 'utf8' });
  const lines = out.trim().split('\n').map((l) => l.replace(/ (StillLocked) /, " 'StillLocked' "));
  assert.deepEqual(lines, expected);
});
