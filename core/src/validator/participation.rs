//! Attestations as the chain includes them: `process_attestation` (phase0; altair to electra),
//! the participation each leaves in the state, and [`EpochTotals`], the running sums the epoch
//! transition reads instead of rescanning the registry.
//!
//! | spec (fork) | here |
//! |---|---|
//! | `process_attestation`: target epoch previous or current; `target.epoch == compute_epoch_at_slot(data.slot)`; `data.slot + MIN_ATTESTATION_INCLUSION_DELAY <= state.slot`; before Deneb also `state.slot <= data.slot + SLOTS_PER_EPOCH` (EIP-7045 drops it) | [`process_attestation`], same checks in the same order |
//! | the source must be the justified checkpoint of the target's epoch (phase0 `assert data.source == …`; altair `assert is_matching_source`) | [`FinalityError::WrongSource`] |
//! | `get_attestation_participation_flag_indices` (altair; deneb) | [`get_attestation_participation_flag_indices`], with the host's block roots |
//! | `epoch_participation[index] = add_flag(…)`, `proposer_reward_numerator += get_base_reward(state, index) * weight`, `proposer_reward = numerator // ((WEIGHT_DENOMINATOR - PROPOSER_WEIGHT) * WEIGHT_DENOMINATOR // PROPOSER_WEIGHT)` (altair) | [`process_attestation`] with [`attestation_participation_update`] and [`get_attestation_proposer_reward`] |
//! | phase0 `PendingAttestation(data, aggregation_bits, inclusion_delay, proposer_index)` in `previous/current_epoch_attestations` | folded per validator as it is included: the matching source, target and head bits in the same [`ParticipationFlags`] and the earliest [`Inclusion`] (what `get_attestation_deltas` reads; see [`process_attestation`]) |
//! | `get_total_active_balance`, `get_unslashed_participating_indices` (altair), `get_unslashed_attesting_indices` (phase0) summed by `get_total_balance` | [`EpochTotals`], kept as attestations, slashings and epochs change them, equal to [`EpochTotals::scan`] |
//!
//! ## Deliberate deviations
//! - **The host is the block.** The spec reads the inclusion slot from `state.slot`, the
//!   proposer from `get_beacon_proposer_index`, and the block roots from `state.block_roots`;
//!   here they come with the attestation as an [`IncludingBlock`]. The host has also resolved
//!   the committee (`get_attesting_indices`) and checked the aggregate signature and the
//!   committee index. The roots must be those the host then passes to the epoch's end
//!   ([`super::process_epoch`]'s checkpoints).
//! - **Attesters must be active at the target epoch**, which a committee guarantees in the
//!   spec; an index that is not is refused ([`FinalityError::AttesterNotActive`]).
//! - **Phase0's pending attestations are folded** per validator at inclusion rather than kept
//!   as a list: matching target and head roots do not change once the blocks are in the past,
//!   and the earliest inclusion (the first among equal delays, as the spec's `min`) is all the
//!   rewards read, so the epoch's rewards are the spec's.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::rewards::{
    ParticipationFlags, TIMELY_HEAD_FLAG_INDEX, TIMELY_SOURCE_FLAG_INDEX, TIMELY_TARGET_FLAG_INDEX,
    attestation_participation_update, get_attestation_participation_flag_indices,
    get_attestation_proposer_reward, get_base_reward_per_increment, increase_balance,
};
use super::{
    ActiveTotals, EpochState, EpochView, Fork, Preset, Validator, ValidatorError,
    compute_epoch_at_slot,
};
use crate::bounded::BoundedVec;
use crate::error::Error;
use crate::finality::{FinalityError, previous_epoch};
use crate::ids::{Epoch, Slot, ValidatorIndex};
use crate::msg::MAX_ATTESTERS;
use crate::num::NumError;

pub use super::rewards::phase0::Inclusion;

/// The block that includes an attestation, as the host knows it: the spec's `state.slot`,
/// `get_beacon_proposer_index(state)`, `get_block_root(state, data.target.epoch)` and
/// `get_block_root_at_slot(state, data.slot)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct IncludingBlock {
    /// The block's slot (in the chain's current epoch).
    pub slot: Slot,
    /// The block's proposer (rewarded for the attestation from Altair on; phase0 rewards it
    /// at the epoch's end).
    pub proposer: ValidatorIndex,
    /// The root of the block at the start of the target epoch (the target vote must name it).
    pub target_root: [u8; 32],
    /// The root of the block at the attestation's slot (the head vote must name it).
    pub head_root: [u8; 32],
}

/// Running sums over the registry that the epoch transition reads: the active set of the
/// current epoch and the unslashed participating balances of the previous and current epochs,
/// per flag (phase0: the unslashed attesting balances of the matching source, target and head
/// attestations) — and upper bounds on the effective balances, balances and inactivity scores,
/// with which [`super::process_epoch`] proves before writing that no arithmetic can overflow.
///
/// The chain keeps them up to date as it goes ([`process_attestation`],
/// [`EpochTotals::on_slashed`], [`EpochTotals::note_balance`], the epoch transition) instead
/// of summing a million records at each epoch's end (as Lighthouse's progressive balances
/// cache). The sums are exact: they always equal [`EpochTotals::scan`] of the records (tested
/// after every step of the fuzzed ledger). The bounds are at least the registry's maxima.
/// Balances are raw sums, not floored at the increment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EpochTotals {
    /// The validators active at the current epoch and their effective balances.
    pub active: ActiveTotals,
    /// Previous epoch: effective balance of the unslashed validators active then with each
    /// flag (source, target, head), Gwei.
    pub previous: [u64; 3],
    /// Current epoch: the same.
    pub current: [u64; 3],
    /// At least every effective balance, Gwei.
    pub max_effective_balance: u64,
    /// At least every balance, Gwei.
    pub max_balance: u64,
    /// At least every inactivity score.
    pub max_inactivity_score: u64,
}

/// Whether `validator`'s flags for `epoch` count: unslashed, and active then.
#[inline]
pub(super) fn counts_at(validator: &Validator, epoch: Epoch) -> bool {
    !validator.slashed && validator.is_active_validator(epoch)
}

/// Adds `amount` to each of `sums` whose flag is in `flags` (checked).
pub(super) fn add_flagged(
    sums: &mut [u64; 3],
    flags: ParticipationFlags,
    amount: u64,
) -> Result<(), Error> {
    for (flag_index, sum) in sums.iter_mut().enumerate() {
        if flags.has_flag(flag_index) {
            *sum = sum
                .checked_add(amount)
                .ok_or(if flag_index == TIMELY_TARGET_FLAG_INDEX {
                    Error::from(FinalityError::CurrentTargetSumOverflow)
                } else {
                    Error::from(NumError::Overflow)
                })?;
        }
    }
    Ok(())
}

impl EpochTotals {
    /// The totals of the records at `current_epoch`, summed afresh (the definition the kept
    /// values must equal). `previous` and `current` are the participation of the previous and
    /// current epochs, one per validator (missing entries count as none); `balances` and
    /// `inactivity_scores` give the bounds.
    pub fn scan(
        current_epoch: Epoch,
        validators: &[Validator],
        balances: &[u64],
        inactivity_scores: &[u64],
        previous: &[ParticipationFlags],
        current: &[ParticipationFlags],
    ) -> Result<Self, Error> {
        let previous_epoch = previous_epoch(current_epoch);
        let mut totals = Self::default();
        for (at, validator) in validators.iter().enumerate() {
            totals.active.add(validator, current_epoch)?;
            let flags_at = |list: &[ParticipationFlags]| list.get(at).copied().unwrap_or_default();
            if counts_at(validator, previous_epoch) {
                add_flagged(
                    &mut totals.previous,
                    flags_at(previous),
                    validator.effective_balance,
                )
                .map_err(|_| FinalityError::PreviousTargetSumOverflow)?;
            }
            if counts_at(validator, current_epoch) {
                add_flagged(
                    &mut totals.current,
                    flags_at(current),
                    validator.effective_balance,
                )?;
            }
            totals.max_effective_balance = totals
                .max_effective_balance
                .max(validator.effective_balance);
        }
        totals.max_balance = balances.iter().copied().max().unwrap_or_default();
        totals.max_inactivity_score = inactivity_scores.iter().copied().max().unwrap_or_default();
        Ok(totals)
    }

    /// The epoch's view for block processing (exits, slashings, deposits' churn): the active
    /// set, with the total floored at the increment as `get_total_active_balance` returns it.
    pub fn view(&self, preset: &Preset, current: Epoch, finalized: Epoch) -> EpochView {
        EpochView {
            current,
            finalized,
            active_validators: self.active.count,
            total_active_balance: self.active.total_active_balance(preset),
        }
    }

    /// A balance changed to `balance` (a deposit, a reward): raises the bound if needed.
    #[inline]
    pub fn note_balance(&mut self, balance: u64) {
        self.max_balance = self.max_balance.max(balance);
    }

    /// `validator` (as it was before) is being slashed at `current_epoch`: its flags stop
    /// counting (`get_unslashed_participating_indices` leaves slashed validators out).
    pub fn on_slashed(
        &mut self,
        validator: &Validator,
        current_epoch: Epoch,
        previous: ParticipationFlags,
        current: ParticipationFlags,
    ) {
        let amount = validator.effective_balance;
        for (epoch, flags, sums) in [
            (previous_epoch(current_epoch), previous, &mut self.previous),
            (current_epoch, current, &mut self.current),
        ] {
            if counts_at(validator, epoch) {
                for (flag_index, sum) in sums.iter_mut().enumerate() {
                    if flags.has_flag(flag_index) {
                        // The sum includes `amount` (it was counted), so this never saturates.
                        *sum = sum.saturating_sub(amount);
                    }
                }
            }
        }
    }
}

/// The records an attestation changes: the registry it reads, the balances (the proposer's
/// reward), the participation of the previous and current epochs, phase0's earliest
/// inclusions, and the totals.
pub struct AttestationRecords<'a> {
    /// `state.validators`.
    pub validators: &'a [Validator],
    /// `state.balances`.
    pub balances: &'a mut [u64],
    /// `state.previous_epoch_participation` (phase0: the previous epoch's matching bits).
    pub previous_epoch_participation: &'a mut [ParticipationFlags],
    /// `state.current_epoch_participation`.
    pub current_epoch_participation: &'a mut [ParticipationFlags],
    /// Phase0: the previous epoch's earliest inclusion per validator (else empty).
    pub previous_epoch_inclusions: &'a mut [Inclusion],
    /// Phase0: the current epoch's.
    pub current_epoch_inclusions: &'a mut [Inclusion],
    /// The running totals.
    pub totals: &'a mut EpochTotals,
}

/// What [`process_attestation`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttestationOutcome {
    /// The flags the attestation earns (altair: timely source, target, head; phase0: matching
    /// source, target, head).
    pub flags: ParticipationFlags,
    /// Attesters whose participation it changed.
    pub newly_participating: u64,
    /// The proposer's reward, Gwei (altair on; 0 under phase0, which rewards inclusion at the
    /// epoch's end).
    pub proposer_reward: u64,
}

/// The attestation's checks in the spec's order; returns the flags it earns and the inclusion
/// delay.
fn check_attestation(
    preset: &Preset,
    state: &EpochState,
    validators: &[Validator],
    data: &super::AttestationData,
    attesters: &[ValidatorIndex],
    block: &IncludingBlock,
) -> Result<(ParticipationFlags, u64), Error> {
    let current = state.current_epoch;
    let previous = previous_epoch(current);
    let target = data.target.epoch;
    if target != previous && target != current {
        return Err(FinalityError::TargetEpochOutOfRange { target, current }.into());
    }
    if target != compute_epoch_at_slot(preset, data.slot)? {
        return Err(FinalityError::TargetEpochMismatch {
            target,
            slot: data.slot,
        }
        .into());
    }
    if compute_epoch_at_slot(preset, block.slot)? != current {
        return Err(FinalityError::InclusionOutsideEpoch {
            inclusion_slot: block.slot,
            current,
        }
        .into());
    }
    let earliest = data
        .slot
        .0
        .checked_add(preset.min_attestation_inclusion_delay)
        .ok_or(NumError::Overflow)?;
    if earliest > block.slot.0 {
        return Err(FinalityError::InclusionTooEarly {
            slot: data.slot,
            inclusion_slot: block.slot,
        }
        .into());
    }
    let inclusion_delay = block.slot.0.saturating_sub(data.slot.0);
    let bounded_window = matches!(preset.fork, Fork::Phase0 | Fork::Altair | Fork::Bellatrix);
    if bounded_window && inclusion_delay > preset.slots_per_epoch {
        return Err(FinalityError::InclusionTooLate {
            slot: data.slot,
            inclusion_slot: block.slot,
        }
        .into());
    }
    if attesters.is_empty() {
        return Err(FinalityError::NoAttesters.into());
    }
    let count = validators.len() as u64;
    for &index in attesters {
        let validator = usize::try_from(index.0)
            .ok()
            .and_then(|at| validators.get(at))
            .ok_or(ValidatorError::UnknownValidator { index, count })?;
        if !validator.is_active_validator(target) {
            return Err(FinalityError::AttesterNotActive {
                index,
                epoch: target,
            }
            .into());
        }
    }
    if block.proposer.0 >= count {
        return Err(ValidatorError::UnknownValidator {
            index: block.proposer,
            count,
        }
        .into());
    }
    let justified = if target == current {
        state.finality.current_justified
    } else {
        state.finality.previous_justified
    };
    if data.source != justified {
        return Err(FinalityError::WrongSource {
            expected: justified.epoch,
            found: data.source.epoch,
        }
        .into());
    }
    let matching_target = data.target.root == block.target_root;
    let matching_head = data.beacon_block_root == block.head_root;
    let flags = if preset.fork == Fork::Phase0 {
        // Phase0 keeps the attestation: it matches the source (checked), and the target and
        // head if the roots agree (the head only with the target: a subset of them).
        let mut flags = ParticipationFlags::NONE.add_flag(TIMELY_SOURCE_FLAG_INDEX);
        if matching_target {
            flags = flags.add_flag(TIMELY_TARGET_FLAG_INDEX);
            if matching_head {
                flags = flags.add_flag(TIMELY_HEAD_FLAG_INDEX);
            }
        }
        flags
    } else {
        get_attestation_participation_flag_indices(
            preset,
            true,
            matching_target,
            matching_head,
            inclusion_delay,
        )
        .unwrap_or_default()
    };
    Ok((flags, inclusion_delay))
}

/// `process_attestation` (phase0; altair, deneb, electra) for one attestation included by
/// `block`, with its attesters (`get_attesting_indices`, resolved by the host; repeats count
/// once, as the spec's set).
///
/// Checks, in the spec's order: the target epoch is the previous or the current one
/// ([`FinalityError::TargetEpochOutOfRange`]) and the one of the attestation's slot
/// ([`FinalityError::TargetEpochMismatch`]); the block is in the current epoch
/// ([`FinalityError::InclusionOutsideEpoch`]); the attestation is at least
/// `MIN_ATTESTATION_INCLUSION_DELAY` old ([`FinalityError::InclusionTooEarly`]) and, before
/// Deneb, at most `SLOTS_PER_EPOCH` ([`FinalityError::InclusionTooLate`]); it names
/// validators ([`FinalityError::NoAttesters`]) that exist and are active at the target epoch
/// ([`ValidatorError::UnknownValidator`], [`FinalityError::AttesterNotActive`]); the proposer
/// exists; the source is the matching justified checkpoint ([`FinalityError::WrongSource`]).
///
/// Then, from Altair on: each attester gains the timely flags it did not have, the proposer
/// earns `Σ base_reward · weight` over those new flags `// proposer_reward_denominator`, and
/// the totals grow by each attester's effective balance per new flag (if it is unslashed).
/// Phase0: each attester's matching bits are OR-ed in and its earliest inclusion kept (a
/// strictly earlier delay replaces it); rewards wait for the epoch's end.
///
/// Atomic: everything is computed before anything is written.
pub fn process_attestation(
    preset: &Preset,
    state: &EpochState,
    records: &mut AttestationRecords<'_>,
    data: &super::AttestationData,
    attesters: &[ValidatorIndex],
    block: &IncludingBlock,
) -> Result<AttestationOutcome, Error> {
    let validators = records.validators;
    let (flags, inclusion_delay) =
        check_attestation(preset, state, validators, data, attesters, block)?;
    let is_current = data.target.epoch == state.current_epoch;
    let phase0 = preset.fork == Fork::Phase0;

    // The attesters as a set, in index order.
    let mut set: BoundedVec<ValidatorIndex, MAX_ATTESTERS> = BoundedVec::new();
    for index in attesters {
        if let Err(at) = set.binary_search(index) {
            set.insert(at, *index).map_err(|_| NumError::Overflow)?;
        }
    }

    let (participation, inclusions, sums) = if is_current {
        (
            &mut *records.current_epoch_participation,
            &mut *records.current_epoch_inclusions,
            records.totals.current,
        )
    } else {
        (
            &mut *records.previous_epoch_participation,
            &mut *records.previous_epoch_inclusions,
            records.totals.previous,
        )
    };
    if participation.len() != validators.len() || (phase0 && inclusions.len() != validators.len()) {
        return Err(ValidatorError::LengthMismatch {
            validators: validators.len() as u64,
            balances: participation.len() as u64,
        }
        .into());
    }

    // Compute: each attester's new flags, the proposer's numerator, the new sums.
    let base_reward_per_increment = if phase0 {
        0
    } else {
        get_base_reward_per_increment(preset, records.totals.active.balance)?
    };
    let mut updates: BoundedVec<(usize, ParticipationFlags), MAX_ATTESTERS> = BoundedVec::new();
    let mut numerator = 0u64;
    let mut sums = sums;
    for index in set.iter() {
        let at = usize::try_from(index.0).map_err(|_| NumError::Overflow)?;
        let validator = validators.get(at).ok_or(NumError::Overflow)?;
        let old = participation.get(at).copied().ok_or(NumError::Overflow)?;
        let new = if phase0 {
            ParticipationFlags(old.0 | flags.0)
        } else {
            let (new, part) = attestation_participation_update(
                preset,
                base_reward_per_increment,
                validator.effective_balance,
                old,
                flags,
            )?;
            numerator = numerator.checked_add(part).ok_or(NumError::Overflow)?;
            new
        };
        if new != old && counts_at(validator, data.target.epoch) {
            add_flagged(
                &mut sums,
                ParticipationFlags(new.0 & !old.0),
                validator.effective_balance,
            )?;
        }
        updates.push((at, new)).map_err(|_| NumError::Overflow)?;
    }
    let proposer_reward = if phase0 {
        0
    } else {
        get_attestation_proposer_reward(preset, numerator)?
    };
    let proposer_at = usize::try_from(block.proposer.0).map_err(|_| NumError::Overflow)?;
    let proposer_balance = records
        .balances
        .get(proposer_at)
        .copied()
        .ok_or(NumError::Overflow)?;
    let proposer_balance = increase_balance(proposer_balance, proposer_reward)?;

    // Write.
    let mut newly_participating = 0u64;
    for (at, new) in updates.iter() {
        if let Some(slot) = participation.get_mut(*at) {
            if *slot != *new {
                newly_participating = newly_participating.saturating_add(1);
            }
            *slot = *new;
        }
        if phase0
            && let Some(earliest) = inclusions.get_mut(*at)
            && (earliest.inclusion_delay == 0 || inclusion_delay < earliest.inclusion_delay)
        {
            *earliest = Inclusion {
                inclusion_delay,
                proposer_index: block.proposer,
            };
        }
    }
    if is_current {
        records.totals.current = sums;
    } else {
        records.totals.previous = sums;
    }
    if let Some(balance) = records.balances.get_mut(proposer_at) {
        *balance = proposer_balance;
    }
    records.totals.note_balance(proposer_balance);
    Ok(AttestationOutcome {
        flags,
        newly_participating,
        proposer_reward,
    })
}
