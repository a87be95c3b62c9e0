//! Justification and finalization: the epoch-processing step of Casper FFG.
//!
//! [`weigh_justification_and_finalization`] computes the whole next state in a local copy
//! (121 bytes) and writes it back only at the end, so on `Err` the state is exactly as it was.

use super::{Checkpoint, FinalityError, FinalityOutcome, FinalityState, FinalizationRule};
use crate::ids::Epoch;

/// The first epoch (the spec's `GENESIS_EPOCH`, phase0).
pub const GENESIS_EPOCH: Epoch = Epoch(0);

/// The epoch before `current_epoch`, or [`GENESIS_EPOCH`] at genesis: the spec's
/// `get_previous_epoch` (phase0), with the state's current epoch passed in.
pub const fn previous_epoch(current_epoch: Epoch) -> Epoch {
    match current_epoch.0.checked_sub(1) {
        Some(previous) => Epoch(previous),
        // `current_epoch == GENESIS_EPOCH`: the only epoch without a predecessor.
        None => GENESIS_EPOCH,
    }
}

/// `target_balance * 3 >= total_active_balance * 2`, the supermajority test of
/// `weigh_justification_and_finalization` (phase0), in `u64` as the spec's `Gwei`: the left
/// side is computed first, and an overflow of either side is an error, as a `uint64` overflow
/// raises in the spec.
fn is_supermajority(
    target_balance: u64,
    total_active_balance: u64,
    target_overflow: FinalityError,
) -> Result<bool, FinalityError> {
    let target = target_balance.checked_mul(3).ok_or(target_overflow)?;
    let total = total_active_balance
        .checked_mul(2)
        .ok_or(FinalityError::TotalActiveOverflow {
            balance: total_active_balance,
        })?;
    Ok(target >= total)
}

/// `epoch + offset == current_epoch`, the epoch condition of a finalization case, with the
/// spec's `uint64` addition (an overflow is an error).
fn is_epochs_before(
    epoch: Epoch,
    offset: u64,
    current_epoch: Epoch,
    overflow: FinalityError,
) -> Result<bool, FinalityError> {
    Ok(epoch.0.checked_add(offset).ok_or(overflow)? == current_epoch.0)
}

/// Justifies and finalizes checkpoints from the epoch's target balances: the spec's
/// `weigh_justification_and_finalization` (phase0; unchanged through electra), step by step.
///
/// - `current_epoch` is the state's current epoch (`get_current_epoch`); the previous epoch is
///   [`previous_epoch`] of it (`get_previous_epoch`: the genesis epoch is its own previous).
/// - `total_active_balance`, `previous_epoch_target_balance`, `current_epoch_target_balance`
///   are Gwei, as the spec's `get_total_active_balance` and `get_total_balance` give them (both
///   floored at `EFFECTIVE_BALANCE_INCREMENT`; [`crate::validator::EpochTotals`] keeps the two
///   target balances).
/// - `previous_epoch_root`, `current_epoch_root` are the roots of the blocks at the start of the
///   previous and current epochs, as `get_block_root(state, epoch)` would return them. Only the
///   root of an epoch that gets justified is used. At genesis both epochs are epoch 0; if both
///   are justified the current root is the one kept (the spec assigns twice, the same root).
///
/// In order, as the spec: the previous justified checkpoint becomes the current one; the bits
/// shift by one epoch; the previous epoch is justified (bit 1) if
/// `previous_epoch_target_balance * 3 >= total_active_balance * 2`, then the current epoch
/// (bit 0) if `current_epoch_target_balance * 3 >= total_active_balance * 2`; then the four
/// finalization cases of [`FinalizationRule`] are tested in order against the justified
/// checkpoints held before the call, and each that holds assigns the finalized checkpoint (the
/// last one wins). An epoch condition is only computed when its bits are all set (Python's
/// `and` short-circuits), so its overflow is only an error then.
///
/// Errors, with the state unchanged: [`FinalityError::PreviousTargetOverflow`],
/// [`FinalityError::TotalActiveOverflow`], [`FinalityError::CurrentTargetOverflow`] (a
/// balance too large for the `u64` products), [`FinalityError::PreviousJustifiedEpochOverflow`],
/// [`FinalityError::CurrentJustifiedEpochOverflow`] (a justified epoch within 3 of
/// `u64::MAX`).
///
/// The spec's epoch processing calls this once per epoch, in order; the ordering invariants
/// of the module docs hold when `previous_epoch(current_epoch) >= state.current_justified.epoch`,
/// which this function does not check (the spec does not either: its current epoch comes from
/// the state and always satisfies it).
pub fn weigh_justification_and_finalization(
    state: &mut FinalityState,
    current_epoch: Epoch,
    total_active_balance: u64,
    previous_epoch_target_balance: u64,
    current_epoch_target_balance: u64,
    previous_epoch_root: [u8; 32],
    current_epoch_root: [u8; 32],
) -> Result<FinalityOutcome, FinalityError> {
    let previous_epoch = previous_epoch(current_epoch);
    let old_previous_justified = state.previous_justified;
    let old_current_justified = state.current_justified;
    let mut next = *state;

    // Process justifications.
    next.previous_justified = old_current_justified;
    next.justification_bits = state.justification_bits.shifted();
    let mut outcome = FinalityOutcome::NONE;
    if is_supermajority(
        previous_epoch_target_balance,
        total_active_balance,
        FinalityError::PreviousTargetOverflow {
            balance: previous_epoch_target_balance,
        },
    )? {
        let checkpoint = Checkpoint {
            epoch: previous_epoch,
            root: previous_epoch_root,
        };
        next.current_justified = checkpoint;
        next.justification_bits = next.justification_bits.with_set(1);
        outcome.previous_epoch_justified =
            (checkpoint != old_current_justified).then_some(checkpoint);
    }
    if is_supermajority(
        current_epoch_target_balance,
        total_active_balance,
        FinalityError::CurrentTargetOverflow {
            balance: current_epoch_target_balance,
        },
    )? {
        let checkpoint = Checkpoint {
            epoch: current_epoch,
            root: current_epoch_root,
        };
        next.current_justified = checkpoint;
        next.justification_bits = next.justification_bits.with_set(0);
        // At genesis the previous epoch is the current one: report a checkpoint once.
        let is_new = checkpoint != old_current_justified
            && outcome.previous_epoch_justified != Some(checkpoint);
        outcome.current_epoch_justified = is_new.then_some(checkpoint);
    }

    // Process finalizations.
    let bits = next.justification_bits;
    let previous_overflow = FinalityError::PreviousJustifiedEpochOverflow;
    let current_overflow = FinalityError::CurrentJustifiedEpochOverflow;
    let cases = [
        (
            FinalizationRule::SecondToFourth,
            1..4,
            old_previous_justified,
            3,
            previous_overflow,
        ),
        (
            FinalizationRule::SecondAndThird,
            1..3,
            old_previous_justified,
            2,
            previous_overflow,
        ),
        (
            FinalizationRule::FirstToThird,
            0..3,
            old_current_justified,
            2,
            current_overflow,
        ),
        (
            FinalizationRule::FirstAndSecond,
            0..2,
            old_current_justified,
            1,
            current_overflow,
        ),
    ];
    for (rule, range, source, offset, overflow) in cases {
        if bits.all_set(range) && is_epochs_before(source.epoch, offset, current_epoch, overflow)? {
            next.finalized = source;
            outcome.finalized_by = Some(rule);
        }
    }
    outcome.finalized = (next.finalized != state.finalized).then_some(next.finalized);

    *state = next;
    Ok(outcome)
}

/// Justification and finalization at the end of `current_epoch`, with the genesis guard: the
/// spec's `process_justification_and_finalization` (phase0, and altair's, which only changes
/// how the target balances are found).
///
/// "Skip FFG updates in the first two epochs": for `current_epoch <= GENESIS_EPOCH + 1` the
/// state is untouched and nothing happens ([`FinalityOutcome::NONE`]). Otherwise it is
/// [`weigh_justification_and_finalization`] with the same arguments (see there: the balances
/// are Gwei, the roots those of the blocks at the start of the previous and current epochs).
pub fn process_justification_and_finalization(
    state: &mut FinalityState,
    current_epoch: Epoch,
    total_active_balance: u64,
    previous_epoch_target_balance: u64,
    current_epoch_target_balance: u64,
    previous_epoch_root: [u8; 32],
    current_epoch_root: [u8; 32],
) -> Result<FinalityOutcome, FinalityError> {
    // GENESIS_EPOCH + 1 is 1: no overflow.
    if current_epoch.0 <= GENESIS_EPOCH.0.saturating_add(1) {
        return Ok(FinalityOutcome::NONE);
    }
    weigh_justification_and_finalization(
        state,
        current_epoch,
        total_active_balance,
        previous_epoch_target_balance,
        current_epoch_target_balance,
        previous_epoch_root,
        current_epoch_root,
    )
}
