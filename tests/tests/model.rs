//! Model-based check of the BTFS staking rules: a deliberately simple reference model, run side
//! by side with [`stakehold::Ledger`] over long random message sequences.
//!
//! The model is an independent re-statement of the rules, written from the seed
//! (`btip-85-btfs-staking.md`) and from the *documentation* of the core — the module docs of
//! `stake/mod.rs` and `governance/mod.rs`, the doc comments of the pub functions of
//! `stake/transitions.rs` and of `StakeParams::validate` — not from the function bodies. It
//! keeps plain `u128` amounts, a `BTreeMap` of accounts and a `Vec<(amount, release)>` of
//! pending unlocks per account, and follows the docs word by word:
//!
//! - `stake`: `amount ≥ min_stake` per call;
//! - `unstake`: zero, then above the stake, are refused; `Merged` folds every pending unlock
//!   into one bucket released at `now + unlock_period` (the seed's contract, re-locking matured
//!   funds); `Chunked{max}` gives the amount its own chunk, or adds it to the chunk released at
//!   the same second, and refuses a new chunk once `max` are pending (matured ones count: they
//!   are pending until withdrawn);
//! - `withdraw`: pays every chunk released at or before now; `NothingToWithdraw` when nothing is
//!   pending, else `StillLocked` with the earliest release when nothing has matured;
//! - `rebond`: zero, then above the pending unlocks, are refused; takes the newest chunks first;
//! - `slash`: council, then zero, then an empty account, are refused; takes
//!   `min(amount, held)`, from the stake first, then from the newest chunks; it leaves the
//!   balance and is counted in `total_slashed`;
//! - `update_params`: council, then `validate` (zero minimum, period above ten years, chunk
//!   limit outside `1..=8`, in that order); pending release times never change;
//! - the council (2 of 3, `0xc1` required): approvers checked one by one in the order given
//!   (member, then not seen before), then the threshold, then the required members.
//!
//! After every message the test compares the outcome (events, or the error with its fields),
//! every staker's stake and chunk list, the totals, the parameters and the number of stored
//! accounts; proptest shrinks any divergence to a minimal sequence.
//!
//! Simplifications: amounts stay far below `u128::MAX` (the largest draw is 10^27 wei), so the
//! model has no overflow paths and the core's `Overflow` errors are never reached; time only
//! moves forward, and by at most about a year per step. Left out: council changes
//! (`UpdateCouncil`; the council is always [`council_2of3`]), the byte format and snapshots
//! (covered by `invariants.rs` and `wire.rs`), and `StakeAccount::view`.
//!
//! Writing the model found five points the docs left open; the docs now state them (the
//! `unstake`, `rebond` and `StakeAccount::unlock_time` docs, the module docs), the code already
//! agreed, and `the_readings_the_docs_leave_open` pins each one: a change of unlock policy leaves pending
//! chunks as they are (so under `Merged` an account can hold several chunks until its next
//! unstake, and a withdraw then pays only the matured ones); a `Merged` unstake folds *all*
//! pending chunks into the one new bucket, even a chunk released later than the new time; a
//! `Chunked` unstake that joins a chunk of the same release is allowed even when more than
//! `max` chunks are pending (the limit is on creating chunks, and lowering it trims nothing); a
//! slash of zero on an empty account is `ZeroAmount` (the order the errors are listed in); a
//! rebond needs no minimum and may take matured unlocks.

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use stakehold::governance::GovernanceError;
use stakehold::stake::{MAX_UNLOCK_PERIOD, SlashReason, StakeError, StakeParams, UnlockPolicy};
use stakehold::{Error, Event, Ledger, Msg, Timestamp, U256};
use stakehold_tests::{COUNCIL, Clock, acct, approvals, council_2of3, genesis};

const DAY: u64 = 86_400;
const WEEK: u64 = 7 * DAY;
/// One BTT in wei: the scale of the amounts drawn.
const UNIT: u128 = 1_000_000_000_000_000_000;
/// The stakers: `acct(1)..=acct(STAKERS)`.
const STAKERS: u8 = 4;
/// Most chunks the parameters may allow (the documented `1..=MAX_UNLOCK_CHUNKS`).
const CHUNK_LIMIT: u8 = 8;
/// Approvals a privileged message needs (the council is 2 of 3).
const THRESHOLD: usize = 2;
/// Members whose approval every privileged message needs.
const REQUIRED: [u8; 1] = [COUNCIL[0]];
/// Not on the council.
const OUTSIDER: u8 = 0x99;

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// How unstakes combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    Merged,
    Chunked(u8),
}

/// The staking parameters, in plain numbers (possibly invalid: update messages carry any).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Params {
    period: u64,
    min: u128,
    policy: Policy,
}

impl Params {
    /// The core's value of these parameters.
    fn to_core(self) -> StakeParams {
        StakeParams {
            unlock_period: self.period,
            min_stake: U256::from(self.min),
            unlock_policy: match self.policy {
                Policy::Merged => UnlockPolicy::Merged,
                Policy::Chunked(max) => UnlockPolicy::Chunked { max },
            },
        }
    }

    /// `StakeParams::validate` as documented: `min_stake ≥ 1`, `unlock_period ≤ 10 years`,
    /// chunk limit in `1..=8`, checked in that order.
    fn validate(self) -> Result<(), StakeError> {
        if self.min == 0 {
            return Err(StakeError::ZeroMinStake);
        }
        if self.period > MAX_UNLOCK_PERIOD {
            return Err(StakeError::UnlockPeriodTooLong {
                period: self.period,
                max: MAX_UNLOCK_PERIOD,
            });
        }
        match self.policy {
            Policy::Chunked(max) if max == 0 || max > CHUNK_LIMIT => {
                Err(StakeError::InvalidChunkLimit {
                    max,
                    limit: CHUNK_LIMIT,
                })
            }
            _ => Ok(()),
        }
    }
}

/// A pending unlock: `(amount, release time)`.
type Chunk = (u128, u64);

/// One account: active stake and pending unlocks, kept ordered by release time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Account {
    staked: u128,
    chunks: Vec<Chunk>,
}

impl Account {
    fn unlocked(&self) -> u128 {
        self.chunks.iter().map(|c| c.0).sum()
    }

    fn held(&self) -> u128 {
        self.staked + self.unlocked()
    }

    /// Takes `amount` (≤ `unlocked`) from the chunks released last first, dropping emptied
    /// chunks: the order both rebond and slash use.
    fn take_newest_first(&mut self, mut amount: u128) {
        while amount > 0 {
            let newest = self
                .chunks
                .iter_mut()
                .max_by_key(|c| c.1)
                .expect("enough unlocking");
            let taken = amount.min(newest.0);
            newest.0 -= taken;
            amount -= taken;
            self.chunks.retain(|c| c.0 > 0);
        }
    }
}

/// The seed's `getGlobalStats`, plus what was slashed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Totals {
    staked: u128,
    unlocked: u128,
    slashed: u128,
    balance: u128,
}

/// The whole contract: parameters, the time, accounts by number, totals.
#[derive(Clone, Debug)]
struct Model {
    now: u64,
    params: Params,
    accounts: BTreeMap<u8, Account>,
    totals: Totals,
}

/// What the model says a message does: its one event, or the error.
type Outcome = Result<Event, Error>;

/// A message with every amount resolved, as both the model and the ledger see it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Stake {
        who: u8,
        amount: u128,
    },
    Unstake {
        who: u8,
        amount: u128,
    },
    Withdraw {
        who: u8,
    },
    Rebond {
        who: u8,
        amount: u128,
    },
    Slash {
        caller: u8,
        target: u8,
        amount: u128,
        reason: SlashReason,
        approvers: Vec<u8>,
    },
    UpdateParams {
        caller: u8,
        params: Params,
        approvers: Vec<u8>,
    },
}

fn amt(x: u128) -> U256 {
    U256::from(x)
}

impl Model {
    fn new(params: Params, now: u64) -> Self {
        Self {
            now,
            params,
            accounts: BTreeMap::new(),
            totals: Totals::default(),
        }
    }

    fn account(&self, who: u8) -> Account {
        self.accounts.get(&who).cloned().unwrap_or_default()
    }

    /// Applies `step`; on error nothing changes. Accounts left empty are dropped.
    fn apply(&mut self, step: &Step) -> Outcome {
        let outcome = match step {
            Step::Stake { who, amount } => self.stake(*who, *amount),
            Step::Unstake { who, amount } => self.unstake(*who, *amount),
            Step::Withdraw { who } => self.withdraw(*who),
            Step::Rebond { who, amount } => self.rebond(*who, *amount),
            Step::Slash {
                target,
                amount,
                reason,
                approvers,
                ..
            } => self.slash(*target, *amount, *reason, approvers),
            Step::UpdateParams {
                params, approvers, ..
            } => self.update_params(*params, approvers),
        };
        self.accounts.retain(|_, a| a.held() > 0);
        outcome
    }

    /// The seed's `stake()`: at least the minimum, per call.
    fn stake(&mut self, who: u8, amount: u128) -> Outcome {
        if amount < self.params.min {
            return Err(StakeError::BelowMinStake {
                amount: amt(amount),
                min: amt(self.params.min),
            }
            .into());
        }
        self.accounts.entry(who).or_default().staked += amount;
        self.totals.staked += amount;
        self.totals.balance += amount;
        Ok(Event::Staked {
            account: acct(who),
            amount: amt(amount),
        })
    }

    /// The seed's `unstake(amount)`, with the unlock policy deciding where the amount waits.
    fn unstake(&mut self, who: u8, amount: u128) -> Outcome {
        let mut account = self.account(who);
        if amount == 0 {
            return Err(StakeError::ZeroAmount.into());
        }
        if amount > account.staked {
            return Err(StakeError::ExceedsStaked {
                requested: amt(amount),
                staked: amt(account.staked),
            }
            .into());
        }
        let release = self.now + self.params.period;
        match self.params.policy {
            // One bucket, whose timer the new unstake resets.
            Policy::Merged => account.chunks = vec![(account.unlocked() + amount, release)],
            Policy::Chunked(max) => {
                if let Some(same) = account.chunks.iter_mut().find(|c| c.1 == release) {
                    same.0 += amount;
                } else if account.chunks.len() >= usize::from(max) {
                    return Err(StakeError::TooManyUnlockChunks { max }.into());
                } else {
                    account.chunks.push((amount, release));
                    account.chunks.sort_by_key(|c| c.1);
                }
            }
        }
        account.staked -= amount;
        self.accounts.insert(who, account);
        self.totals.staked -= amount;
        self.totals.unlocked += amount;
        Ok(Event::Unstaked {
            account: acct(who),
            amount: amt(amount),
            unlock_time: Timestamp(release),
        })
    }

    /// The seed's `withdraw()`, paying every matured chunk.
    fn withdraw(&mut self, who: u8) -> Outcome {
        let mut account = self.account(who);
        let Some(earliest) = account.chunks.iter().map(|c| c.1).min() else {
            return Err(StakeError::NothingToWithdraw.into());
        };
        if earliest > self.now {
            return Err(StakeError::StillLocked {
                unlock_time: Timestamp(earliest),
            }
            .into());
        }
        let now = self.now;
        let paid: u128 = account
            .chunks
            .iter()
            .filter(|c| c.1 <= now)
            .map(|c| c.0)
            .sum();
        account.chunks.retain(|c| c.1 > now);
        self.accounts.insert(who, account);
        self.totals.unlocked -= paid;
        self.totals.balance -= paid;
        Ok(Event::Withdrawn {
            account: acct(who),
            amount: amt(paid),
        })
    }

    /// Pending unlocks back to stake, newest first (no minimum applies).
    fn rebond(&mut self, who: u8, amount: u128) -> Outcome {
        let mut account = self.account(who);
        if amount == 0 {
            return Err(StakeError::ZeroAmount.into());
        }
        if amount > account.unlocked() {
            return Err(StakeError::ExceedsUnlocking {
                requested: amt(amount),
                unlocking: amt(account.unlocked()),
            }
            .into());
        }
        account.take_newest_first(amount);
        account.staked += amount;
        self.accounts.insert(who, account);
        self.totals.staked += amount;
        self.totals.unlocked -= amount;
        Ok(Event::Rebonded {
            account: acct(who),
            amount: amt(amount),
        })
    }

    /// The module docs' slashing rule.
    fn slash(
        &mut self,
        target: u8,
        amount: u128,
        reason: SlashReason,
        approvers: &[u8],
    ) -> Outcome {
        authorize(approvers)?;
        let mut account = self.account(target);
        if amount == 0 {
            return Err(StakeError::ZeroAmount.into());
        }
        if account.held() == 0 {
            return Err(StakeError::NothingToSlash {
                account: acct(target),
            }
            .into());
        }
        let taken = amount.min(account.held());
        let from_staked = taken.min(account.staked);
        let from_unlocking = taken - from_staked;
        account.staked -= from_staked;
        account.take_newest_first(from_unlocking);
        self.accounts.insert(target, account);
        self.totals.staked -= from_staked;
        self.totals.unlocked -= from_unlocking;
        self.totals.slashed += taken;
        self.totals.balance -= taken;
        Ok(Event::Slashed {
            account: acct(target),
            reason,
            requested: amt(amount),
            from_staked: amt(from_staked),
            from_unlocking: amt(from_unlocking),
        })
    }

    /// Council, then validation; pending release times are absolute, so nothing else moves.
    fn update_params(&mut self, params: Params, approvers: &[u8]) -> Outcome {
        authorize(approvers)?;
        params.validate()?;
        self.params = params;
        Ok(Event::ParametersUpdated {
            unlock_period: params.period,
            min_stake: amt(params.min),
            unlock_policy: params.to_core().unlock_policy,
        })
    }
}

/// `Council::authorize` of the 2-of-3 council as the governance module docs state it.
fn authorize(approvers: &[u8]) -> Result<(), GovernanceError> {
    let mut seen: Vec<u8> = Vec::new();
    for &a in approvers {
        if !COUNCIL.contains(&a) {
            return Err(GovernanceError::NotCouncilMember { account: acct(a) });
        }
        if seen.contains(&a) {
            return Err(GovernanceError::DuplicateApproval { account: acct(a) });
        }
        seen.push(a);
    }
    if seen.len() < THRESHOLD {
        return Err(GovernanceError::BelowThreshold {
            approvals: u8::try_from(seen.len()).expect("few"),
            threshold: THRESHOLD as u8,
        });
    }
    match REQUIRED.iter().find(|r| !seen.contains(r)) {
        Some(&missing) => Err(GovernanceError::MissingRequiredSigner {
            account: acct(missing),
        }),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Random operations, resolved against the model's state when they run
// ---------------------------------------------------------------------------------------------

/// An amount, relative to the state when the step runs, so boundaries come up often and
/// survive shrinking.
#[derive(Clone, Copy, Debug)]
enum Amount {
    Zero,
    /// `min_stake` plus -1, 0 or +1.
    Min(i8),
    /// Everything the operation could take (unstake: the stake; rebond: the pending unlocks;
    /// slash: what the account holds; stake: the caller's stake) plus -1, 0 or +1.
    Whole(i8),
    /// The next boundary inside: rebond, the newest chunk; slash, the stake plus the newest
    /// chunk; unstake and stake, the stake; plus -1, 0 or +1.
    Layer(i8),
    /// The active stake plus -1, 0 or +1 (for a slash: where it starts taking unlocks).
    Staked(i8),
    /// `n/8` of [`Amount::Whole`]'s base.
    Eighths(u8),
    /// `k` BTT plus -1, 0 or +1 wei.
    Units(u8, i8),
    /// 10^9 BTT.
    Huge,
}

/// A stake: the minimum and whole BTT near it, now and then zero or a very large amount.
fn stake_amount() -> impl Strategy<Value = Amount> {
    let off = -1i8..=1;
    prop_oneof![
        1 => Just(Amount::Zero),
        5 => off.clone().prop_map(Amount::Min),
        6 => (1u8..=12, off).prop_map(|(k, o)| Amount::Units(k, o)),
        1 => Just(Amount::Huge),
    ]
}

/// `base` moved by one unit in the direction of `off` (not below zero).
fn offset(base: u128, off: i8) -> u128 {
    match off {
        ..0 => base.saturating_sub(1),
        0 => base,
        _ => base + 1,
    }
}

/// An unstake, rebond or slash amount: mostly at or next to a boundary of the state.
fn amount() -> impl Strategy<Value = Amount> {
    let off = -1i8..=1;
    prop_oneof![
        2 => Just(Amount::Zero),
        5 => off.clone().prop_map(Amount::Min),
        7 => off.clone().prop_map(Amount::Whole),
        4 => off.clone().prop_map(Amount::Layer),
        3 => off.clone().prop_map(Amount::Staked),
        7 => (1u8..=8).prop_map(Amount::Eighths),
        5 => (0u8..=12, off).prop_map(|(k, o)| Amount::Units(k, o)),
        1 => Just(Amount::Huge),
    ]
}

/// Which operation an [`Amount`] is for, to choose its bases.
#[derive(Clone, Copy)]
enum For {
    Stake,
    Unstake,
    Rebond,
    Slash,
}

impl Amount {
    fn resolve(self, model: &Model, who: u8, op: For) -> u128 {
        let account = model.account(who);
        let newest = account.chunks.iter().max_by_key(|c| c.1).map_or(0, |c| c.0);
        let (whole, layer) = match op {
            For::Stake | For::Unstake => (account.staked, account.staked),
            For::Rebond => (account.unlocked(), newest),
            For::Slash => (account.held(), account.staked + newest),
        };
        match self {
            Self::Zero => 0,
            Self::Min(o) => offset(model.params.min, o),
            Self::Whole(o) => offset(whole, o),
            Self::Layer(o) => offset(layer, o),
            Self::Staked(o) => offset(account.staked, o),
            Self::Eighths(n) => whole / 8 * u128::from(n) + whole % 8 * u128::from(n) / 8,
            Self::Units(k, o) => offset(u128::from(k) * UNIT, o),
            Self::Huge => 1_000_000_000 * UNIT,
        }
    }
}

/// How far the clock moves, relative to the unlock period in force.
#[derive(Clone, Copy, Debug)]
enum Tick {
    Zero,
    Secs(u64),
    /// The unlock period plus -1, 0 or +1 seconds.
    Period(i8),
    /// To the next release time of any account (if one is pending) plus -1, 0 or +1 seconds.
    NextRelease(i8),
    Days(u64),
}

fn tick() -> impl Strategy<Value = Tick> {
    prop_oneof![
        3 => Just(Tick::Zero),
        3 => (1u64..=120).prop_map(Tick::Secs),
        5 => (-1i8..=1).prop_map(Tick::Period),
        3 => (-1i8..=1).prop_map(Tick::NextRelease),
        1 => (1u64..=400).prop_map(Tick::Days),
    ]
}

impl Tick {
    fn secs(self, model: &Model) -> u64 {
        let small = |x: u128| u64::try_from(x).expect("small");
        match self {
            Self::Zero => 0,
            Self::Secs(s) => s,
            Self::Period(o) => small(offset(model.params.period.into(), o)),
            Self::NextRelease(o) => {
                let next = model
                    .accounts
                    .values()
                    .flat_map(|a| a.chunks.iter().map(|c| c.1))
                    .filter(|&release| release > model.now)
                    .min();
                // A release is later than now, so one second before it is not in the past.
                next.map_or(0, |release| small(offset((release - model.now).into(), o)))
            }
            Self::Days(d) => d * DAY,
        }
    }
}

/// Council approvals: often a valid set, otherwise any list of members, an outsider or a staker.
fn approvers() -> impl Strategy<Value = Vec<u8>> {
    let [c1, c2, c3] = COUNCIL;
    let valid = vec![
        vec![c1, c2],
        vec![c1, c3],
        vec![c2, c1],
        vec![c3, c1],
        vec![c1, c2, c3],
        vec![c3, c2, c1],
    ];
    prop_oneof![
        6 => prop::sample::select(valid),
        // One of each refusal: too few, a duplicate, the required member missing, an outsider.
        3 => prop::sample::select(vec![
            vec![],
            vec![c1],
            vec![c1, c1],
            vec![c2, c3],
            vec![c3, c2, c3],
            vec![c1, OUTSIDER],
        ]),
        2 => vec(prop::sample::select(vec![c1, c2, c3, OUTSIDER, 1]), 0..=4),
    ]
}

/// Parameters an update may carry: mostly valid, sometimes each kind of invalid.
fn any_params() -> impl Strategy<Value = Params> {
    let period = prop_oneof![
        8 => valid_period(),
        1 => Just(MAX_UNLOCK_PERIOD + 1),
        1 => Just(u64::MAX),
    ];
    let min = prop_oneof![8 => valid_min(), 1 => Just(0u128)];
    let policy = prop_oneof![
        10 => valid_policy(),
        1 => Just(Policy::Chunked(0)),
        1 => (CHUNK_LIMIT + 1..=u8::MAX).prop_map(Policy::Chunked),
    ];
    (period, min, policy).prop_map(|(period, min, policy)| Params {
        period,
        min,
        policy,
    })
}

/// Parameters a ledger can start with (built valid rather than filtered, so long campaigns
/// do not run into proptest's limit on rejected values).
fn valid_params() -> impl Strategy<Value = Params> {
    (valid_period(), valid_min(), valid_policy()).prop_map(|(period, min, policy)| Params {
        period,
        min,
        policy,
    })
}

/// Unlock periods from none to the longest allowed, mostly about a week.
fn valid_period() -> impl Strategy<Value = u64> {
    prop_oneof![
        1 => Just(0u64),
        1 => Just(1),
        1 => Just(60),
        2 => Just(DAY),
        4 => (-1i8..=1).prop_map(|o| WEEK.wrapping_add_signed(o.into())),
        1 => Just(MAX_UNLOCK_PERIOD),
    ]
}

/// Minimum stakes around one BTT, and the smallest allowed.
fn valid_min() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => Just(1u128),
        1 => Just(UNIT / 2),
        4 => Just(UNIT),
        1 => Just(UNIT + 1),
        1 => Just(3 * UNIT),
    ]
}

fn valid_policy() -> impl Strategy<Value = Policy> {
    prop_oneof![
        2 => Just(Policy::Merged),
        3 => (1u8..=CHUNK_LIMIT).prop_map(Policy::Chunked),
    ]
}

fn reason() -> impl Strategy<Value = SlashReason> {
    prop_oneof![
        Just(SlashReason::LostData),
        (0u32..4).prop_map(|code| SlashReason::Other { code }),
    ]
}

/// One random operation, before its amounts are resolved.
#[derive(Clone, Debug)]
enum Op {
    Stake(u8, Amount),
    Unstake(u8, Amount),
    Withdraw(u8),
    Rebond(u8, Amount),
    Slash {
        caller: u8,
        target: u8,
        amount: Amount,
        reason: SlashReason,
        approvers: Vec<u8>,
    },
    UpdateParams {
        caller: u8,
        params: Params,
        approvers: Vec<u8>,
    },
    Advance(Tick),
}

fn op() -> impl Strategy<Value = Op> {
    // Skewed towards the first stakers, so one account's history gets long.
    let who = || prop_oneof![4 => Just(1u8), 2 => Just(2), 1 => Just(3), 1 => Just(STAKERS)];
    // Privileged messages come from anyone: only the approvals authorise them.
    let caller = prop::sample::select(vec![1, 2, COUNCIL[0], COUNCIL[1], OUTSIDER]);
    prop_oneof![
        7 => (who(), stake_amount()).prop_map(|(w, a)| Op::Stake(w, a)),
        7 => (who(), amount()).prop_map(|(w, a)| Op::Unstake(w, a)),
        3 => who().prop_map(Op::Withdraw),
        3 => (who(), amount()).prop_map(|(w, a)| Op::Rebond(w, a)),
        2 => (caller.clone(), who(), amount(), reason(), approvers()).prop_map(
            |(caller, target, amount, reason, approvers)| Op::Slash {
                caller,
                target,
                amount,
                reason,
                approvers,
            }
        ),
        2 => (caller, any_params(), approvers()).prop_map(|(caller, params, approvers)| {
            Op::UpdateParams {
                caller,
                params,
                approvers,
            }
        }),
        6 => tick().prop_map(Op::Advance),
    ]
}

/// An operation made concrete against the model's current state.
enum Resolved {
    Advance(u64),
    Message(Step),
}

impl Op {
    fn resolve(&self, model: &Model) -> Resolved {
        let step = match self {
            Self::Advance(t) => return Resolved::Advance(t.secs(model)),
            Self::Stake(who, a) => Step::Stake {
                who: *who,
                amount: a.resolve(model, *who, For::Stake),
            },
            Self::Unstake(who, a) => Step::Unstake {
                who: *who,
                amount: a.resolve(model, *who, For::Unstake),
            },
            Self::Withdraw(who) => Step::Withdraw { who: *who },
            Self::Rebond(who, a) => Step::Rebond {
                who: *who,
                amount: a.resolve(model, *who, For::Rebond),
            },
            Self::Slash {
                caller,
                target,
                amount,
                reason,
                approvers,
            } => Step::Slash {
                caller: *caller,
                target: *target,
                amount: amount.resolve(model, *target, For::Slash),
                reason: *reason,
                approvers: approvers.clone(),
            },
            Self::UpdateParams {
                caller,
                params,
                approvers,
            } => Step::UpdateParams {
                caller: *caller,
                params: *params,
                approvers: approvers.clone(),
            },
        };
        Resolved::Message(step)
    }
}

impl Step {
    /// The sender and the core message.
    fn to_msg(&self) -> (u8, Msg) {
        match self {
            Self::Stake { who, amount } => (
                *who,
                Msg::Stake {
                    amount: amt(*amount),
                },
            ),
            Self::Unstake { who, amount } => (
                *who,
                Msg::Unstake {
                    amount: amt(*amount),
                },
            ),
            Self::Withdraw { who } => (*who, Msg::Withdraw),
            Self::Rebond { who, amount } => (
                *who,
                Msg::Rebond {
                    amount: amt(*amount),
                },
            ),
            Self::Slash {
                caller,
                target,
                amount,
                reason,
                approvers: ids,
            } => (
                *caller,
                Msg::Slash {
                    account: acct(*target),
                    amount: amt(*amount),
                    reason: *reason,
                    approvals: approvals(ids),
                },
            ),
            Self::UpdateParams {
                caller,
                params,
                approvers: ids,
            } => (
                *caller,
                Msg::UpdateStakeParams {
                    params: params.to_core(),
                    approvals: approvals(ids),
                },
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running both side by side
// ---------------------------------------------------------------------------------------------

/// The ledger's record of staker `who`, in the model's terms.
fn ledger_account(ledger: &Ledger, who: u8) -> (u128, u128, Vec<Chunk>) {
    let a = ledger.account(&acct(who));
    let chunks = a
        .chunks()
        .iter()
        .map(|c| (c.amount.as_u128(), c.release.0))
        .collect();
    (a.staked().as_u128(), a.unlocked().as_u128(), chunks)
}

/// Compares everything observable of the ledger with the model.
fn same_state(ledger: &Ledger, model: &Model, step: usize) -> Result<(), TestCaseError> {
    for who in 1..=STAKERS {
        let m = model.account(who);
        prop_assert_eq!(
            ledger_account(ledger, who),
            (m.staked, m.unlocked(), m.chunks.clone()),
            "account {} after step {}",
            who,
            step
        );
    }
    let t = ledger.totals();
    prop_assert_eq!(
        (t.total_staked, t.total_unlocked, t.total_slashed, t.balance),
        (
            amt(model.totals.staked),
            amt(model.totals.unlocked),
            amt(model.totals.slashed),
            amt(model.totals.balance)
        ),
        "totals (staked, unlocked, slashed, balance) after step {}",
        step
    );
    prop_assert_eq!(
        *ledger.params(),
        model.params.to_core(),
        "params after step {}",
        step
    );
    prop_assert_eq!(
        ledger.account_count(),
        model.accounts.len(),
        "stored accounts after step {}",
        step
    );
    Ok(())
}

/// What one message gave.
type Applied = Result<Vec<Event>, Error>;

/// The name of the event or error, as the npm package shows it.
fn name(applied: &Applied) -> &'static str {
    match applied {
        Ok(events) => events.first().map_or("no event", |e| e.describe().name),
        Err(e) => e.name(),
    }
}

/// Runs `ops` on a fresh ledger and a fresh model, comparing after every step; returns what
/// each message gave.
fn run(initial: Params, ops: &[Op]) -> Result<Vec<Applied>, TestCaseError> {
    let mut ledger = genesis(initial.to_core());
    prop_assert_eq!(ledger.council(), &council_2of3());
    let mut clock = Clock::default();
    let mut model = Model::new(initial, clock.now);
    let mut applied = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op.resolve(&model) {
            Resolved::Advance(secs) => {
                clock.advance(secs);
                model.now += secs;
            }
            Resolved::Message(step) => {
                let (caller, msg) = step.to_msg();
                let real = ledger.apply(&clock.ctx(acct(caller)), &msg);
                let expected = model.apply(&step).map(|event| vec![event]);
                prop_assert_eq!(
                    &real,
                    &expected,
                    "step {} at t={}: {:?}",
                    i,
                    model.now,
                    step
                );
                applied.push(real);
            }
        }
        same_state(&ledger, &model, i)?;
    }
    Ok(applied)
}

/// Cases per run: 512 unless `PROPTEST_CASES` asks for a longer campaign.
fn config() -> ProptestConfig {
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        ProptestConfig::default().cases
    } else {
        512
    };
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_ledger_follows_the_model(initial in valid_params(), ops in vec(op(), 1..=150)) {
        run(initial, &ops)?;
    }
}

/// One long fixed run: 5,000 operations from the same strategies and proptest's deterministic
/// RNG, so chunk lists fill up and parameters change many times in one history.
#[test]
fn a_long_fixed_sequence_follows_the_model() {
    let mut runner = TestRunner::deterministic();
    let (initial, ops) = (valid_params(), vec(op(), 5_000))
        .new_tree(&mut runner)
        .expect("a sequence")
        .current();
    if let Err(e) = run(initial, &ops) {
        panic!("{e}");
    }
}

/// The readings the docs leave open (see the module docs above), each as a short sequence
/// checked against the model, so they are exercised every run rather than by chance.
#[test]
fn the_readings_the_docs_leave_open() {
    let params = |period, policy| Params {
        period,
        min: UNIT,
        policy,
    };
    let update = |period, policy| Op::UpdateParams {
        caller: COUNCIL[0],
        params: params(period, policy),
        approvers: vec![COUNCIL[0], COUNCIL[1]],
    };
    let stake = Op::Stake(1, Amount::Units(10, 0));
    let unstake = || Op::Unstake(1, Amount::Units(1, 0));
    let wait = || Op::Advance(Tick::Secs(5));
    // What each case is, where it starts, its operations, and what its messages give.
    let cases: [(&str, Params, Vec<Op>, &[&str]); 5] = [
        (
            "after a switch to merged, chunks stay apart and a withdraw pays the matured one",
            params(WEEK, Policy::Chunked(8)),
            vec![
                stake.clone(),
                unstake(),
                Op::Advance(Tick::Days(1)),
                unstake(),
                update(WEEK, Policy::Merged),
                Op::Advance(Tick::NextRelease(0)),
                Op::Withdraw(1),
                Op::Withdraw(1),
            ],
            &[
                "Staked",
                "Unstaked",
                "Unstaked",
                "ParametersUpdated",
                "Withdrawn",
                "StillLocked",
            ],
        ),
        (
            "a chunked unstake joins a same-time chunk while more than `max` are pending",
            params(WEEK, Policy::Chunked(8)),
            vec![
                stake.clone(),
                unstake(),
                wait(),
                unstake(),
                wait(),
                unstake(),
                update(WEEK, Policy::Chunked(1)),
                unstake(),
                wait(),
                unstake(),
            ],
            &[
                "Staked",
                "Unstaked",
                "Unstaked",
                "Unstaked",
                "ParametersUpdated",
                "Unstaked",
                "TooManyUnlockChunks",
            ],
        ),
        (
            "a merged unstake folds every chunk, even one released later, into the new bucket",
            params(WEEK, Policy::Chunked(8)),
            vec![
                stake.clone(),
                unstake(),
                wait(),
                unstake(),
                update(DAY, Policy::Merged),
                unstake(),
                Op::Advance(Tick::Days(1)),
                Op::Withdraw(1),
            ],
            &[
                "Staked",
                "Unstaked",
                "Unstaked",
                "ParametersUpdated",
                "Unstaked",
                "Withdrawn",
            ],
        ),
        (
            "a slash of zero on an empty account is ZeroAmount",
            params(WEEK, Policy::Merged),
            vec![Op::Slash {
                caller: COUNCIL[0],
                target: 3,
                amount: Amount::Zero,
                reason: SlashReason::LostData,
                approvers: vec![COUNCIL[0], COUNCIL[2]],
            }],
            &["ZeroAmount"],
        ),
        (
            "a rebond below the minimum stake is allowed; matured unlocks can be rebonded",
            params(0, Policy::Merged),
            vec![
                stake,
                unstake(),
                Op::Rebond(1, Amount::Units(0, 1)),
                Op::Advance(Tick::Days(1)),
                Op::Rebond(1, Amount::Whole(0)),
            ],
            &["Staked", "Unstaked", "Rebonded", "Rebonded"],
        ),
    ];
    for (what, initial, ops, expected) in cases {
        let applied = run(initial, &ops).unwrap_or_else(|e| panic!("{what}: {e}"));
        let names: Vec<&str> = applied.iter().map(name).collect();
        assert_eq!(names, expected, "{what}");
    }
}
