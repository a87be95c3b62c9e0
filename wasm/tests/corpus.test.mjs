// Cross-target determinism: the scenario corpus recorded by the native run
// (tests/vectors/scenarios.json) replayed through the package gives the same events, the same
// errors and byte-identical state after every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Ledger, StakeholdError, decodeEvent } from 'stakehold';
import { hex, unhex } from './helpers.mjs';

const vectors = process.env.STAKEHOLD_VECTORS;
assert.ok(vectors, 'STAKEHOLD_VECTORS must name the tests/vectors directory');
const scenarios = JSON.parse(readFileSync(join(vectors, 'scenarios.json'), 'utf8'));

test('the corpus is not empty', () => {
  assert.ok(scenarios.length >= 4);
  assert.ok(scenarios.every((s) => s.steps.length > 0));
});

for (const scenario of scenarios) {
  test(`scenario ${scenario.name} replays byte for byte`, () => {
    const ledger = Ledger.restore(unhex(scenario.genesis));
    assert.equal(hex(ledger.snapshot()), scenario.genesis);
    scenario.steps.forEach((step, i) => {
      const ctx = { caller: step.ctx.caller, now: BigInt(step.ctx.now), height: BigInt(step.ctx.height) };
      const before = hex(ledger.snapshot());
      const where = `${scenario.name} step ${i}`;
      if (step.error === null) {
        const events = ledger.apply(ctx, unhex(step.msg));
        assert.deepEqual(events, step.events.map((e) => decodeEvent(unhex(e))), where);
      } else {
        assert.throws(
          () => ledger.apply(ctx, unhex(step.msg)),
          (e) => e instanceof StakeholdError && e.code === step.error.code && e.name === step.error.name,
          where,
        );
        assert.equal(hex(ledger.snapshot()), before, `${where} changed the state`);
      }
    });
    assert.equal(hex(ledger.snapshot()), scenario.final);
    ledger.free();
  });
}
