//! The epoch transition over the whole validator set: the spec's `process_epoch`, so far its
//! justification and finalization, registry updates and effective-balance updates, in two
//! passes over the registry — one that only reads, one that writes.
//!
//! See [`process_epoch`] for the order of the steps, what each pass does and why, and why an
//! error leaves everything as it was.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::queue::{ActivationQueue, Selection};
use super::slashing::{SlashingsEpoch, check_slashings_length, slashings_step};
use super::transitions::{activate_queue, same_length};
use super::{
    ActiveTotals, EffectiveBalanceChange, EpochView, FAR_FUTURE_EPOCH, Fork, Hysteresis, Preset,
    QueueState, RegistryEpoch, RegistryStep, RegistrySummary, SlashingsSummary, Validator,
    activation_churn_limit, compute_activation_exit_epoch, effective_balance_step,
    get_activation_exit_churn_limit, get_validator_churn_limit, next_effective_balance,
    process_slashings_reset, registry_update_step,
};
use crate::error::Error;
use crate::finality::{
    FinalityOutcome, FinalityState, GENESIS_EPOCH, TallyReport, Verdict, Vote, VoteRules, bump,
    process_justification_and_finalization, tally_votes,
};
use crate::ids::{Epoch, ValidatorIndex};
use crate::num::NumError;

/// What the epoch transition keeps from one epoch to the next besides the registry and the
/// balances: the spec's `BeaconState` fields that [`process_epoch`] reads and writes.
///
/// Nothing derived from the registry is kept (no activation queue, no total active balance):
/// [`process_epoch`] rebuilds both in its reading pass, which it needs anyway for the vote
/// tally, so a host that changes the registry between epochs (deposits, exits, slashings)
/// cannot leave a stale cache behind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct EpochState {
    /// `get_current_epoch(state)`: the epoch whose end the next [`process_epoch`] processes.
    pub current_epoch: Epoch,
    /// `justification_bits` and the three checkpoints (phase0 `BeaconState`).
    pub finality: FinalityState,
    /// The exit queue (phase0 to Deneb: the summary of the registry's exit epochs, see
    /// [`QueueState`]) and Electra's churn fields.
    pub queue: QueueState,
}

impl EpochState {
    /// Genesis: epoch 0, [`FinalityState::GENESIS`], an empty exit queue (a genesis registry
    /// has no exits; an Electra genesis state has zero churn fields).
    pub const GENESIS: Self = Self {
        current_epoch: GENESIS_EPOCH,
        finality: FinalityState::GENESIS,
        queue: QueueState {
            latest_exit_epoch: GENESIS_EPOCH,
            exits_at_latest: 0,
            earliest_exit_epoch: GENESIS_EPOCH,
            exit_balance_to_consume: 0,
            deposit_balance_to_consume: 0,
        },
    };
}

/// The votes of the epoch being processed and the block roots they are judged against, as
/// [`tally_votes`] takes them.
#[derive(Clone, Copy, Debug)]
pub struct EpochVotes<'a> {
    /// The FFG votes of attestations included for the previous and the current epoch, sorted
    /// by [`Vote::order_key`] ([`crate::finality::sort_votes`]); others are counted as
    /// [`tally_votes`] counts them. Unsorted votes are an error
    /// ([`crate::finality::FinalityError::UnsortedVotes`]).
    pub votes: &'a [Vote],
    /// `get_block_root(state, previous_epoch)`.
    pub previous_epoch_root: [u8; 32],
    /// `get_block_root(state, current_epoch)`.
    pub current_epoch_root: [u8; 32],
}

/// What [`process_epoch`] did to one validator, reported through its `on_change` callback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidatorChange {
    /// Activation eligibility, ejection, activation (`process_registry_updates`).
    pub registry: RegistryStep,
    /// The correlation penalty taken from the balance, Gwei (`process_slashings`), if the
    /// validator was due one (it may be 0).
    pub slashing_penalty: Option<u64>,
    /// The effective balance, if it moved (`process_effective_balance_updates`).
    pub effective_balance: Option<EffectiveBalanceChange>,
}

/// What one epoch transition did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochOutcome {
    /// The epoch processed; the state's current epoch is now the one after it.
    pub epoch: Epoch,
    /// The view the registry updates used: the processed epoch, the finalized epoch after
    /// justification and finalization, and the active set
    /// (`get_active_validator_indices`, `get_total_active_balance`).
    pub view: EpochView,
    /// The vote tally. At epochs 0 and 1, where the spec skips justification, votes are not
    /// tallied and this is all zero.
    pub tally: TallyReport,
    /// Newly justified and finalized checkpoints.
    pub finality: FinalityOutcome,
    /// How many validators became eligible for activation, were ejected, were activated.
    pub registry: RegistrySummary,
    /// The correlation penalties charged (`process_slashings`).
    pub slashings: SlashingsSummary,
    /// How many effective balances moved.
    pub effective_balance_changes: u64,
}

/// The weight of validator `index`'s vote for `target_epoch`, as [`process_epoch`] tallies
/// it: its effective balance if it exists, is not slashed and is active at the target epoch
/// (phase0 `get_unslashed_attesting_indices`, whose committees hold only active validators;
/// altair `get_unslashed_participating_indices`), else `None`. A host calling [`tally_votes`]
/// itself passes this as the weight.
pub fn vote_weight(
    validators: &[Validator],
    index: ValidatorIndex,
    target_epoch: Epoch,
) -> Option<u64> {
    let validator = validators.get(usize::try_from(index.0).ok()?)?;
    weight_of(validator, target_epoch)
}

#[inline]
fn weight_of(validator: &Validator, target_epoch: Epoch) -> Option<u64> {
    (!validator.slashed && validator.is_active_validator(target_epoch))
        .then_some(validator.effective_balance)
}

/// The epoch transition at the end of `state.current_epoch`: the spec's `process_epoch`
/// (phase0; altair … electra), the steps modelled so far, in the spec's order, then the
/// epoch advances by one (the spec's `process_slots` crossing an epoch boundary).
///
/// | spec step (`process_epoch`) | here |
/// |---|---|
/// | `process_justification_and_finalization` (phase0; altair) | the vote tally ([`tally_votes`]'s rules, weights by [`vote_weight`]) and [`process_justification_and_finalization`] |
/// | `process_inactivity_updates` (altair …) | *not yet: a later step* |
/// | `process_rewards_and_penalties` (phase0; altair …) | *not yet: a later step* |
/// | `process_registry_updates` (phase0; deneb; electra) | [`registry_update_step`] per validator; phase0 to Deneb activate the [`ActivationQueue`]'s choice after the pass, as the spec does after its first loop |
/// | `process_slashings` (phase0; altair; bellatrix; electra) | [`slashings_step`] per validator, with the epoch's [`SlashingsEpoch`] |
/// | `process_eth1_data_reset` | not modelled (no eth1 data) |
/// | `process_pending_deposits`, `process_pending_consolidations` (electra) | the host's, with [`super::process_pending_deposits`]; *a later step brings them in* |
/// | `process_effective_balance_updates` (phase0; electra) | [`effective_balance_step`] per validator |
/// | `process_slashings_reset` (phase0) | [`process_slashings_reset`], after the pass |
/// | `process_randao_mixes_reset`, `process_historical_*`, `process_participation_*`, `process_sync_committee_updates` | not modelled (the host's) |
/// | `process_slots`: `state.slot += 1` into the next epoch | `state.current_epoch + 1` |
///
/// `validators`, `balances` and `slashings` are the spec's `state.validators`,
/// `state.balances` (the same length) and `state.slashings` (`EPOCHS_PER_SLASHINGS_VECTOR`
/// entries); `votes` the epoch's votes and roots (see [`EpochVotes`]); `on_change` hears
/// of each validator that changed, in index order — except that under phase0 to Deneb the
/// activations are reported after the pass, as [`super::process_registry_updates`] reports
/// them. Balances change by the correlation penalties of `process_slashings` (rewards and
/// penalties are a later step).
///
/// ## Passes over the registry
/// Reading 1 M validator records (128 bytes each) costs as much as the rules, so each pass
/// counts. There are two, plus work bounded by the churn:
/// 1. **The reading pass** (validators, balances and votes together, nothing written). The
///    spec's order needs, before anything is written, the total active balance and the two
///    target balances — justification decides the finalized epoch, and the registry updates
///    depend on it. Votes are sorted by (target epoch, validator), so the previous and the
///    current epoch's votes are two runs sorted by validator: the pass walks them beside the
///    registry (a merge), weighing each vote with the record it is reading anyway, instead
///    of looking the voters up in a second sweep. Each vote is judged by [`tally_votes`]'s own
///    rules; if the votes turn out unsorted, or a sum overflows, [`tally_votes`] itself is
///    run to give its exact answer (that costs a second sweep, on those inputs only).
///    The same pass builds the activation queue of phase0 to Deneb ([`ActivationQueue`], each
///    validator offered as it will be after this epoch's eligibility update — so the queue is
///    the spec's for any finalized epoch, and nothing need be carried from the previous
///    epoch), counts the validators due for ejection, and checks every effective-balance
///    update for overflow.
/// 2. **The writing pass**: for each validator, [`registry_update_step`] (not even called
///    for a [`Validator::is_settled`] one, nearly all) then [`effective_balance_step`], the
///    spec's per-validator loops fused (the steps a later fork adds between them go here
///    too, in the spec's order).
/// 3. Phase0 to Deneb: the activations, at most the churn of them, by index (a new queue
///    scan only when the churn exceeds [`super::ACTIVATION_QUEUE_CAPACITY`], 64, and more
///    than 64 validators are waiting: Ethereum's churn is at most 15 below 4 M validators,
///    8 since Deneb).
///
/// ## Atomic without copying the registry
/// On `Err`, `state`, `validators` and `balances` are exactly as they were. Every check is
/// made before the writing pass, which cannot fail:
/// - up front: the preset is valid ([`Preset::validate`]: no zero divisor, the hysteresis
///   thresholds fit), the lengths match, `current_epoch + 1` fits (so the eligibility epoch
///   of every step does);
/// - the reading pass: the total active balance fits in `u64`; every effective-balance update
///   is computed ([`next_effective_balance`]) — the registry step before it changes neither
///   the balance nor the effective balance, so the writing pass computes the same;
/// - the tally and [`process_justification_and_finalization`] run on the read values and a
///   copy of the finality state;
/// - the registry constants: the activation churn, [`RegistryEpoch::new`] (Electra computes
///   the activation epoch there), and, when the queue chose anyone, the activation epoch;
/// - ejections, the only registry step that can fail (an exit or withdrawable epoch past
///   `u64`): with `k` validators due, each exit lands at most one epoch past the latest
///   (phase0 to Deneb) or `EJECTION_BALANCE / churn + 1` epochs past it (Electra; an ejected
///   validator's effective balance is at most `EJECTION_BALANCE`, and the churn arithmetic
///   stays below `EJECTION_BALANCE + churn`), so if the latest exit epoch plus `k` times that,
///   plus `MIN_VALIDATOR_WITHDRAWABILITY_DELAY`, fits in `u64`, no exit can fail. Only when
///   that bound does not fit (epochs within reach of `2^64`) is the exact answer found by a
///   dry run of the registry steps on copies of the records, one extra read of the registry.
///
/// Errors come in the order the spec's steps would raise them: a [`crate::validator::
/// ValidatorError`] for an invalid preset or mismatched lengths; [`NumError::Overflow`] for
/// the last epoch, or a total active balance past `u64`; the tally's and justification's
/// [`crate::finality::FinalityError`]s; the registry's errors; then the effective balances'.
///
/// ## Deviations
/// Those of [`tally_votes`], [`process_justification_and_finalization`] and the registry
/// functions, and: the preset must be valid; the total active balance is summed even at
/// epochs where the spec would not need it (a registry whose effective balances pass `u64`,
/// 18 billion ETH, is not one a chain reaches).
pub fn process_epoch(
    preset: &Preset,
    state: &mut EpochState,
    validators: &mut [Validator],
    balances: &mut [u64],
    slashings: &mut [u64],
    votes: &EpochVotes<'_>,
    mut on_change: impl FnMut(ValidatorIndex, &ValidatorChange),
) -> Result<EpochOutcome, Error> {
    preset.validate()?;
    same_length(validators.len(), balances.len())?;
    check_slashings_length(preset, slashings)?;
    let current = state.current_epoch;
    // The spec's next slot (and so `current + 1`, every eligibility epoch of this epoch).
    let next_epoch = Epoch(current.0.checked_add(1).ok_or(NumError::Overflow)?);
    let hysteresis = Hysteresis::new(preset)?;

    // Pass 1: read.
    let survey = survey(
        preset,
        state,
        validators,
        balances,
        votes,
        &hysteresis,
        next_epoch,
    )?;
    let total_active_balance = survey.totals.total_active_balance(preset);

    // process_justification_and_finalization, on a copy.
    let tally = match survey.tally {
        Some(report) => report,
        None => tally_votes(
            &state.finality,
            current,
            votes.previous_epoch_root,
            votes.current_epoch_root,
            votes.votes,
            preset.effective_balance_increment,
            |index, epoch| vote_weight(validators, index, epoch),
        )?,
    };
    let mut finality = state.finality;
    let finality_outcome = process_justification_and_finalization(
        &mut finality,
        current,
        total_active_balance,
        tally.previous_target_balance,
        tally.current_target_balance,
        votes.previous_epoch_root,
        votes.current_epoch_root,
    )?;

    // [altair …] process_inactivity_updates, then process_rewards_and_penalties (a later
    // step): their per-validator parts go into the writing pass, before the registry step.

    // process_registry_updates: the epoch's constants, and every check of its steps.
    let view = EpochView {
        current,
        finalized: finality.finalized.epoch,
        active_validators: survey.totals.count,
        total_active_balance,
    };
    let churn = match preset.fork {
        Fork::Electra => 0,
        _ => activation_churn_limit(preset, view.active_validators)?,
    };
    let registry_epoch = RegistryEpoch::new(preset, view, Selection::empty())?;
    if survey.ejections > 0 && !ejections_cannot_fail(preset, &state.queue, &view, survey.ejections)
    {
        dry_run_registry(preset, &registry_epoch, &state.queue, validators)?;
    }
    let activations = match preset.fork {
        Fork::Electra => None,
        _ => {
            let selection = survey.queue.select(view.finalized, churn);
            if selection.is_empty() {
                None
            } else {
                Some((selection, compute_activation_exit_epoch(preset, current)?))
            }
        }
    };
    // process_slashings: the epoch's constants, and the largest penalty due (penalties grow
    // with the effective balance, so if the largest computes, every one does).
    let slashings_epoch = SlashingsEpoch::new(preset, current, total_active_balance, slashings)?;
    if let Some(largest) = survey.largest_due_slashing {
        slashings_epoch.penalty(preset, &largest)?;
    }
    if let Some(error) = survey.effective_balance_error {
        return Err(error);
    }

    // Pass 2: write. Nothing below can fail (see the docs): the `?`s only carry the types.
    let mut queue = state.queue;
    let mut registry = RegistrySummary::default();
    let mut effective_balance_changes = 0u64;
    let mut slashings_summary = SlashingsSummary::default();
    for (index, (validator, balance)) in
        (0u64..).zip(validators.iter_mut().zip(balances.iter_mut()))
    {
        let index = ValidatorIndex(index);
        // [later] process_inactivity_updates, process_rewards_and_penalties for this validator.
        // Most validators are settled: skip the call (and its large result) altogether.
        let step = if validator.is_settled(preset) {
            RegistryStep::default()
        } else {
            registry_update_step(preset, &registry_epoch, index, validator, &mut queue)?
        };
        let slashing_penalty = if slashings_epoch.is_due(preset, validator) {
            let taken = slashings_step(preset, &slashings_epoch, validator, balance)?;
            slashings_summary.count(taken);
            Some(taken)
        } else {
            None
        };
        // [electra, later] the credits of process_pending_deposits and
        // process_pending_consolidations to its balance.
        let effective_balance = effective_balance_step(preset, &hysteresis, validator, *balance)?;
        if step.is_none() && slashing_penalty.is_none() && effective_balance.is_none() {
            continue;
        }
        registry.count(&step);
        if effective_balance.is_some() {
            bump(&mut effective_balance_changes);
        }
        on_change(
            index,
            &ValidatorChange {
                registry: step,
                slashing_penalty,
                effective_balance,
            },
        );
    }

    // Phase0 to Deneb: the activation queue's first `churn`, after the first loop as in the
    // spec (its queue is sorted after the eligibility updates, which the survey's includes).
    if let Some((first, activation_epoch)) = activations {
        activate_queue(
            validators,
            first,
            view.finalized,
            churn,
            activation_epoch,
            &mut registry,
            |index, step| {
                on_change(
                    index,
                    &ValidatorChange {
                        registry: *step,
                        slashing_penalty: None,
                        effective_balance: None,
                    },
                )
            },
        );
    }

    // process_slashings_reset: cannot fail (the length and `current + 1` are checked).
    process_slashings_reset(preset, slashings, current)?;
    state.finality = finality;
    state.queue = queue;
    state.current_epoch = next_epoch;
    Ok(EpochOutcome {
        epoch: current,
        view,
        tally,
        finality: finality_outcome,
        registry,
        slashings: slashings_summary,
        effective_balance_changes,
    })
}

/// What the reading pass found.
struct Survey {
    /// The active set at the current epoch.
    totals: ActiveTotals,
    /// The tally, or `None` when the votes were irregular and [`tally_votes`] must decide.
    tally: Option<TallyReport>,
    /// Phase0 to Deneb: the activation queue after this epoch's eligibility updates.
    queue: ActivationQueue,
    /// Validators the registry updates will eject.
    ejections: u64,
    /// The first effective-balance update that overflows, by index.
    effective_balance_error: Option<Error>,
    /// Of the validators due a correlation penalty, one with the largest effective balance.
    largest_due_slashing: Option<Validator>,
}

/// Pass 1: see [`process_epoch`]. Returns early only for a total active balance past `u64`.
fn survey(
    preset: &Preset,
    state: &EpochState,
    validators: &[Validator],
    balances: &[u64],
    votes: &EpochVotes<'_>,
    hysteresis: &Hysteresis,
    eligibility_epoch: Epoch,
) -> Result<Survey, Error> {
    let current = state.current_epoch;
    // The spec's genesis guard: no justification, so no tally, at epochs 0 and 1.
    let tallying = current.0 > GENESIS_EPOCH.0.saturating_add(1);
    let rules = VoteRules::new(
        &state.finality,
        current,
        votes.previous_epoch_root,
        votes.current_epoch_root,
    );
    let mut tally = MergedTally::new(rules);
    let [mut before, mut previous, mut current_run, mut after] = if tallying {
        tally.split(votes.votes)
    } else {
        [Run::new(&[]), Run::new(&[]), Run::new(&[]), Run::new(&[])]
    };
    while let Some(vote) = before.pop() {
        tally.count(&mut before, vote, None);
    }

    let electra = preset.fork == Fork::Electra;
    let mut totals = ActiveTotals::default();
    let mut queue = ActivationQueue::new();
    let mut ejections = 0u64;
    let mut effective_balance_error = None;
    let mut largest_due_slashing: Option<Validator> = None;
    let slashing_due_at = current
        .0
        .checked_add(preset.epochs_per_slashings_vector / 2)
        .map(Epoch);
    for (index, (validator, balance)) in (0u64..).zip(validators.iter().zip(balances)) {
        totals.add(validator, current)?;
        while let Some(vote) = previous.pop_for(index) {
            tally.count(&mut previous, vote, Some(validator));
        }
        while let Some(vote) = current_run.pop_for(index) {
            tally.count(&mut current_run, vote, Some(validator));
        }

        if validator.is_settled(preset) {
            // Not a queue candidate, not due for ejection (and not ejectable).
        } else if validator.is_eligible_for_activation_queue(preset) {
            if !electra {
                let queued = Validator {
                    activation_eligibility_epoch: eligibility_epoch,
                    ..*validator
                };
                queue.offer(ValidatorIndex(index), &queued);
            }
        } else {
            if !electra {
                queue.offer(ValidatorIndex(index), validator);
            }
            // A validator eligible for the queue has an effective balance above the ejection
            // balance (a valid preset), so only the others can be ejected.
            if validator.exit_epoch == FAR_FUTURE_EPOCH
                && validator.effective_balance <= preset.ejection_balance
                && validator.is_active_validator(current)
            {
                ejections = ejections.saturating_add(1);
            }
        }

        if validator.slashed
            && Some(validator.withdrawable_epoch) == slashing_due_at
            && largest_due_slashing
                .is_none_or(|largest| largest.effective_balance < validator.effective_balance)
        {
            largest_due_slashing = Some(*validator);
        }
        // The correlation penalty only lowers the balance, which cannot make this overflow.
        if effective_balance_error.is_none()
            && let Err(error) = next_effective_balance(preset, hysteresis, validator, *balance)
        {
            effective_balance_error = Some(error);
        }
    }

    // Votes of validators past the registry (not counted), then those of no epoch in use.
    for run in [&mut previous, &mut current_run, &mut after] {
        while let Some(vote) = run.pop() {
            tally.count(run, vote, None);
        }
    }
    Ok(Survey {
        totals,
        tally: if tallying {
            tally.finish(preset.effective_balance_increment)
        } else {
            Some(TallyReport::default())
        },
        queue,
        ejections,
        effective_balance_error,
        largest_due_slashing,
    })
}

/// A run of votes consumed in order, with what [`tally_votes`] remembers of the last ones.
struct Run<'a> {
    rest: &'a [Vote],
    last_key: Option<(Epoch, ValidatorIndex)>,
    last_matching: Option<(Epoch, ValidatorIndex)>,
}

impl<'a> Run<'a> {
    fn new(votes: &'a [Vote]) -> Self {
        Self {
            rest: votes,
            last_key: None,
            last_matching: None,
        }
    }

    fn pop(&mut self) -> Option<&'a Vote> {
        let (first, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(first)
    }

    /// The next vote if it is validator `index`'s.
    #[inline]
    fn pop_for(&mut self, index: u64) -> Option<&'a Vote> {
        match self.rest.first() {
            Some(vote) if vote.validator.0 == index => self.pop(),
            _ => None,
        }
    }
}

/// [`tally_votes`] computed during the reading pass.
///
/// The votes are split, by target epoch, into four runs: before the previous epoch, the
/// previous epoch, the current epoch, after it (at genesis the previous epoch is the current
/// one and its run is empty). Each run is consumed in order, so checking each run's order and
/// the three places where runs meet checks every adjacent pair of votes: the whole order. A
/// vote is judged by [`VoteRules`], its duplicate test looks at the previous matching vote of
/// its run (duplicates of a sorted list are adjacent), and its weight is that of the record
/// the pass holds when the vote's validator comes up. For sorted votes without overflow, this
/// is [`tally_votes`] exactly; otherwise [`MergedTally::finish`] gives `None` and the caller
/// runs [`tally_votes`].
struct MergedTally {
    rules: VoteRules,
    report: TallyReport,
    previous_sum: u64,
    current_sum: u64,
    /// Unsorted votes or a sum overflow.
    irregular: bool,
}

impl MergedTally {
    fn new(rules: VoteRules) -> Self {
        Self {
            rules,
            report: TallyReport::default(),
            previous_sum: 0,
            current_sum: 0,
            irregular: false,
        }
    }

    /// The four runs of `votes` (see the type's docs), and the order where they meet.
    fn split<'a>(&mut self, votes: &'a [Vote]) -> [Run<'a>; 4] {
        let previous = self.rules.previous_epoch();
        let current = self.rules.current_epoch();
        // On unsorted votes these cuts are arbitrary, but still in order and in range; the
        // order checks then fail somewhere.
        let a = votes.partition_point(|v| v.target.epoch < previous);
        // At genesis (`previous == current`) this is `a`: the previous epoch's run is empty.
        let b = votes.partition_point(|v| v.target.epoch < current).max(a);
        let c = votes.partition_point(|v| v.target.epoch <= current).max(b);
        for cut in [a, b, c] {
            let pair = cut
                .checked_sub(1)
                .and_then(|before| votes.get(before))
                .zip(votes.get(cut));
            if pair.is_some_and(|(x, y)| y.order_key() < x.order_key()) {
                self.irregular = true;
            }
        }
        let (head, rest) = votes.split_at_checked(a).unwrap_or((votes, &[]));
        let (previous_run, rest) = rest
            .split_at_checked(b.saturating_sub(a))
            .unwrap_or((rest, &[]));
        let (current_run, tail) = rest
            .split_at_checked(c.saturating_sub(b))
            .unwrap_or((rest, &[]));
        [
            Run::new(head),
            Run::new(previous_run),
            Run::new(current_run),
            Run::new(tail),
        ]
    }

    /// One vote of `run`, weighed with `record` (its validator's, or `None` past the
    /// registry): [`tally_votes`]'s loop body.
    #[inline]
    fn count(&mut self, run: &mut Run<'_>, vote: &Vote, record: Option<&Validator>) {
        let key = vote.order_key();
        if run.last_key.is_some_and(|last| key < last) {
            self.irregular = true;
        }
        run.last_key = Some(key);
        let verdict = self.rules.judge(vote);
        let Verdict::Matching { is_current } = verdict else {
            self.report.note(verdict);
            return;
        };
        if run.last_matching == Some(key) {
            bump(&mut self.report.duplicate);
            return;
        }
        run.last_matching = Some(key);
        let Some(balance) = record.and_then(|v| weight_of(v, vote.target.epoch)) else {
            bump(&mut self.report.not_counted);
            return;
        };
        let sum = if is_current {
            &mut self.current_sum
        } else {
            &mut self.previous_sum
        };
        match sum.checked_add(balance) {
            Some(total) => *sum = total,
            None => self.irregular = true,
        }
        bump(&mut self.report.counted);
    }

    fn finish(mut self, effective_balance_increment: u64) -> Option<TallyReport> {
        if self.irregular {
            return None;
        }
        self.report.finish(
            &self.rules,
            self.previous_sum,
            self.current_sum,
            effective_balance_increment,
        );
        Some(self.report)
    }
}

/// Whether `ejections` exits in this epoch certainly fit in `u64` epochs (see
/// [`process_epoch`], *Atomic*). `false` means "not proven", not "will fail".
fn ejections_cannot_fail(
    preset: &Preset,
    queue: &QueueState,
    view: &EpochView,
    ejections: u64,
) -> bool {
    last_withdrawable_bound(preset, queue, view, ejections).is_some()
}

/// An upper bound on the withdrawable epoch of the last of `ejections` exits, if it fits.
fn last_withdrawable_bound(
    preset: &Preset,
    queue: &QueueState,
    view: &EpochView,
    ejections: u64,
) -> Option<u64> {
    let earliest = compute_activation_exit_epoch(preset, view.current).ok()?;
    let last_exit = if preset.fork == Fork::Electra {
        // compute_exit_epoch_and_update_churn: each exit of b ≤ EJECTION_BALANCE Gwei adds at
        // most (b - 1) // churn + 1 epochs, and its sums stay below b + churn.
        let churn = get_activation_exit_churn_limit(preset, view.total_active_balance).ok()?;
        preset.ejection_balance.checked_add(churn)?;
        let per_exit = preset.ejection_balance.checked_div(churn)?.checked_add(1)?;
        queue
            .earliest_exit_epoch
            .max(earliest)
            .0
            .checked_add(ejections.checked_mul(per_exit)?)?
    } else {
        // initiate_validator_exit: each exit is at most one epoch past the latest.
        get_validator_churn_limit(preset, view.active_validators).ok()?;
        queue
            .latest_exit_epoch
            .max(earliest)
            .0
            .checked_add(ejections)?
    };
    last_exit.checked_add(preset.min_validator_withdrawability_delay)
}

/// Every registry step on copies of the records and of the queue, for the exact error when
/// [`ejections_cannot_fail`] could not prove there is none.
fn dry_run_registry(
    preset: &Preset,
    epoch: &RegistryEpoch,
    queue: &QueueState,
    validators: &[Validator],
) -> Result<(), Error> {
    let mut scratch = *queue;
    for (index, validator) in (0u64..).zip(validators) {
        let mut copy = *validator;
        registry_update_step(
            preset,
            epoch,
            ValidatorIndex(index),
            &mut copy,
            &mut scratch,
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "epoch_tests.rs"]
mod tests;
