//! Errors of the staking transitions.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

use crate::ids::{AccountId, Timestamp};

/// Why a staking transition was refused. Each variant carries what a wallet needs to tell the
/// user (the amounts involved, the time at which it will be allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum StakeError {
    /// A stake below the minimum (the seed's "Insufficient stake amount").
    #[codec(index = 0)]
    BelowMinStake {
        /// The amount sent.
        amount: U256,
        /// The minimum per stake.
        min: U256,
    },
    /// An unstake, rebond or slash of zero.
    #[codec(index = 1)]
    ZeroAmount,
    /// An unstake above the active stake (the seed's "Exceeds staked amount").
    #[codec(index = 2)]
    ExceedsStaked {
        /// The amount asked for.
        requested: U256,
        /// The active stake.
        staked: U256,
    },
    /// Nothing has matured yet (the seed's "Funds still locked").
    #[codec(index = 3)]
    StillLocked {
        /// When the earliest pending unlock can be withdrawn.
        unlock_time: Timestamp,
    },
    /// Nothing is unlocking (the seed's "No withdrawable balance").
    #[codec(index = 4)]
    NothingToWithdraw,
    /// Under [`super::UnlockPolicy::Chunked`], the account already has the most pending
    /// unlocks allowed; withdraw or rebond one first.
    #[codec(index = 5)]
    TooManyUnlockChunks {
        /// The limit in force.
        max: u8,
    },
    /// A rebond above the pending unlocks.
    #[codec(index = 6)]
    ExceedsUnlocking {
        /// The amount asked for.
        requested: U256,
        /// The pending unlocks.
        unlocking: U256,
    },
    /// A slash of an account that holds nothing.
    #[codec(index = 7)]
    NothingToSlash {
        /// The account.
        account: AccountId,
    },
    /// Parameters with a zero minimum stake.
    #[codec(index = 8)]
    ZeroMinStake,
    /// A chunk limit outside `1..=limit`.
    #[codec(index = 9)]
    InvalidChunkLimit {
        /// The limit asked for.
        max: u8,
        /// The largest allowed.
        limit: u8,
    },
    /// An unlock period longer than [`super::MAX_UNLOCK_PERIOD`].
    #[codec(index = 10)]
    UnlockPeriodTooLong {
        /// The period asked for, seconds.
        period: u64,
        /// The longest allowed, seconds.
        max: u64,
    },
}

impl core::fmt::Display for StakeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BelowMinStake { amount, min } => {
                write!(f, "stake of {amount} is below the minimum of {min}")
            }
            Self::ZeroAmount => f.write_str("the amount must not be zero"),
            Self::ExceedsStaked { requested, staked } => {
                write!(f, "cannot unstake {requested}: only {staked} is staked")
            }
            Self::StillLocked { unlock_time } => {
                write!(
                    f,
                    "funds are locked until {}",
                    crate::calendar::UtcDateTime::from_timestamp(*unlock_time)
                )
            }
            Self::NothingToWithdraw => f.write_str("nothing is unlocking"),
            Self::TooManyUnlockChunks { max } => {
                write!(f, "already {max} pending unlocks; withdraw or rebond first")
            }
            Self::ExceedsUnlocking {
                requested,
                unlocking,
            } => {
                write!(
                    f,
                    "cannot rebond {requested}: only {unlocking} is unlocking"
                )
            }
            Self::NothingToSlash { account } => write!(f, "{account} holds nothing to slash"),
            Self::ZeroMinStake => f.write_str("the minimum stake must be at least 1"),
            Self::InvalidChunkLimit { max, limit } => {
                write!(f, "chunk limit {max} is not between 1 and {limit}")
            }
            Self::UnlockPeriodTooLong { period, max } => {
                write!(
                    f,
                    "unlock period of {period} s is longer than the {max} s allowed"
                )
            }
        }
    }
}
