//! Throughput of `Ledger::apply` (one message at a time) and `Ledger::apply_block` (a block of
//! 100,000 messages) on a ledger of 1,000,000 staked accounts, with a mixed
//! stake / unstake / withdraw workload, and of the pure transitions alone (so the cost of the
//! account map can be told apart from the cost of the rules).
//!
//! Run: `cargo bench -p stakehold --bench ledger -- --warm-up-time 2 --measurement-time 8`
//!
//! The workload (see [`Workload`]):
//! - 1,000,000 distinct accounts, each staked 100 BTT at `T0` (built once, untimed); 30% of
//!   them also unstaked 1 BTT at `T0`, so withdraws have matured unlocks to take from the start.
//! - Each timed batch is 100,000 `(Context, Msg)` pairs generated beforehand (untimed), with
//!   callers drawn uniformly from all accounts by a splitmix64 PRNG:
//!   ~50% `Stake` of 1–3 BTT (≥ `min_stake`), ~30% `Unstake` of 0.01–1 BTT (small against the
//!   ≥ 100 BTT staked), ~20% `Withdraw` by the account of the oldest pending unstake once its
//!   unlock time has passed (else by a random account, which then fails — realistic).
//! - The clock advances 120 s every 100 transitions (one block); the ledger keeps evolving
//!   across batches. Successes and failures of every applied message are counted and printed
//!   once the benchmark has run.

use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use stakehold::governance::Council;
use stakehold::stake::{self, StakeAccount, StakeError, StakeParams, StakeTotals};
use stakehold::{AccountId, Context, Error, Ledger, Msg, Timestamp, U256};

/// Accounts in the ledger.
const ACCOUNTS: usize = 1_000_000;
/// Transitions per timed batch.
const BATCH: usize = 100_000;
/// Transitions per block (same `now` and height).
const BLOCK_TXS: usize = 100;
/// Seconds between blocks.
const BLOCK_SECS: u64 = 120;
/// When the initial stakes happen.
const T0: u64 = 1_700_000_000;
/// Fraction of accounts (per mille) that unstake 1 BTT at `T0`, seeding the withdraw queue.
const SEEDED_UNSTAKES_PER_MILLE: u64 = 300;

/// splitmix64: a tiny, deterministic, good-enough PRNG (and a bijective mixer of `u64`s).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform-ish in `0..n` (multiply-shift; bias is negligible for the sizes used here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `i`-th account: random-looking 20 bytes, distinct for distinct `i` (the first 8 bytes are
/// a bijection of `i`).
fn account_id(i: usize) -> AccountId {
    let i = i as u64;
    let mut bytes = [0u8; 20];
    bytes[..8].copy_from_slice(&mix(i).to_le_bytes());
    bytes[8..16].copy_from_slice(&mix(i ^ 0x5555_5555_5555_5555).to_le_bytes());
    bytes[16..].copy_from_slice(&(mix(!i) as u32).to_le_bytes());
    AccountId(bytes)
}

fn btt() -> U256 {
    StakeParams::btfs().min_stake
}

/// Success and failure counts of the applied messages.
#[derive(Default)]
struct Tally {
    ok: u64,
    still_locked: u64,
    nothing_to_withdraw: u64,
    other_err: u64,
    generated: [u64; 3],
}

impl Tally {
    fn record(&mut self, result: Result<stakehold::ledger::Events, Error>) {
        match result {
            Ok(events) => {
                self.ok += 1;
                black_box(events);
            }
            Err(e) => {
                match e {
                    Error::Stake(StakeError::StillLocked { .. }) => self.still_locked += 1,
                    Error::Stake(StakeError::NothingToWithdraw) => self.nothing_to_withdraw += 1,
                    _ => self.other_err += 1,
                }
                black_box(e);
            }
        }
    }

    fn report(&self) {
        let applied = self.ok + self.still_locked + self.nothing_to_withdraw + self.other_err;
        if applied == 0 {
            return;
        }
        let [stakes, unstakes, withdraws] = self.generated;
        let generated = (stakes + unstakes + withdraws).max(1) as f64;
        let pct = |n: u64, of: u64| 100.0 * n as f64 / of.max(1) as f64;
        println!(
            "ledger workload: {applied} messages applied ({:.1}% stake, {:.1}% unstake, {:.1}% \
             withdraw): {} ok ({:.2}%), failed: {} StillLocked, {} NothingToWithdraw, {} other",
            100.0 * stakes as f64 / generated,
            100.0 * unstakes as f64 / generated,
            100.0 * withdraws as f64 / generated,
            self.ok,
            pct(self.ok, applied),
            self.still_locked,
            self.nothing_to_withdraw,
            self.other_err,
        );
    }
}

/// The ledger under test and the generator of its messages.
struct Workload {
    ledger: Ledger,
    ids: Vec<AccountId>,
    rng: SplitMix64,
    /// Unstakes not yet withdrawn by the generator, oldest first: (account index, unlock time).
    pending: VecDeque<(u32, Timestamp)>,
    now: u64,
    height: u64,
    txs_in_block: usize,
    unlock_period: u64,
    batch: Vec<(Context, Msg)>,
    tally: Tally,
}

impl Workload {
    fn new() -> Self {
        let params = StakeParams::btfs();
        let council = Council::single(AccountId([0xc0; 20]));
        let mut ledger = Ledger::new(params, council).expect("valid params");
        let ids: Vec<AccountId> = (0..ACCOUNTS).map(account_id).collect();
        let mut rng = SplitMix64(0x5eed);
        let mut pending = VecDeque::new();
        let hundred = btt() * 100;
        for (i, id) in ids.iter().enumerate() {
            let ctx = Context::new(*id, Timestamp(T0), 1);
            ledger
                .apply(&ctx, &Msg::Stake { amount: hundred })
                .expect("initial stake");
            if rng.below(1000) < SEEDED_UNSTAKES_PER_MILLE {
                let events = ledger
                    .apply(&ctx, &Msg::Unstake { amount: btt() })
                    .expect("initial unstake");
                black_box(events);
                pending.push_back((i as u32, Timestamp(T0 + params.unlock_period)));
            }
        }
        assert_eq!(ledger.account_count(), ACCOUNTS);
        Self {
            ledger,
            ids,
            rng,
            pending,
            // Start when the seeded unstakes have matured.
            now: T0 + params.unlock_period,
            height: 2,
            txs_in_block: 0,
            unlock_period: params.unlock_period,
            batch: Vec::with_capacity(BATCH),
            tally: Tally::default(),
        }
    }

    fn random_account(&mut self) -> u32 {
        self.rng.below(ACCOUNTS as u64) as u32
    }

    /// Fills `self.batch` with the next `BATCH` messages.
    fn generate(&mut self) {
        self.batch.clear();
        let btt = btt();
        let centi_btt = btt / 100;
        for _ in 0..BATCH {
            if self.txs_in_block == BLOCK_TXS {
                self.txs_in_block = 0;
                self.now += BLOCK_SECS;
                self.height += 1;
            }
            self.txs_in_block += 1;
            let now = Timestamp(self.now);
            let roll = self.rng.below(100);
            let (who, msg) = if roll < 50 {
                self.tally.generated[0] += 1;
                let amount = btt * (1 + self.rng.below(3)) + U256::from(self.rng.below(1 << 60));
                (self.random_account(), Msg::Stake { amount })
            } else if roll < 80 {
                self.tally.generated[1] += 1;
                let who = self.random_account();
                let amount = centi_btt * (1 + self.rng.below(100));
                self.pending
                    .push_back((who, Timestamp(self.now + self.unlock_period)));
                (who, Msg::Unstake { amount })
            } else {
                self.tally.generated[2] += 1;
                let who = match self.pending.front() {
                    Some(&(who, release)) if release <= now => {
                        self.pending.pop_front();
                        who
                    }
                    _ => self.random_account(),
                };
                (who, Msg::Withdraw)
            };
            let ctx = Context::new(self.ids[who as usize], now, self.height);
            self.batch.push((ctx, msg));
        }
    }

    /// Applies the current batch one message at a time; the only timed part.
    fn run_batch(&mut self) -> Duration {
        let start = Instant::now();
        for (ctx, msg) in &self.batch {
            self.tally.record(self.ledger.apply(ctx, msg));
        }
        start.elapsed()
    }

    /// Applies the current batch as one block (`Ledger::apply_block`); the only timed part.
    fn run_block(&mut self) -> Duration {
        let start = Instant::now();
        let results = self.ledger.apply_block(&self.batch);
        let elapsed = start.elapsed();
        results.into_iter().for_each(|r| self.tally.record(r));
        elapsed
    }
}

fn bench_ledger(c: &mut Criterion) {
    let mut workload: Option<Workload> = None;
    let mut group = c.benchmark_group("ledger_1m_accounts");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut build = || {
        let start = Instant::now();
        let w = Workload::new();
        println!(
            "built a ledger of {} accounts in {:.2?}",
            w.ledger.account_count(),
            start.elapsed()
        );
        w
    };
    type Runner = fn(&mut Workload) -> Duration;
    let runs: [(&str, Runner); 2] = [
        (
            "apply_mixed_50stake_30unstake_20withdraw",
            Workload::run_batch,
        ),
        (
            "apply_block_mixed_50stake_30unstake_20withdraw",
            Workload::run_block,
        ),
    ];
    for (name, run) in runs {
        group.bench_function(name, |b| {
            let w = workload.get_or_insert_with(&mut build);
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    w.generate();
                    total += run(w);
                }
                total
            });
        });
    }
    group.finish();
    if let Some(w) = &workload {
        w.tally.report();
        let totals = w.ledger.totals();
        assert!(totals.is_solvent());
        assert_eq!(w.ledger.account_count(), ACCOUNTS);
    }
}

/// The pure transitions on one in-memory record: no map, no `Vec` of events. Each iteration
/// gets a fresh copy of the records (copying is not timed).
fn bench_transitions(c: &mut Criterion) {
    let params = StakeParams::btfs();
    let at_t0 = Context::new(account_id(0), Timestamp(T0), 1);
    let (mut totals, mut account) = (StakeTotals::default(), StakeAccount::EMPTY);
    stake::stake(&params, &mut totals, &mut account, &at_t0, btt() * 100).expect("stake");
    stake::unstake(&params, &mut totals, &mut account, &at_t0, btt()).expect("unstake");
    let records = (totals, account);
    let later = Context::new(account_id(0), Timestamp(T0 + params.unlock_period + 1), 2);
    let (two_btt, half_btt) = (btt() * 2, btt() / 2);

    let mut group = c.benchmark_group("transitions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("stake", |b| {
        b.iter_batched_ref(
            || records.clone(),
            |(t, a)| {
                stake::stake(
                    black_box(&params),
                    t,
                    a,
                    black_box(&later),
                    black_box(two_btt),
                )
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("unstake", |b| {
        b.iter_batched_ref(
            || records.clone(),
            |(t, a)| {
                stake::unstake(
                    black_box(&params),
                    t,
                    a,
                    black_box(&later),
                    black_box(half_btt),
                )
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("withdraw", |b| {
        b.iter_batched_ref(
            || records.clone(),
            |(t, a)| stake::withdraw(t, a, black_box(&later)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_ledger, bench_transitions);
criterion_main!(benches);
