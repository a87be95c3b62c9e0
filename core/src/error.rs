//! The crate's error: one enum wrapping each module's, with stable numeric codes.
//!
//! A code is `module base + variant index`, where the variant index is the variant's SCALE
//! index (so the code and the byte format cannot drift apart). Codes are shared by the Rust,
//! JavaScript and C surfaces; a code once published keeps its meaning.
//!
//! | base | module |
//! |---|---|
//! | 100 | [`NumError`] — arithmetic and amounts |
//! | 200 | [`WireError`] — the byte format |
//! | 300 | [`GovernanceError`] — the council |
//! | 400 | [`StakeError`] — BTFS staking |
//! | 500 | [`StateError`] — records that contradict each other (snapshots) |

use core::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen, Output};

use crate::bounded::CapacityError;
use crate::governance::GovernanceError;
use crate::ids::AccountId;
use crate::num::NumError;
use crate::stake::StakeError;
use crate::wire::WireError;

/// Records that contradict each other, found when restoring a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum StateError {
    /// Accounts are not in strictly ascending order of address (or one is listed twice).
    #[codec(index = 0)]
    UnsortedAccounts {
        /// The first account out of order.
        account: AccountId,
    },
    /// An account that holds nothing is listed (the canonical form drops it).
    #[codec(index = 1)]
    EmptyAccount {
        /// The account.
        account: AccountId,
    },
    /// The totals are not the sums over the accounts, or the balance does not cover them.
    #[codec(index = 2)]
    TotalsMismatch,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsortedAccounts { account } => {
                write!(f, "account {account} is out of order or listed twice")
            }
            Self::EmptyAccount { account } => write!(f, "account {account} holds nothing"),
            Self::TotalsMismatch => f.write_str("the totals do not match the accounts"),
        }
    }
}

/// Every error of the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum Error {
    /// Arithmetic or amount formatting (codes 100–199).
    #[codec(index = 1)]
    Num(NumError),
    /// The byte format (codes 200–299).
    #[codec(index = 2)]
    Wire(WireError),
    /// The council (codes 300–399).
    #[codec(index = 3)]
    Governance(GovernanceError),
    /// BTFS staking (codes 400–499).
    #[codec(index = 4)]
    Stake(StakeError),
    /// Inconsistent records (codes 500–599).
    #[codec(index = 5)]
    State(StateError),
}

/// Captures the first byte written (a SCALE enum's variant index) without allocating.
struct FirstByte(Option<u8>);

impl Output for FirstByte {
    fn write(&mut self, bytes: &[u8]) {
        if self.0.is_none() {
            self.0 = bytes.first().copied();
        }
    }
}

fn variant_index<T: Encode>(value: &T) -> u16 {
    let mut first = FirstByte(None);
    value.encode_to(&mut first);
    first.0.map_or(0, u16::from)
}

impl Error {
    /// The stable numeric code (see the module docs).
    pub fn code(&self) -> u16 {
        let (base, index) = match self {
            Self::Num(e) => (100u16, variant_index(e)),
            Self::Wire(e) => (200, variant_index(e)),
            Self::Governance(e) => (300, variant_index(e)),
            Self::Stake(e) => (400, variant_index(e)),
            Self::State(e) => (500, variant_index(e)),
        };
        base.saturating_add(index)
    }

    /// The variant's name, e.g. `"BelowMinStake"` (JavaScript's `error.name`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Num(e) => match e {
                NumError::Overflow => "Overflow",
                NumError::Underflow => "Underflow",
                NumError::DecimalsTooLarge { .. } => "DecimalsTooLarge",
                NumError::InvalidAmount => "InvalidAmount",
            },
            Self::Wire(e) => match e {
                WireError::Truncated => "Truncated",
                WireError::TrailingBytes { .. } => "TrailingBytes",
                WireError::UnsupportedVersion { .. } => "UnsupportedVersion",
                WireError::Malformed => "Malformed",
                WireError::BufferTooSmall { .. } => "BufferTooSmall",
            },
            Self::Governance(e) => match e {
                GovernanceError::NotCouncilMember { .. } => "NotCouncilMember",
                GovernanceError::DuplicateApproval { .. } => "DuplicateApproval",
                GovernanceError::BelowThreshold { .. } => "BelowThreshold",
                GovernanceError::MissingRequiredSigner { .. } => "MissingRequiredSigner",
                GovernanceError::EmptyCouncil => "EmptyCouncil",
                GovernanceError::DuplicateMember { .. } => "DuplicateMember",
                GovernanceError::InvalidThreshold { .. } => "InvalidThreshold",
                GovernanceError::TooManyMembers { .. } => "TooManyMembers",
                GovernanceError::ThresholdBelowRequired { .. } => "ThresholdBelowRequired",
            },
            Self::Stake(e) => match e {
                StakeError::BelowMinStake { .. } => "BelowMinStake",
                StakeError::ZeroAmount => "ZeroAmount",
                StakeError::ExceedsStaked { .. } => "ExceedsStaked",
                StakeError::StillLocked { .. } => "StillLocked",
                StakeError::NothingToWithdraw => "NothingToWithdraw",
                StakeError::TooManyUnlockChunks { .. } => "TooManyUnlockChunks",
                StakeError::ExceedsUnlocking { .. } => "ExceedsUnlocking",
                StakeError::NothingToSlash { .. } => "NothingToSlash",
                StakeError::ZeroMinStake => "ZeroMinStake",
                StakeError::InvalidChunkLimit { .. } => "InvalidChunkLimit",
                StakeError::UnlockPeriodTooLong { .. } => "UnlockPeriodTooLong",
            },
            Self::State(e) => match e {
                StateError::UnsortedAccounts { .. } => "UnsortedAccounts",
                StateError::EmptyAccount { .. } => "EmptyAccount",
                StateError::TotalsMismatch => "TotalsMismatch",
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Num(e) => e.fmt(f),
            Self::Wire(e) => e.fmt(f),
            Self::Governance(e) => e.fmt(f),
            Self::Stake(e) => e.fmt(f),
            Self::State(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {}

macro_rules! from_module_error {
    ($($module:ident => $variant:ident),* $(,)?) => {$(
        impl From<$module> for Error {
            fn from(e: $module) -> Self {
                Self::$variant(e)
            }
        }
    )*};
}

from_module_error!(
    NumError => Num,
    WireError => Wire,
    GovernanceError => Governance,
    StakeError => Stake,
    StateError => State,
);

/// A bounded collection that is full where the code had checked there was room: reported as an
/// overflow rather than a panic.
impl From<CapacityError> for Error {
    fn from(_: CapacityError) -> Self {
        Self::Num(NumError::Overflow)
    }
}
