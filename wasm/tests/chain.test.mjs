// The proof-of-stake chain through the package: the constructor's genesis, the typed methods
// and `submit`, the read side, every deposit, exit and attestation error reachable from
// JavaScript (each leaving the ledger unchanged), bad inputs, attestations' flags and the
// proposer's reward, an epoch's rewards and penalties, a chain reaching finality, and
// snapshots. Slashings: slashing.test.mjs.
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
import {
  FULL,
  HEAD,
  INCREMENT,
  SLOTS,
  ZERO_ROOT,
  chained,
  credentials,
  ctx,
  deposit,
  endEpoch,
  honest,
  key,
  refuses,
  root,
} from './chain-fixtures.mjs';

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
      baseRewardFactor: 358n,
      minEpochsToInactivityPenalty: 4n,
      inactivityScoreBias: 4n,
      inactivityScoreRecoveryRate: 16n,
      inactivityPenaltyQuotient: 16_777_216n,
      epochsPerSlashingsVector: 8192n,
      minSlashingPenaltyQuotient: 1000n,
      proportionalSlashingMultiplier: 3n,
      whistleblowerRewardQuotient: 512n,
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
    participatingBalance: { previous: { source: 0n, target: 0n, head: 0n }, current: { source: 0n, target: 0n, head: 0n } },
    slashingsSum: 0n,
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
    inactivityScore: 0n,
    participation: { previous: 0, current: 0 },
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
  // The fork's own quotients: Electra's slashing and whistleblower quotients (4096 each).
  const { minSlashingPenaltyQuotient, whistleblowerRewardQuotient, proportionalSlashingMultiplier } = l.chain().preset;
  assert.deepEqual([minSlashingPenaltyQuotient, whistleblowerRewardQuotient, proportionalSlashingMultiplier], [4096n, 4096n, 3n]);
  assert.deepEqual(l.deposit(ctx, deposit(5, MIN)), [{ type: 'DepositQueued', index: 4n, amount: MIN }]);
  assert.equal(l.chain().pendingDeposits, 1);
  assert.equal(l.validator(4).balance, 0n);
  const events = endEpoch(l);
  assert.deepEqual(events.at(-1), { type: 'ValidatorDeposited', index: 4n, amount: MIN, balance: MIN });
  assert.equal(l.chain().pendingDeposits, 0);
  assert.equal(l.validator(4).balance, MIN);
  l.free();
});

// Rewards on the seed chain with four validators of 1000 coins active (Altair rules on): the
// base reward per increment is 31.25e9 · BASE_REWARD_FACTOR / √4e12 = 5,593,750 Gwei (the seed
// chain's factor is 358 ≈ 64 · √31.25, so that a coin earns what it does on Ethereum with as
// many validators), and a validator has 32 increments.
const BASE_REWARD = 32n * ((31_250_000_000n * 358n) / 2_000_000n);
/** The weights of the timely source, target and head flags, of WEIGHT_DENOMINATOR 64. */
const WEIGHTS = [14n, 26n, 14n];
/** A block proposer's reward for including new `flags` (bits) of `n` validators:
 * Σ base_reward · weight // ((64 − PROPOSER_WEIGHT 8) · 64 // 8). */
const proposerReward = (n, flags) =>
  (BigInt(n) * BASE_REWARD * WEIGHTS.reduce((sum, w, i) => (flags & (1 << i) ? sum + w : sum), 0n)) / 448n;
/** An epoch's rewards when all four took part with every flag: per validator and flag,
 * base_reward · weight · participating increments // (active increments · 64). */
const FULL_EPOCH_REWARDS = 4n * WEIGHTS.reduce((sum, w) => sum + (BASE_REWARD * w) / 64n, 0n);

/** The sum of every validator's balance. */
const balances = (l) => l.validators().reduce((sum, v) => sum + v.balance, 0n);

/** Ends the epoch and checks that the balances moved by its rewards minus its penalties. */
function endEpochBalanced(l) {
  const before = balances(l);
  const events = endEpoch(l);
  const [{ rewards, penalties }] = events;
  assert.equal(balances(l) - before, rewards - penalties, 'balances follow EpochProcessed');
  return events;
}

test('four genesis validators attesting every epoch justify epoch 2 and then finalize it', () => {
  const l = chained();
  // A fifth validator waits in the activation queue until finality reaches its eligibility.
  l.deposit(ctx, deposit(5));
  const everyone = [0, 1, 2, 3];
  const ended = [];
  for (let e = 0n; e < 5n; e++) {
    assert.equal(l.chain().currentEpoch, e);
    // All four attest at the epoch's first slot; the next block includes them: every flag.
    assert.deepEqual(l.attest(ctx, honest(l, everyone)), [
      { type: 'Attested', targetEpoch: e, attesters: 4, flags: 0b111, proposerReward: proposerReward(4, 0b111) },
    ]);
    // The same votes in a later block (not timely for the head): nobody's flags change, and
    // that block's proposer earns nothing.
    assert.deepEqual(l.submit(ctx, { type: 'Attest', ...honest(l, everyone.map(BigInt), { delay: 2n, proposer: 1n }) }), [
      { type: 'Attested', targetEpoch: e, attesters: 0, flags: 0b011, proposerReward: 0n },
    ]);
    const all = { source: 4n * FULL, target: 4n * FULL, head: 4n * FULL };
    assert.deepEqual(l.chain().participatingBalance.current, all);
    assert.deepEqual(l.validator(3).participation, { previous: e === 0n ? 0 : 0b111, current: 0b111 });
    ended.push(endEpochBalanced(l));
  }
  const processed = (epoch, rewards, previousTarget = 4n * FULL) => ({
    type: 'EpochProcessed',
    epoch,
    activeValidators: 4n,
    totalActiveBalance: 4n * FULL,
    previousTargetBalance: previousTarget,
    currentTargetBalance: 4n * FULL,
    inactivityLeak: 0,
    rewards,
    penalties: 0n,
  });
  // Epochs 0 and 1: no justification yet (the spec skips the first two epochs), though the
  // target balances are weighed (the genesis epoch has no previous one: get_total_balance's
  // floor of one increment); no rewards at the end of the genesis epoch, then each epoch
  // rewards the one before.
  assert.deepEqual(ended[0], [processed(0n, 0n, INCREMENT)]);
  assert.deepEqual(ended[1], [processed(1n, FULL_EPOCH_REWARDS)]);
  // End of epoch 2: epochs 1 and 2 justified.
  assert.deepEqual(ended[2], [
    processed(2n, FULL_EPOCH_REWARDS),
    { type: 'Justified', epoch: 1n, root: root(1) },
    { type: 'Justified', epoch: 2n, root: root(2) },
  ]);
  // End of epoch 3: epoch 3 justified, epoch 2 finalized; the queued validator (eligible from
  // epoch 1, now finalized) is activated at 3 + 1 + MAX_SEED_LOOKAHEAD.
  assert.deepEqual(ended[3], [
    processed(3n, FULL_EPOCH_REWARDS),
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
  // The participation rotated: epoch 4's is the previous one, epoch 5's is empty so far.
  assert.deepEqual(c.participatingBalance, {
    previous: { source: 4n * FULL, target: 4n * FULL, head: 4n * FULL },
    current: { source: 0n, target: 0n, head: 0n },
  });
  assert.equal(l.validator(4).activationEpoch, 8n);
  assert.equal(l.validator(4).activationEligibilityEpoch, 1n);
  // Validator 0 proposed the five first inclusions; every validator earned four epochs'
  // rewards (epochs 0 to 3).
  const epochReward = FULL_EPOCH_REWARDS / 4n;
  assert.equal(l.validator(0).balance, FULL + 5n * proposerReward(4, 0b111) + 4n * epochReward);
  assert.equal(l.validator(2).balance, FULL + 4n * epochReward);
  assert.equal(l.validator(2).effectiveBalance, FULL);

  // Snapshot round trip with a chain: equal bytes, equal views, and the copy lives on alike.
  const snap = l.snapshot();
  assert.equal(snap[0], 3, 'snapshot format version 3');
  const r = Ledger.restore(snap);
  assert.deepEqual(r.snapshot(), snap);
  assert.deepEqual(r.chain(), c);
  assert.deepEqual(r.validators(), l.validators());
  assert.deepEqual(r.attest(ctx, honest(r, [0, 1])), l.attest(ctx, honest(l, [0, 1])));
  assert.deepEqual(endEpoch(r), endEpoch(l));
  assert.deepEqual(r.snapshot(), l.snapshot());
  l.free();
  r.free();
});

test('an attestation earns the flags its roots and inclusion delay deserve, and the proposer a reward', () => {
  const l = chained();
  const OTHER = `0x${'0f'.repeat(32)}`;
  const attested = (flags, attesters = 1) => [
    { type: 'Attested', targetEpoch: 0n, attesters, flags, proposerReward: proposerReward(attesters, flags) },
  ];
  // Validator 0 votes for another head: timely source and target.
  const wrongHead = honest(l, [0]);
  assert.deepEqual(l.attest(ctx, { ...wrongHead, data: { ...wrongHead.data, beaconBlockRoot: OTHER } }), attested(0b011));
  // Validator 1 votes for another target block: the source only (the head needs the target).
  const wrongTarget = honest(l, [1]);
  assert.deepEqual(
    l.attest(ctx, { ...wrongTarget, data: { ...wrongTarget.data, target: { epoch: 0n, root: OTHER } } }),
    attested(0b001),
  );
  // Validator 2's vote is included 6 slots later: past √32 slots for the source, 1 for the
  // head; the target is still timely.
  assert.deepEqual(l.attest(ctx, honest(l, [2], { delay: 6n })), attested(0b010));
  // Validator 3 on time: every flag.
  assert.deepEqual(l.attest(ctx, honest(l, [3])), attested(0b111));
  // Validator 0 again, right this time: it gains the head flag, and the proposer its weight.
  assert.deepEqual(l.attest(ctx, honest(l, [0])), [
    { type: 'Attested', targetEpoch: 0n, attesters: 1, flags: 0b111, proposerReward: proposerReward(1, 0b100) },
  ]);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => l.validator(i).participation.current),
    [0b111, 0b001, 0b010, 0b111],
  );
  assert.deepEqual(l.chain().participatingBalance.current, { source: 3n * FULL, target: 3n * FULL, head: 2n * FULL });
  const paid = [proposerReward(1, 0b011), proposerReward(1, 0b001), proposerReward(1, 0b010), proposerReward(1, 0b111), proposerReward(1, 0b100)];
  assert.equal(l.validator(0).balance, FULL + paid.reduce((a, b) => a + b));
  assert.deepEqual(paid, [15_982_142n, 5_593_750n, 10_388_392n, 21_575_892n, 5_593_750n]);
  l.free();

  // Phase 0 keeps the matching bits and rewards inclusion at the epoch's end: no proposer
  // reward now.
  const p0 = chained('phase0', 32_000_000_000n);
  assert.deepEqual(p0.attest(ctx, honest(p0, [0, 1, 2, 3])), [
    { type: 'Attested', targetEpoch: 0n, attesters: 4, flags: 0b111, proposerReward: 0n },
  ]);
  p0.free();
});

test('a late attestation counts for the target under Deneb rules and is refused before Deneb', () => {
  for (const [preset, amount] of [['seed_chain', FULL], ['deneb', 32_000_000_000n], ['altair', 32_000_000_000n]]) {
    const l = chained(preset, amount);
    for (let e = 0; e < 3; e++) endEpoch(l);
    // In epoch 3, a vote for epoch 2's target from its first slot (64), included at slot 97:
    // 33 slots, more than an epoch.
    const late = honest(l, [0, 1]);
    const source = l.chain().previousJustified;
    const vote = {
      ...late,
      data: { ...late.data, slot: 2n * SLOTS, source, target: { epoch: 2n, root: root(2) } },
      block: { ...late.block, targetRoot: root(2) },
    };
    if (preset === 'altair') {
      refuses(l, (x) => x.attest(ctx, vote), {
        code: 813, name: 'InclusionTooLate', fields: { slot: 64n, inclusionSlot: 97n },
      });
    } else {
      const [attested] = l.attest(ctx, vote);
      assert.equal(attested.flags, 0b010, preset);
      assert.equal(attested.targetEpoch, 2n);
      assert.deepEqual(l.validator(0).participation, { previous: 0b010, current: 0 });
    }
    l.free();
  }
});

test('an epoch without attestations: penalties, then the inactivity leak and its scores', () => {
  const l = chained();
  // Nobody voted in epoch 0: at the end of epoch 1, each validator loses the source and
  // target weights of its base reward (the head has no penalty).
  endEpochBalanced(l);
  const [missed] = endEpochBalanced(l);
  const sourceAndTarget = (BASE_REWARD * 14n) / 64n + (BASE_REWARD * 26n) / 64n;
  assert.deepEqual(missed, {
    type: 'EpochProcessed',
    epoch: 1n,
    activeValidators: 4n,
    totalActiveBalance: 4n * FULL,
    // Nobody: get_total_balance's floor of one increment.
    previousTargetBalance: INCREMENT,
    currentTargetBalance: INCREMENT,
    inactivityLeak: 0,
    rewards: 0n,
    penalties: 4n * sourceAndTarget,
  });
  // More than MIN_EPOCHS_TO_INACTIVITY_PENALTY (4) epochs since finality: from the end of
  // epoch 6 (whose previous epoch, 5, is 5 epochs past the finalized 0) the chain leaks.
  const leaks = [];
  for (let e = 2n; e <= 7n; e++) leaks.push(endEpochBalanced(l)[0].inactivityLeak);
  assert.deepEqual(leaks, [0, 0, 0, 0, 1, 1]);
  // In the leak each absent validator's score grows by INACTIVITY_SCORE_BIAS (4) an epoch, and
  // costs effective_balance · score / (4 · INACTIVITY_PENALTY_QUOTIENT_BELLATRIX 2^24).
  assert.equal(l.validator(1).inactivityScore, 8n);
  const [leaking] = endEpochBalanced(l);
  assert.equal(leaking.inactivityLeak, 1);
  assert.equal(leaking.penalties, 4n * (sourceAndTarget + (FULL * 12n) / (4n * 2n ** 24n)));
  assert.equal(l.validator(1).inactivityScore, 12n);
  l.free();
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
  refuses(l, (x) => x.deposit(ctx, deposit(9, INCREMENT - 1n)), {
    code: 717, name: 'BelowMinDeposit', fields: { amount: INCREMENT - 1n, min: INCREMENT },
  });
  l.deposit(ctx, deposit(5)); // validator 4, not active
  for (let e = 0; e < 3; e++) endEpoch(l);
  const good = honest(l, [0]);
  const attest = (over) => (x) => x.attest(ctx, { ...good, ...over });
  const data = (over) => attest({ data: { ...good.data, ...over } });
  const block = (over) => attest({ block: { ...good.block, ...over } });
  refuses(l, attest({ validators: [] }), { code: 808, name: 'NoAttesters', fields: {} });
  refuses(l, data({ slot: 4n * SLOTS, target: { epoch: 4n, root: root(4) } }), {
    code: 809, name: 'TargetEpochOutOfRange', fields: { target: 4n, current: 3n },
  });
  refuses(l, data({ slot: SLOTS, target: { epoch: 1n, root: root(1) } }), {
    code: 809, name: 'TargetEpochOutOfRange', fields: { target: 1n, current: 3n },
  });
  refuses(l, data({ slot: 2n * SLOTS }), { code: 810, name: 'TargetEpochMismatch', fields: { target: 3n, slot: 64n } });
  refuses(l, block({ slot: 4n * SLOTS }), {
    code: 811, name: 'InclusionOutsideEpoch', fields: { inclusionSlot: 128n, current: 3n },
  });
  refuses(l, block({ slot: 3n * SLOTS }), { code: 812, name: 'InclusionTooEarly', fields: { slot: 96n, inclusionSlot: 96n } });
  refuses(l, attest({ validators: [0, 1, 5] }), { code: 708, name: 'UnknownValidator', fields: { index: 5n, count: 5n } });
  refuses(l, attest({ validators: [0, 4] }), { code: 815, name: 'AttesterNotActive', fields: { index: 4n, epoch: 3n } });
  refuses(l, block({ proposer: 9n }), { code: 708, name: 'UnknownValidator', fields: { index: 9n, count: 5n } });
  refuses(l, data({ source: { epoch: 1n, root: root(1) } }), { code: 814, name: 'WrongSource', fields: { expected: 0n, found: 1n } });
  assert.deepEqual(attest({})(l), [{ type: 'Attested', targetEpoch: 3n, attesters: 1, flags: 0b111, proposerReward: proposerReward(1, 0b111) }]);
  l.free();
});

test('bad chain inputs throw typed errors and change nothing', () => {
  const l = chained();
  const good = honest(l, [0]);
  const attest = (over) => (x) => x.attest(ctx, { ...good, ...over });
  const data = (over) => attest({ data: { ...good.data, ...over } });
  const block = (over) => attest({ block: { ...good.block, ...over } });
  const cases = [
    // Wrong hex lengths and types.
    [data({ target: { epoch: 0, root: '0x1234' } }), 601, /msg\.data\.target\.root: expected 0x and 64 hex digits, or a Uint8Array of 32 bytes/],
    [data({ target: { epoch: 0, root: root(0).slice(2) } }), 601, /msg\.data\.target\.root/],
    [data({ target: { epoch: 0, root: `${root(0).slice(0, -1)}g` } }), 601, /msg\.data\.target\.root/],
    [data({ target: { epoch: 0, root: new Uint8Array(31) } }), 601, /msg\.data\.target\.root/],
    [data({ target: { epoch: 0, root: [...new Uint8Array(32)] } }), 601, /msg\.data\.target\.root/],
    [data({ beaconBlockRoot: 7 }), 601, /msg\.data\.beaconBlockRoot: expected 0x and 64 hex digits/],
    [block({ headRoot: HEAD.slice(0, -2) }), 601, /msg\.block\.headRoot/],
    [data({ source: null }), 601, /msg\.data\.source: expected an object/],
    [data({ target: { root: root(0) } }), 601, /msg\.data\.target\.epoch/],
    [attest({ data: null }), 601, /msg\.data: expected an object/],
    [attest({ block: undefined }), 601, /msg\.block: expected an object/],
    // Negative, fractional and too-big integers.
    [data({ target: { epoch: -1n, root: root(0) } }), 103, /msg\.data\.target\.epoch: -1n is negative/],
    [data({ source: { epoch: 2n ** 64n, root: ZERO_ROOT } }), 100, /msg\.data\.source\.epoch: above 2\^64 - 1/],
    [data({ index: 'one' }), 103, /msg\.data\.index: "one" is not a string of decimal digits/],
    [block({ slot: 1.5 }), 103, /msg\.block\.slot: 1\.5 is not an integer/],
    [block({ proposer: -2 }), 103, /msg\.block\.proposer: -2 is negative/],
    [attest({ validators: [0, -1] }), 103, /msg\.validators\[1\]: -1 is negative/],
    [attest({ validators: [0, 2n ** 64n] }), 100, /msg\.validators\[1\]: above 2\^64 - 1/],
    [attest({ validators: [0, 1.5] }), 103, /msg\.validators\[1\]: 1\.5 is not an integer/],
    // Too many validators for one message.
    [attest({ validators: Array.from({ length: 65 }, (_, i) => i % 4) }), 601, /msg\.validators: at most 64 validators/],
    [attest({ validators: '0,1' }), 601, /msg\.validators: expected an array/],
    [(x) => x.attest(ctx, null), 601, /msg\.data: expected an object/],
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
  const header = (bodyByte) => ({
    slot: 5n,
    proposerIndex: 2n,
    parentRoot: root(0),
    stateRoot: `0x${'5e'.repeat(32)}`,
    bodyRoot: `0x${bodyByte.repeat(32)}`,
  });
  const vote = (blockRoot) => ({
    slot: 0n, index: 0n, beaconBlockRoot: blockRoot, source: { epoch: 0n, root: ZERO_ROOT }, target: { epoch: 0n, root: root(0) },
  });
  const messages = [
    { type: 'Deposit', deposit: deposit(5) },
    { type: 'VoluntaryExit', exit: { epoch: 7n, validatorIndex: 3n } },
    {
      type: 'Attest',
      data: vote(HEAD),
      validators: [0n, 1n, 2n],
      block: { slot: 1n, proposer: 3n, targetRoot: root(0), headRoot: HEAD },
    },
    { type: 'ProcessEpoch', previousEpochRoot: root(0), currentEpochRoot: root(0) },
    { type: 'ProposerSlashing', proposer: 0n, evidence: { header1: header('b1'), header2: header('b2') } },
    {
      type: 'AttesterSlashing',
      proposer: 1n,
      evidence: {
        attestation1: { attestingIndices: [2n, 3n], data: vote(HEAD) },
        attestation2: { attestingIndices: [3n], data: vote(ZERO_ROOT) },
      },
    },
  ];
  for (const msg of messages) {
    const bytes = encodeMessage(msg);
    assert.deepEqual(decodeMessage(bytes), msg);
  }
  assert.equal(hex(encodeMessage(messages[1])), `0141${'0700000000000000'}${'0300000000000000'}`);
  // Attest: the data (128 bytes), compact(3), three indices, the including block (80 bytes).
  assert.equal(encodeMessage(messages[2]).length, 2 + 128 + 1 + 3 * 8 + 80);
  // ProposerSlashing: the proposer, two 112-byte headers (their SSZ bytes).
  assert.equal(hex(encodeMessage(messages[4]).subarray(0, 2 + 8 + 8 + 8)), `0142${'00'.repeat(8)}0500000000000000${'02'.padEnd(16, '0')}`);
  assert.equal(encodeMessage(messages[4]).length, 2 + 8 + 2 * 112);
  assert.equal(encodeMessage(messages[5]).length, 2 + 8 + (1 + 2 * 8 + 128) + (1 + 8 + 128));
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
  assert.deepEqual(events[0], {
    type: 'Attested', targetEpoch: 0n, attesters: 3, flags: 0b111, proposerReward: proposerReward(3, 0b111),
  });
  // The genesis epoch: three of four voted for its target; no previous epoch, no rewards.
  assert.deepEqual(events[1], {
    type: 'EpochProcessed', epoch: 0n, activeValidators: 4n, totalActiveBalance: 4n * FULL,
    previousTargetBalance: INCREMENT, currentTargetBalance: 3n * FULL, inactivityLeak: 0, rewards: 0n, penalties: 0n,
  });
  assert.equal(l.chain().currentEpoch, 1n);
  assert.equal(l.validator(3).balance, FULL + proposerReward(3, 0b111));
  l.free();
});
