// Every method of the public API, its results as plain objects, and a snapshot round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import init, {
  Ledger,
  StakeholdError,
  decodeEvent,
  decodeEvents,
  decodeMessage,
  encodeBlock,
  encodeMessage,
  formatAmount,
  formatTime,
  parseAmount,
} from 'stakehold';
import { BTT, DAY, T0, WEEK, admin, alice, at, bob, hex } from './helpers.mjs';

const ledger = () => new Ledger({ council: admin });

test('init resolves at once in Node, and default export is init', async () => {
  assert.equal(typeof init, 'function');
  await init();
});

test('a new ledger has the BTFS defaults and its council', () => {
  const l = ledger();
  assert.deepEqual(l.params(), {
    unlockPeriod: WEEK,
    minStake: BTT,
    unlockPolicy: { type: 'Merged' },
  });
  assert.deepEqual(l.council(), { members: [{ account: admin, required: true }], threshold: 1 });
  assert.deepEqual(l.totals(), { totalStaked: 0n, totalUnlocked: 0n, totalSlashed: 0n, balance: 0n });
  assert.equal(l.accountCount, 0);
  assert.deepEqual(l.accounts(), []);
  l.free();
});

test('custom params and a 2-of-3 council with a required member', () => {
  const [c1, c2, c3] = ['c1', 'c2', 'c3'].map((b) => `0x${b.repeat(20)}`);
  const l = new Ledger({
    council: { members: [{ account: c1, required: true }, { account: c2 }, { account: c3 }], threshold: 2 },
    params: { unlockPeriod: 3600, minStake: '5', unlockPolicy: { type: 'Chunked', max: 3 } },
  });
  assert.deepEqual(l.params(), { unlockPeriod: 3600n, minStake: 5n, unlockPolicy: { type: 'Chunked', max: 3 } });
  assert.equal(l.council().threshold, 2);
  assert.equal(l.council().members[1].required, false);
  l.free();
});

test('stake, unstake, withdraw, rebond: events and views', () => {
  const l = ledger();
  assert.deepEqual(l.stake(at(alice, T0), 10n * BTT), [{ type: 'Staked', account: alice, amount: 10n * BTT }]);
  assert.deepEqual(l.unstake(at(alice, T0 + DAY), 4n * BTT), [
    { type: 'Unstaked', account: alice, amount: 4n * BTT, unlockTime: T0 + DAY + WEEK },
  ]);
  assert.deepEqual(l.rebond(at(alice, T0 + DAY), BTT), [{ type: 'Rebonded', account: alice, amount: BTT }]);

  const before = l.account(alice, T0 + DAY);
  assert.deepEqual(before, {
    address: alice,
    staked: 7n * BTT,
    unlocked: 3n * BTT,
    withdrawable: 0n,
    unlockTime: T0 + DAY + WEEK,
    unlocks: [{ amount: 3n * BTT, release: T0 + DAY + WEEK }],
  });
  assert.equal(l.account(alice, T0 + DAY + WEEK).withdrawable, 3n * BTT);

  assert.deepEqual(l.withdraw(at(alice, T0 + DAY + WEEK)), [{ type: 'Withdrawn', account: alice, amount: 3n * BTT }]);
  assert.deepEqual(l.totals(), {
    totalStaked: 7n * BTT,
    totalUnlocked: 0n,
    totalSlashed: 0n,
    balance: 7n * BTT,
  });
  assert.deepEqual(l.account(bob, T0), {
    address: bob, staked: 0n, unlocked: 0n, withdrawable: 0n, unlockTime: null, unlocks: [],
  });
  l.free();
});

test('council messages: slash, parameter update, council update', () => {
  const l = ledger();
  l.stake(at(alice, T0), 10n * BTT);
  assert.deepEqual(l.slash(at(admin, T0), { account: alice, amount: 2n * BTT, approvals: [admin] }), [
    {
      type: 'Slashed', account: alice, reason: { type: 'LostData' },
      requested: 2n * BTT, fromStaked: 2n * BTT, fromUnlocking: 0n,
    },
  ]);
  assert.equal(
    l.slash(at(admin, T0), { account: alice, amount: 1n, reason: { type: 'Other', code: 7 }, approvals: [admin] })[0]
      .reason.code,
    7,
  );
  const params = { unlockPeriod: 60n, minStake: 2n * BTT, unlockPolicy: { type: 'Chunked', max: 2 } };
  assert.deepEqual(l.updateStakeParams(at(admin, T0), { params, approvals: [admin] }), [
    { type: 'ParametersUpdated', unlockPeriod: 60n, minStake: 2n * BTT, unlockPolicy: { type: 'Chunked', max: 2 } },
  ]);
  assert.deepEqual(l.updateCouncil(at(admin, T0), { council: bob, approvals: [admin] }), [
    { type: 'CouncilUpdated', members: 1, required: 1, threshold: 1 },
  ]);
  assert.deepEqual(l.council().members, [{ account: bob, required: true }]);
  assert.equal(l.totals().totalSlashed, 2n * BTT + 1n);
  l.free();
});

test('apply takes encoded messages; encode and decode round-trip every message kind', () => {
  const messages = [
    { type: 'Stake', amount: 5n * BTT },
    { type: 'Unstake', amount: BTT },
    { type: 'Withdraw' },
    { type: 'Rebond', amount: 1n },
    { type: 'Slash', account: alice, amount: 2n ** 255n, reason: { type: 'Other', code: 4_000_000_000 }, approvals: [admin, bob] },
    { type: 'UpdateStakeParams', params: { unlockPeriod: 1n, minStake: 1n, unlockPolicy: { type: 'Merged' } }, approvals: [admin] },
    { type: 'UpdateCouncil', council: { members: [{ account: admin, required: false }, { account: bob, required: true }], threshold: 2 }, approvals: [admin] },
  ];
  for (const msg of messages) {
    const bytes = encodeMessage(msg);
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(bytes[0], 1, 'format version');
    const back = decodeMessage(bytes);
    assert.deepEqual(encodeMessage(back), bytes);
    assert.equal(back.type, msg.type);
  }
  assert.equal(hex(encodeMessage({ type: 'Withdraw' })), '0112');
  const l = ledger();
  assert.deepEqual(l.apply(at(alice, T0), encodeMessage({ type: 'Stake', amount: 2n * BTT })), [
    { type: 'Staked', account: alice, amount: 2n * BTT },
  ]);
  l.free();
});

test('decodeEvent reads the SCALE bytes of an event', () => {
  // Event::Staked (0x10), account 0x0101…, amount 1 BTT (32 bytes little-endian).
  const bytes = new Uint8Array([0x10, ...new Array(20).fill(1), ...Buffer.from('000064a7b3b6e00d', 'hex'), ...new Array(24).fill(0)]);
  assert.deepEqual(decodeEvent(bytes), { type: 'Staked', account: `0x${'01'.repeat(20)}`, amount: BTT });
});

test('snapshot → restore → snapshot is identical, and the restored ledger is live', () => {
  const l = ledger();
  l.stake(at(alice, T0), 10n * BTT);
  l.stake(at(bob, T0), 3n * BTT);
  l.unstake(at(bob, T0), BTT);
  const snap = l.snapshot();
  assert.ok(snap instanceof Uint8Array);
  const r = Ledger.restore(snap);
  assert.ok(r instanceof Ledger);
  assert.deepEqual(r.snapshot(), snap);
  assert.deepEqual(r.accounts(), [alice, bob].sort());
  assert.deepEqual(r.totals(), l.totals());
  r.withdraw(at(bob, T0 + WEEK));
  assert.notDeepEqual(r.snapshot(), snap);
  assert.deepEqual(l.snapshot(), snap, 'the original is independent of the restored copy');
  l.free();
  r.free();
});

test('free() releases the ledger; later use throws a clear error; free twice is fine', () => {
  const l = ledger();
  l.free();
  l.free();
  assert.throws(() => l.totals(), /this Ledger was freed/);
});

test('[Symbol.dispose] frees the ledger (a `using` declaration)', { skip: typeof Symbol.dispose !== 'symbol' }, () => {
  const l = ledger();
  l[Symbol.dispose]();
  assert.throws(() => l.accountCount, /freed/);
});

test('results are plain objects, not wasm-owned', () => {
  const l = ledger();
  const [event] = l.stake(at(alice, T0), BTT);
  assert.equal(Object.getPrototypeOf(event), Object.prototype);
  assert.equal(Object.getPrototypeOf(l.account(alice, T0)), Object.prototype);
  assert.equal(Object.getPrototypeOf(l.totals()), Object.prototype);
  l.free();
  assert.equal(event.amount, BTT, 'events outlive the ledger');
});

test('formatAmount, parseAmount, formatTime', () => {
  assert.equal(formatAmount(1_500_000_000_000_000_000n), '1.5');
  assert.equal(formatAmount('1500000000000000000'), '1.5');
  assert.equal(formatAmount(1234n, 2), '12.34');
  assert.equal(formatAmount(0n), '0');
  assert.equal(formatAmount(2n ** 256n - 1n, 0), (2n ** 256n - 1n).toString());
  assert.equal(parseAmount('1.5'), 1_500_000_000_000_000_000n);
  assert.equal(parseAmount('12.34', 2), 1234n);
  assert.equal(formatTime(T0 + 14n * 3600n + 120n), '2026-12-03 14:02 UTC');
  assert.equal(formatTime(T0 + 5n, true), '2026-12-03 00:00:05 UTC');
  assert.throws(() => parseAmount('1.2.3'), (e) => e instanceof StakeholdError && e.name === 'InvalidAmount');
  assert.throws(() => formatAmount(1n, 78), (e) => e.name === 'DecimalsTooLarge' && e.code === 102 && e.fields.decimals === 78);
});

test('applyBlock gives the results of applying each message in turn', () => {
  const items = [
    { ctx: at(alice, T0), msg: { type: 'Stake', amount: 5n * BTT } },
    { ctx: at(bob, T0), msg: { type: 'Withdraw' } },
    { ctx: at(alice, T0 + DAY), msg: { type: 'Unstake', amount: 2n * BTT } },
    { ctx: at(alice, T0 + DAY), msg: { type: 'Unstake', amount: 9n * BTT } },
    { ctx: at(alice, T0 + DAY + WEEK), msg: { type: 'Withdraw' } },
  ];
  const oneByOne = ledger();
  const expected = items.map(({ ctx, msg }) => {
    try {
      return { events: oneByOne.submit(ctx, msg), code: 0 };
    } catch (e) {
      assert.ok(e instanceof StakeholdError);
      return { events: [], code: e.code };
    }
  });
  const blocked = ledger();
  const outcome = blocked.applyBlock(encodeBlock(items));
  assert.deepEqual([...outcome.codes], expected.map((r) => r.code));
  assert.deepEqual([...outcome.codes], [0, 404, 0, 402, 0]);
  assert.deepEqual([...outcome.eventCounts], expected.map((r) => r.events.length));
  assert.deepEqual(decodeEvents(outcome.events), expected.flatMap((r) => r.events));
  assert.deepEqual(blocked.snapshot(), oneByOne.snapshot());

  const before = blocked.snapshot();
  const bytes = encodeBlock(items);
  assert.throws(() => blocked.applyBlock(bytes.slice(0, -1)), { code: 200, name: 'Truncated' });
  assert.throws(() => encodeBlock([{ ctx: at(alice, T0) }]), { code: 601 });
  assert.deepEqual(blocked.snapshot(), before, 'a block that does not decode applies nothing');
  oneByOne.free();
  blocked.free();
});
