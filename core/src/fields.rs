//! Names and fields of events and errors, for hosts that convert them generically.
//!
//! The npm package turns a [`Described`] into a plain object (`{ type: "Staked", account,
//! amount }`, or a `StakeholdError` with `name` and fields); screens and logs can list the same
//! fields. Field names are the Rust field names (snake_case); each binding renames them to its
//! own convention. Nothing here allocates.

use primitive_types::U256;

use crate::ids::{AccountId, Epoch, Timestamp, ValidatorIndex};
use crate::stake::{SlashReason, UnlockPolicy};

/// The most fields any event or error carries (`EpochProcessed`: 8).
pub const MAX_FIELDS: usize = 8;

/// The value of one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// An amount in base units.
    Amount(U256),
    /// An address.
    Account(AccountId),
    /// A point in time, Unix seconds.
    Time(Timestamp),
    /// A duration, seconds.
    Seconds(u64),
    /// A count, a limit, a byte length or a version.
    Count(u32),
    /// An unlock policy.
    Policy(UnlockPolicy),
    /// Why an account was slashed.
    Reason(SlashReason),
    /// A proof-of-stake amount, Gwei (10⁻⁹ of the chain's coin).
    Gwei(u64),
    /// An epoch of the proof-of-stake chain ([`crate::validator::FAR_FUTURE_EPOCH`] is "never").
    Epoch(Epoch),
    /// A validator's index in the registry.
    Index(ValidatorIndex),
    /// A block root (32 bytes).
    Root([u8; 32]),
    /// A count too large for [`Value::Count`].
    Number(u64),
}

/// A variant's name and its fields, in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// The variant's name, e.g. `"BelowMinStake"`.
    pub name: &'static str,
    /// Its fields.
    pub fields: heapless::Vec<(&'static str, Value), MAX_FIELDS>,
}

impl Described {
    /// A variant with `fields`. Every variant of the crate has at most [`MAX_FIELDS`] (a test
    /// checks each one), so nothing is dropped.
    pub(crate) fn new(name: &'static str, fields: &[(&'static str, Value)]) -> Self {
        Self {
            name,
            fields: heapless::Vec::from_slice(fields).unwrap_or_default(),
        }
    }
}
