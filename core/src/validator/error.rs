//! Errors of the validator registry and its presets.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::{Fork, PresetParameter};
use crate::ids::{Epoch, Slot, ValidatorIndex};

/// Why a preset was rejected or a validator transition refused. Each variant carries what a
/// caller needs to tell the user (the validator, the epochs involved, the epoch from which it
/// will be allowed, the amounts). Amounts are Gwei.
///
/// Where the spec `assert`s (the whole block or epoch is invalid), the transition returns one
/// of these and changes nothing. A `uint64` overflow, which the spec also treats as invalid,
/// is [`crate::num::NumError::Overflow`], except for a deposit's balance
/// ([`ValidatorError::BalanceOverflow`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum ValidatorError {
    /// A preset divisor or count is zero (or a transition met one in an unchecked preset).
    #[codec(index = 0)]
    ZeroParameter {
        /// Which constant.
        parameter: PresetParameter,
    },
    /// A maximum (or `MIN_ACTIVATION_BALANCE`) is not a multiple of the increment.
    #[codec(index = 1)]
    NotMultipleOfIncrement {
        /// Which constant.
        parameter: PresetParameter,
        /// Its value, Gwei.
        value: u64,
        /// `EFFECTIVE_BALANCE_INCREMENT`, Gwei.
        increment: u64,
    },
    /// `EJECTION_BALANCE` is not below the maximum effective balance (or
    /// `MIN_ACTIVATION_BALANCE`): every validator would be ejected on activation.
    #[codec(index = 2)]
    EjectionNotBelowMax {
        /// `EJECTION_BALANCE`, Gwei.
        ejection: u64,
        /// The balance it must stay below, Gwei.
        max: u64,
    },
    /// `MIN_ACTIVATION_BALANCE` is above `MAX_EFFECTIVE_BALANCE_ELECTRA`: no validator could
    /// qualify for activation.
    #[codec(index = 3)]
    ActivationAboveMax {
        /// `MIN_ACTIVATION_BALANCE`, Gwei.
        min_activation: u64,
        /// `MAX_EFFECTIVE_BALANCE_ELECTRA`, Gwei.
        max: u64,
    },
    /// An Electra churn limit below one increment (the churn would round down to zero).
    #[codec(index = 4)]
    ChurnBelowIncrement {
        /// Which constant.
        parameter: PresetParameter,
        /// Its value, Gwei.
        value: u64,
        /// `EFFECTIVE_BALANCE_INCREMENT`, Gwei.
        increment: u64,
    },
    /// A hysteresis threshold (`increment // quotient · multiplier`) overflows `u64`.
    #[codec(index = 5)]
    ParameterOverflow {
        /// Which multiplier.
        parameter: PresetParameter,
    },
    /// The participation weights do not sum to `WEIGHT_DENOMINATOR`.
    #[codec(index = 6)]
    WeightsMismatch {
        /// Their sum (`u64::MAX` if it overflows).
        sum: u64,
        /// `WEIGHT_DENOMINATOR`.
        denominator: u64,
    },
    /// `MAX_PENDING_DEPOSITS_PER_EPOCH` above what the no-heap pending-deposit processing
    /// supports.
    #[codec(index = 7)]
    TooManyPendingDepositsPerEpoch {
        /// The value asked for.
        value: u64,
        /// [`super::MAX_PENDING_DEPOSITS_PER_EPOCH_CAP`].
        max: u64,
    },
    /// No validator has this index (the spec's out-of-range list access).
    #[codec(index = 8)]
    UnknownValidator {
        /// The index.
        index: ValidatorIndex,
        /// How many validators there are.
        count: u64,
    },
    /// The validator and balance lists differ in length (the spec keeps them equal).
    #[codec(index = 9)]
    LengthMismatch {
        /// Validators.
        validators: u64,
        /// Balances.
        balances: u64,
    },
    /// A deposit would take a balance past `u64::MAX` Gwei.
    #[codec(index = 10)]
    BalanceOverflow {
        /// The validator.
        index: ValidatorIndex,
        /// Its balance, Gwei.
        balance: u64,
        /// The deposit, Gwei.
        amount: u64,
    },
    /// A voluntary exit of a validator that is not active (`process_voluntary_exit`: "Verify
    /// the validator is active").
    #[codec(index = 11)]
    NotActive {
        /// The validator.
        index: ValidatorIndex,
        /// Its activation epoch (`FAR_FUTURE_EPOCH` if not yet scheduled).
        activation_epoch: Epoch,
        /// Its exit epoch.
        exit_epoch: Epoch,
    },
    /// A voluntary exit of a validator already exiting ("Verify exit has not been
    /// initiated").
    #[codec(index = 12)]
    ExitAlreadyInitiated {
        /// The validator.
        index: ValidatorIndex,
        /// Its exit epoch.
        exit_epoch: Epoch,
    },
    /// A voluntary exit before the epoch it names ("Exits must specify an epoch when they
    /// become valid; they are not valid before then").
    #[codec(index = 13)]
    ExitNotYetValid {
        /// The validator.
        index: ValidatorIndex,
        /// The epoch from which the exit is valid.
        valid_from: Epoch,
    },
    /// A voluntary exit by a validator active for less than `SHARD_COMMITTEE_PERIOD` ("Verify
    /// the validator has been active long enough").
    #[codec(index = 14)]
    TooYoungToExit {
        /// The validator.
        index: ValidatorIndex,
        /// The first epoch at which it may exit.
        allowed_from: Epoch,
    },
    /// Electra: a voluntary exit while partial withdrawals are pending ("Only exit validator
    /// if it has no pending withdrawals in the queue").
    #[codec(index = 15)]
    PendingWithdrawals {
        /// The validator.
        index: ValidatorIndex,
        /// The balance pending withdrawal, Gwei.
        amount: u64,
    },
    /// A rule that does not exist under the preset's fork (Electra's pending deposits before
    /// Electra).
    #[codec(index = 16)]
    WrongFork {
        /// The preset's fork.
        fork: Fork,
    },
    /// A deposit below `MIN_DEPOSIT_AMOUNT` (the deposit contract's rule).
    #[codec(index = 17)]
    BelowMinDeposit {
        /// The deposit, Gwei.
        amount: u64,
        /// `MIN_DEPOSIT_AMOUNT`, Gwei.
        min: u64,
    },
    /// A proposer slashing whose headers are for different slots (`process_proposer_slashing`:
    /// "Verify header slots match").
    #[codec(index = 18)]
    ProposerSlotMismatch {
        /// The first header's slot.
        slot_1: Slot,
        /// The second header's slot.
        slot_2: Slot,
    },
    /// A proposer slashing whose headers name different proposers ("Verify header proposer
    /// indices match").
    #[codec(index = 19)]
    ProposerIndexMismatch {
        /// The first header's proposer.
        index_1: ValidatorIndex,
        /// The second header's proposer.
        index_2: ValidatorIndex,
    },
    /// A proposer slashing of two identical headers ("Verify the headers are different").
    #[codec(index = 20)]
    IdenticalHeaders,
    /// The accused validator is not slashable now (`is_slashable_validator`: already slashed,
    /// not yet active, or already withdrawable).
    #[codec(index = 21)]
    NotSlashable {
        /// The validator.
        index: ValidatorIndex,
        /// Whether it is already slashed.
        slashed: bool,
        /// Its activation epoch.
        activation_epoch: Epoch,
        /// Its withdrawable epoch.
        withdrawable_epoch: Epoch,
    },
    /// An attester slashing whose attestations are neither a double vote nor a surround vote
    /// (`is_slashable_attestation_data`).
    #[codec(index = 22)]
    NotSlashableAttestations,
    /// An attester slashing's attestation lists no validator, or not in strictly increasing
    /// order (`is_valid_indexed_attestation`).
    #[codec(index = 23)]
    InvalidAttestingIndices {
        /// Which attestation: 1 or 2.
        attestation: u8,
    },
    /// No validator in both attestations is slashable (`process_attester_slashing`: "assert
    /// slashed_any").
    #[codec(index = 24)]
    NoSlashableValidator,
    /// The slashings vector does not have `EPOCHS_PER_SLASHINGS_VECTOR` entries.
    #[codec(index = 25)]
    SlashingsLength {
        /// Its length.
        length: u64,
        /// `EPOCHS_PER_SLASHINGS_VECTOR`.
        expected: u64,
    },
    /// A preset constant above what the core supports (`EPOCHS_PER_SLASHINGS_VECTOR` above
    /// [`super::MAX_EPOCHS_PER_SLASHINGS_VECTOR`]).
    #[codec(index = 26)]
    ParameterTooLarge {
        /// Which constant.
        parameter: PresetParameter,
        /// Its value.
        value: u64,
        /// The largest supported.
        max: u64,
    },
    /// A per-validator list of the state does not have one entry per validator.
    #[codec(index = 27)]
    ListLength {
        /// Which list.
        list: RegistryList,
        /// Its length.
        length: u64,
        /// How many validators there are.
        validators: u64,
    },
}

/// Names a per-validator list of the state, for [`ValidatorError::ListLength`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[allow(missing_docs)] // each variant is the spec's state field of the same name
pub enum RegistryList {
    #[codec(index = 0)]
    Balances,
    #[codec(index = 1)]
    InactivityScores,
    #[codec(index = 2)]
    PreviousEpochParticipation,
    #[codec(index = 3)]
    CurrentEpochParticipation,
    #[codec(index = 4)]
    PreviousEpochInclusions,
    #[codec(index = 5)]
    CurrentEpochInclusions,
    #[codec(index = 6)]
    ProposerCredits,
}

impl RegistryList {
    /// The spec's name of the state field (phase0's inclusions and credits: ours).
    pub fn name(self) -> &'static str {
        match self {
            Self::Balances => "balances",
            Self::InactivityScores => "inactivity_scores",
            Self::PreviousEpochParticipation => "previous_epoch_participation",
            Self::CurrentEpochParticipation => "current_epoch_participation",
            Self::PreviousEpochInclusions => "previous_epoch_inclusions",
            Self::CurrentEpochInclusions => "current_epoch_inclusions",
            Self::ProposerCredits => "proposer_credits",
        }
    }
}

impl core::fmt::Display for ValidatorError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::ZeroParameter { parameter } => {
                write!(f, "{} must be at least 1", parameter.name())
            }
            Self::NotMultipleOfIncrement {
                parameter,
                value,
                increment,
            } => write!(
                f,
                "{} = {value} Gwei is not a multiple of the {increment} Gwei increment",
                parameter.name()
            ),
            Self::EjectionNotBelowMax { ejection, max } => write!(
                f,
                "the ejection balance of {ejection} Gwei is not below {max} Gwei"
            ),
            Self::ActivationAboveMax {
                min_activation,
                max,
            } => write!(
                f,
                "the activation balance of {min_activation} Gwei is above the maximum of {max} Gwei"
            ),
            Self::ChurnBelowIncrement {
                parameter,
                value,
                increment,
            } => write!(
                f,
                "{} = {value} Gwei is below the {increment} Gwei increment",
                parameter.name()
            ),
            Self::ParameterOverflow { parameter } => {
                write!(f, "{} makes a threshold overflow", parameter.name())
            }
            Self::WeightsMismatch { sum, denominator } => write!(
                f,
                "the participation weights sum to {sum}, not to the denominator {denominator}"
            ),
            Self::TooManyPendingDepositsPerEpoch { value, max } => write!(
                f,
                "{value} pending deposits per epoch is more than the {max} supported"
            ),
            Self::UnknownValidator { index, count } => {
                write!(f, "no validator {index}: there are {count}")
            }
            Self::LengthMismatch {
                validators,
                balances,
            } => write!(f, "{validators} validators but {balances} balances"),
            Self::BalanceOverflow {
                index,
                balance,
                amount,
            } => write!(
                f,
                "a deposit of {amount} Gwei would overflow validator {index}'s balance of {balance} Gwei"
            ),
            Self::NotActive {
                index,
                activation_epoch,
                exit_epoch,
            } => write!(
                f,
                "validator {index} is not active (activation epoch {activation_epoch}, exit epoch {exit_epoch})"
            ),
            Self::ExitAlreadyInitiated { index, exit_epoch } => {
                write!(f, "validator {index} already exits at epoch {exit_epoch}")
            }
            Self::ExitNotYetValid { index, valid_from } => write!(
                f,
                "the exit of validator {index} is valid from epoch {valid_from}"
            ),
            Self::TooYoungToExit {
                index,
                allowed_from,
            } => write!(f, "validator {index} may exit from epoch {allowed_from}"),
            Self::PendingWithdrawals { index, amount } => write!(
                f,
                "validator {index} has {amount} Gwei of withdrawals pending"
            ),
            Self::WrongFork { fork } => write!(f, "not a rule of {fork:?}"),
            Self::BelowMinDeposit { amount, min } => write!(
                f,
                "a deposit of {amount} Gwei is below the minimum of {min} Gwei"
            ),
            Self::ProposerSlotMismatch { slot_1, slot_2 } => write!(
                f,
                "the two headers are for different slots ({slot_1} and {slot_2})"
            ),
            Self::ProposerIndexMismatch { index_1, index_2 } => write!(
                f,
                "the two headers have different proposers ({index_1} and {index_2})"
            ),
            Self::IdenticalHeaders => write!(f, "the two headers are the same"),
            Self::NotSlashable {
                index,
                slashed,
                activation_epoch,
                withdrawable_epoch,
            } => {
                if *slashed {
                    write!(f, "validator {index} is already slashed")
                } else {
                    write!(
                        f,
                        "validator {index} is not slashable (active from epoch {activation_epoch}, withdrawable at epoch {withdrawable_epoch})"
                    )
                }
            }
            Self::NotSlashableAttestations => write!(
                f,
                "the two attestations are neither a double vote nor a surround vote"
            ),
            Self::InvalidAttestingIndices { attestation } => write!(
                f,
                "attestation {attestation} must list validators in strictly increasing order"
            ),
            Self::NoSlashableValidator => {
                write!(f, "no validator in both attestations can be slashed")
            }
            Self::ListLength {
                list,
                length,
                validators,
            } => write!(
                f,
                "{} has {length} entries for {validators} validators",
                list.name()
            ),
            Self::ParameterTooLarge {
                parameter,
                value,
                max,
            } => write!(
                f,
                "{} = {value} is above the supported {max}",
                parameter.name()
            ),
            Self::SlashingsLength { length, expected } => write!(
                f,
                "the slashings vector has {length} entries, not {expected}"
            ),
        }
    }
}
