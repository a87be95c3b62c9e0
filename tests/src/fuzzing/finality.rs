//! The finality harness: Casper FFG's functions on arbitrary justification bits, checkpoints,
//! balances and epochs, and the epoch transition on small validator sets.
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
//! - [`Input::Epoch`]: up to 64 validators through `process_epoch` for up to 16 epochs with
//!   arbitrary participation (phase0: inclusions by arbitrary proposers), inactivity scores
//!   and balance moves: an error changes nothing; the result — state, every list, the totals,
//!   rewards and penalties — equals the spec's steps one after another with whole-registry
//!   loops and sums taken afresh (`stakehold::validator::reference`); from genesis the
//!   finalized epoch never decreases and the state stays ordered; the registry invariants
//!   hold (`activation ≤ exit ≤ withdrawable`, effective balances whole increments within the
//!   maximum, the phase0 exit-queue summary equal to a fresh scan).

use std::collections::BTreeSet;

use arbitrary::{Arbitrary, Unstructured};
use stakehold::finality::{
    Checkpoint, FinalityError, FinalityOutcome, FinalityState, JustificationBits, previous_epoch,
    process_justification_and_finalization, weigh_justification_and_finalization,
};
use stakehold::validator::reference::{Lists, reference_epoch};
use stakehold::validator::{
    EffectiveBalanceChange, EpochRegistry, EpochRoots, EpochState, EpochTotals, EpochView,
    FAR_FUTURE_EPOCH, Fork, Inclusion, ParticipationFlags, Preset, QueueState, RegistryStep,
    Validator, ValidatorChange, process_epoch,
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

/// One epoch: who attested with which flags, balance and score moves.
#[derive(Debug, Arbitrary)]
struct EpochStep {
    /// Bit `i % 64` set: validator `i` attested to the epoch, with `flags`.
    voters: u64,
    /// The flags they earned (the low three bits; phase0: made nested, with an inclusion at
    /// `delay` slots by `proposer`).
    flags: u8,
    delay: u8,
    proposer: u8,
    /// Balance moves: validator (mod the registry) and Gwei; validator `0xff` sets the balance
    /// of validator `delta` (mod the registry) to `u64::MAX` (its reward overflows).
    moves: Vec<(u8, i64)>,
    /// Inactivity scores set: validator (mod the registry) and score.
    scores: Vec<(u8, u64)>,
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
    let phase0 = p.fork == Fork::Phase0;
    let from_genesis = input.start.is_none();
    let (validators, balances): (Vec<Validator>, Vec<u64>) = (0u64..)
        .zip(input.validators.iter().take(64))
        .map(|(i, k)| build(&p, i, k, !from_genesis))
        .unzip();
    let n = validators.len();
    // The slashed validators' effective balances, as if slashed at epoch 0 (a sum past u64 is
    // kept as u64::MAX, an overflow for the epoch to report).
    let mut slashings = vec![0u64; 512];
    slashings[0] = validators
        .iter()
        .filter(|v| v.slashed)
        .try_fold(0u64, |sum, v| sum.checked_add(v.effective_balance))
        .unwrap_or(u64::MAX);
    let inclusions = if phase0 { n } else { 0 };
    let mut lists = Lists {
        validators,
        balances,
        inactivity_scores: vec![0; n],
        previous: vec![ParticipationFlags::NONE; n],
        current: vec![ParticipationFlags::NONE; n],
        previous_inclusions: vec![Inclusion::default(); inclusions],
        current_inclusions: vec![Inclusion::default(); inclusions],
        slashings,
    };
    let mut state = input.start.unwrap_or(EpochState {
        queue: QueueState::scan(&lists.validators),
        ..EpochState::GENESIS
    });
    if from_genesis && p.fork == Fork::Electra {
        let view = EpochView::scan(&p, &lists.validators, Epoch(0), Epoch(0)).expect("small");
        state
            .queue
            .upgrade_to_electra(&p, &lists.validators, &view)
            .expect("epoch 0");
    }
    let epoch_root = |e: Epoch| {
        let mut r = [0xb0; 32];
        r[..8].copy_from_slice(&e.0.to_le_bytes());
        r
    };
    for step in input.epochs.iter().take(16) {
        for &(i, delta) in &step.moves {
            if n > 0 {
                if i == 0xff {
                    lists.balances[(delta.unsigned_abs() % n as u64) as usize] = u64::MAX;
                } else {
                    let at = usize::from(i) % n;
                    lists.balances[at] =
                        lists.balances[at].saturating_add_signed(delta % (40 * ETH as i64));
                }
            }
        }
        if !phase0 {
            for &(i, score) in step.scores.iter().take(4) {
                if n > 0 {
                    lists.inactivity_scores[usize::from(i) % n] = score;
                }
            }
        }
        // This epoch's participation, as attestations would have recorded it.
        let flags = if phase0 {
            // Nested: a head match is a target match is a source match.
            match step.flags & 0b111 {
                0 => 0,
                f if f & 2 == 0 => 1,
                f => f | 1,
            }
        } else {
            step.flags & 0b111
        };
        for i in 0..n {
            if step.voters & (1 << (i % 64)) == 0 || flags == 0 {
                continue;
            }
            lists.current[i] = ParticipationFlags(lists.current[i].0 | flags);
            if phase0 && lists.current_inclusions[i].inclusion_delay == 0 {
                lists.current_inclusions[i] = Inclusion {
                    inclusion_delay: u64::from(step.delay % 40).max(1),
                    proposer_index: ValidatorIndex(u64::from(step.proposer) % (n as u64 + 1)),
                };
            }
        }
        let current = state.current_epoch;
        let roots = EpochRoots {
            previous_epoch_root: epoch_root(previous_epoch(current)),
            current_epoch_root: epoch_root(current),
        };
        let want = reference_epoch(&p, &state, &lists, &roots);
        let Ok(mut totals) = EpochTotals::scan(
            current,
            &lists.validators,
            &lists.balances,
            &lists.inactivity_scores,
            &lists.previous,
            &lists.current,
        ) else {
            // Sums past u64: no totals, and the spec fails summing them too.
            assert!(want.is_err(), "the reference ran where no totals exist");
            return;
        };
        let before = (state, lists.clone(), totals);
        let mut credits = vec![0u64; inclusions];
        let mut reported = Vec::new();
        let got = process_epoch(
            &p,
            &mut state,
            &mut EpochRegistry {
                validators: &mut lists.validators,
                balances: &mut lists.balances,
                inactivity_scores: &mut lists.inactivity_scores,
                previous_epoch_participation: &mut lists.previous,
                current_epoch_participation: &mut lists.current,
                previous_epoch_inclusions: &mut lists.previous_inclusions,
                current_epoch_inclusions: &mut lists.current_inclusions,
                proposer_credits: &mut credits,
                slashings: &mut lists.slashings,
            },
            &mut totals,
            &roots,
            |i, c: &ValidatorChange| reported.push((i, *c)),
        );
        match (&got, &want) {
            (Err(e), _) => {
                assert_eq!(got.as_ref().err(), want.as_ref().err(), "error differs");
                assert_eq!(state, before.0, "{e:?} changed the state");
                assert_eq!(lists, before.1, "{e:?} changed the lists");
                assert_eq!(totals, before.2, "{e:?} changed the totals");
                assert!(reported.is_empty(), "{e:?} reported changes");
                return;
            }
            (Ok(_), Err(e)) => panic!("process_epoch succeeded where the spec fails with {e:?}"),
            (Ok(out), Ok(spec)) => {
                assert_eq!(state, spec.state, "state differs from the spec");
                assert_eq!(lists, spec.lists, "lists differ from the spec");
                assert_eq!(totals, spec.totals, "totals differ from a fresh sum");
                assert_eq!(out.finality, spec.finality, "finality outcome differs");
                assert_eq!(out.registry, spec.registry, "registry summary differs");
                assert_eq!(out.slashings, spec.slashings, "penalties differ");
                assert_eq!(
                    (out.rewards, out.penalties),
                    spec.rewards,
                    "reward sums differ"
                );
                assert_eq!(
                    out.effective_balance_changes, spec.effective_balance_changes,
                    "moves differ"
                );
                check_reports(&before.1.validators, &lists.validators, &reported);
            }
        }
        if from_genesis {
            assert!(state.finality.is_ordered(), "{:?}", state.finality);
            assert!(
                state.finality.finalized.epoch >= before.0.finality.finalized.epoch,
                "finality went back"
            );
            check_registry(&p, &lists.validators, &state);
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
