// Every error path: refused transitions carry the core's code, name and fields; bad JavaScript
// input throws a StakeholdError with a clear message. Either way the ledger is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger, StakeholdError, decodeEvent, decodeMessage, encodeMessage, formatTime } from 'stakehold';
import { BTT, DAY, T0, WEEK, admin, alice, at, bob } from './helpers.mjs';

/** A ledger where alice has 10 BTT staked and 4 BTT unlocking until T0 + WEEK. */
function busy() {
  const l = new Ledger({ council: admin });
  l.stake(at(alice, T0), 10n * BTT);
  l.unstake(at(alice, T0), 4n * BTT);
  return l;
}

/** `f(ledger)` throws a StakeholdError matching `expected`, and the ledger is unchanged. */
function refuses(f, expected) {
  const l = busy();
  const before = l.snapshot();
  assert.throws(
    () => f(l),
    (e) => {
      assert.ok(e instanceof StakeholdError, `not a StakeholdError: ${e}`);
      assert.ok(e instanceof Error);
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
      assert.ok(e.stack.includes('StakeholdError') || e.stack.includes(e.name));
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(e[key], value, `${key} of ${e.name}: ${e.message}`);
      }
      return true;
    },
  );
  assert.deepEqual(l.snapshot(), before, 'a refused call changed the ledger');
  l.free();
}

test('staking errors carry code, name and fields', () => {
  refuses((l) => l.stake(at(bob, T0), BTT - 1n), {
    code: 400, name: 'BelowMinStake', fields: { amount: BTT - 1n, min: BTT },
  });
  refuses((l) => l.unstake(at(alice, T0), 0n), { code: 401, name: 'ZeroAmount', fields: {} });
  refuses((l) => l.unstake(at(alice, T0), 7n * BTT), {
    code: 402, name: 'ExceedsStaked', fields: { requested: 7n * BTT, staked: 6n * BTT },
  });
  refuses((l) => l.withdraw(at(alice, T0 + WEEK - 1n)), {
    code: 403, name: 'StillLocked', fields: { unlockTime: T0 + WEEK },
    message: `funds are locked until ${formatTime(T0 + WEEK)}`,
  });
  refuses((l) => l.withdraw(at(bob, T0)), { code: 404, name: 'NothingToWithdraw' });
  refuses((l) => l.rebond(at(alice, T0), 5n * BTT), {
    code: 406, name: 'ExceedsUnlocking', fields: { requested: 5n * BTT, unlocking: 4n * BTT },
  });
  refuses((l) => l.slash(at(admin, T0), { account: bob, amount: 1n, approvals: [admin] }), {
    code: 407, name: 'NothingToSlash', fields: { account: bob },
  });
  const params = (over) => ({ unlockPeriod: WEEK, minStake: BTT, unlockPolicy: { type: 'Merged' }, ...over });
  refuses((l) => l.updateStakeParams(at(admin, T0), { params: params({ minStake: 0n }), approvals: [admin] }), {
    code: 408, name: 'ZeroMinStake',
  });
  refuses(
    (l) => l.updateStakeParams(at(admin, T0), { params: params({ unlockPolicy: { type: 'Chunked', max: 9 } }), approvals: [admin] }),
    { code: 409, name: 'InvalidChunkLimit', fields: { max: 9, limit: 8 } },
  );
  refuses(
    (l) => l.updateStakeParams(at(admin, T0), { params: params({ unlockPeriod: 2n ** 64n - 1n }), approvals: [admin] }),
    { code: 410, name: 'UnlockPeriodTooLong', fields: { period: 2n ** 64n - 1n, max: 315_360_000n } },
  );
});

test('chunked unlocks: the limit is an error with its value', () => {
  const l = new Ledger({ council: admin, params: { unlockPeriod: DAY, minStake: 1n, unlockPolicy: { type: 'Chunked', max: 1 } } });
  l.stake(at(alice, T0), 10n);
  l.unstake(at(alice, T0), 1n);
  const before = l.snapshot();
  assert.throws(() => l.unstake(at(alice, T0 + 1n), 1n), { code: 405, name: 'TooManyUnlockChunks', fields: { max: 1 } });
  assert.deepEqual(l.snapshot(), before);
  l.free();
});

test('council errors', () => {
  const slash = (approvals) => (l) => l.slash(at(admin, T0), { account: alice, amount: 1n, approvals });
  refuses(slash([bob]), { code: 300, name: 'NotCouncilMember', fields: { account: bob } });
  refuses(slash([admin, admin]), { code: 301, name: 'DuplicateApproval', fields: { account: admin } });
  refuses(slash([]), { code: 302, name: 'BelowThreshold', fields: { approvals: 0, threshold: 1 } });
  const update = (council) => (l) => l.updateCouncil(at(admin, T0), { council, approvals: [admin] });
  refuses(update({ members: [], threshold: 1 }), { code: 304, name: 'EmptyCouncil' });
  refuses(update({ members: [{ account: bob }, { account: bob }], threshold: 1 }), { code: 305, name: 'DuplicateMember' });
  refuses(update({ members: [{ account: bob }], threshold: 2 }), { code: 306, name: 'InvalidThreshold', fields: { threshold: 2, members: 1 } });
  const seventeen = Array.from({ length: 17 }, (_, i) => ({ account: `0x${i.toString(16).padStart(2, '0').repeat(20)}` }));
  refuses(update({ members: seventeen, threshold: 1 }), { code: 307, name: 'TooManyMembers', fields: { max: 16 } });
  refuses(update({ members: [{ account: bob, required: true }, { account: alice, required: true }], threshold: 1 }), {
    code: 308, name: 'ThresholdBelowRequired', fields: { threshold: 1, required: 2 },
  });
  // A required member must approve.
  const l = new Ledger({ council: { members: [{ account: admin, required: true }, { account: bob }], threshold: 1 } });
  assert.throws(() => l.updateCouncil(at(bob, T0), { council: bob, approvals: [bob] }), {
    code: 303, name: 'MissingRequiredSigner', fields: { account: admin },
  });
  l.free();
});

test('bad bytes: truncated, trailing, wrong version, malformed, inconsistent snapshots', () => {
  const stake = encodeMessage({ type: 'Stake', amount: BTT });
  refuses((l) => l.apply(at(alice, T0), stake.slice(0, 10)), { code: 200, name: 'Truncated' });
  refuses((l) => l.apply(at(alice, T0), new Uint8Array([...stake, 0, 0])), { code: 201, name: 'TrailingBytes', fields: { extra: 2 } });
  refuses((l) => l.apply(at(alice, T0), new Uint8Array([9, ...stake.slice(1)])), {
    code: 202, name: 'UnsupportedVersion', fields: { found: 9, supported: 1 },
  });
  refuses((l) => l.apply(at(alice, T0), new Uint8Array([1, 0x7f])), { code: 203, name: 'Malformed' });
  refuses((l) => l.apply(at(alice, T0), new Uint8Array()), { code: 200, name: 'Truncated' });
  assert.throws(() => decodeMessage(new Uint8Array([1])), { code: 200 });
  assert.throws(() => decodeEvent(new Uint8Array([0x10, 1, 2])), { code: 200 });

  const l = busy();
  const snap = l.snapshot();
  assert.throws(() => Ledger.restore(snap.slice(0, snap.length - 1)), { code: 200 });
  assert.throws(() => Ledger.restore(new Uint8Array([9, ...snap.slice(1)])), { code: 202, fields: { found: 9, supported: 3 } });
  l.free();
});

/** `value` as 32 little-endian bytes (a SCALE U256). */
const u256le = (value) => Uint8Array.from({ length: 32 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));

test('a snapshot whose totals disagree with its accounts is refused (TotalsMismatch)', () => {
  const l = busy();
  const snap = l.snapshot();
  // The first 6 BTT in the snapshot is totals.total_staked (the account's own comes after).
  const needle = Buffer.from(u256le(6n * BTT));
  const at = Buffer.from(snap).indexOf(needle);
  assert.ok(at > 0);
  const tampered = new Uint8Array(snap);
  tampered[at] ^= 1;
  assert.throws(() => Ledger.restore(tampered), { code: 502, name: 'TotalsMismatch' });
  l.free();
});

const badAmounts = [
  [-1, 103, 'InvalidAmount', /-1 is negative/],
  [-1n, 103, 'InvalidAmount', /negative/],
  [1.5, 103, 'InvalidAmount', /1\.5 is not an integer/],
  [Number.NaN, 103, 'InvalidAmount', /not an integer/],
  [2 ** 53, 103, 'InvalidAmount', /MAX_SAFE_INTEGER/],
  [Infinity, 103, 'InvalidAmount', /not an integer|MAX_SAFE/],
  [2n ** 256n, 100, 'Overflow', /above 2\^256/],
  [(2n ** 256n).toString(), 100, 'Overflow', /above 2\^256/],
  ['12abc', 103, 'InvalidAmount', /decimal digits/],
  ['', 103, 'InvalidAmount', /decimal digits/],
  ['1.5', 103, 'InvalidAmount', /decimal digits/],
  ['-5', 103, 'InvalidAmount', /decimal digits/],
  [undefined, 601, 'InvalidArgument', /amount/],
  [null, 601, 'InvalidArgument', /amount/],
  [{}, 601, 'InvalidArgument', /bigint/],
  [true, 601, 'InvalidArgument', /bigint/],
  [Symbol('x'), 601, 'InvalidArgument', /amount/],
];

test('bad amounts: wrong type, negative, fractional, above 2^256 - 1', () => {
  for (const [amount, code, name, message] of badAmounts) {
    refuses((l) => l.stake(at(alice, T0), amount), { code, name });
    refuses((l) => l.unstake(at(alice, T0), amount), { code, name });
    assert.throws(() => busy().stake(at(alice, T0), amount), message, String(amount?.toString?.() ?? amount));
  }
});

test('the largest amount is accepted where the arithmetic allows it', () => {
  const l = new Ledger({ council: admin });
  const max = 2n ** 256n - 1n;
  assert.deepEqual(l.stake(at(alice, T0), max), [{ type: 'Staked', account: alice, amount: max }]);
  assert.throws(() => l.stake(at(bob, T0), BTT), { code: 100, name: 'Overflow' });
  assert.equal(l.account(alice, T0).staked, max);
  l.free();
});

test('bad contexts and addresses', () => {
  const cases = [
    [null, 601, /ctx: expected an object/],
    [undefined, 601, /ctx: expected an object/],
    ['ctx', 601, /ctx: expected an object/],
    [{ now: T0 }, 601, /ctx.caller: expected an address string/],
    [{ caller: alice }, 601, /ctx.now/],
    [{ caller: 42, now: T0 }, 601, /ctx.caller/],
    [{ caller: '0x12', now: T0 }, 600, /ctx.caller: "0x12" is not an address/],
    [{ caller: 'a1'.repeat(20), now: T0 }, 600, /is not an address/],
    [{ caller: `0x${'zz'.repeat(20)}`, now: T0 }, 600, /hex digits/],
    [{ caller: alice, now: -1 }, 103, /ctx.now: -1 is negative/],
    [{ caller: alice, now: 2n ** 64n }, 100, /ctx.now: above 2\^64/],
    [{ caller: alice, now: T0, height: 'high' }, 103, /ctx.height/],
    [{ get caller() { throw new Error('boom'); }, now: T0 }, 601, /reading .caller threw/],
  ];
  for (const [ctx, code, message] of cases) {
    refuses((l) => l.stake(ctx, BTT), { code });
    assert.throws(() => busy().stake(ctx, BTT), message);
  }
  refuses((l) => l.account('nope', T0), { code: 600, name: 'InvalidAddress' });
  refuses((l) => l.slash(at(admin, T0), { account: 'nope', amount: 1n, approvals: [admin] }), { code: 600 });
  refuses((l) => l.slash(at(admin, T0), { account: alice, amount: 1n, approvals: 'admin' }), { code: 601 });
  refuses((l) => l.slash(at(admin, T0), { account: alice, amount: 1n, approvals: ['0x1'] }), { code: 600 });
  refuses((l) => l.slash(at(admin, T0), { account: alice, amount: 1n, approvals: new Array(17).fill(admin) }), { code: 601 });
  refuses((l) => l.slash(at(admin, T0), { account: alice, amount: 1n, reason: { type: 'Bored' }, approvals: [admin] }), { code: 601 });
  refuses((l) => l.slash(at(admin, T0), { account: alice, amount: 1n, reason: { type: 'Other', code: 2 ** 32 }, approvals: [admin] }), { code: 601 });
  refuses((l) => l.submit(at(alice, T0), { type: 'Explode' }), { code: 601 });
  refuses((l) => l.submit(at(alice, T0), null), { code: 601 });
  refuses((l) => l.apply(at(alice, T0), [1, 0x12]), { code: 601 });
  refuses((l) => l.apply(at(alice, T0), 'AQ=='), { code: 601 });
  refuses(
    (l) => l.updateStakeParams(at(admin, T0), { params: { unlockPeriod: WEEK, minStake: BTT, unlockPolicy: { type: 'Chunked' } }, approvals: [admin] }),
    { code: 601 },
  );
  refuses((l) => l.updateCouncil(at(admin, T0), { council: { members: [{ account: bob, required: 'yes' }], threshold: 1 }, approvals: [admin] }), {
    code: 601,
  });
  assert.throws(() => new Ledger(), { code: 601 });
  assert.throws(() => new Ledger({ council: 'root' }), { code: 600 });
  assert.throws(() => new Ledger({ council: admin, params: { unlockPeriod: 1, minStake: 0, unlockPolicy: { type: 'Merged' } } }), {
    code: 408,
  });
  assert.throws(() => Ledger.restore('bytes'), { code: 601 });
});

test('errors survive JSON and show their code', () => {
  try {
    busy().withdraw(at(bob, T0));
    assert.fail('should throw');
  } catch (e) {
    assert.equal(e.name, 'NothingToWithdraw');
    assert.equal(String(e), `NothingToWithdraw: ${e.message}`);
    assert.ok(Object.isFrozen(e.fields));
  }
});
