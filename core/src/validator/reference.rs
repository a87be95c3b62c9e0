//! The epoch transition as the spec writes it: each step over the whole registry, one after
//! another, on copies, with every sum taken afresh — the oracle the unit tests and the
//! `finality` fuzz target compare [`super::process_epoch`] with. Built for tests and with the
//! `arbitrary` feature only.
//!
//! Written as the spec's loops, with the spec's indexing: a test oracle, never in a release.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::needless_range_loop
)]

extern crate alloc;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::rewards::{
    Delta, ParticipationFlags, RewardEpoch, RewardStatus, TIMELY_SOURCE_FLAG_INDEX,
    TIMELY_TARGET_FLAG_INDEX, get_validator_deltas, phase0,
};
use super::{
    EffectiveBalanceChange, EpochRoots, EpochState, EpochTotals, EpochView, Fork, Inclusion,
    Preset, RegistrySummary, SlashingsSummary, Validator, ValidatorChange,
    process_effective_balance_updates, process_registry_updates, process_slashings,
    process_slashings_reset,
};
use crate::error::Error;
use crate::finality::process_justification_and_finalization;
use crate::finality::{FinalityOutcome, GENESIS_EPOCH, previous_epoch};
use crate::ids::{Epoch, ValidatorIndex};
use crate::num::NumError;

/// The state's lists, owned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lists {
    /// `state.validators`.
    pub validators: Vec<Validator>,
    /// `state.balances`.
    pub balances: Vec<u64>,
    /// `state.inactivity_scores`.
    pub inactivity_scores: Vec<u64>,
    /// `state.previous_epoch_participation`.
    pub previous: Vec<ParticipationFlags>,
    /// `state.current_epoch_participation`.
    pub current: Vec<ParticipationFlags>,
    /// Phase0: previous epoch's earliest inclusions.
    pub previous_inclusions: Vec<Inclusion>,
    /// Phase0: current epoch's.
    pub current_inclusions: Vec<Inclusion>,
    /// `state.slashings`.
    pub slashings: Vec<u64>,
}

/// What an epoch transition gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The state after it.
    pub state: EpochState,
    /// The lists after it.
    pub lists: Lists,
    /// The totals of the lists after it (summed afresh; the bounds are the maxima).
    pub totals: EpochTotals,
    /// Newly justified and finalized checkpoints.
    pub finality: FinalityOutcome,
    /// The previous and current epochs' target balances weighed.
    pub targets: (u64, u64),
    /// Whether the chain was in an inactivity leak.
    pub inactivity_leak: bool,
    /// Rewards credited and penalties taken.
    pub rewards: (u64, u64),
    /// Eligibilities, ejections and activations counted.
    pub registry: RegistrySummary,
    /// Correlation penalties charged.
    pub slashings: SlashingsSummary,
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
    entry.registry.eligible = change.registry.eligible.or(entry.registry.eligible);
    entry.registry.ejected = change.registry.ejected.or(entry.registry.ejected);
    entry.registry.activated = change.registry.activated.or(entry.registry.activated);
    entry.slashing_penalty = change.slashing_penalty.or(entry.slashing_penalty);
    entry.effective_balance = change.effective_balance.or(entry.effective_balance);
}

/// `process_epoch`'s steps in the spec's order with whole-registry loops, on copies: the
/// totals summed afresh ([`EpochTotals::scan`]) for justification; `process_inactivity_updates`
/// over every validator; every validator's deltas computed, then applied list by list (altair:
/// source, target, head, inactivity; phase0: all rewards including the proposers' credits,
/// then all penalties); [`process_registry_updates`]; [`process_slashings`];
/// [`process_effective_balance_updates`]; [`process_slashings_reset`]; the participation
/// rotation.
pub fn reference_epoch(
    preset: &Preset,
    state: &EpochState,
    lists: &Lists,
    roots: &EpochRoots,
) -> Result<Transition, Error> {
    preset.validate()?;
    let current = state.current_epoch;
    let next_epoch = Epoch(current.0.checked_add(1).ok_or(NumError::Overflow)?);
    let previous = previous_epoch(current);
    let increment = preset.effective_balance_increment;
    let totals = EpochTotals::scan(
        current,
        &lists.validators,
        &lists.balances,
        &lists.inactivity_scores,
        &lists.previous,
        &lists.current,
    )?;
    let targets = (
        totals.previous[TIMELY_TARGET_FLAG_INDEX].max(increment),
        totals.current[TIMELY_TARGET_FLAG_INDEX].max(increment),
    );
    let mut finality = state.finality;
    let outcome = process_justification_and_finalization(
        &mut finality,
        current,
        totals.active.total_active_balance(preset),
        targets.0,
        targets.1,
        roots.previous_epoch_root,
        roots.current_epoch_root,
    )?;
    let finalized = finality.finalized.epoch;
    let mut out = lists.clone();
    let n = out.validators.len();
    let mut rewards = (0u64, 0u64);
    let mut inactivity_leak = false;

    if current != GENESIS_EPOCH && preset.fork == Fork::Phase0 {
        let epoch = phase0::RewardEpoch::new(
            preset,
            current,
            finalized,
            totals.active.balance,
            totals.previous,
        )?;
        inactivity_leak = epoch.finality().in_leak();
        // get_attestation_deltas: the component deltas over every validator, the inclusion
        // delays over the attesters (ascending), the inactivity penalties, then the sums.
        let status = |at: usize| {
            let flags = out.previous[at];
            let record =
                flags
                    .has_flag(TIMELY_SOURCE_FLAG_INDEX)
                    .then_some(phase0::AttestationRecord {
                        earliest: out.previous_inclusions[at],
                        matching_target: flags.has_flag(TIMELY_TARGET_FLAG_INDEX),
                        matching_head: flags.has_flag(2),
                    });
            phase0::RewardStatus::new(&out.validators[at], previous, record)
        };
        let mut components = Vec::with_capacity(n);
        for at in 0..n {
            components.push(phase0::get_attestation_component_deltas(
                &epoch,
                &status(at)?,
            )?);
        }
        let mut inclusion_rewards = alloc::vec![0u64; n];
        for at in 0..n {
            let attester = status(at)?;
            let Some(record) = attester.attestations.filter(|_| !attester.slashed) else {
                continue;
            };
            let proposer = record.earliest.proposer_index;
            let p = usize::try_from(proposer.0).ok().filter(|p| *p < n).ok_or(
                super::ValidatorError::UnknownValidator {
                    index: proposer,
                    count: n as u64,
                },
            )?;
            inclusion_rewards[p] = inclusion_rewards[p]
                .checked_add(epoch.get_proposer_reward(attester.effective_balance)?)
                .ok_or(NumError::Overflow)?;
            let base_reward = epoch.get_base_reward(attester.effective_balance)?;
            let max_attester_reward = base_reward
                .checked_sub(epoch.get_proposer_reward(attester.effective_balance)?)
                .ok_or(NumError::Underflow)?;
            inclusion_rewards[at] = inclusion_rewards[at]
                .checked_add(
                    max_attester_reward
                        .checked_div(record.earliest.inclusion_delay)
                        .ok_or(NumError::Underflow)?,
                )
                .ok_or(NumError::Overflow)?;
        }
        let mut inactivity_penalties = Vec::with_capacity(n);
        for at in 0..n {
            inactivity_penalties.push(phase0::get_inactivity_penalty_deltas(&epoch, &status(at)?)?);
        }
        let mut sum_rewards = alloc::vec![0u64; n];
        let mut sum_penalties = alloc::vec![0u64; n];
        for at in 0..n {
            let [source, target, head]: [Delta; 3] = components[at];
            sum_rewards[at] = [source.reward, target.reward, head.reward]
                .into_iter()
                .try_fold(inclusion_rewards[at], u64::checked_add)
                .ok_or(NumError::Overflow)?;
            sum_penalties[at] = [source.penalty, target.penalty, head.penalty]
                .into_iter()
                .try_fold(inactivity_penalties[at], u64::checked_add)
                .ok_or(NumError::Overflow)?;
        }
        for at in 0..n {
            let before = out.balances[at];
            let mut balance = before;
            phase0::process_rewards_and_penalties_step(
                &epoch,
                sum_rewards[at],
                sum_penalties[at],
                &mut balance,
            )?;
            out.balances[at] = balance;
            rewards.0 = rewards.0.saturating_add(sum_rewards[at]);
            rewards.1 = rewards.1.saturating_add(
                before
                    .saturating_add(sum_rewards[at])
                    .saturating_sub(balance),
            );
        }
    } else if current != GENESIS_EPOCH {
        let epoch = RewardEpoch::new(
            preset,
            current,
            finalized,
            totals.active.balance,
            totals.previous,
        )?;
        inactivity_leak = epoch.finality().in_leak();
        // process_inactivity_updates
        for at in 0..n {
            let status = RewardStatus::new(&out.validators[at], previous, out.previous[at])?;
            out.inactivity_scores[at] =
                epoch.inactivity_score_step(&status, out.inactivity_scores[at])?;
        }
        // process_rewards_and_penalties: all deltas first, then list by list.
        let mut deltas: Vec<[Delta; 4]> = Vec::with_capacity(n);
        for at in 0..n {
            let status = RewardStatus::new(&out.validators[at], previous, out.previous[at])?;
            deltas.push(get_validator_deltas(
                &epoch,
                &status,
                out.inactivity_scores[at],
            )?);
        }
        let before = out.balances.clone();
        for list in 0..4 {
            for at in 0..n {
                let delta = deltas[at][list];
                out.balances[at] = out.balances[at]
                    .checked_add(delta.reward)
                    .ok_or(NumError::Overflow)?
                    .saturating_sub(delta.penalty);
            }
        }
        for at in 0..n {
            let gained = deltas[at]
                .iter()
                .fold(0u64, |s, d| s.saturating_add(d.reward));
            rewards.0 = rewards.0.saturating_add(gained);
            rewards.1 = rewards.1.saturating_add(
                before[at]
                    .saturating_add(gained)
                    .saturating_sub(out.balances[at]),
            );
        }
    }

    let view = EpochView {
        current,
        finalized,
        active_validators: totals.active.count,
        total_active_balance: totals.active.total_active_balance(preset),
    };
    let mut queue = state.queue;
    let mut changes = BTreeMap::new();
    let registry =
        process_registry_updates(preset, &mut out.validators, &mut queue, &view, |i, s| {
            let change = ValidatorChange {
                registry: *s,
                ..ValidatorChange::default()
            };
            merge_change(&mut changes, i, &change);
        })?;
    let slashings = process_slashings(
        preset,
        &out.validators,
        &mut out.balances,
        &out.slashings,
        &view,
        |i, taken| {
            let change = ValidatorChange {
                slashing_penalty: Some(taken),
                ..ValidatorChange::default()
            };
            merge_change(&mut changes, i, &change);
        },
    )?;
    let before: Vec<u64> = out.validators.iter().map(|v| v.effective_balance).collect();
    let moved = process_effective_balance_updates(preset, &mut out.validators, &out.balances)?;
    for (index, (v, from)) in (0u64..).zip(out.validators.iter().zip(&before)) {
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
    process_slashings_reset(preset, &mut out.slashings, current)?;
    // process_participation_flag_updates / process_participation_record_updates.
    out.previous = core::mem::take(&mut out.current);
    out.current = alloc::vec![ParticipationFlags::NONE; n];
    if preset.fork == Fork::Phase0 {
        out.previous_inclusions = core::mem::take(&mut out.current_inclusions);
        out.current_inclusions = alloc::vec![Inclusion::default(); n];
    }
    let next_totals = EpochTotals::scan(
        next_epoch,
        &out.validators,
        &out.balances,
        &out.inactivity_scores,
        &out.previous,
        &out.current,
    )?;
    Ok(Transition {
        state: EpochState {
            current_epoch: next_epoch,
            finality,
            queue,
        },
        lists: out,
        totals: next_totals,
        finality: outcome,
        targets,
        inactivity_leak,
        rewards,
        registry,
        slashings,
        effective_balance_changes: moved,
        changes,
    })
}
