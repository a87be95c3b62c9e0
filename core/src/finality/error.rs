//! Errors of justification, finalization and attestations.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::ids::{Epoch, Slot, ValidatorIndex};

/// Why a finality computation was refused.
///
/// The spec computes with `uint64`, and "state transitions that cause a `uint64` overflow or
/// underflow are considered invalid" (phase0, *Beacon chain state transition function*). Each
/// such overflow is one variant here, named after the quantity that overflowed, so a caller
/// knows which input was out of range; the state is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum FinalityError {
    /// `previous_epoch_target_balance * 3` exceeds `u64::MAX`.
    #[codec(index = 0)]
    PreviousTargetOverflow {
        /// The previous epoch's target balance, Gwei.
        balance: u64,
    },
    /// `total_active_balance * 2` exceeds `u64::MAX`.
    #[codec(index = 1)]
    TotalActiveOverflow {
        /// The total active balance, Gwei.
        balance: u64,
    },
    /// `current_epoch_target_balance * 3` exceeds `u64::MAX`.
    #[codec(index = 2)]
    CurrentTargetOverflow {
        /// The current epoch's target balance, Gwei.
        balance: u64,
    },
    /// `previous_justified.epoch + 3` (or `+ 2`) exceeds `u64::MAX`, in a finalization case
    /// whose bits were all set.
    #[codec(index = 3)]
    PreviousJustifiedEpochOverflow,
    /// `current_justified.epoch + 2` (or `+ 1`) exceeds `u64::MAX`, in a finalization case
    /// whose bits were all set.
    #[codec(index = 4)]
    CurrentJustifiedEpochOverflow,
    /// The effective balances voting for the previous epoch's target sum to more than
    /// `u64::MAX` Gwei.
    #[codec(index = 5)]
    PreviousTargetSumOverflow,
    /// The effective balances voting for the current epoch's target sum to more than
    /// `u64::MAX` Gwei.
    #[codec(index = 6)]
    CurrentTargetSumOverflow,
    /// The votes are not in ascending order of (target epoch, validator).
    /// An attestation names no validator (electra `process_attestation`:
    /// `assert len(committee_attesters) > 0`).
    #[codec(index = 8)]
    NoAttesters,
    /// An attestation's target epoch is neither the previous nor the current epoch
    /// (phase0 `process_attestation`: `assert data.target.epoch in (get_previous_epoch(state),
    /// get_current_epoch(state))`).
    #[codec(index = 9)]
    TargetEpochOutOfRange {
        /// The target epoch.
        target: Epoch,
        /// The chain's current epoch.
        current: Epoch,
    },
    /// An attestation's target epoch is not the epoch of its slot (`assert data.target.epoch
    /// == compute_epoch_at_slot(data.slot)`).
    #[codec(index = 10)]
    TargetEpochMismatch {
        /// The target epoch.
        target: Epoch,
        /// The attestation's slot.
        slot: Slot,
    },
    /// The block including an attestation is not in the chain's current epoch (the host's
    /// slot and the chain's epoch disagree).
    #[codec(index = 11)]
    InclusionOutsideEpoch {
        /// The including block's slot.
        inclusion_slot: Slot,
        /// The chain's current epoch.
        current: Epoch,
    },
    /// An attestation included before `MIN_ATTESTATION_INCLUSION_DELAY` slots have passed
    /// (`assert data.slot + MIN_ATTESTATION_INCLUSION_DELAY <= state.slot`).
    #[codec(index = 12)]
    InclusionTooEarly {
        /// The attestation's slot.
        slot: Slot,
        /// The including block's slot.
        inclusion_slot: Slot,
    },
    /// Before Deneb: an attestation included more than `SLOTS_PER_EPOCH` slots later
    /// (`assert state.slot <= data.slot + SLOTS_PER_EPOCH`, dropped by EIP-7045).
    #[codec(index = 13)]
    InclusionTooLate {
        /// The attestation's slot.
        slot: Slot,
        /// The including block's slot.
        inclusion_slot: Slot,
    },
    /// An attestation's source is not the justified checkpoint of its target's epoch
    /// (phase0 `assert data.source == state.current/previous_justified_checkpoint`; altair
    /// `assert is_matching_source`).
    #[codec(index = 14)]
    WrongSource {
        /// The epoch of the justified checkpoint it must name.
        expected: Epoch,
        /// The epoch of the source it names (equal to `expected` when only the roots differ).
        found: Epoch,
    },
    /// An attester that is not active at the target epoch (a committee holds only active
    /// validators).
    #[codec(index = 15)]
    AttesterNotActive {
        /// The validator.
        index: ValidatorIndex,
        /// The target epoch.
        epoch: Epoch,
    },
}

impl core::fmt::Display for FinalityError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::PreviousTargetOverflow { balance } => {
                write!(
                    f,
                    "previous epoch target balance {balance} Gwei times 3 overflows"
                )
            }
            Self::TotalActiveOverflow { balance } => {
                write!(f, "total active balance {balance} Gwei times 2 overflows")
            }
            Self::CurrentTargetOverflow { balance } => {
                write!(
                    f,
                    "current epoch target balance {balance} Gwei times 3 overflows"
                )
            }
            Self::PreviousJustifiedEpochOverflow => {
                f.write_str("the previous justified epoch is too close to the last epoch")
            }
            Self::CurrentJustifiedEpochOverflow => {
                f.write_str("the current justified epoch is too close to the last epoch")
            }
            Self::PreviousTargetSumOverflow => {
                f.write_str("the previous epoch's target balances sum past u64")
            }
            Self::CurrentTargetSumOverflow => {
                f.write_str("the current epoch's target balances sum past u64")
            }
            Self::NoAttesters => f.write_str("the attestation names no validator"),
            Self::TargetEpochOutOfRange { target, current } => write!(
                f,
                "target epoch {} is neither the current epoch {} nor the one before",
                target.0, current.0
            ),
            Self::TargetEpochMismatch { target, slot } => write!(
                f,
                "target epoch {} is not the epoch of slot {}",
                target.0, slot.0
            ),
            Self::InclusionOutsideEpoch {
                inclusion_slot,
                current,
            } => write!(
                f,
                "the including block's slot {} is not in the current epoch {}",
                inclusion_slot.0, current.0
            ),
            Self::InclusionTooEarly {
                slot,
                inclusion_slot,
            } => write!(
                f,
                "the attestation of slot {} cannot be included at slot {}",
                slot.0, inclusion_slot.0
            ),
            Self::InclusionTooLate {
                slot,
                inclusion_slot,
            } => write!(
                f,
                "the attestation of slot {} is too old to include at slot {}",
                slot.0, inclusion_slot.0
            ),
            Self::WrongSource { expected, found } if expected == found => write!(
                f,
                "the source's root is not the justified checkpoint's (epoch {})",
                expected.0
            ),
            Self::WrongSource { expected, found } => write!(
                f,
                "the source is epoch {}, not the justified epoch {}",
                found.0, expected.0
            ),
            Self::AttesterNotActive { index, epoch } => write!(
                f,
                "validator {} is not active at epoch {}",
                index.0, epoch.0
            ),
        }
    }
}
