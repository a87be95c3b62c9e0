// Cross-target determinism: scenario corpora recorded by the native run replayed through the
// package give the same events, the same errors and byte-identical state after every step; and
// every message and event of the golden vectors (tests/vectors/encoding.json) reads as an object
// (messages also back to the same bytes).
// Two corpora: the hand-written scenarios (tests/vectors/scenarios.json) and the ledger fuzz
// target's corpus as scenarios (written by `cargo test -p stakehold-tests --test fuzz_corpus`
// into the directory STAKEHOLD_FUZZ_VECTORS names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Ledger, StakeholdError, decodeEvent, decodeMessage, encodeMessage } from 'stakehold';
import { hex, unhex } from './helpers.mjs';

const vectors = process.env.STAKEHOLD_VECTORS;
assert.ok(vectors, 'STAKEHOLD_VECTORS must name the tests/vectors directory');
const fuzzVectors = process.env.STAKEHOLD_FUZZ_VECTORS;
assert.ok(fuzzVectors, 'STAKEHOLD_FUZZ_VECTORS must name target/tmp/fuzz-vectors');
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const scenarios = read(join(vectors, 'scenarios.json'));
const fuzzScenarios = read(join(fuzzVectors, 'ledger.json'));

function replay(scenario) {
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
  assert.equal(hex(ledger.snapshot()), scenario.final, `${scenario.name}: final state`);
  ledger.free();
}

test('the corpora are not empty', () => {
  assert.ok(scenarios.length >= 4);
  assert.ok(fuzzScenarios.length >= 50);
  assert.ok([...scenarios, ...fuzzScenarios].every((s) => s.steps.length > 0));
});

for (const scenario of scenarios) {
  test(`scenario ${scenario.name} replays byte for byte`, () => replay(scenario));
}

test('the ledger fuzz corpus replays byte for byte', () => {
  for (const scenario of fuzzScenarios) replay(scenario);
});

test('every message and event of the golden vectors converts to an object (and messages back)', () => {
  const encoding = read(join(vectors, 'encoding.json'));
  const kind = (v) => v.name.split('::')[1].split('/')[0];
  const messages = encoding.filter((v) => v.type === 'Msg');
  const events = encoding.filter((v) => v.type === 'Event');
  for (const name of ['ProposerSlashing', 'AttesterSlashing', 'Attest', 'ProcessEpoch']) {
    assert.ok(messages.some((v) => kind(v) === name), `a ${name} vector`);
  }
  for (const name of ['ValidatorSlashed', 'CorrelationPenalty', 'Attested', 'EpochProcessed']) {
    assert.ok(events.some((v) => kind(v) === name), `a ${name} vector`);
  }
  for (const v of messages) {
    const msg = decodeMessage(unhex(v.hex));
    assert.equal(msg.type, kind(v), v.name);
    assert.equal(hex(encodeMessage(msg)), v.hex, v.name);
  }
  for (const v of events) assert.equal(decodeEvent(unhex(v.hex)).type, kind(v), v.name);
});
