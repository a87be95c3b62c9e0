// The proof-of-stake chain through the package: the constructor's genesis, the four typed
// methods and `submit`, the read side, every chain error reachable from JavaScript (each
// leaving the ledger unchanged), bad inputs, a chain reaching finality, and snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  FAR_FUTURE_EPOCH,
  Ledger,
  StakeholdError,
  decodeEvents,
  decodeMessage,
  encodeBlock,
  encodeMessage,
} from 'stakehold';
import { BTT, T0, admin, alice, at, hex } from './helpers.mjs';

/** Gwei of one seed-chain validator: 1000 coins (MAX_EFFECTIVE_BALANCE). */
const FULL = 1_000_000_000_000n;
/** The seed chain's MIN_DEPOSIT_AMOUNT and EFFECTIVE_BALANCE_INCREMENT: 31.25 coins. */
const INCREMENT = 31_250_000_000n;
const key = (i) => `0x${i.toString(16).padStart(2, '0').repeat(48)}`;
const credentials = `0x01${'00'.repeat(11)}${'ee'.repeat(20)}`;
const signature = `0x${'5a'.repeat(96)}`;
const deposit = (i, amount = FULL) => ({ pubkey: key(i), withdrawalCredentials: credentials, amount, signature });
/** The block root at the start of epoch `e` in these tests (never all zeros). */
const root = (e) => `0x${((Number(e) % 255) + 1).toString(16).padStart(2, '0').repeat(32)}`;
const ZERO_ROOT = `0x${'00'.repeat(32)}`;
const ctx = at(admin, T0);

/** A seed-chain ledger with validators 0–3 active from genesis (keys 1–4). */
const chained = () => new Ledger({ council: admin, chain: { preset: 'seed_chain', genesis: [1, 2, 3, 4].map((i) => deposit(i)) } });

/** Ends the current epoch with this test's roots. */
function endEpoch(l) {
  const e = l.chain().currentEpoch;
  return l.processEpoch(ctx, { previousEpochRoot: root(e === 0n ? 0n : e - 1n), currentEpochRoot: root(e) });
}

/** `f(ledger)` throws a StakeholdError matching `expected`, and the ledger is unchanged. */
function refuses(l, f, expected) {
  const before = l.snapshot();
  assert.throws(
    () => f(l),
    (e) => {
      assert.ok(e instanceof StakeholdError, `not a StakeholdError: ${e}`);
      for (const [k, value] of Object.entries(expected)) {
        if (value instanceof RegExp) assert.match(e[k], value, `${k} of ${e.name}`);
        else assert.deepEqual(e[k], value, `${k} of ${e.name}: ${e.message}`);
      }
      return true;
    },
  );
  assert.deepEqual(l.snapshot(), before, 'a refused call changed the ledger');
}

test('a ledger without chain options holds an empty seed-chain registry', () => {
  const l = new Ledger({ council: admin });
  const chain = l.chain();
  assert.equal(chain.preset.name, 'seed_chain');
  assert.equal(chain.preset.fork, 'Deneb');
  assert.equal(chain.currentEpoch, 0n);
  assert.equal(chain.validatorCount, 0);
  assert.equal(chain.activeValidators, 0n);
  assert.deepEqual(chain.finalized, { epoch: 0n, root: ZERO_ROOT });
  assert.deepEqual(l.validators(), []);
  assert.equal(l.validator(0), null);
  l.free();
});

test('chain() shows the preset, the epoch, finality and the registry', () => {
  const l = chained();
  assert.deepEqual(l.chain(), {
    preset: {
      name: 'seed_chain',
      fork: 'Deneb',
      secondsPerSlot: 12n,
      slotsPerEpoch: 32n,
      minDepositAmount: INCREMENT,
      maxEffectiveBalance: FULL,
      effectiveBalanceIncrement: INCREMENT,
      ejectionBalance: 500_000_000_000n,
      minActivationBalance: FULL,
      maxEffectiveBalanceElectra: 64_000_000_000_000n,
      maxSeedLookahead: 4n,
      minValidatorWithdrawabilityDelay: 256n,
      shardCommitteePeriod: 256n,
      minPerEpochChurnLimit: 4n,
      churnLimitQuotient: 65_536n,
      maxPerEpochActivationChurnLimit: 8n,
    },
    currentEpoch: 0n,
    justificationBits: 0,
    previousJustified: { epoch: 0n, root: ZERO_ROOT },
    currentJustified: { epoch: 0n, root: ZERO_ROOT },
    finalized: { epoch: 0n, root: ZERO_ROOT },
    validatorCount: 4,
    activeValidators: 4n,
    totalActiveBalance: 4n * FULL,
    pendingDeposits: 0,
    pendingVotes: 0,
  });
  l.free();
});

test('every named preset builds a chain that names it', () => {
  const forks = { phase0: 'Phase0', altair: 'Altair', bellatrix: 'Bellatrix', deneb: 'Deneb', electra: 'Electra', seed_chain: 'Deneb' };
  for (const [preset, fork] of Object.entries(forks)) {
    const l = new Ledger({ council: admin, chain: { preset } });
    assert.equal(l.chain().preset.name, preset);
    assert.equal(l.chain().preset.fork, fork);
    assert.equal(Ledger.restore(l.snapshot()).chain().preset.name, preset);
    l.free();
  }
  const mainnet = new Ledger({ council: admin, chain: { preset: 'phase0' } }).chain().preset;
  assert.equal(mainnet.maxEffectiveBalance, 32_000_000_000n);
  assert.equal(mainnet.minDepositAmount, 1_000_000_000n);
});

test('genesis validators: records, balances, paging and the key index', () => {
  const l = chained();
  assert.deepEqual(l.validator(2n), {
    index: 2n,
    pubkey: key(3),
    withdrawalCredentials: credentials,
    effectiveBalance: FULL,
    slashed: false,
    activationEligibilityEpoch: 0n,
    activationEpoch: 0n,
    exitEpoch: FAR_FUTURE_EPOCH,
    withdrawableEpoch: FAR_FUTURE_EPOCH,
    balance: FULL,
  });
  assert.equal(FAR_FUTURE_EPOCH, 2n ** 64n - 1n);
  assert.equal(l.validator(4), null);
  assert.equal(l.validator(2n ** 64n - 1n), null);
  assert.deepEqual(l.validators().map((v) => v.index), [0n, 1n, 2n, 3n]);
  assert.deepEqual(l.validators({ start: 1, limit: 2 }).map((v) => v.pubkey), [key(2), key(3)]);
  assert.deepEqual(l.validators({ start: 3n }).map((v) => v.index), [3n]);
  assert.deepEqual(l.validators({ start: 9 }), []);
  assert.deepEqual(l.validators({ limit: 0 }), []);
  assert.deepEqual(l.validators({ start: 2n ** 64n - 1n, limit: 2n ** 64n - 1n }), []);
  assert.equal(l.validatorIndex(key(4)), 3n);
  assert.equal(l.validatorIndex(key(4).toUpperCase().replace('0X', '0x')), 3n);
  assert.equal(l.validatorIndex(new Uint8Array(48).fill(2)), 1n);
  assert.equal(l.validatorIndex(key(9)), null);
  for (const bad of [
    () => l.validator(-1),
    () => l.validator('x'),
    () => l.validators({ start: -1 }),
    () => l.validatorIndex('0x01'),
    () => l.validatorIndex(new Uint8Array(47)),
    () => l.validatorIndex(42),
  ]) {
    assert.throws(bad, StakeholdError);
  }
  l.free();
});

test('deposit: a new validator, a top-up, and the typed message through submit', () => {
  const l = chained();
  assert.deepEqual(l.deposit(ctx, deposit(5)), [{ type: 'ValidatorDeposited', index: 4n, amount: FULL, balance: FULL }]);
  assert.deepEqual(l.deposit(ctx, deposit(5, INCREMENT)), [
    { type: 'ValidatorDeposited', index: 4n, amount: INCREMENT, balance: FULL + INCREMENT },
  ]);
  // Bytes as Uint8Array, amounts as number or digit strings.
  const bytes = {
    pubkey: new Uint8Array(48).fill(6),
    withdrawalCredentials: new Uint8Array(32),
    amount: String(INCREMENT),
    signature: new Uint8Array(96),
  };
  assert.deepEqual(l.submit(ctx, { type: 'Deposit', deposit: bytes }), [
    { type: 'ValidatorDeposited', index: 5n, amount: INCREMENT, balance: INCREMENT },
  ]);
  const fresh = l.validator(5);
  assert.equal(fresh.pubkey, key(6));
  assert.equal(fresh.withdrawalCredentials, ZERO_ROOT);
  assert.equal(fresh.effectiveBalance, INCREMENT);
  assert.equal(fresh.activationEpoch, FAR_FUTURE_EPOCH);
  assert.equal(l.chain().validatorCount, 6);
  assert.equal(l.chain().activeValidators, 4n, 'deposits after genesis wait in the activation queue');
  l.free();
});

test('electra: a deposit is queued, then credited when the epoch ends', () => {
  const MIN = 32_000_000_000n;
  const l = new Ledger({ council: admin, chain: { preset: 'electra', genesis: [1, 2, 3, 4].map((i) => deposit(i, MIN)) } });
  assert.equal(l.chain().activeValidators, 4n);
  assert.deepEqual(l.deposit(ctx, deposit(5, MIN)), [{ type: 'DepositQueued', index: 4n, amount: MIN }]);
  assert.equal(l.chain().pendingDeposits, 1);
  assert.equal(l.validator(4).balance, 0n);
  const events = endEpoch(l);
  assert.deepEqual(events.at(-1), { type: 'ValidatorDeposited', index: 4n, amount: MIN, balance: MIN });
  assert.equal(l.chain().pendingDeposits, 0);
  assert.equal(l.validator(4).balance, MIN);
  l.free();
});

test('four genesis validators attesting every epoch justify epoch 2 and then finalize it', () => {
  const l = chained();
  // A fifth validator waits in the activation queue until finality reaches its eligibility.
  l.deposit(ctx, deposit(5));
  const everyone = [0, 1, 2, 3];
  const ended = [];
  for (let e = 0n; e < 5n; e++) {
    const c = l.chain();
    assert.equal(c.currentEpoch, e);
    const previous = e === 0n ? 0n : e - 1n;
    // Votes for the previous epoch build on the previous justified checkpoint, votes for the
    // current one on the current justified checkpoint.
    assert.deepEqual(
      l.attest(ctx, { source: c.previousJustified, target: { epoch: previous, root: root(previous) }, validators: everyone }),
      [{ type: 'Attested', targetEpoch: previous, attesters: 4 }],
    );
    assert.deepEqual(
      l.submit(ctx, { type: 'Attest', source: c.currentJustified, target: { epoch: e, root: root(e) }, validators: everyone.map(BigInt) }),
      [{ type: 'Attested', targetEpoch: e, attesters: 4 }],
    );
    assert.ok(l.chain().pendingVotes >= 8);
    ended.push(endEpoch(l));
  }
  const processed = (epoch, target) => ({
    type: 'EpochProcessed',
    epoch,
    activeValidators: 4n,
    totalActiveBalance: 4n * FULL,
    previousTargetBalance: target,
    currentTargetBalance: target,
  });
  // Epochs 0 and 1: no justification yet (the spec skips the first two epochs).
  assert.deepEqual(ended[0], [processed(0n, 0n)]);
  assert.deepEqual(ended[1], [processed(1n, 0n)]);
  // End of epoch 2: epochs 1 and 2 justified.
  assert.deepEqual(ended[2], [
    processed(2n, 4n * FULL),
    { type: 'Justified', epoch: 1n, root: root(1) },
    { type: 'Justified', epoch: 2n, root: root(2) },
  ]);
  // End of epoch 3: epoch 3 justified, epoch 2 finalized; the queued validator (eligible from
  // epoch 1, now finalized) is activated at 3 + 1 + MAX_SEED_LOOKAHEAD.
  assert.deepEqual(ended[3], [
    processed(3n, 4n * FULL),
    { type: 'Justified', epoch: 3n, root: root(3) },
    { type: 'Finalized', epoch: 2n, root: root(2) },
    { type: 'ValidatorActivated', index: 4n, epoch: 8n },
  ]);
  assert.deepEqual(ended[4].slice(1), [
    { type: 'Justified', epoch: 4n, root: root(4) },
    { type: 'Finalized', epoch: 3n, root: root(3) },
  ]);
  const c = l.chain();
  assert.equal(c.currentEpoch, 5n);
  assert.equal(c.justificationBits, 0b1111);
  assert.deepEqual(c.previousJustified, { epoch: 3n, root: root(3) });
  assert.deepEqual(c.currentJustified, { epoch: 4n, root: root(4) });
  assert.deepEqual(c.finalized, { epoch: 3n, root: root(3) });
  assert.equal(l.validator(4).activationEpoch, 8n);
  assert.equal(l.validator(4).activationEligibilityEpoch, 1n);

  // Snapshot round trip with a chain: equal bytes, equal views, and the copy lives on alike.
  const snap = l.snapshot();
  assert.equal(snap[0], 2, 'snapshot format version 2');
  const r = Ledger.restore(snap);
  assert.deepEqual(r.snapshot(), snap);
  assert.deepEqual(r.chain(), c);
  assert.deepEqual(r.validators(), l.validators());
  assert.deepEqual(endEpoch(r), endEpoch(l));
  assert.deepEqual(r.snapshot(), l.snapshot());
  l.free();
  r.free();
});

test('voluntary exits: too young, not yet valid, unknown, not active; then an exit and a second one', () => {
  const l = chained();
  l.deposit(ctx, deposit(5));
  const exit = (epoch, validatorIndex) => (x) => x.voluntaryExit(ctx, { epoch, validatorIndex });
  refuses(l, exit(0, 0), { code: 714, name: 'TooYoungToExit', fields: { index: 0n, allowedFrom: 256n } });
  refuses(l, exit(5n, 0), { code: 713, name: 'ExitNotYetValid', fields: { index: 0n, validFrom: 5n } });
  refuses(l, exit(0, 9), { code: 708, name: 'UnknownValidator', fields: { index: 9n, count: 5n } });
  refuses(l, exit(0, 4), {
    code: 711, name: 'NotActive', fields: { index: 4n, activationEpoch: FAR_FUTURE_EPOCH, exitEpoch: FAR_FUTURE_EPOCH },
  });
  // SHARD_COMMITTEE_PERIOD: 256 epochs active before an exit.
  for (let e = 0; e < 256; e++) endEpoch(l);
  assert.equal(l.chain().currentEpoch, 256n);
  assert.deepEqual(l.voluntaryExit(ctx, { epoch: 256, validatorIndex: 0 }), [
    { type: 'ValidatorExiting', index: 0n, exitEpoch: 261n, withdrawableEpoch: 517n },
  ]);
  assert.equal(l.validator(0).exitEpoch, 261n);
  assert.equal(l.validator(0).withdrawableEpoch, 517n);
  refuses(l, exit(256, 0), { code: 712, name: 'ExitAlreadyInitiated', fields: { index: 0n, exitEpoch: 261n } });
  l.free();
});

test('chain errors from deposits and attestations leave the ledger unchanged', () => {
  const l = chained();
  const source = { epoch: 0n, root: ZERO_ROOT };
  const attest = (validators, target = { epoch: 0, root: root(0) }) => (x) => x.attest(ctx, { source, target, validators });
  refuses(l, (x) => x.deposit(ctx, deposit(9, INCREMENT - 1n)), {
    code: 717, name: 'BelowMinDeposit', fields: { amount: INCREMENT - 1n, min: INCREMENT },
  });
  refuses(l, attest([]), { code: 808, name: 'NoAttesters', fields: {} });
  refuses(l, attest([0], { epoch: 1, root: root(1) }), {
    code: 809, name: 'TargetEpochOutOfRange', fields: { target: 1n, current: 0n },
  });
  refuses(l, attest([0, 1, 4]), { code: 708, name: 'UnknownValidator', fields: { index: 4n, count: 4n } });
  endEpoch(l);
  endEpoch(l);
  endEpoch(l);
  refuses(l, attest([0], { epoch: 1, root: root(1) }), {
    code: 809, name: 'TargetEpochOutOfRange', fields: { target: 1n, current: 3n },
  });
  assert.deepEqual(attest([0], { epoch: 2, root: root(2) })(l), [{ type: 'Attested', targetEpoch: 2n, attesters: 1 }]);
  l.free();
});

test('bad chain inputs throw typed errors and change nothing', () => {
  const l = chained();
  const good = { source: { epoch: 0, root: ZERO_ROOT }, target: { epoch: 0, root: root(0) }, validators: [0] };
  const attest = (over) => (x) => x.attest(ctx, { ...good, ...over });
  const cases = [
    // Wrong hex lengths and types.
    [attest({ target: { epoch: 0, root: '0x1234' } }), 601, /msg\.target\.root: expected 0x and 64 hex digits, or a Uint8Array of 32 bytes/],
    [attest({ target: { epoch: 0, root: root(0).slice(2) } }), 601, /msg\.target\.root/],
    [attest({ target: { epoch: 0, root: `${root(0).slice(0, -1)}g` } }), 601, /msg\.target\.root/],
    [attest({ target: { epoch: 0, root: new Uint8Array(31) } }), 601, /msg\.target\.root/],
    [attest({ target: { epoch: 0, root: [...new Uint8Array(32)] } }), 601, /msg\.target\.root/],
    [attest({ source: null }), 601, /msg\.source: expected an object/],
    [attest({ target: { root: root(0) } }), 601, /msg\.target\.epoch/],
    // Negative and too-big integers.
    [attest({ target: { epoch: -1n, root: root(0) } }), 103, /msg\.target\.epoch: -1n is negative/],
    [attest({ source: { epoch: 2n ** 64n, root: ZERO_ROOT } }), 100, /msg\.source\.epoch: above 2\^64 - 1/],
    [attest({ validators: [0, -1] }), 103, /msg\.validators\[1\]: -1 is negative/],
    [attest({ validators: [0, 2n ** 64n] }), 100, /msg\.validators\[1\]: above 2\^64 - 1/],
    [attest({ validators: [0, 1.5] }), 103, /msg\.validators\[1\]: 1\.5 is not an integer/],
    // Too many validators for one message.
    [attest({ validators: Array.from({ length: 65 }, (_, i) => i % 4) }), 601, /at most 64 validators/],
    [attest({ validators: '0,1' }), 601, /msg\.validators: expected an array/],
    [(x) => x.attest(ctx, null), 601, /msg\.source: expected an object/],
    [(x) => x.deposit(ctx, null), 601, /msg\.deposit: expected an object/],
    [(x) => x.deposit(ctx, { ...deposit(9), pubkey: key(9).slice(0, -2) }), 601, /msg\.deposit\.pubkey: expected 0x and 96 hex digits/],
    [(x) => x.deposit(ctx, { ...deposit(9), withdrawalCredentials: new Uint8Array(33) }), 601, /msg\.deposit\.withdrawalCredentials/],
    [(x) => x.deposit(ctx, { ...deposit(9), signature: `0x${'00'.repeat(95)}` }), 601, /msg\.deposit\.signature: expected 0x and 192 hex digits, or a Uint8Array of 96 bytes/],
    [(x) => x.deposit(ctx, { ...deposit(9), amount: -FULL }), 103, /msg\.deposit\.amount/],
    [(x) => x.deposit(ctx, { ...deposit(9), amount: 2n ** 64n }), 100, /msg\.deposit\.amount: above 2\^64 - 1/],
    [(x) => x.voluntaryExit(ctx, { epoch: 0 }), 601, /msg\.exit\.validatorIndex/],
    [(x) => x.voluntaryExit(ctx, { epoch: -5, validatorIndex: 0 }), 103, /msg\.exit\.epoch: -5 is negative/],
    [(x) => x.voluntaryExit(ctx, 7), 601, /msg\.exit: expected an object/],
    [(x) => x.processEpoch(ctx, { previousEpochRoot: root(0) }), 601, /msg\.currentEpochRoot/],
    [(x) => x.processEpoch(ctx, undefined), 601, /msg\.previousEpochRoot/],
    [(x) => x.processEpoch({ caller: 'me', now: 0 }, { previousEpochRoot: root(0), currentEpochRoot: root(0) }), 600, /ctx\.caller/],
  ];
  for (const [f, code, message] of cases) refuses(l, f, { code, message });
  assert.throws(() => new Ledger({ council: admin, chain: { preset: 'mainnet' } }), { code: 601, message: /chain\.preset/ });
  assert.throws(() => new Ledger({ council: admin, chain: { genesis: deposit(1) } }), { code: 601, message: /chain\.genesis: expected an array/ });
  assert.throws(() => new Ledger({ council: admin, chain: { genesis: [deposit(1), { ...deposit(2), pubkey: 'zz' }] } }), {
    code: 601, message: /chain\.genesis\[1\]\.pubkey/,
  });
  assert.throws(() => new Ledger({ council: admin, chain: { genesis: [deposit(1), deposit(2, 5n)] } }), {
    code: 717, name: 'BelowMinDeposit', fields: { amount: 5n, min: INCREMENT },
  });
  l.free();
});

test('a snapshot whose chain records disagree is refused (ChainMismatch)', () => {
  const l = chained();
  const snap = l.snapshot();
  // Give validator 1 the public key of validator 0: one key, two validators.
  const second = Buffer.from(key(2).slice(2), 'hex');
  const first = Buffer.from(key(1).slice(2), 'hex');
  const offset = Buffer.from(snap).indexOf(second);
  assert.ok(offset > 0);
  const tampered = new Uint8Array(snap);
  tampered.set(first, offset);
  assert.throws(() => Ledger.restore(tampered), { code: 504, name: 'ChainMismatch', fields: {} });
  // A ledger without a chain option restores to the same empty seed chain.
  const staking = new Ledger({ council: admin });
  staking.stake(at(alice, T0), 2n * BTT);
  assert.deepEqual(Ledger.restore(staking.snapshot()).chain(), staking.chain());
  staking.free();
  l.free();
});

test('chain messages encode, decode, apply as bytes and in blocks', () => {
  const messages = [
    { type: 'Deposit', deposit: deposit(5) },
    { type: 'VoluntaryExit', exit: { epoch: 7n, validatorIndex: 3n } },
    { type: 'Attest', source: { epoch: 0n, root: ZERO_ROOT }, target: { epoch: 0n, root: root(0) }, validators: [0n, 1n, 2n] },
    { type: 'ProcessEpoch', previousEpochRoot: root(0), currentEpochRoot: root(0) },
  ];
  for (const msg of messages) {
    const bytes = encodeMessage(msg);
    assert.deepEqual(decodeMessage(bytes), msg);
  }
  assert.equal(hex(encodeMessage(messages[1])), `0141${'0700000000000000'}${'0300000000000000'}`);
  // Uppercase hex and byte arrays decode to lowercase hex.
  const upper = { type: 'ProcessEpoch', previousEpochRoot: `0x${'AB'.repeat(32)}`, currentEpochRoot: new Uint8Array(32).fill(0xcd) };
  assert.deepEqual(decodeMessage(encodeMessage(upper)), {
    type: 'ProcessEpoch', previousEpochRoot: `0x${'ab'.repeat(32)}`, currentEpochRoot: `0x${'cd'.repeat(32)}`,
  });

  const l = chained();
  assert.deepEqual(l.apply(ctx, encodeMessage(messages[0])), [{ type: 'ValidatorDeposited', index: 4n, amount: FULL, balance: FULL }]);
  const items = [messages[2], messages[1], messages[3]].map((msg) => ({ ctx, msg }));
  const outcome = l.applyBlock(encodeBlock(items));
  assert.deepEqual([...outcome.codes], [0, 713, 0]);
  assert.deepEqual([...outcome.eventCounts], [1, 0, 1]);
  const events = decodeEvents(outcome.events);
  assert.deepEqual(events[0], { type: 'Attested', targetEpoch: 0n, attesters: 3 });
  // The first two epochs are not tallied (the spec skips their justification).
  assert.deepEqual(events[1], {
    type: 'EpochProcessed', epoch: 0n, activeValidators: 4n, totalActiveBalance: 4n * FULL,
    previousTargetBalance: 0n, currentTargetBalance: 0n,
  });
  assert.equal(l.chain().currentEpoch, 1n);
  l.free();
});
