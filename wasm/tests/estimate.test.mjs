// The dashboard estimates through the package: estimateApr, slashingTimeline and
// proposalProbability (numbers for display only, computed by the core's `estimate` module),
// their inputs as the rest of the API takes them (preset names, bigint Gwei and epochs, the
// objects `ledger.validator(i)` returns), and bad inputs as StakeholdErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  FAR_FUTURE_EPOCH,
  Ledger,
  StakeholdError,
  estimateApr,
  proposalProbability,
  slashingTimeline,
} from 'stakehold';
import { admin } from './helpers.mjs';

const GWEI = 10n ** 9n;
const ETH32 = 32n * GWEI;
const COINS1000 = 1000n * GWEI;
const MILLION = 1_000_000n;
/** Epochs in 365.25 days of 384-second epochs. */
const EPOCHS_PER_YEAR = 82_181.25;
const DAY = 86_400;

/** `actual` within `relative` of `expected`. */
function close(actual, expected, relative, what = '') {
  assert.equal(typeof actual, 'number', what);
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what} ${actual} is not within ${relative} of ${expected}`,
  );
}

/** `f()` throws a StakeholdError with this code and name, whose message matches `message`. */
function refuses(f, code, name, message) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof StakeholdError, `not a StakeholdError: ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.name, name);
    assert.match(e.message, message);
    return true;
  });
}

/** Validator 0 of a seed-chain ledger, as `validator(0)` returns it. */
function seedValidator() {
  const deposit = {
    pubkey: `0x${'01'.repeat(48)}`,
    withdrawalCredentials: `0x01${'00'.repeat(11)}${'ee'.repeat(20)}`,
    amount: COINS1000,
    signature: `0x${'00'.repeat(96)}`,
  };
  const l = new Ledger({ council: admin, chain: { preset: 'seed_chain', genesis: [deposit] } });
  const v = l.validator(0);
  l.free();
  return v;
}

test('APR: Ethereum mainnet with 1 M validators of 32 ETH is about 2.94 %', () => {
  const total = MILLION * ETH32;
  // B = 10^9 · 64 / √(32·10^15) ≈ 357.77 Gwei per increment per epoch; at full participation
  // the weights sum to 1, so the yearly return is B · epochs per year / 10^9.
  const b = 1e9 * 64 / Math.sqrt(32e15);
  for (const preset of ['altair', 'bellatrix', 'deneb', 'electra', 'phase0']) {
    const apr = estimateApr(preset, total, 1);
    close(apr, (b * EPOCHS_PER_YEAR) / 1e9, 1e-9, preset);
    close(apr, 0.0294, 1e-3, preset);
  }
  // A total as a safe number or a string of digits.
  const small = 1_000n * ETH32;
  assert.equal(estimateApr('deneb', Number(small), 1), estimateApr('deneb', small, 1));
  assert.equal(estimateApr('deneb', String(total), 1), estimateApr('deneb', total, 1));
});

test('APR at partial participation follows the altair model term by term', () => {
  const total = 900_000n * ETH32;
  const b = 64 / Math.sqrt(Number(total)); // per Gwei of effective balance per epoch
  const p = 0.8;
  const perEpoch = b * ((54 / 64) * p * p - (1 - p) * (40 / 64) + (8 / 64) * p + (2 / 64) * p);
  close(estimateApr('deneb', total, p), perEpoch * EPOCHS_PER_YEAR, 1e-9);
  // Nobody attesting: the source and target penalties, 40/64 of the full return, negative.
  close(estimateApr('deneb', total, 0), (-40 / 64) * estimateApr('deneb', total, 1), 1e-9);
  assert.ok(estimateApr('altair', total, 0) < 0);
});

test('APR falls as stake grows and rises with participation', () => {
  let previous = Infinity;
  for (const n of [1_000n, 100_000n, MILLION, 4n * MILLION]) {
    const apr = estimateApr('deneb', n * ETH32, 1);
    assert.ok(apr > 0 && apr < previous, `${n} validators: ${apr}`);
    previous = apr;
  }
  close(estimateApr('deneb', 4n * MILLION * ETH32, 1), estimateApr('deneb', MILLION * ETH32, 1) / 2, 1e-12);
  previous = -Infinity;
  for (let p = 0; p <= 1.0001; p += 0.1) {
    const apr = estimateApr('seed_chain', MILLION * COINS1000, p);
    assert.ok(apr > previous, `participation ${p}: ${apr}`);
    previous = apr;
  }
});

test('APR on the seed chain matches Ethereum at the same number of validators (within 0.2 %)', () => {
  for (const n of [1_000n, 100_000n, MILLION]) {
    close(estimateApr('seed_chain', n * COINS1000, 1), estimateApr('deneb', n * ETH32, 1), 0.002, `${n}`);
  }
  // A missing preset is the seed chain, as in the Ledger's `chain` option.
  assert.equal(estimateApr(undefined, MILLION * COINS1000, 1), estimateApr('seed_chain', MILLION * COINS1000, 1));
});

test('APR: participation is clamped, NaN counts as 0, a zero total gives 0', () => {
  const total = MILLION * ETH32;
  assert.equal(estimateApr('deneb', total, Number.NaN), estimateApr('deneb', total, 0));
  assert.equal(estimateApr('deneb', total, -3), estimateApr('deneb', total, 0));
  assert.equal(estimateApr('deneb', total, 7), estimateApr('deneb', total, 1));
  assert.equal(estimateApr('deneb', total, Infinity), estimateApr('deneb', total, 1));
  assert.equal(estimateApr('deneb', 0n, 1), 0);
  assert.ok(Number.isFinite(estimateApr('deneb', 2n ** 64n - 1n, 1)));
});

test('APR: bad arguments are StakeholdErrors naming them', () => {
  const total = MILLION * ETH32;
  refuses(() => estimateApr('mainnet', total, 1), 601, 'InvalidArgument', /^preset: expected 'seed_chain'/);
  refuses(() => estimateApr('deneb', total, '0.5'), 601, 'InvalidArgument', /^participation: expected a number/);
  refuses(() => estimateApr('deneb', total, undefined), 601, 'InvalidArgument', /^participation/);
  refuses(() => estimateApr('deneb', -1n, 1), 103, 'InvalidAmount', /^totalActiveBalance: -1n is negative/);
  refuses(() => estimateApr('deneb', 2n ** 64n, 1), 100, 'Overflow', /^totalActiveBalance: above 2\^64 - 1/);
});

test('slashing timeline: penalty on day 18, withdrawable on day 36 (seed chain and mainnet)', () => {
  const honest = seedValidator();
  assert.equal(honest.slashed, false);
  assert.equal(slashingTimeline('seed_chain', honest, 0n), null);
  const slashedAt = 1_000n;
  const slashed = { ...honest, slashed: true, exitEpoch: slashedAt + 5n, withdrawableEpoch: slashedAt + 8192n };
  for (const preset of ['seed_chain', 'deneb', 'phase0']) {
    const t = slashingTimeline(preset, slashed, slashedAt);
    assert.deepEqual(t, {
      correlationPenaltyEpoch: slashedAt + 4096n,
      withdrawableEpoch: slashedAt + 8192n,
      secondsToCorrelationPenalty: 4096 * 384,
      secondsToWithdrawable: 8192 * 384,
      daysToCorrelationPenalty: (4096 * 384) / DAY,
      daysToWithdrawable: (8192 * 384) / DAY,
    });
    assert.equal(Math.floor(t.daysToCorrelationPenalty), 18);
    assert.equal(Math.floor(t.daysToWithdrawable), 36);
  }
  // A day later, a day less; past the penalty epoch, 0 to it.
  const later = slashingTimeline('seed_chain', slashed, slashedAt + 225n);
  assert.equal(later.secondsToWithdrawable, 8192 * 384 - DAY);
  const past = slashingTimeline('seed_chain', slashed, slashedAt + 5000n);
  assert.equal(past.secondsToCorrelationPenalty, 0);
  assert.equal(past.secondsToWithdrawable, (8192 - 5000) * 384);
  // Epochs as numbers or strings, as everywhere; only `slashed` and `withdrawableEpoch` are read.
  const expected = slashingTimeline('seed_chain', slashed, slashedAt);
  assert.deepEqual(slashingTimeline('seed_chain', { ...slashed, withdrawableEpoch: 9192 }, '1000'), expected);
  assert.deepEqual(slashingTimeline('seed_chain', { slashed: true, withdrawableEpoch: '9192' }, 1000), expected);
});

test('slashing timeline: none when not scheduled; bad validators are StakeholdErrors', () => {
  const v = { ...seedValidator(), slashed: true };
  assert.equal(v.withdrawableEpoch, FAR_FUTURE_EPOCH);
  assert.equal(slashingTimeline('seed_chain', v, 0n), null);
  const { withdrawableEpoch: _, ...partial } = v;
  refuses(() => slashingTimeline('seed_chain', partial, 0n), 601, 'InvalidArgument', /^validator\.withdrawableEpoch: expected a bigint/);
  refuses(() => slashingTimeline('seed_chain', { ...v, slashed: 'yes' }, 0n), 601, 'InvalidArgument', /^validator\.slashed: expected a boolean/);
  refuses(() => slashingTimeline('seed_chain', null, 0n), 601, 'InvalidArgument', /^validator: expected an object/);
  refuses(() => slashingTimeline('seed_chain', v, -1), 103, 'InvalidAmount', /^currentEpoch/);
  refuses(() => slashingTimeline('custom', v, 0n), 601, 'InvalidArgument', /^preset/);
});

test('proposal probability: one slot is the balance share; a day with 1 M validators ≈ 1 − e^−0.0072', () => {
  const total = MILLION * ETH32;
  close(proposalProbability(ETH32, total, 1), 1e-6, 1e-12);
  const day = proposalProbability(ETH32, total, 7200);
  close(day, 1 - Math.exp(-0.0072), 1e-5);
  close(day, -Math.expm1(7200 * Math.log1p(-1e-6)), 1e-12);
  let previous = 0;
  for (const slots of [1, 32, 7200n, 225n * 32n * 365n, '1000000000', 2n ** 64n - 1n]) {
    const p = proposalProbability(ETH32, total, slots);
    assert.ok(p >= previous && p <= 1, `${slots} slots: ${p}`);
    previous = p;
  }
  assert.equal(proposalProbability(ETH32, ETH32, 1), 1);
  assert.equal(proposalProbability(0n, total, 7200), 0);
  assert.equal(proposalProbability(ETH32, 0n, 7200), 0);
  assert.equal(proposalProbability(ETH32, total, 0), 0);
  refuses(() => proposalProbability(ETH32, total, -1), 103, 'InvalidAmount', /^slots: -1 is negative/);
  refuses(() => proposalProbability(1.5, total, 1), 103, 'InvalidAmount', /^effectiveBalance: 1.5 is not an integer/);
  refuses(() => proposalProbability(ETH32, 2n ** 64n, 1), 100, 'Overflow', /^totalActiveBalance/);
});

test('every entry exports the estimates; the browser one only after init()', async () => {
  const require = createRequire(import.meta.url);
  const cjs = require('stakehold');
  for (const name of ['estimateApr', 'slashingTimeline', 'proposalProbability']) {
    assert.equal(typeof cjs[name], 'function', name);
  }
  close(cjs.proposalProbability(1, 4, 1), 0.25, 1e-12);
  const root = dirname(require.resolve('stakehold/package.json'));
  const web = await import(pathToFileURL(join(root, 'web', 'index.js')).href);
  assert.throws(() => web.proposalProbability(1, 4, 1), /await init\(\)/);
  await web.default(readFileSync(join(root, 'dist', 'web', 'stakehold_wasm_bg.wasm')));
  close(web.proposalProbability(1, 4, 2), 1 - 0.75 * 0.75, 1e-12);
  close(web.estimateApr('deneb', MILLION * ETH32, 1), estimateApr('deneb', MILLION * ETH32, 1), 0);
  assert.equal(web.slashingTimeline('deneb', seedValidator(), 0), null);
});
