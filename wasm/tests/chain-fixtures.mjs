// Shared fixtures of the chain tests: a seed-chain ledger with four genesis validators, the
// host's block roots, honest attestations and epoch ends, and the check that a refused call
// leaves the ledger unchanged.
import assert from 'node:assert/strict';

import { Ledger, StakeholdError } from 'stakehold';
import { T0, admin, at } from './helpers.mjs';

/** Gwei of one seed-chain validator: 1000 coins (MAX_EFFECTIVE_BALANCE). */
export const FULL = 1_000_000_000_000n;
/** The seed chain's MIN_DEPOSIT_AMOUNT and EFFECTIVE_BALANCE_INCREMENT: 31.25 coins. */
export const INCREMENT = 31_250_000_000n;
/** SLOTS_PER_EPOCH of every preset here. */
export const SLOTS = 32n;
export const key = (i) => `0x${i.toString(16).padStart(2, '0').repeat(48)}`;
export const credentials = `0x01${'00'.repeat(11)}${'ee'.repeat(20)}`;
export const signature = `0x${'5a'.repeat(96)}`;
export const deposit = (i, amount = FULL) => ({ pubkey: key(i), withdrawalCredentials: credentials, amount, signature });
/** The block root at the start of epoch `e` in these tests (never all zeros). */
export const root = (e) => `0x${((Number(e) % 255) + 1).toString(16).padStart(2, '0').repeat(32)}`;
/** The root of the head block every honest attestation here votes for. */
export const HEAD = `0x${'be'.repeat(32)}`;
export const ZERO_ROOT = `0x${'00'.repeat(32)}`;
export const ctx = at(admin, T0);

/** A ledger with validators 0–3 active from genesis (keys 1–4), seed chain unless named. */
export const chained = (preset = 'seed_chain', amount = FULL) =>
  new Ledger({ council: admin, chain: { preset, genesis: [1, 2, 3, 4].map((i) => deposit(i, amount)) } });

/**
 * An honest attestation of `validators` to the current epoch: at its first slot, with the
 * current justified checkpoint as source and the host's root as target, included `delay`
 * slots later by `proposer` in a block whose roots are the host's.
 */
export function honest(l, validators, { delay = 1n, proposer = 0n } = {}) {
  const c = l.chain();
  const epoch = c.currentEpoch;
  const slot = epoch * SLOTS;
  return {
    data: { slot, index: 0n, beaconBlockRoot: HEAD, source: c.currentJustified, target: { epoch, root: root(epoch) } },
    validators,
    block: { slot: slot + delay, proposer, targetRoot: root(epoch), headRoot: HEAD },
  };
}

/** Ends the current epoch with this test's roots. */
export function endEpoch(l) {
  const e = l.chain().currentEpoch;
  return l.processEpoch(ctx, { previousEpochRoot: root(e === 0n ? 0n : e - 1n), currentEpochRoot: root(e) });
}

/** `f(ledger)` throws a StakeholdError matching `expected`, and the ledger is unchanged. */
export function refuses(l, f, expected) {
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
