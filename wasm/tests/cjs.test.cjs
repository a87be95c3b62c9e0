// The CommonJS entry: require() works (CJS frameworks), and a process that loads the package
// both ways shares one StakeholdError class.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');

const stakehold = require('stakehold');

test('require() gives the whole API', () => {
  for (const name of ['Ledger', 'StakeholdError', 'encodeMessage', 'decodeMessage', 'decodeEvent', 'encodeBlock', 'decodeEvents', 'formatAmount', 'parseAmount', 'formatTime', 'init']) {
    assert.equal(typeof stakehold[name], 'function', name);
  }
  assert.equal(stakehold.FAR_FUTURE_EPOCH, 2n ** 64n - 1n);
  const l = new stakehold.Ledger({ council: `0x${'ad'.repeat(20)}` });
  assert.throws(() => l.withdraw({ caller: `0x${'a1'.repeat(20)}`, now: 1 }), stakehold.StakeholdError);
  l.free();
});

test('ESM and CommonJS entries share the StakeholdError class', async () => {
  const esm = await import('stakehold');
  assert.equal(esm.StakeholdError, stakehold.StakeholdError);
  assert.equal(esm.Ledger, stakehold.Ledger);
  try {
    esm.formatAmount(-1);
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof stakehold.StakeholdError);
  }
});
