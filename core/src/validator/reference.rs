//! The epoch transition as the spec writes it: each step over the whole registry, one after
//! another, on copies — the oracle the unit tests and the `finality` fuzz target compare
//! [`super::process_epoch`] with. Built for tests and with the `arbitrary` feature only.

extern crate alloc;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::{
    EffectiveBalanceChange, EpochState, EpochView, EpochVotes, Preset, RegistryStep,
    RegistrySummary, SlashingsSummary, Validator, ValidatorChange,
    process_effective_balance_updates, process_registry_updates, process_slashings,
    process_slashings_reset, vote_weight,
};
use crate::error::Error;
use crate::finality::{
    FinalityOutcome, TallyReport, process_justification_and_finalization, tally_votes,
};
use crate::ids::{Epoch, ValidatorIndex};
use crate::num::NumError;

/// What an epoch transition gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The state after it.
    pub state: EpochState,
    /// The registry after it.
    pub validators: Vec<Validator>,
    /// The balances after it.
    pub balances: Vec<u64>,
    /// The slashings vector after it.
    pub slashings: Vec<u64>,
    /// The vote tally.
    pub tally: TallyReport,
    /// Newly justified and finalized checkpoints.
    pub finality: FinalityOutcome,
    /// Eligibilities, ejections and activations counted.
    pub registry: RegistrySummary,
    /// Correlation penalties charged.
    pub slashings_summary: SlashingsSummary,
    /// Effective balances moved.
    pub effective_balance_changes: u64,
    /// What changed, by validator index (each change merged into one).
    pub changes: BTreeMap<u64, ValidatorChange>,
}

/// Merges a reported change into what was reported for its validator.
pub fn merge_change(
    changes: &mut BTreeMap<u64, ValidatorChange>,
    index: ValidatorIndex,
    change: &ValidatorChange,
) {
    let entry = changes.entry(index.0).or_default();
    let RegistryStep {
        eligible,
        ejected,
        activated,
    } = change.registry;
    entry.slashing_penalty = change.slashing_penalty.or(entry.slashing_penalty);
    entry.registry.eligible = eligible.or(entry.registry.eligible);
    entry.registry.ejected = ejected.or(entry.registry.ejected);
    entry.registry.activated = activated.or(entry.registry.activated);
    entry.effective_balance = change.effective_balance.or(entry.effective_balance);
}

/// `process_epoch`'s modelled steps in the spec's order with the whole-registry functions
/// ([`tally_votes`], [`process_justification_and_finalization`],
/// [`process_registry_updates`], [`process_slashings`], [`process_effective_balance_updates`],
/// [`process_slashings_reset`]), on copies.
pub fn reference_epoch(
    preset: &Preset,
    state: &EpochState,
    validators: &[Validator],
    balances: &[u64],
    slashings: &[u64],
    votes: &EpochVotes<'_>,
) -> Result<Transition, Error> {
    preset.validate()?;
    let current = state.current_epoch;
    let next_epoch = Epoch(current.0.checked_add(1).ok_or(NumError::Overflow)?);
    let view = EpochView::scan(preset, validators, current, state.finality.finalized.epoch)?;
    let tally = if current.0 > 1 {
        tally_votes(
            &state.finality,
            current,
            votes.previous_epoch_root,
            votes.current_epoch_root,
            votes.votes,
            preset.effective_balance_increment,
            |i, e| vote_weight(validators, i, e),
        )?
    } else {
        TallyReport::default()
    };
    let mut finality = state.finality;
    let outcome = process_justification_and_finalization(
        &mut finality,
        current,
        view.total_active_balance,
        tally.previous_target_balance,
        tally.current_target_balance,
        votes.previous_epoch_root,
        votes.current_epoch_root,
    )?;
    let view = EpochView {
        finalized: finality.finalized.epoch,
        ..view
    };
    let mut registry = validators.to_vec();
    let mut queue = state.queue;
    let mut changes = BTreeMap::new();
    let summary = process_registry_updates(preset, &mut registry, &mut queue, &view, |i, s| {
        let change = ValidatorChange {
            registry: *s,
            ..ValidatorChange::default()
        };
        merge_change(&mut changes, i, &change);
    })?;
    let mut balances = balances.to_vec();
    let slashings_summary = process_slashings(
        preset,
        &registry,
        &mut balances,
        slashings,
        &view,
        |i, taken| {
            let change = ValidatorChange {
                slashing_penalty: Some(taken),
                ..ValidatorChange::default()
            };
            merge_change(&mut changes, i, &change);
        },
    )?;
    let before: Vec<u64> = registry.iter().map(|v| v.effective_balance).collect();
    let moved = process_effective_balance_updates(preset, &mut registry, &balances)?;
    for (index, (v, from)) in (0u64..).zip(registry.iter().zip(&before)) {
        if v.effective_balance != *from {
            let change = ValidatorChange {
                effective_balance: Some(EffectiveBalanceChange {
                    from: *from,
                    to: v.effective_balance,
                }),
                ..ValidatorChange::default()
            };
            merge_change(&mut changes, ValidatorIndex(index), &change);
        }
    }
    let mut slashings = slashings.to_vec();
    process_slashings_reset(preset, &mut slashings, current)?;
    Ok(Transition {
        state: EpochState {
            current_epoch: next_epoch,
            finality,
            queue,
        },
        validators: registry,
        balances,
        slashings,
        tally,
        finality: outcome,
        registry: summary,
        slashings_summary,
        effective_balance_changes: moved,
        changes,
    })
}
