// Throughput of the npm package in Node, on the workload of the native benchmark
// (core/benches/ledger.rs): a ledger of 1,000,000 staked accounts (30% with a matured-soon
// unstake), then batches of 100,000 messages — ~50% stake of 1–3 BTT, ~30% unstake of
// 0.01–1 BTT, ~20% withdraw by the account of the oldest pending unstake once it has matured
// (else by a random account, which fails) — with the clock advancing 120 s every 100 messages.
//
// Three ways in: the object API (`ledger.stake(ctx, amount)`, …; events come back as objects),
// `ledger.apply(ctx, bytes)` with messages encoded beforehand (as a host relaying chain
// transactions has them), and `ledger.applyBlock(bytes)` with the whole batch as one block. Messages are generated before timing; failures count as applied.
//
// Run: node wasm/bench/bench.mjs [accounts] [batches]   (from a project where `stakehold` is
// installed; scripts/bench-wasm.sh does that).
import { Ledger, encodeBlock, encodeMessage } from 'stakehold';

const ACCOUNTS = Number(process.argv[2] ?? 1_000_000);
const BATCHES = Number(process.argv[3] ?? 5);
const BATCH = 100_000;
const BLOCK_TXS = 100;
const BLOCK_SECS = 120n;
const T0 = 1_700_000_000n;
const BTT = 10n ** 18n;
const WEEK = 7n * 86_400n;

// splitmix64, as in the native benchmark.
let state = 0x5eedn;
const MASK = (1n << 64n) - 1n;
function next() {
  state = (state + 0x9e3779b97f4a7c15n) & MASK;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
const below = (n) => Number((next() * BigInt(n)) >> 64n);

const ids = Array.from({ length: ACCOUNTS }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);

function genesis() {
  const ledger = new Ledger({ council: `0x${'c0'.repeat(20)}` });
  const pending = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const ctx = { caller: ids[i], now: T0 };
    ledger.stake(ctx, 100n * BTT);
    if (below(1000) < 300) {
      ledger.unstake(ctx, BTT);
      pending.push([i, T0 + WEEK]);
    }
  }
  return { ledger, pending };
}

/**
 * One batch of messages, generated ahead of timing, in the form `way` takes (only that form,
 * so the heap holds no garbage another way would have needed).
 */
function batch(clock, pending, way) {
  const out = [];
  for (let n = 0; n < BATCH; n++) {
    if (clock.txs === BLOCK_TXS) {
      clock.now += BLOCK_SECS;
      clock.height += 1n;
      clock.txs = 0;
    }
    clock.txs++;
    const roll = below(100);
    let who = below(ACCOUNTS);
    let msg;
    if (roll < 50) {
      msg = { type: 'Stake', amount: BigInt(1 + below(3)) * BTT };
    } else if (roll < 80) {
      msg = { type: 'Unstake', amount: BigInt(1 + below(100)) * (BTT / 100n) };
      pending.push([who, clock.now + WEEK]);
    } else {
      if (pending.length > 0 && pending[0][1] <= clock.now) who = pending.shift()[0];
      msg = { type: 'Withdraw' };
    }
    const ctx = { caller: ids[who], now: clock.now, height: clock.height };
    out.push(way === viaBytes ? { ctx, bytes: encodeMessage(msg) } : { ctx, msg });
  }
  if (way === viaBlock) return { block: encodeBlock(out), length: out.length };
  return out;
}

function viaObjects(ledger, messages) {
  let ok = 0;
  for (const { ctx, msg } of messages) {
    try {
      switch (msg.type) {
        case 'Stake':
          ledger.stake(ctx, msg.amount);
          break;
        case 'Unstake':
          ledger.unstake(ctx, msg.amount);
          break;
        default:
          ledger.withdraw(ctx);
      }
      ok++;
    } catch {
      // A refused message is still a transition applied (and checked) by the ledger.
    }
  }
  return ok;
}

function viaBytes(ledger, messages) {
  let ok = 0;
  for (const { ctx, bytes } of messages) {
    try {
      ledger.apply(ctx, bytes);
      ok++;
    } catch {
      // As above.
    }
  }
  return ok;
}

/** The whole batch as one block: one call into wasm per 100,000 messages. */
function viaBlock(ledger, messages) {
  const outcome = ledger.applyBlock(messages.block);
  return outcome.codes.reduce((ok, code) => ok + (code === 0 ? 1 : 0), 0);
}

const t = process.hrtime.bigint();
const { ledger, pending } = genesis();
console.log(`genesis: ${ACCOUNTS} accounts in ${Number(process.hrtime.bigint() - t) / 1e9} s`);
const clock = { now: T0, height: 1n, txs: 0 };
const ways = [
  ['object API (stake/unstake/withdraw)', viaObjects],
  ['apply(ctx, bytes)', viaBytes],
  ['applyBlock(bytes), 100,000 per block', viaBlock],
];
for (const [name, run] of ways) {
  let applied = 0;
  let ok = 0;
  let ns = 0n;
  for (let b = 0; b < BATCHES; b++) {
    const messages = batch(clock, pending, run);
    const start = process.hrtime.bigint();
    ok += run(ledger, messages);
    ns += process.hrtime.bigint() - start;
    applied += messages.length;
  }
  const rate = (applied / Number(ns)) * 1e9;
  console.log(`${name}: ${(rate / 1e6).toFixed(2)} M transitions/s (${applied} applied, ${ok} ok)`);
}
ledger.free();
