//! Errors of justification, finalization and the attestation tally.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::ids::Epoch;

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
    #[codec(index = 7)]
    UnsortedVotes {
        /// The position of the first vote out of order (saturating at `u32::MAX`).
        position: u32,
    },
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
            Self::UnsortedVotes { position } => {
                write!(
                    f,
                    "vote {position} is out of (target epoch, validator) order"
                )
            }
            Self::NoAttesters => f.write_str("the attestation names no validator"),
            Self::TargetEpochOutOfRange { target, current } => write!(
                f,
                "target epoch {} is neither the current epoch {} nor the one before",
                target.0, current.0
            ),
        }
    }
}
