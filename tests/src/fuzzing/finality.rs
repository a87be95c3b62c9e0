//! The finality harness: Casper FFG's functions on arbitrary justification bits, checkpoints,
//! balances, epochs and votes, and the epoch transition on small validator sets.
//!
//! An input is one of four runs ([`Input`]):
//! - [`Input::Chain`]: an ordered finality state (`finalized ≤ previous justified ≤ current
//!   justified`, as the module docs of `stakehold::finality` require), then calls of
//!   `weigh_justification_and_finalization` / `process_justification_and_finalization` at
//!   increasing epochs that keep the documented precondition `previous_epoch(current) ≥
//!   current_justified.epoch` (gaps allowed), with balances around the two-thirds line. After
//!   each call: an error changed nothing; the state is still ordered, so the justified
//!   checkpoint is never behind the finalized one; the finalized and the current justified
//!   epochs never decrease; the outcome reports exactly what changed.
//! - [`Input::Wild`]: any state, any epoch, any balances (the precondition may fail): no panic,
//!   an error changes nothing, and the result equals a plain transcription of the spec's
//!   `weigh_justification_and_finalization` in `u128` ([`spec_weigh`]).
//! - [`Input::Tally`]: `tally_votes` on arbitrary votes (sorted, or not), sources and targets
//!   around the state's checkpoints, weights that may overflow: no panic; the result equals a
//!   set-based transcription of the spec ([`spec_tally`]), including which error and where.
//! - [`Input::Epoch`]: up to 64 validators through `process_epoch` for up to 16 epochs with
//!   arbitrary votes and balance moves: an error changes nothing; the result equals the spec's
//!   steps one after another with the whole-registry functions; from genesis the finalized
//!   epoch never decreases and the state stays ordered; the registry invariants hold
//!   (`activation ≤ exit ≤ withdrawable`, effective balances whole increments within the
//!   maximum, the phase0 exit-queue summary equal to a fresh scan).

use std::collections::BTreeSet;

use arbitrary::{Arbitrary, Unstructured};
use stakehold::finality::{
    Checkpoint, FinalityError, FinalityOutcome, FinalityState, JustificationBits, TallyReport,
    Vote, previous_epoch, process_justification_and_finalization, sort_votes, tally_votes,
    weigh_justification_and_finalization,
};
use stakehold::validator::reference::reference_epoch;
use stakehold::validator::{
    EffectiveBalanceChange, EpochState, EpochView, EpochVotes, FAR_FUTURE_EPOCH, Fork, Preset,
    QueueState, RegistryStep, Validator, ValidatorChange, process_epoch,
};
use stakehold::{Epoch, ValidatorIndex};

/// A fuzz input.
#[derive(Debug, Arbitrary)]
pub enum Input {
    /// Increasing epochs from an ordered state: the invariants.
    Chain {
        /// The starting state (put in order before use).
        start: FinalityState,
        /// The calls.
        steps: Vec<ChainStep>,
    },
    /// Anything at all: no panic, atomicity, the spec.
    Wild(Vec<WildCall>),
    /// The tally.
    Tally(TallyInput),
    /// The epoch transition.
    Epoch(EpochInput),
}

/// One call of a [`Input::Chain`].
#[derive(Debug, Arbitrary)]
pub struct ChainStep {
    /// Epochs to advance (0 and 1 mean one; larger values skip epochs).
    gap: u8,
    /// Through the genesis guard (`process_…`) or not (`weigh_…`).
    guarded: bool,
    total: Amount,
    previous_target: Share,
    current_target: Share,
    /// Roots by number (a few, so checkpoints repeat).
    previous_root: u8,
    current_root: u8,
}

/// An arbitrary call of [`Input::Wild`].
#[derive(Debug, Arbitrary)]
pub struct WildCall {
    state: FinalityState,
    current_epoch: Epoch,
    guarded: bool,
    total: u64,
    previous_target: u64,
    current_target: u64,
    previous_root: [u8; 32],
    current_root: [u8; 32],
}

/// A total active balance.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Amount {
    /// `n` validators of 32 ETH.
    Validators(u16),
    /// Any `u64` (the products may overflow).
    Any(u64),
    /// Just below the overflow of `total * 2`.
    Edge(u8),
}

impl Amount {
    fn gwei(self) -> u64 {
        match self {
            Self::Validators(n) => u64::from(n).saturating_add(1) * 32_000_000_000,
            Self::Any(x) => x,
            Self::Edge(d) => u64::MAX / 2 - u64::from(d),
        }
    }
}

/// A target balance relative to the total: around two thirds, or anything.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Share {
    /// `total * 2 / 3 + offset` (the boundary is `target * 3 >= total * 2`).
    TwoThirds(i8),
    /// `total * n / 16`.
    Sixteenths(u8),
    /// Any `u64`.
    Any(u64),
}

impl Share {
    fn of(self, total: u64) -> u64 {
        match self {
            Self::TwoThirds(offset) => {
                let base = (u128::from(total) * 2 / 3) as u64;
                base.saturating_add_signed(i64::from(offset))
            }
            Self::Sixteenths(n) => (u128::from(total) * u128::from(n % 17) / 16) as u64,
            Self::Any(x) => x,
        }
    }
}

fn root(n: u8) -> [u8; 32] {
    [n % 4; 32]
}

/// The `finality` fuzz target.
pub fn run(bytes: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(bytes)) else {
        return;
    };
    match input {
        Input::Chain { start, steps } => chain(start, &steps),
        Input::Wild(calls) => calls.iter().for_each(wild),
        Input::Tally(input) => tally(&input),
        Input::Epoch(input) => epoch(&input),
    }
}

// ---------------------------------------------------------------------------------------
// Justification and finalization
// ---------------------------------------------------------------------------------------

/// The spec's `weigh_justification_and_finalization` (phase0), transcribed in `u128` with the
/// `uint64` overflow checks where the spec would overflow; `None` for an invalid transition.
pub fn spec_weigh(
    state: &FinalityState,
    current_epoch: Epoch,
    total: u64,
    previous_target: u64,
    current_target: u64,
    previous_root: [u8; 32],
    current_root: [u8; 32],
) -> Option<FinalityState> {
    let fits = |x: u128| (x <= u128::from(u64::MAX)).then_some(x);
    let previous_epoch = previous_epoch(current_epoch);
    let old_previous_justified = state.previous_justified;
    let old_current_justified = state.current_justified;
    let mut bits = [false; 4];
    for (i, bit) in bits.iter_mut().enumerate() {
        *bit = state.justification_bits.is_set(i as u8);
    }
    let mut next = *state;
    next.previous_justified = state.current_justified;
    bits = [false, bits[0], bits[1], bits[2]];
    if fits(u128::from(previous_target) * 3)? >= fits(u128::from(total) * 2)? {
        next.current_justified = Checkpoint {
            epoch: previous_epoch,
            root: previous_root,
        };
        bits[1] = true;
    }
    if fits(u128::from(current_target) * 3)? >= fits(u128::from(total) * 2)? {
        next.current_justified = Checkpoint {
            epoch: current_epoch,
            root: current_root,
        };
        bits[0] = true;
    }
    let current = u128::from(current_epoch.0);
    let plus = |c: &Checkpoint, n: u128| fits(u128::from(c.epoch.0) + n);
    if bits[1] && bits[2] && bits[3] && plus(&old_previous_justified, 3)? == current {
        next.finalized = old_previous_justified;
    }
    if bits[1] && bits[2] && plus(&old_previous_justified, 2)? == current {
        next.finalized = old_previous_justified;
    }
    if bits[0] && bits[1] && bits[2] && plus(&old_current_justified, 2)? == current {
        next.finalized = old_current_justified;
    }
    if bits[0] && bits[1] && plus(&old_current_justified, 1)? == current {
        next.finalized = old_current_justified;
    }
    let byte = bits
        .iter()
        .enumerate()
        .fold(0u8, |acc, (i, b)| acc | (u8::from(*b) << i));
    next.justification_bits = JustificationBits::new(byte).expect("four bits");
    Some(next)
}

/// One call on a copy of `state`: checks atomicity and agreement with [`spec_weigh`]; returns
/// the state after it and the outcome.
fn call(
    state: &FinalityState,
    current_epoch: Epoch,
    guarded: bool,
    balances: (u64, u64, u64),
    roots: ([u8; 32], [u8; 32]),
) -> (FinalityState, Result<FinalityOutcome, FinalityError>) {
    let (total, previous_target, current_target) = balances;
    let mut after = *state;
    let f = if guarded {
        process_justification_and_finalization
    } else {
        weigh_justification_and_finalization
    };
    let result = f(
        &mut after,
        current_epoch,
        total,
        previous_target,
        current_target,
        roots.0,
        roots.1,
    );
    let skipped = guarded && current_epoch.0 <= 1;
    let spec = if skipped {
        Some(*state)
    } else {
        spec_weigh(
            state,
            current_epoch,
            total,
            previous_target,
            current_target,
            roots.0,
            roots.1,
        )
    };
    match &result {
        Err(e) => {
            assert_eq!(after, *state, "{e:?} changed the state");
            assert_eq!(spec, None, "failed with {e:?} where the spec does not");
        }
        Ok(outcome) => {
            assert_eq!(Some(after), spec, "differs from the spec");
            let finalized = (after.finalized != state.finalized).then_some(after.finalized);
            assert_eq!(outcome.finalized, finalized, "outcome.finalized");
            if let Some(c) = outcome.current_epoch_justified {
                assert_eq!(c.epoch, current_epoch);
                assert_eq!(after.current_justified, c);
            }
            if let Some(c) = outcome.previous_epoch_justified {
                assert_eq!(c.epoch, previous_epoch(current_epoch));
            }
            if skipped {
                assert_eq!(*outcome, FinalityOutcome::NONE);
            }
        }
    }
    (after, result)
}

/// Puts a state's epochs in order: `finalized ≤ previous justified ≤ current justified`.
fn ordered(mut state: FinalityState) -> FinalityState {
    let mut epochs = [
        state.finalized.epoch,
        state.previous_justified.epoch,
        state.current_justified.epoch,
    ];
    epochs.sort();
    state.finalized.epoch = epochs[0];
    state.previous_justified.epoch = epochs[1];
    state.current_justified.epoch = epochs[2];
    state
}

fn chain(start: FinalityState, steps: &[ChainStep]) {
    let mut state = ordered(start);
    assert!(state.is_ordered());
    // The first epoch: just after the current justified one (the precondition's least).
    let mut current = state.current_justified.epoch.0.saturating_add(1);
    for step in steps {
        // The documented precondition: previous_epoch(current) ≥ current_justified.epoch.
        if current == u64::MAX && state.current_justified.epoch.0 == u64::MAX {
            break;
        }
        let at = Epoch(current);
        let total = step.total.gwei();
        let balances = (
            total,
            step.previous_target.of(total),
            step.current_target.of(total),
        );
        let before = state;
        let (after, result) = call(
            &state,
            at,
            step.guarded,
            balances,
            (root(step.previous_root), root(step.current_root)),
        );
        if result.is_ok() {
            assert!(after.is_ordered(), "{before:?} → {after:?} at {at:?}");
            assert!(
                after.finalized.epoch >= before.finalized.epoch,
                "finality went back"
            );
            assert!(
                after.current_justified.epoch >= before.current_justified.epoch,
                "justification went back"
            );
            assert!(after.current_justified.epoch >= after.finalized.epoch);
        }
        state = after;
        let gap = u64::from(step.gap.max(1));
        current = current
            .saturating_add(gap)
            .max(state.current_justified.epoch.0.saturating_add(1));
        if current <= at.0 {
            break;
        }
    }
}

fn wild(c: &WildCall) {
    let _checked = call(
        &c.state,
        c.current_epoch,
        c.guarded,
        (c.total, c.previous_target, c.current_target),
        (c.previous_root, c.current_root),
    );
}

// ---------------------------------------------------------------------------------------
// The tally
// ---------------------------------------------------------------------------------------

/// An input of [`Input::Tally`].
#[derive(Debug, Arbitrary)]
pub struct TallyInput {
    state: FinalityState,
    /// The current epoch: the current justified epoch plus this (small numbers, so votes
    /// meet the state's checkpoints).
    epoch_ahead: u8,
    /// Or any epoch.
    any_epoch: Option<Epoch>,
    previous_root: u8,
    current_root: u8,
    votes: Vec<TallyVote>,
    /// Weights of validators 0…, `None` for not counted; validators beyond have none.
    weights: Vec<Option<Weight>>,
    sorted: bool,
    increment: u32,
}

/// A vote built around the state's checkpoints.
#[derive(Debug, Arbitrary)]
struct TallyVote {
    validator: u8,
    /// 0 current epoch, 1 previous, 2 two before, else the next.
    target: u8,
    /// 0 the matching justified checkpoint, 1 the other one, else the finalized one.
    source: u8,
    target_root: u8,
}

/// A vote's weight.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Weight {
    Eth(u16),
    Huge(u64),
}

impl Weight {
    fn gwei(self) -> u64 {
        match self {
            Self::Eth(n) => u64::from(n) * 1_000_000_000,
            Self::Huge(x) => x,
        }
    }
}

/// The spec's tally, transcribed with sets: `Err` as `tally_votes` documents it (the first
/// vote out of order, unless a sum overflowed before it).
pub fn spec_tally(
    state: &FinalityState,
    current_epoch: Epoch,
    roots: ([u8; 32], [u8; 32]),
    votes: &[Vote],
    increment: u64,
    weight: impl Fn(ValidatorIndex) -> Option<u64>,
) -> Result<TallyReport, FinalityError> {
    let previous = previous_epoch(current_epoch);
    let mut report = TallyReport::default();
    let mut seen = BTreeSet::new();
    let (mut previous_sum, mut current_sum) = (0u128, 0u128);
    for (i, vote) in votes.iter().enumerate() {
        if i > 0 && vote.order_key() < votes[i - 1].order_key() {
            return Err(FinalityError::UnsortedVotes {
                position: u32::try_from(i).unwrap_or(u32::MAX),
            });
        }
        let target = vote.target.epoch;
        let is_current = target == current_epoch;
        let (source, root) = if is_current {
            (state.current_justified, roots.1)
        } else if target == previous {
            (state.previous_justified, roots.0)
        } else {
            report.wrong_epoch += 1;
            continue;
        };
        if vote.source != source {
            report.wrong_source += 1;
        } else if vote.target.root != root {
            report.wrong_target += 1;
        } else if !seen.insert((target, vote.validator)) {
            report.duplicate += 1;
        } else if let Some(w) = weight(vote.validator) {
            report.counted += 1;
            let sum = if is_current {
                &mut current_sum
            } else {
                &mut previous_sum
            };
            *sum += u128::from(w);
            if *sum > u128::from(u64::MAX) {
                return Err(if is_current {
                    FinalityError::CurrentTargetSumOverflow
                } else {
                    FinalityError::PreviousTargetSumOverflow
                });
            }
        } else {
            report.not_counted += 1;
        }
    }
    if previous == current_epoch {
        previous_sum = current_sum;
    }
    report.previous_target_balance = (previous_sum as u64).max(increment);
    report.current_target_balance = (current_sum as u64).max(increment);
    Ok(report)
}

fn tally(input: &TallyInput) {
    let state = input.state;
    let current = input.any_epoch.unwrap_or(Epoch(
        state
            .current_justified
            .epoch
            .0
            .saturating_add(u64::from(input.epoch_ahead % 4)),
    ));
    let previous = previous_epoch(current);
    let roots = (root(input.previous_root), root(input.current_root));
    let mut votes: Vec<Vote> = input
        .votes
        .iter()
        .map(|v| {
            let target_epoch = match v.target % 4 {
                0 => current,
                1 => previous,
                2 => Epoch(previous.0.saturating_sub(1)),
                _ => Epoch(current.0.saturating_add(1)),
            };
            let matching = if target_epoch == current {
                state.current_justified
            } else {
                state.previous_justified
            };
            let source = match v.source % 3 {
                0 => matching,
                1 if target_epoch == current => state.previous_justified,
                1 => state.current_justified,
                _ => state.finalized,
            };
            Vote {
                validator: ValidatorIndex(u64::from(v.validator % 24)),
                source,
                target: Checkpoint {
                    epoch: target_epoch,
                    root: root(v.target_root),
                },
            }
        })
        .collect();
    if input.sorted {
        sort_votes(&mut votes);
    }
    let weight = |index: ValidatorIndex| {
        input
            .weights
            .get(usize::try_from(index.0).ok()?)
            .copied()
            .flatten()
            .map(Weight::gwei)
    };
    let increment = u64::from(input.increment);
    let mut calls = BTreeSet::new();
    let got = tally_votes(
        &state,
        current,
        roots.0,
        roots.1,
        &votes,
        increment,
        |index, epoch| {
            assert!(
                calls.insert((epoch, index)),
                "weight asked twice for {index:?} at {epoch:?}"
            );
            weight(index)
        },
    );
    let want = spec_tally(&state, current, roots, &votes, increment, weight);
    assert_eq!(got, want, "tally_votes differs from the spec");
    if let Ok(report) = got {
        let kinds = report.counted
            + report.wrong_source
            + report.wrong_target
            + report.wrong_epoch
            + report.duplicate
            + report.not_counted;
        assert_eq!(kinds, votes.len() as u64, "every vote in one counter");
    }
}

// ---------------------------------------------------------------------------------------
// The epoch transition
// ---------------------------------------------------------------------------------------

const ETH: u64 = 1_000_000_000;

/// An input of [`Input::Epoch`].
#[derive(Debug, Arbitrary)]
pub struct EpochInput {
    /// 0 phase0, 1 altair, 2 deneb, 3 electra (others: phase0).
    fork: u8,
    /// Small churn limits, so the queues fill.
    churn: u8,
    validators: Vec<Kind>,
    /// Start from genesis (the invariants hold) or from an arbitrary state (only no panic,
    /// atomicity and the spec's steps).
    start: Option<EpochState>,
    epochs: Vec<EpochStep>,
}

/// A validator of the initial registry, consistent as a chain would have it.
#[derive(Debug, Arbitrary)]
struct Kind {
    /// 0 a new deposit, 1 queued, 2 active, 3 exiting, 4 exited and withdrawable.
    kind: u8,
    epoch: u8,
    /// Effective balance in ETH (capped at the validator's maximum); from an arbitrary start,
    /// `0xff00` or more means `u64::MAX / 4` Gwei, so sums overflow.
    effective: u16,
    /// Balance relative to the effective balance, in 1/8 ETH.
    balance: i16,
    compounding: bool,
    slashed: bool,
}

/// One epoch: who votes, junk votes, balance moves.
#[derive(Debug, Arbitrary)]
struct EpochStep {
    /// Bit `i % 64` set: validator `i` votes honestly for both epochs; bits `i % 64` and
    /// `(i + 1) % 64` both set: its current-epoch vote twice.
    voters: u64,
    /// Arbitrary extra votes (validators taken modulo 70).
    junk: Vec<Vote>,
    /// Leave the votes unsorted: swap the vote at `voters % len` with the last.
    unsorted: bool,
    /// Balance moves: validator (mod the registry) and Gwei; validator `0xff` sets the balance
    /// of validator `delta` (mod the registry) to `u64::MAX` (its effective-balance update
    /// overflows).
    moves: Vec<(u8, i64)>,
}

fn preset(fork: u8, churn: u8) -> Preset {
    let base = match fork % 4 {
        1 => Preset::altair(),
        2 => Preset::deneb(),
        3 => Preset::electra(),
        _ => Preset::phase0(),
    };
    Preset {
        min_per_epoch_churn_limit: u64::from(churn % 8).max(1),
        max_per_epoch_activation_churn_limit: u64::from(churn / 8 % 8).max(1),
        min_per_epoch_churn_limit_electra: 40 * ETH,
        max_per_epoch_activation_exit_churn_limit: 64 * ETH,
        shard_committee_period: 4,
        // Twice the withdrawability delay: a slashed validator exiting at epoch e (withdrawable
        // at e + 256) pays its correlation penalty at the end of epoch e, within the run.
        epochs_per_slashings_vector: 512,
        ..base
    }
}

fn build(preset: &Preset, i: u64, k: &Kind, huge: bool) -> (Validator, u64) {
    let mut pubkey = [0u8; 48];
    pubkey[..8].copy_from_slice(&i.to_le_bytes());
    let mut withdrawal_credentials = [0xaa; 32];
    withdrawal_credentials[0] = if k.compounding { 0x02 } else { 0x01 };
    let e = Epoch(u64::from(k.epoch % 16));
    let mut v = Validator {
        pubkey,
        withdrawal_credentials,
        effective_balance: 0,
        slashed: k.slashed,
        activation_eligibility_epoch: FAR_FUTURE_EPOCH,
        activation_epoch: FAR_FUTURE_EPOCH,
        exit_epoch: FAR_FUTURE_EPOCH,
        withdrawable_epoch: FAR_FUTURE_EPOCH,
    };
    let max = v.max_effective_balance(preset);
    v.effective_balance = (u64::from(k.effective) * ETH).min(max);
    if huge && k.effective >= 0xff00 {
        v.effective_balance = u64::MAX / 4;
    }
    match k.kind % 5 {
        0 => {}
        1 => v.activation_eligibility_epoch = e,
        kind => {
            v.activation_eligibility_epoch = Epoch(0);
            v.activation_epoch = e;
            if kind >= 3 {
                v.exit_epoch = Epoch(e.0 + 1 + u64::from(k.epoch / 16));
                v.withdrawable_epoch =
                    Epoch(v.exit_epoch.0 + preset.min_validator_withdrawability_delay);
            }
        }
    }
    let balance = v
        .effective_balance
        .saturating_add_signed(i64::from(k.balance) * (ETH as i64 / 8));
    (v, balance)
}

fn epoch(input: &EpochInput) {
    let p = preset(input.fork, input.churn);
    let from_genesis = input.start.is_none();
    let (mut validators, mut balances): (Vec<Validator>, Vec<u64>) = (0u64..)
        .zip(input.validators.iter().take(64))
        .map(|(i, k)| build(&p, i, k, !from_genesis))
        .unzip();
    // The slashed validators' effective balances, as if slashed at epoch 0 (a sum past u64 is
    // kept as u64::MAX, an overflow for the epoch to report).
    let mut slashings = vec![0u64; 512];
    slashings[0] = validators
        .iter()
        .filter(|v| v.slashed)
        .try_fold(0u64, |sum, v| sum.checked_add(v.effective_balance))
        .unwrap_or(u64::MAX);
    let mut state = input.start.unwrap_or(EpochState {
        queue: QueueState::scan(&validators),
        ..EpochState::GENESIS
    });
    if from_genesis && p.fork == Fork::Electra {
        let view = EpochView::scan(&p, &validators, Epoch(0), Epoch(0)).expect("small");
        state
            .queue
            .upgrade_to_electra(&p, &validators, &view)
            .expect("epoch 0");
    }
    let epoch_root = |e: Epoch| {
        let mut r = [0xb0; 32];
        r[..8].copy_from_slice(&e.0.to_le_bytes());
        r
    };
    for step in input.epochs.iter().take(16) {
        let n = validators.len();
        for &(i, delta) in &step.moves {
            if n > 0 {
                if i == 0xff {
                    balances[(delta.unsigned_abs() % n as u64) as usize] = u64::MAX;
                } else {
                    let at = usize::from(i) % n;
                    balances[at] = balances[at].saturating_add_signed(delta % (40 * ETH as i64));
                }
            }
        }
        let current = state.current_epoch;
        let previous = previous_epoch(current);
        let mut votes = Vec::new();
        for i in 0..n as u64 {
            if step.voters & (1 << (i % 64)) == 0 {
                continue;
            }
            let twice = step.voters & (1 << ((i + 1) % 64)) != 0;
            for (target, source, times) in [
                (previous, state.finality.previous_justified, 1),
                (
                    current,
                    state.finality.current_justified,
                    1 + usize::from(twice),
                ),
            ] {
                let vote = Vote {
                    validator: ValidatorIndex(i),
                    source,
                    target: Checkpoint {
                        epoch: target,
                        root: epoch_root(target),
                    },
                };
                votes.extend(std::iter::repeat_n(vote, times));
            }
        }
        votes.extend(step.junk.iter().take(64).map(|v| Vote {
            validator: ValidatorIndex(v.validator.0 % 70),
            ..*v
        }));
        sort_votes(&mut votes);
        if step.unsorted && votes.len() > 1 {
            let (len, last) = (votes.len(), votes.len() - 1);
            votes.swap((step.voters % len as u64) as usize, last);
        }
        let input = EpochVotes {
            votes: &votes,
            previous_epoch_root: epoch_root(previous),
            current_epoch_root: epoch_root(current),
        };

        let want = reference_epoch(&p, &state, &validators, &balances, &slashings, &input);
        let before = (
            state,
            validators.clone(),
            balances.clone(),
            slashings.clone(),
        );
        let mut reported = Vec::new();
        let got = process_epoch(
            &p,
            &mut state,
            &mut validators,
            &mut balances,
            &mut slashings,
            &input,
            |i, c: &ValidatorChange| reported.push((i, *c)),
        );
        match (&got, &want) {
            (Err(e), _) => {
                assert_eq!(got.as_ref().err(), want.as_ref().err(), "error differs");
                assert_eq!(state, before.0, "{e:?} changed the state");
                assert_eq!(validators, before.1, "{e:?} changed the validators");
                assert_eq!(balances, before.2, "{e:?} changed the balances");
                assert_eq!(slashings, before.3, "{e:?} changed the slashings");
                assert!(reported.is_empty(), "{e:?} reported changes");
                continue;
            }
            (Ok(_), Err(e)) => panic!("process_epoch succeeded where the spec fails with {e:?}"),
            (Ok(out), Ok(spec)) => {
                assert_eq!(state, spec.state, "state differs from the spec");
                assert_eq!(
                    validators, spec.validators,
                    "registry differs from the spec"
                );
                assert_eq!(balances, spec.balances, "balances differ from the spec");
                assert_eq!(slashings, spec.slashings, "slashings differ from the spec");
                assert_eq!(out.slashings, spec.slashings_summary, "penalties differ");
                assert_eq!(out.tally, spec.tally, "tally differs");
                assert_eq!(out.finality, spec.finality, "finality outcome differs");
                assert_eq!(out.registry, spec.registry, "registry summary differs");
                assert_eq!(
                    out.effective_balance_changes, spec.effective_balance_changes,
                    "moves differ"
                );
                check_reports(&before.1, &validators, &reported);
            }
        }
        if from_genesis {
            assert!(state.finality.is_ordered(), "{:?}", state.finality);
            assert!(
                state.finality.finalized.epoch >= before.0.finality.finalized.epoch,
                "finality went back"
            );
            check_registry(&p, &validators, &state);
        }
    }
}

/// The reported changes are exactly the differences between the registries.
fn check_reports(
    before: &[Validator],
    after: &[Validator],
    reported: &[(ValidatorIndex, ValidatorChange)],
) {
    let mut seen = BTreeSet::new();
    for (index, change) in reported {
        let i = usize::try_from(index.0).expect("an index");
        let (b, a) = (&before[i], &after[i]);
        seen.insert(i);
        let RegistryStep {
            eligible,
            ejected,
            activated,
        } = change.registry;
        if let Some(e) = eligible {
            assert_eq!(a.activation_eligibility_epoch, e);
        }
        if let Some(x) = ejected {
            assert_eq!(
                (a.exit_epoch, a.withdrawable_epoch),
                (x.exit_epoch, x.withdrawable_epoch)
            );
        }
        if let Some(e) = activated {
            assert_eq!(a.activation_epoch, e);
        }
        if let Some(EffectiveBalanceChange { from, to }) = change.effective_balance {
            assert_eq!((b.effective_balance, a.effective_balance), (from, to));
        }
    }
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        if b != a {
            assert!(seen.contains(&i), "validator {i} changed unreported");
        }
    }
}

/// The registry invariants of a chain run from genesis.
fn check_registry(p: &Preset, validators: &[Validator], state: &EpochState) {
    for v in validators {
        assert_eq!(
            v.effective_balance % p.effective_balance_increment,
            0,
            "{v:?}"
        );
        assert!(v.effective_balance <= v.max_effective_balance(p), "{v:?}");
        if v.exit_epoch != FAR_FUTURE_EPOCH {
            assert!(v.activation_epoch <= v.exit_epoch, "{v:?}");
            assert!(v.exit_epoch <= v.withdrawable_epoch, "{v:?}");
        }
    }
    if p.fork != Fork::Electra {
        let scanned = QueueState::scan(validators);
        assert_eq!(
            (state.queue.latest_exit_epoch, state.queue.exits_at_latest),
            (scanned.latest_exit_epoch, scanned.exits_at_latest),
            "exit queue summary"
        );
    }
}
