//! [`Msg`]: one enum over every transition; [`Event`]: one enum over every effect.
//!
//! SCALE variant indices are explicit and grouped by module (governance `0x00..`, staking
//! `0x10..`, validators `0x40..`, finality `0x50..`; the modules still to come take the free
//! ranges), so adding a transition never renumbers another. An encoded message starts with [`crate::wire::MSG_VERSION`].

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

use crate::bounded::BoundedVec;
use crate::fields::{Described, Value};
use crate::governance::{Approvals, Council};
use crate::ids::{AccountId, Epoch, Timestamp, ValidatorIndex};
use crate::stake::{SlashReason, StakeParams, UnlockPolicy};
use crate::validator::{
    AttestationData, AttesterSlashing, DepositData, IncludingBlock, ParticipationFlags,
    ProposerSlashing, VoluntaryExit,
};
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
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::approvals))]
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
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::approvals))]
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
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::approvals))]
        approvals: Approvals,
    },
    /// A deposit to the proof-of-stake chain: a new validator, or a top-up of the validator
    /// with this public key (`process_deposit`, phase0; `apply_deposit`, electra). The host
    /// has checked the deposit's Merkle proof and, for a new key, its signature.
    #[codec(index = 0x40)]
    Deposit {
        /// The deposit, amount in Gwei.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::deposit))]
        deposit: DepositData,
    },
    /// A validator's voluntary exit (`process_voluntary_exit`); the host has checked its
    /// signature.
    #[codec(index = 0x41)]
    VoluntaryExit {
        /// The signed exit's message.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::exit))]
        exit: VoluntaryExit,
    },
    /// Evidence that a proposer signed two blocks for one slot (`process_proposer_slashing`):
    /// the proposer is slashed. The host has checked both headers' signatures.
    #[codec(index = 0x42)]
    ProposerSlashing {
        /// The proposer of the block that includes the evidence (rewarded as proposer and
        /// whistleblower).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::validator_index))]
        proposer: ValidatorIndex,
        /// The two headers.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::proposer_slashing))]
        evidence: ProposerSlashing,
    },
    /// Evidence that validators signed a double or a surround vote
    /// (`process_attester_slashing`): each slashable validator in both attestations is
    /// slashed. The host has checked both aggregate signatures.
    #[codec(index = 0x43)]
    AttesterSlashing {
        /// The proposer of the block that includes the evidence.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::validator_index))]
        proposer: ValidatorIndex,
        /// The two attestations.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::attester_slashing))]
        evidence: AttesterSlashing,
    },
    /// One aggregate attestation included in a block (`process_attestation`): every
    /// validator in `validators` votes for `data` — the head block, and the FFG link
    /// `source → target`. The host has resolved the committee and checked the signature; the
    /// chain checks the rest, sets the participation flags, and (Altair on) rewards the
    /// block's proposer.
    #[codec(index = 0x50)]
    Attest {
        /// What the validators vote for.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::attestation_data))]
        data: AttestationData,
        /// The attesting validators (`get_attesting_indices`).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::attesters))]
        validators: Attesters,
        /// The including block: its slot and proposer, and the block roots the votes are
        /// judged against.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::including_block))]
        block: IncludingBlock,
    },
    /// Ends the chain's current epoch ([`crate::validator::process_epoch`]): justification
    /// and finalization, inactivity scores, rewards and penalties, registry updates,
    /// correlation penalties, effective balances. The host sends it at each epoch boundary
    /// with the roots of its chain (the checkpoints justification may name).
    #[codec(index = 0x51)]
    ProcessEpoch {
        /// The root of the block at the start of the previous epoch (`get_block_root`).
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::root))]
        previous_epoch_root: [u8; 32],
        /// The root of the block at the start of the current epoch.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::root))]
        current_epoch_root: [u8; 32],
    },
}

/// The most validators one [`Msg::Attest`] carries: half of Ethereum's `TARGET_COMMITTEE_SIZE`
/// (128), which keeps the message (and so a decoded block entry) within 727 bytes
/// (`Msg::max_encoded_len`), the largest message; a larger committee's votes are sent as
/// several messages.
pub const MAX_ATTESTERS: usize = 64;

/// The validators of one [`Msg::Attest`].
pub type Attesters = BoundedVec<ValidatorIndex, MAX_ATTESTERS>;

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
            Self::UpdateCouncil { .. }
            | Self::UpdateStakeParams { .. }
            | Self::Deposit { .. }
            | Self::VoluntaryExit { .. }
            | Self::ProposerSlashing { .. }
            | Self::AttesterSlashing { .. }
            | Self::Attest { .. }
            | Self::ProcessEpoch { .. } => None,
        }
    }

    /// Whether this is a message of the proof-of-stake chain, which only a [`crate::Ledger`]
    /// (holding the validator registry) applies; [`crate::Globals::apply`] refuses it with
    /// [`crate::error::StateError::ChainMessage`].
    pub fn is_chain_message(&self) -> bool {
        matches!(
            self,
            Self::Deposit { .. }
                | Self::VoluntaryExit { .. }
                | Self::ProposerSlashing { .. }
                | Self::AttesterSlashing { .. }
                | Self::Attest { .. }
                | Self::ProcessEpoch { .. }
        )
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
    /// A deposit was credited (phase0 to Deneb): to a new validator, or as a top-up.
    #[codec(index = 0x40)]
    ValidatorDeposited {
        /// The validator.
        index: ValidatorIndex,
        /// Gwei deposited.
        amount: u64,
        /// Its balance now, Gwei.
        balance: u64,
    },
    /// Electra: a deposit joined the pending deposits, to be credited within the balance
    /// churn at an epoch's end (then [`Event::ValidatorDeposited`]).
    #[codec(index = 0x41)]
    DepositQueued {
        /// The validator (registered with a zero balance if the key was new).
        index: ValidatorIndex,
        /// Gwei pending.
        amount: u64,
    },
    /// A voluntary exit was scheduled.
    #[codec(index = 0x42)]
    ValidatorExiting {
        /// The validator.
        index: ValidatorIndex,
        /// Its exit epoch.
        exit_epoch: Epoch,
        /// When its balance can be withdrawn.
        withdrawable_epoch: Epoch,
    },
    /// A validator was ejected: its effective balance fell to the ejection balance.
    #[codec(index = 0x43)]
    ValidatorEjected {
        /// The validator.
        index: ValidatorIndex,
        /// Its exit epoch.
        exit_epoch: Epoch,
        /// When its balance can be withdrawn.
        withdrawable_epoch: Epoch,
    },
    /// A validator left the activation queue: it is active from `epoch`.
    #[codec(index = 0x44)]
    ValidatorActivated {
        /// The validator.
        index: ValidatorIndex,
        /// Its activation epoch.
        epoch: Epoch,
    },
    /// A validator was slashed (day 1): it exits, pays the initial penalty, and becomes
    /// withdrawable only after the slashings window.
    #[codec(index = 0x45)]
    ValidatorSlashed {
        /// The validator.
        index: ValidatorIndex,
        /// The initial penalty taken, Gwei.
        penalty: u64,
        /// Its exit epoch.
        exit_epoch: Epoch,
        /// Its withdrawable epoch (the correlation penalty falls half-way there).
        withdrawable_epoch: Epoch,
        /// The proposer who included the evidence.
        proposer: ValidatorIndex,
        /// The proposer's reward (as proposer and whistleblower), Gwei.
        reward: u64,
    },
    /// A slashed validator paid the correlation penalty (day 18), in proportion to the stake
    /// slashed around the same time (it may be 0).
    #[codec(index = 0x46)]
    CorrelationPenalty {
        /// The validator.
        index: ValidatorIndex,
        /// Gwei taken.
        penalty: u64,
    },
    /// An attestation was included: its attesters' participation is recorded.
    #[codec(index = 0x50)]
    Attested {
        /// The epoch they vote to justify.
        target_epoch: Epoch,
        /// How many validators' participation it changed.
        attesters: u8,
        /// The flags it earned: timely source, target, head (bits 0, 1, 2; phase0: matching).
        flags: ParticipationFlags,
        /// The block proposer's reward, Gwei (0 under phase0).
        proposer_reward: u64,
    },
    /// An epoch ended: what the tally found.
    #[codec(index = 0x51)]
    EpochProcessed {
        /// The epoch that ended.
        epoch: Epoch,
        /// Validators active in it.
        active_validators: u64,
        /// Their effective balances, Gwei (the spec's `get_total_active_balance`).
        total_active_balance: u64,
        /// Effective balance that voted for the previous epoch's checkpoint, Gwei.
        previous_target_balance: u64,
        /// Effective balance that voted for the current epoch's checkpoint, Gwei.
        current_target_balance: u64,
        /// Whether the chain is in an inactivity leak (more than four epochs without
        /// finality): no attestation rewards, and the absent leak stake.
        inactivity_leak: bool,
        /// Rewards credited, Gwei.
        rewards: u64,
        /// Penalties taken (missed votes, inactivity), Gwei.
        penalties: u64,
    },
    /// A checkpoint was justified: two thirds of the active balance voted for it.
    #[codec(index = 0x52)]
    Justified {
        /// Its epoch.
        epoch: Epoch,
        /// Its block root.
        root: [u8; 32],
    },
    /// A checkpoint was finalized.
    #[codec(index = 0x53)]
    Finalized {
        /// Its epoch.
        epoch: Epoch,
        /// Its block root.
        root: [u8; 32],
    },
}

impl Event {
    /// The variant's name, e.g. `"Staked"`, and its fields (what the npm package turns into a
    /// plain object).
    pub fn describe(&self) -> Described {
        use Value::{Account, Amount, Count, Gwei, Index, Policy, Reason, Root, Seconds, Time};
        let epoch = |e: Epoch| Value::Epoch(e);
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
            Self::ValidatorDeposited {
                index,
                amount,
                balance,
            } => d(
                "ValidatorDeposited",
                &[
                    ("index", Index(index)),
                    ("amount", Gwei(amount)),
                    ("balance", Gwei(balance)),
                ],
            ),
            Self::DepositQueued { index, amount } => d(
                "DepositQueued",
                &[("index", Index(index)), ("amount", Gwei(amount))],
            ),
            Self::ValidatorExiting {
                index,
                exit_epoch,
                withdrawable_epoch,
            } => d(
                "ValidatorExiting",
                &[
                    ("index", Index(index)),
                    ("exit_epoch", epoch(exit_epoch)),
                    ("withdrawable_epoch", epoch(withdrawable_epoch)),
                ],
            ),
            Self::ValidatorEjected {
                index,
                exit_epoch,
                withdrawable_epoch,
            } => d(
                "ValidatorEjected",
                &[
                    ("index", Index(index)),
                    ("exit_epoch", epoch(exit_epoch)),
                    ("withdrawable_epoch", epoch(withdrawable_epoch)),
                ],
            ),
            Self::ValidatorSlashed {
                index,
                penalty,
                exit_epoch,
                withdrawable_epoch,
                proposer,
                reward,
            } => d(
                "ValidatorSlashed",
                &[
                    ("index", Index(index)),
                    ("penalty", Gwei(penalty)),
                    ("exit_epoch", epoch(exit_epoch)),
                    ("withdrawable_epoch", epoch(withdrawable_epoch)),
                    ("proposer", Index(proposer)),
                    ("reward", Gwei(reward)),
                ],
            ),
            Self::CorrelationPenalty { index, penalty } => d(
                "CorrelationPenalty",
                &[("index", Index(index)), ("penalty", Gwei(penalty))],
            ),
            Self::ValidatorActivated { index, epoch: at } => d(
                "ValidatorActivated",
                &[("index", Index(index)), ("epoch", epoch(at))],
            ),
            Self::Attested {
                target_epoch,
                attesters,
                flags,
                proposer_reward,
            } => d(
                "Attested",
                &[
                    ("target_epoch", epoch(target_epoch)),
                    ("attesters", Count(attesters.into())),
                    ("flags", Count(flags.0.into())),
                    ("proposer_reward", Gwei(proposer_reward)),
                ],
            ),
            Self::EpochProcessed {
                epoch: ended,
                active_validators,
                total_active_balance,
                previous_target_balance,
                current_target_balance,
                inactivity_leak,
                rewards,
                penalties,
            } => d(
                "EpochProcessed",
                &[
                    ("epoch", epoch(ended)),
                    ("active_validators", Value::Number(active_validators)),
                    ("total_active_balance", Gwei(total_active_balance)),
                    ("previous_target_balance", Gwei(previous_target_balance)),
                    ("current_target_balance", Gwei(current_target_balance)),
                    ("inactivity_leak", Count(inactivity_leak.into())),
                    ("rewards", Gwei(rewards)),
                    ("penalties", Gwei(penalties)),
                ],
            ),
            Self::Justified { epoch: at, root } => {
                d("Justified", &[("epoch", epoch(at)), ("root", Root(root))])
            }
            Self::Finalized { epoch: at, root } => {
                d("Finalized", &[("epoch", epoch(at)), ("root", Root(root))])
            }
        }
    }
}
