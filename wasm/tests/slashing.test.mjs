// Slashing through the package: a proposer slashing and attester slashings (double and
// surround votes) through the typed methods, their events and the records they change, every
// evidence error (each leaving the ledger unchanged), bad inputs, and the correlation penalty
// on the day the dashboard estimate names.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FAR_FUTURE_EPOCH, Ledger, decodeMessage, encodeMessage, slashingTimeline } from 'stakehold';
import { admin } from './helpers.mjs';
import { FULL, HEAD, SLOTS, ZERO_ROOT, chained, ctx, deposit, endEpoch, honest, refuses, root } from './chain-fixtures.mjs';

// slash_validator on the seed chain (Deneb rules) at epoch 0, for a validator of 1000 coins:
/** effective_balance // MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX: the seed chain's 1000 ("up to
 * 1 coin"; Ethereum's 32 would take 31.25). */
const PENALTY = FULL / 1000n;
/** effective_balance // WHISTLEBLOWER_REWARD_QUOTIENT (512), all of it to the including block's
 * proposer (who is the whistleblower). */
const REWARD = FULL / 512n;
/** compute_activation_exit_epoch(0) = 0 + 1 + MAX_SEED_LOOKAHEAD (4). */
const EXIT = 5n;
/** max(exit + MIN_VALIDATOR_WITHDRAWABILITY_DELAY (256), 0 + EPOCHS_PER_SLASHINGS_VECTOR (8192)). */
const WITHDRAWABLE = 8192n;

const slashed = (index, proposer) => ({
  type: 'ValidatorSlashed', index, penalty: PENALTY, exitEpoch: EXIT, withdrawableEpoch: WITHDRAWABLE, proposer, reward: REWARD,
});

/** Validator 2's block header for slot 5, with a body root of `body` bytes. */
const header = (body, over = {}) => ({
  slot: 5n,
  proposerIndex: 2n,
  parentRoot: root(0),
  stateRoot: `0x${'5e'.repeat(32)}`,
  bodyRoot: `0x${body.repeat(32)}`,
  ...over,
});

/** What a vote of epoch 0's first slot says, with `source → target` epochs. */
const vote = (blockRoot, source = 0n, target = 0n) => ({
  slot: target * SLOTS,
  index: 0n,
  beaconBlockRoot: blockRoot,
  source: { epoch: source, root: source === 0n ? ZERO_ROOT : root(source) },
  target: { epoch: target, root: root(target) },
});
const OTHER = `0x${'0f'.repeat(32)}`;

test('a proposer slashing: validator 2 signed two blocks for slot 5', () => {
  const l = chained();
  const evidence = { header1: header('b1'), header2: header('b2') };
  assert.deepEqual(l.proposerSlashing(ctx, { proposer: 0n, evidence }), [slashed(2n, 0n)]);
  const v = l.validator(2);
  assert.deepEqual(
    [v.slashed, v.exitEpoch, v.withdrawableEpoch, v.balance, v.effectiveBalance],
    [true, EXIT, WITHDRAWABLE, FULL - PENALTY, FULL],
  );
  assert.equal(l.validator(0).balance, FULL + REWARD);
  assert.equal(l.chain().slashingsSum, FULL);
  // It stays active until its exit epoch, but its flags no longer count.
  assert.equal(l.chain().activeValidators, 4n);
  l.attest(ctx, honest(l, [0, 1, 2, 3]));
  assert.deepEqual(l.chain().participatingBalance.current, { source: 3n * FULL, target: 3n * FULL, head: 3n * FULL });
  // Slashed twice: no.
  refuses(l, (x) => x.proposerSlashing(ctx, { proposer: 1n, evidence }), {
    code: 721, name: 'NotSlashable', fields: { index: 2n, slashed: 1, activationEpoch: 0n, withdrawableEpoch: WITHDRAWABLE },
  });
  // The dashboard's timeline for it: the correlation penalty at epoch 4096, withdrawable at 8192.
  const timeline = slashingTimeline('seed_chain', l.validator(2), l.chain().currentEpoch);
  assert.equal(timeline.correlationPenaltyEpoch, 4096n);
  assert.equal(timeline.withdrawableEpoch, WITHDRAWABLE);
  // The snapshot keeps the slashing.
  const r = Ledger.restore(l.snapshot());
  assert.deepEqual(r.chain(), l.chain());
  assert.deepEqual(r.validator(2), l.validator(2));
  r.free();
  l.free();

  // Electra: effective_balance // 4096 for the penalty and for the whistleblower reward.
  const electra = chained('electra', 32_000_000_000n);
  const [event] = electra.submit(ctx, { type: 'ProposerSlashing', proposer: 3n, evidence });
  assert.equal(event.penalty, 32_000_000_000n / 4096n);
  assert.equal(event.reward, 32_000_000_000n / 4096n);
  electra.free();
});

test('proposer slashing errors leave the ledger unchanged', () => {
  const l = chained();
  l.deposit(ctx, deposit(5)); // validator 4, not active yet
  const slash = (header1, header2, proposer = 0n) => (x) => x.proposerSlashing(ctx, { proposer, evidence: { header1, header2 } });
  refuses(l, slash(header('b1'), header('b2', { slot: 6n })), {
    code: 718, name: 'ProposerSlotMismatch', fields: { slot1: 5n, slot2: 6n },
  });
  refuses(l, slash(header('b1'), header('b2', { proposerIndex: 3n })), {
    code: 719, name: 'ProposerIndexMismatch', fields: { index1: 2n, index2: 3n },
  });
  refuses(l, slash(header('b1'), header('b1')), { code: 720, name: 'IdenticalHeaders', fields: {} });
  refuses(l, slash(header('b1', { proposerIndex: 9n }), header('b2', { proposerIndex: 9n })), {
    code: 708, name: 'UnknownValidator', fields: { index: 9n, count: 5n },
  });
  refuses(l, slash(header('b1', { proposerIndex: 4n }), header('b2', { proposerIndex: 4n })), {
    code: 721,
    name: 'NotSlashable',
    fields: { index: 4n, slashed: 0, activationEpoch: FAR_FUTURE_EPOCH, withdrawableEpoch: FAR_FUTURE_EPOCH },
  });
  refuses(l, slash(header('b1'), header('b2'), 9n), { code: 708, name: 'UnknownValidator' });
  l.free();
});

test('an attester slashing: a double vote slashes the validators in both attestations', () => {
  const l = chained();
  const evidence = {
    attestation1: { attestingIndices: [0n, 1n, 3n], data: vote(HEAD) },
    attestation2: { attestingIndices: [1n, 2n, 3n], data: vote(OTHER) },
  };
  assert.deepEqual(l.attesterSlashing(ctx, { proposer: 0n, evidence }), [slashed(1n, 0n), slashed(3n, 0n)]);
  assert.deepEqual(
    l.validators().map((v) => [v.slashed, v.balance]),
    [[false, FULL + 2n * REWARD], [true, FULL - PENALTY], [false, FULL], [true, FULL - PENALTY]],
  );
  assert.equal(l.chain().slashingsSum, 2n * FULL);
  // The same evidence again: nobody left to slash.
  refuses(l, (x) => x.attesterSlashing(ctx, { proposer: 2n, evidence }), { code: 724, name: 'NoSlashableValidator', fields: {} });
  l.free();
});

test('an attester slashing: a surround vote, as a message object and as bytes', () => {
  const l = chained();
  // Validator 2 voted 0 → 3 and later 1 → 2: the second vote is inside the first.
  const msg = {
    type: 'AttesterSlashing',
    proposer: 3n,
    evidence: {
      attestation1: { attestingIndices: [2n], data: vote(HEAD, 0n, 3n) },
      attestation2: { attestingIndices: [2n], data: vote(HEAD, 1n, 2n) },
    },
  };
  const bytes = encodeMessage(msg);
  assert.deepEqual(decodeMessage(bytes), msg);
  assert.deepEqual(l.apply(ctx, bytes), [slashed(2n, 3n)]);
  // The evidence names the surrounding vote first: the other order is no evidence.
  const reversed = { attestation1: msg.evidence.attestation2, attestation2: msg.evidence.attestation1 };
  refuses(l, (x) => x.attesterSlashing(ctx, { proposer: 3n, evidence: reversed }), {
    code: 722, name: 'NotSlashableAttestations', fields: {},
  });
  l.free();
});

test('attester slashing errors leave the ledger unchanged', () => {
  const l = chained();
  const slash = (attestation1, attestation2) => (x) => x.attesterSlashing(ctx, { proposer: 0n, evidence: { attestation1, attestation2 } });
  const att = (attestingIndices, data) => ({ attestingIndices, data });
  // The same vote twice, and two votes that neither double nor surround each other.
  refuses(l, slash(att([1n], vote(HEAD)), att([1n], vote(HEAD))), { code: 722, name: 'NotSlashableAttestations', fields: {} });
  refuses(l, slash(att([1n], vote(HEAD, 0n, 1n)), att([1n], vote(HEAD, 0n, 2n))), { code: 722, name: 'NotSlashableAttestations' });
  // Indices must be non-empty and strictly increasing.
  refuses(l, slash(att([3n, 1n], vote(HEAD)), att([1n, 3n], vote(OTHER))), {
    code: 723, name: 'InvalidAttestingIndices', fields: { attestation: 1 },
  });
  refuses(l, slash(att([1n, 3n], vote(HEAD)), att([1n, 1n], vote(OTHER))), {
    code: 723, name: 'InvalidAttestingIndices', fields: { attestation: 2 },
  });
  refuses(l, slash(att([1n], vote(HEAD)), att([], vote(OTHER))), { code: 723, name: 'InvalidAttestingIndices', fields: { attestation: 2 } });
  // Nobody in both.
  refuses(l, slash(att([1n], vote(HEAD)), att([3n], vote(OTHER))), { code: 724, name: 'NoSlashableValidator', fields: {} });
  l.free();
});

test('bad slashing inputs throw typed errors and change nothing', () => {
  const l = chained();
  const proposer = { proposer: 0n, evidence: { header1: header('b1'), header2: header('b2') } };
  const attester = {
    proposer: 0n,
    evidence: { attestation1: { attestingIndices: [1n], data: vote(HEAD) }, attestation2: { attestingIndices: [1n], data: vote(OTHER) } },
  };
  const withHeader1 = (over) => (x) => x.proposerSlashing(ctx, { ...proposer, evidence: { ...proposer.evidence, header1: { ...header('b1'), ...over } } });
  const withAttestation2 = (over) => (x) =>
    x.attesterSlashing(ctx, { ...attester, evidence: { ...attester.evidence, attestation2: { ...attester.evidence.attestation2, ...over } } });
  const cases = [
    [(x) => x.proposerSlashing(ctx, { evidence: proposer.evidence }), 601, /^msg\.proposer: expected a bigint/],
    [(x) => x.proposerSlashing(ctx, { proposer: 0n }), 601, /^msg\.evidence: expected an object/],
    [(x) => x.proposerSlashing(ctx, null), 601, /^msg\.proposer/],
    [(x) => x.proposerSlashing(ctx, { proposer: 0n, evidence: { header1: header('b1') } }), 601, /^msg\.evidence\.header2: expected an object/],
    [withHeader1({ bodyRoot: '0xb1' }), 601, /^msg\.evidence\.header1\.bodyRoot: expected 0x and 64 hex digits/],
    [withHeader1({ slot: -5 }), 103, /^msg\.evidence\.header1\.slot: -5 is negative/],
    [withHeader1({ proposerIndex: 2n ** 64n }), 100, /^msg\.evidence\.header1\.proposerIndex: above 2\^64 - 1/],
    [withAttestation2({ attestingIndices: Array.from({ length: 17 }, (_, i) => i) }), 601, /^msg\.evidence\.attestation2\.attestingIndices: at most 16 validators per attestation/],
    [withAttestation2({ attestingIndices: [0, 'x'] }), 103, /^msg\.evidence\.attestation2\.attestingIndices\[1\]: "x" is not a string of decimal digits/],
    [withAttestation2({ data: { ...vote(OTHER), target: { epoch: -1, root: root(0) } } }), 103, /^msg\.evidence\.attestation2\.data\.target\.epoch: -1 is negative/],
    [withAttestation2({ data: undefined }), 601, /^msg\.evidence\.attestation2\.data: expected an object/],
    [(x) => x.attesterSlashing(ctx, { ...attester, evidence: { attestation1: attester.evidence.attestation1 } }), 601, /^msg\.evidence\.attestation2: expected an object/],
  ];
  for (const [f, code, message] of cases) refuses(l, f, { code, message });
  l.free();
});

test('the correlation penalty falls on the epoch the dashboard estimate names (day 18)', () => {
  // Eight validators, one slashed: the correlation penalty takes 3 × 1/7 of its effective
  // balance (PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX 3 times the share slashed).
  const l = new Ledger({ council: admin, chain: { genesis: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => deposit(i)) } });
  l.proposerSlashing(ctx, { proposer: 0n, evidence: { header1: header('b1'), header2: header('b2') } });
  const { correlationPenaltyEpoch } = slashingTimeline('seed_chain', l.validator(2), 0n);
  // The seven others attest every epoch (so the chain finalizes and does not leak) until the
  // epoch of the penalty.
  const honestSeven = () => l.attest(ctx, honest(l, [0, 1, 3, 4, 5, 6, 7]));
  while (l.chain().currentEpoch < correlationPenaltyEpoch) {
    honestSeven();
    assert.ok(endEpoch(l).every((e) => e.type !== 'CorrelationPenalty'));
  }
  // process_slashings: increments · min(sum(slashings) · 3, total) // total · increment.
  const { totalActiveBalance, slashingsSum, preset } = l.chain();
  assert.deepEqual([totalActiveBalance, slashingsSum], [7n * FULL, FULL]);
  const increment = preset.effectiveBalanceIncrement;
  const adjusted = slashingsSum * 3n < totalActiveBalance ? slashingsSum * 3n : totalActiveBalance;
  const { effectiveBalance, balance } = l.validator(2);
  const penalty = (((effectiveBalance / increment) * adjusted) / totalActiveBalance) * increment;
  assert.ok(penalty > 0n && penalty < balance);
  honestSeven();
  const events = endEpoch(l);
  assert.deepEqual(events.filter((e) => e.type === 'CorrelationPenalty'), [{ type: 'CorrelationPenalty', index: 2n, penalty }]);
  assert.equal(l.chain().currentEpoch, correlationPenaltyEpoch + 1n);
  // The slashed validator missed every vote since: it paid its penalties, then this one.
  assert.ok(l.validator(2).balance < balance - penalty);
  l.free();
});
