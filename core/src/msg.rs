//! [`Msg`]: one enum over every transition; [`Event`]: one enum over every effect.
//!
//! SCALE variant indices are explicit and grouped by module (governance `0x00..`, staking
//! `0x10..`; later modules take the ranges after), so adding a transition never renumbers
//! another. An encoded message starts with [`crate::wire::MSG_VERSION`].

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

use crate::fields::{Described, Value};
use crate::governance::{Approvals, Council};
use crate::ids::{AccountId, Timestamp};
use crate::stake::{SlashReason, StakeParams, UnlockPolicy};
use crate::wire::{self, MSG_VERSION, WireError};

/// A transition request. The sender and the time come from the [`crate::Context`]; a privileged
/// message carries the council members who approved it (authenticated by the host).
///
/// Council changes carry a whole council inline (no heap), so that variant is much larger than
/// the others; messages are handled one at a time, by reference, so the size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Msg {
    /// Replace the council (approved by the current one).
    #[codec(index = 0x00)]
    UpdateCouncil {
        /// The new council.
        council: Council,
        /// Approving members of the current council.
        approvals: Approvals,
    },
    /// Stake `amount` wei received with the message.
    #[codec(index = 0x10)]
    Stake {
        /// Wei received.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::amount))]
        amount: U256,
    },
    /// Start unlocking `amount` wei of the caller's stake.
    #[codec(index = 0x11)]
    Unstake {
        /// Wei to unlock.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::amount))]
        amount: U256,
    },
    /// Withdraw every matured unlock of the caller.
    #[codec(index = 0x12)]
    Withdraw,
    /// Move `amount` wei of pending unlocks back to stake.
    #[codec(index = 0x13)]
    Rebond {
        /// Wei to rebond.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::amount))]
        amount: U256,
    },
    /// Replace the staking parameters (council).
    #[codec(index = 0x14)]
    UpdateStakeParams {
        /// The new parameters.
        params: StakeParams,
        /// Approving council members.
        approvals: Approvals,
    },
    /// Slash an account (council).
    #[codec(index = 0x15)]
    Slash {
        /// The account slashed.
        account: AccountId,
        /// Wei to take (capped at what it holds).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::amount))]
        amount: U256,
        /// Why.
        reason: SlashReason,
        /// Approving council members.
        approvals: Approvals,
    },
}

impl Msg {
    /// The staking account whose record this message changes, if any: the sender's for the
    /// staker's own messages, the target's for a slash. A host holding records elsewhere (a
    /// wallet, a contract store) uses it to know which record to pass in.
    pub fn account(&self, ctx: &crate::Context) -> Option<AccountId> {
        match self {
            Self::Stake { .. } | Self::Unstake { .. } | Self::Withdraw | Self::Rebond { .. } => {
                Some(ctx.caller)
            }
            Self::Slash { account, .. } => Some(*account),
            Self::UpdateCouncil { .. } | Self::UpdateStakeParams { .. } => None,
        }
    }

    /// Decodes a versioned message from exactly `bytes`.
    pub fn decode_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        wire::decode_versioned(MSG_VERSION, bytes)
    }

    /// Writes the versioned message into `buf` without allocating; returns its length.
    pub fn encode_into(&self, buf: &mut [u8]) -> Result<usize, WireError> {
        wire::encode_versioned_into(MSG_VERSION, self, buf)
    }

    /// The versioned message.
    #[cfg(feature = "alloc")]
    pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
        wire::to_bytes(MSG_VERSION, self)
    }
}

/// A block of messages as bytes: [`MSG_VERSION`], then the SCALE `Vec<(Context, Msg)>` —
/// each message with the context it is applied in. What [`crate::Ledger::apply_block_bytes`]
/// reads, so a host relaying many transactions crosses a binding boundary once per block.
#[cfg(feature = "alloc")]
pub fn encode_block(block: &[(crate::Context, Msg)]) -> alloc::vec::Vec<u8> {
    wire::to_bytes(MSG_VERSION, &block)
}

/// The messages of [`encode_block`] bytes.
#[cfg(feature = "alloc")]
pub fn decode_block(bytes: &[u8]) -> Result<alloc::vec::Vec<(crate::Context, Msg)>, WireError> {
    wire::decode_versioned(MSG_VERSION, bytes)
}

/// An effect of a transition, named after the seeds' events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum Event {
    /// The council was replaced.
    #[codec(index = 0x00)]
    CouncilUpdated {
        /// Members of the new council.
        members: u8,
        /// How many of them must approve every privileged message.
        required: u8,
        /// Approvals needed.
        threshold: u8,
    },
    /// BTIP-85 `Staked(user, amount)`.
    #[codec(index = 0x10)]
    Staked {
        /// The staker.
        account: AccountId,
        /// Wei staked.
        amount: U256,
    },
    /// BTIP-85 `Unstaked(user, amount, unlockTime)`: `unlock_time` is when this amount (and,
    /// under the merged policy, the whole pending bucket) can be withdrawn.
    #[codec(index = 0x11)]
    Unstaked {
        /// The staker.
        account: AccountId,
        /// Wei unlocking.
        amount: U256,
        /// When it can be withdrawn.
        unlock_time: Timestamp,
    },
    /// BTIP-85 `Withdrawn(user, amount)`: the host pays `amount` to `account`.
    #[codec(index = 0x12)]
    Withdrawn {
        /// The staker.
        account: AccountId,
        /// Wei paid out.
        amount: U256,
    },
    /// Pending unlocks moved back to stake.
    #[codec(index = 0x13)]
    Rebonded {
        /// The staker.
        account: AccountId,
        /// Wei rebonded.
        amount: U256,
    },
    /// BTIP-85 `ParametersUpdated(newUnlock, newMin)`, with the unlock policy.
    #[codec(index = 0x14)]
    ParametersUpdated {
        /// The new unlock period, seconds.
        unlock_period: u64,
        /// The new minimum stake, wei.
        min_stake: U256,
        /// The new unlock policy.
        unlock_policy: UnlockPolicy,
    },
    /// An account was slashed: `from_staked + from_unlocking` left the contract.
    #[codec(index = 0x15)]
    Slashed {
        /// The account slashed.
        account: AccountId,
        /// Why.
        reason: SlashReason,
        /// What the council asked for.
        requested: U256,
        /// Taken from active stake.
        from_staked: U256,
        /// Taken from pending unlocks.
        from_unlocking: U256,
    },
}

impl Event {
    /// The variant's name, e.g. `"Staked"`, and its fields (what the npm package turns into a
    /// plain object).
    pub fn describe(&self) -> Described {
        use Value::{Account, Amount, Count, Policy, Reason, Seconds, Time};
        let d = Described::new;
        match *self {
            Self::CouncilUpdated {
                members,
                required,
                threshold,
            } => d(
                "CouncilUpdated",
                &[
                    ("members", Count(members.into())),
                    ("required", Count(required.into())),
                    ("threshold", Count(threshold.into())),
                ],
            ),
            Self::Staked { account, amount } => d(
                "Staked",
                &[("account", Account(account)), ("amount", Amount(amount))],
            ),
            Self::Unstaked {
                account,
                amount,
                unlock_time,
            } => d(
                "Unstaked",
                &[
                    ("account", Account(account)),
                    ("amount", Amount(amount)),
                    ("unlock_time", Time(unlock_time)),
                ],
            ),
            Self::Withdrawn { account, amount } => d(
                "Withdrawn",
                &[("account", Account(account)), ("amount", Amount(amount))],
            ),
            Self::Rebonded { account, amount } => d(
                "Rebonded",
                &[("account", Account(account)), ("amount", Amount(amount))],
            ),
            Self::ParametersUpdated {
                unlock_period,
                min_stake,
                unlock_policy,
            } => d(
                "ParametersUpdated",
                &[
                    ("unlock_period", Seconds(unlock_period)),
                    ("min_stake", Amount(min_stake)),
                    ("unlock_policy", Policy(unlock_policy)),
                ],
            ),
            Self::Slashed {
                account,
                reason,
                requested,
                from_staked,
                from_unlocking,
            } => d(
                "Slashed",
                &[
                    ("account", Account(account)),
                    ("reason", Reason(reason)),
                    ("requested", Amount(requested)),
                    ("from_staked", Amount(from_staked)),
                    ("from_unlocking", Amount(from_unlocking)),
                ],
            ),
        }
    }
}
