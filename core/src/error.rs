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
//! | 600 | [`InputError`] — arguments a binding could not accept (JavaScript values, C pointers, summary indices) |
//! | 700 | [`ValidatorError`] — proof-of-stake validators (presets, deposits, exits, the registry) |
//! | 800 | [`FinalityError`] — checkpoint finality (justification, finalization, the attestation tally) |

use core::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen, Output};

use crate::bounded::CapacityError;
use crate::fields::{Described, Value};
use crate::finality::FinalityError;
use crate::governance::GovernanceError;
use crate::ids::{AccountId, ParseAddressError};
use crate::num::NumError;
use crate::stake::StakeError;
use crate::validator::ValidatorError;
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
    /// A proof-of-stake message was given to [`crate::Globals::apply`], which holds no chain:
    /// only a [`crate::Ledger`] applies it.
    #[codec(index = 3)]
    ChainMessage,
    /// A snapshot's chain records disagree: balances and validators of different lengths, a
    /// public key registered twice, a vote outside the previous and current epochs or by an
    /// unknown validator, finality checkpoints out of order, or an exit queue that is not the
    /// registry's.
    #[codec(index = 4)]
    ChainMismatch,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsortedAccounts { account } => {
                write!(f, "account {account} is out of order or listed twice")
            }
            Self::EmptyAccount { account } => write!(f, "account {account} holds nothing"),
            Self::TotalsMismatch => f.write_str("the totals do not match the accounts"),
            Self::ChainMessage => f.write_str("a proof-of-stake message needs the ledger's chain"),
            Self::ChainMismatch => f.write_str("the chain records do not agree"),
        }
    }
}

/// An argument a binding could not turn into the core's types: the JavaScript and C surfaces
/// report their conversion failures with these codes (their messages say which argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum InputError {
    /// Not an address: `0x` followed by 40 hex digits.
    #[codec(index = 0)]
    InvalidAddress,
    /// A missing argument, one of the wrong type or out of range (a string where a number
    /// belongs, an amount wider than 32 bytes, a length above `PTRDIFF_MAX`).
    #[codec(index = 1)]
    InvalidArgument,
    /// A pointer argument is NULL (C).
    #[codec(index = 2)]
    NullPointer,
    /// A screen summary has no item at the index asked for.
    #[codec(index = 3)]
    NoSuchItem,
    /// A summary item's value has no page at the index asked for.
    #[codec(index = 4)]
    NoSuchPage,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidAddress => "not an address: expected 0x followed by 40 hex digits",
            Self::InvalidArgument => "a missing argument, or one of the wrong type or out of range",
            Self::NullPointer => "a pointer argument is NULL",
            Self::NoSuchItem => "the summary has no item at this index",
            Self::NoSuchPage => "the value has no page at this index",
        })
    }
}

impl From<ParseAddressError> for Error {
    fn from(_: ParseAddressError) -> Self {
        Self::Input(InputError::InvalidAddress)
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
    /// Arguments a binding could not convert (codes 600–699).
    #[codec(index = 6)]
    Input(InputError),
    /// Proof-of-stake validators (codes 700–799).
    #[codec(index = 7)]
    Validator(ValidatorError),
    /// Checkpoint finality (codes 800–899).
    #[codec(index = 8)]
    Finality(FinalityError),
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
            Self::Input(e) => (600, variant_index(e)),
            Self::Validator(e) => (700, variant_index(e)),
            Self::Finality(e) => (800, variant_index(e)),
        };
        base.saturating_add(index)
    }

    /// The variant's name, e.g. `"BelowMinStake"` (JavaScript's `error.name`).
    pub fn name(&self) -> &'static str {
        self.describe().name
    }

    /// The variant's name and fields (what the npm package puts on a `StakeholdError`).
    pub fn describe(&self) -> Described {
        use Value::{Account, Amount, Count, Seconds, Time};
        let d = Described::new;
        match *self {
            Self::Num(e) => match e {
                NumError::Overflow => d("Overflow", &[]),
                NumError::Underflow => d("Underflow", &[]),
                NumError::DecimalsTooLarge { decimals } => {
                    d("DecimalsTooLarge", &[("decimals", Count(decimals.into()))])
                }
                NumError::InvalidAmount => d("InvalidAmount", &[]),
            },
            Self::Wire(e) => match e {
                WireError::Truncated => d("Truncated", &[]),
                WireError::TrailingBytes { extra } => {
                    d("TrailingBytes", &[("extra", Count(extra))])
                }
                WireError::UnsupportedVersion { found, supported } => d(
                    "UnsupportedVersion",
                    &[
                        ("found", Count(found.into())),
                        ("supported", Count(supported.into())),
                    ],
                ),
                WireError::Malformed => d("Malformed", &[]),
                WireError::BufferTooSmall { needed } => {
                    d("BufferTooSmall", &[("needed", Count(needed))])
                }
            },
            Self::Governance(e) => match e {
                GovernanceError::NotCouncilMember { account } => {
                    d("NotCouncilMember", &[("account", Account(account))])
                }
                GovernanceError::DuplicateApproval { account } => {
                    d("DuplicateApproval", &[("account", Account(account))])
                }
                GovernanceError::BelowThreshold {
                    approvals,
                    threshold,
                } => d(
                    "BelowThreshold",
                    &[
                        ("approvals", Count(approvals.into())),
                        ("threshold", Count(threshold.into())),
                    ],
                ),
                GovernanceError::MissingRequiredSigner { account } => {
                    d("MissingRequiredSigner", &[("account", Account(account))])
                }
                GovernanceError::EmptyCouncil => d("EmptyCouncil", &[]),
                GovernanceError::DuplicateMember { account } => {
                    d("DuplicateMember", &[("account", Account(account))])
                }
                GovernanceError::InvalidThreshold { threshold, members } => d(
                    "InvalidThreshold",
                    &[
                        ("threshold", Count(threshold.into())),
                        ("members", Count(members.into())),
                    ],
                ),
                GovernanceError::TooManyMembers { max } => {
                    d("TooManyMembers", &[("max", Count(max.into()))])
                }
                GovernanceError::ThresholdBelowRequired {
                    threshold,
                    required,
                } => d(
                    "ThresholdBelowRequired",
                    &[
                        ("threshold", Count(threshold.into())),
                        ("required", Count(required.into())),
                    ],
                ),
            },
            Self::Stake(e) => match e {
                StakeError::BelowMinStake { amount, min } => d(
                    "BelowMinStake",
                    &[("amount", Amount(amount)), ("min", Amount(min))],
                ),
                StakeError::ZeroAmount => d("ZeroAmount", &[]),
                StakeError::ExceedsStaked { requested, staked } => d(
                    "ExceedsStaked",
                    &[("requested", Amount(requested)), ("staked", Amount(staked))],
                ),
                StakeError::StillLocked { unlock_time } => {
                    d("StillLocked", &[("unlock_time", Time(unlock_time))])
                }
                StakeError::NothingToWithdraw => d("NothingToWithdraw", &[]),
                StakeError::TooManyUnlockChunks { max } => {
                    d("TooManyUnlockChunks", &[("max", Count(max.into()))])
                }
                StakeError::ExceedsUnlocking {
                    requested,
                    unlocking,
                } => d(
                    "ExceedsUnlocking",
                    &[
                        ("requested", Amount(requested)),
                        ("unlocking", Amount(unlocking)),
                    ],
                ),
                StakeError::NothingToSlash { account } => {
                    d("NothingToSlash", &[("account", Account(account))])
                }
                StakeError::ZeroMinStake => d("ZeroMinStake", &[]),
                StakeError::InvalidChunkLimit { max, limit } => d(
                    "InvalidChunkLimit",
                    &[("max", Count(max.into())), ("limit", Count(limit.into()))],
                ),
                StakeError::UnlockPeriodTooLong { period, max } => d(
                    "UnlockPeriodTooLong",
                    &[("period", Seconds(period)), ("max", Seconds(max))],
                ),
            },
            Self::State(e) => match e {
                StateError::UnsortedAccounts { account } => {
                    d("UnsortedAccounts", &[("account", Account(account))])
                }
                StateError::EmptyAccount { account } => {
                    d("EmptyAccount", &[("account", Account(account))])
                }
                StateError::TotalsMismatch => d("TotalsMismatch", &[]),
                StateError::ChainMessage => d("ChainMessage", &[]),
                StateError::ChainMismatch => d("ChainMismatch", &[]),
            },
            Self::Input(e) => match e {
                InputError::InvalidAddress => d("InvalidAddress", &[]),
                InputError::InvalidArgument => d("InvalidArgument", &[]),
                InputError::NullPointer => d("NullPointer", &[]),
                InputError::NoSuchItem => d("NoSuchItem", &[]),
                InputError::NoSuchPage => d("NoSuchPage", &[]),
            },
            Self::Validator(e) => {
                let n = Value::Gwei;
                match e {
                    ValidatorError::ZeroParameter { parameter } => {
                        d("ZeroParameter", &[("parameter", Count(parameter as u32))])
                    }
                    ValidatorError::NotMultipleOfIncrement {
                        parameter,
                        value,
                        increment,
                    } => d(
                        "NotMultipleOfIncrement",
                        &[
                            ("parameter", Count(parameter as u32)),
                            ("value", n(value)),
                            ("increment", n(increment)),
                        ],
                    ),
                    ValidatorError::EjectionNotBelowMax { ejection, max } => d(
                        "EjectionNotBelowMax",
                        &[("ejection", n(ejection)), ("max", n(max))],
                    ),
                    ValidatorError::ActivationAboveMax {
                        min_activation,
                        max,
                    } => d(
                        "ActivationAboveMax",
                        &[("min_activation", n(min_activation)), ("max", n(max))],
                    ),
                    ValidatorError::ChurnBelowIncrement {
                        parameter,
                        value,
                        increment,
                    } => d(
                        "ChurnBelowIncrement",
                        &[
                            ("parameter", Count(parameter as u32)),
                            ("value", n(value)),
                            ("increment", n(increment)),
                        ],
                    ),
                    ValidatorError::ParameterOverflow { parameter } => d(
                        "ParameterOverflow",
                        &[("parameter", Count(parameter as u32))],
                    ),
                    ValidatorError::WeightsMismatch { sum, denominator } => d(
                        "WeightsMismatch",
                        &[("sum", n(sum)), ("denominator", n(denominator))],
                    ),
                    ValidatorError::TooManyPendingDepositsPerEpoch { value, max } => d(
                        "TooManyPendingDepositsPerEpoch",
                        &[("value", Value::Number(value)), ("max", Value::Number(max))],
                    ),
                    ValidatorError::UnknownValidator { index, count } => d(
                        "UnknownValidator",
                        &[
                            ("index", Value::Index(index)),
                            ("count", Value::Number(count)),
                        ],
                    ),
                    ValidatorError::LengthMismatch {
                        validators,
                        balances,
                    } => d(
                        "LengthMismatch",
                        &[
                            ("validators", Value::Number(validators)),
                            ("balances", Value::Number(balances)),
                        ],
                    ),
                    ValidatorError::BalanceOverflow {
                        index,
                        balance,
                        amount,
                    } => d(
                        "BalanceOverflow",
                        &[
                            ("index", Value::Index(index)),
                            ("balance", n(balance)),
                            ("amount", n(amount)),
                        ],
                    ),
                    ValidatorError::NotActive {
                        index,
                        activation_epoch,
                        exit_epoch,
                    } => d(
                        "NotActive",
                        &[
                            ("index", Value::Index(index)),
                            ("activation_epoch", Value::Epoch(activation_epoch)),
                            ("exit_epoch", Value::Epoch(exit_epoch)),
                        ],
                    ),
                    ValidatorError::ExitAlreadyInitiated { index, exit_epoch } => d(
                        "ExitAlreadyInitiated",
                        &[
                            ("index", Value::Index(index)),
                            ("exit_epoch", Value::Epoch(exit_epoch)),
                        ],
                    ),
                    ValidatorError::ExitNotYetValid { index, valid_from } => d(
                        "ExitNotYetValid",
                        &[
                            ("index", Value::Index(index)),
                            ("valid_from", Value::Epoch(valid_from)),
                        ],
                    ),
                    ValidatorError::TooYoungToExit {
                        index,
                        allowed_from,
                    } => d(
                        "TooYoungToExit",
                        &[
                            ("index", Value::Index(index)),
                            ("allowed_from", Value::Epoch(allowed_from)),
                        ],
                    ),
                    ValidatorError::PendingWithdrawals { index, amount } => d(
                        "PendingWithdrawals",
                        &[("index", Value::Index(index)), ("amount", n(amount))],
                    ),
                    ValidatorError::WrongFork { fork } => {
                        d("WrongFork", &[("fork", Count(fork as u32))])
                    }
                    ValidatorError::BelowMinDeposit { amount, min } => {
                        d("BelowMinDeposit", &[("amount", n(amount)), ("min", n(min))])
                    }
                    ValidatorError::ProposerSlotMismatch { slot_1, slot_2 } => d(
                        "ProposerSlotMismatch",
                        &[
                            ("slot_1", Value::Number(slot_1.0)),
                            ("slot_2", Value::Number(slot_2.0)),
                        ],
                    ),
                    ValidatorError::ProposerIndexMismatch { index_1, index_2 } => d(
                        "ProposerIndexMismatch",
                        &[
                            ("index_1", Value::Index(index_1)),
                            ("index_2", Value::Index(index_2)),
                        ],
                    ),
                    ValidatorError::IdenticalHeaders => d("IdenticalHeaders", &[]),
                    ValidatorError::NotSlashable {
                        index,
                        slashed,
                        activation_epoch,
                        withdrawable_epoch,
                    } => d(
                        "NotSlashable",
                        &[
                            ("index", Value::Index(index)),
                            ("slashed", Count(u32::from(slashed))),
                            ("activation_epoch", Value::Epoch(activation_epoch)),
                            ("withdrawable_epoch", Value::Epoch(withdrawable_epoch)),
                        ],
                    ),
                    ValidatorError::NotSlashableAttestations => d("NotSlashableAttestations", &[]),
                    ValidatorError::InvalidAttestingIndices { attestation } => d(
                        "InvalidAttestingIndices",
                        &[("attestation", Count(u32::from(attestation)))],
                    ),
                    ValidatorError::NoSlashableValidator => d("NoSlashableValidator", &[]),
                    ValidatorError::ParameterTooLarge {
                        parameter,
                        value,
                        max,
                    } => d(
                        "ParameterTooLarge",
                        &[
                            ("parameter", Count(parameter as u32)),
                            ("value", Value::Number(value)),
                            ("max", Value::Number(max)),
                        ],
                    ),
                    ValidatorError::SlashingsLength { length, expected } => d(
                        "SlashingsLength",
                        &[
                            ("length", Value::Number(length)),
                            ("expected", Value::Number(expected)),
                        ],
                    ),
                    ValidatorError::ListLength {
                        list,
                        length,
                        validators,
                    } => d(
                        "ListLength",
                        &[
                            ("list", Count(list as u32)),
                            ("length", Value::Number(length)),
                            ("validators", Value::Number(validators)),
                        ],
                    ),
                }
            }
            Self::Finality(e) => match e {
                FinalityError::PreviousTargetOverflow { balance } => d(
                    "PreviousTargetOverflow",
                    &[("balance", Value::Gwei(balance))],
                ),
                FinalityError::TotalActiveOverflow { balance } => {
                    d("TotalActiveOverflow", &[("balance", Value::Gwei(balance))])
                }
                FinalityError::CurrentTargetOverflow { balance } => d(
                    "CurrentTargetOverflow",
                    &[("balance", Value::Gwei(balance))],
                ),
                FinalityError::PreviousJustifiedEpochOverflow => {
                    d("PreviousJustifiedEpochOverflow", &[])
                }
                FinalityError::CurrentJustifiedEpochOverflow => {
                    d("CurrentJustifiedEpochOverflow", &[])
                }
                FinalityError::PreviousTargetSumOverflow => d("PreviousTargetSumOverflow", &[]),
                FinalityError::CurrentTargetSumOverflow => d("CurrentTargetSumOverflow", &[]),
                FinalityError::NoAttesters => d("NoAttesters", &[]),
                FinalityError::TargetEpochOutOfRange { target, current } => d(
                    "TargetEpochOutOfRange",
                    &[
                        ("target", Value::Epoch(target)),
                        ("current", Value::Epoch(current)),
                    ],
                ),
                FinalityError::TargetEpochMismatch { target, slot } => d(
                    "TargetEpochMismatch",
                    &[
                        ("target", Value::Epoch(target)),
                        ("slot", Value::Number(slot.0)),
                    ],
                ),
                FinalityError::InclusionOutsideEpoch {
                    inclusion_slot,
                    current,
                } => d(
                    "InclusionOutsideEpoch",
                    &[
                        ("inclusion_slot", Value::Number(inclusion_slot.0)),
                        ("current", Value::Epoch(current)),
                    ],
                ),
                FinalityError::InclusionTooEarly {
                    slot,
                    inclusion_slot,
                } => d(
                    "InclusionTooEarly",
                    &[
                        ("slot", Value::Number(slot.0)),
                        ("inclusion_slot", Value::Number(inclusion_slot.0)),
                    ],
                ),
                FinalityError::InclusionTooLate {
                    slot,
                    inclusion_slot,
                } => d(
                    "InclusionTooLate",
                    &[
                        ("slot", Value::Number(slot.0)),
                        ("inclusion_slot", Value::Number(inclusion_slot.0)),
                    ],
                ),
                FinalityError::WrongSource { expected, found } => d(
                    "WrongSource",
                    &[
                        ("expected", Value::Epoch(expected)),
                        ("found", Value::Epoch(found)),
                    ],
                ),
                FinalityError::AttesterNotActive { index, epoch } => d(
                    "AttesterNotActive",
                    &[
                        ("index", Value::Index(index)),
                        ("epoch", Value::Epoch(epoch)),
                    ],
                ),
            },
        }
    }
}

impl Error {
    /// The name and a one-line description of a stable code (`400` is `("BelowMinStake", "the
    /// stake is below the minimum")`), or `None` for a number that is no error's code: for
    /// callers that hold only the number (C's `sh_status_text`, logs). Unlike [`Error`]'s
    /// `Display`, it needs no value. Each name is the [`Error::name`] of the variant with that
    /// code (tested).
    pub fn describe_code(code: u16) -> Option<(&'static str, &'static str)> {
        Some(match code {
            100 => ("Overflow", "arithmetic overflow"),
            101 => ("Underflow", "arithmetic underflow"),
            102 => ("DecimalsTooLarge", "more decimals than supported"),
            103 => ("InvalidAmount", "not a valid decimal amount"),
            200 => ("Truncated", "the bytes end before the value does"),
            201 => ("TrailingBytes", "bytes are left over after the value"),
            202 => ("UnsupportedVersion", "the format version is not supported"),
            203 => ("Malformed", "the bytes are not a valid value"),
            204 => ("BufferTooSmall", "the output buffer is too small"),
            300 => ("NotCouncilMember", "an approver is not a council member"),
            301 => ("DuplicateApproval", "an approver appears twice"),
            302 => ("BelowThreshold", "fewer approvals than the council needs"),
            303 => ("MissingRequiredSigner", "a required member did not approve"),
            304 => ("EmptyCouncil", "a council needs at least one member"),
            305 => ("DuplicateMember", "a council member is listed twice"),
            306 => ("InvalidThreshold", "the threshold is out of range"),
            307 => ("TooManyMembers", "more council members than allowed"),
            308 => ("ThresholdBelowRequired", "fewer than the required members"),
            400 => ("BelowMinStake", "the stake is below the minimum"),
            401 => ("ZeroAmount", "the amount must not be zero"),
            402 => ("ExceedsStaked", "the amount exceeds the active stake"),
            403 => ("StillLocked", "the funds are still locked"),
            404 => ("NothingToWithdraw", "nothing is unlocking"),
            405 => ("TooManyUnlockChunks", "too many pending unlocks"),
            406 => ("ExceedsUnlocking", "the amount exceeds the pending unlocks"),
            407 => ("NothingToSlash", "the account holds nothing to slash"),
            408 => ("ZeroMinStake", "the minimum stake must be at least 1"),
            409 => ("InvalidChunkLimit", "the chunk limit is out of range"),
            410 => ("UnlockPeriodTooLong", "the unlock period is too long"),
            500 => ("UnsortedAccounts", "accounts out of order or repeated"),
            501 => ("EmptyAccount", "an account holds nothing"),
            502 => ("TotalsMismatch", "the totals do not match the accounts"),
            503 => (
                "ChainMessage",
                "a proof-of-stake message needs the ledger's chain",
            ),
            504 => ("ChainMismatch", "the chain records do not agree"),
            600 => ("InvalidAddress", "not an address (0x and 40 hex digits)"),
            601 => (
                "InvalidArgument",
                "a missing, mistyped or out-of-range argument",
            ),
            602 => ("NullPointer", "a pointer argument is NULL"),
            603 => ("NoSuchItem", "the summary has no item at this index"),
            604 => ("NoSuchPage", "the value has no page at this index"),
            700 => ("ZeroParameter", "a preset divisor or count is zero"),
            701 => (
                "NotMultipleOfIncrement",
                "a preset balance is not a multiple of the increment",
            ),
            702 => (
                "EjectionNotBelowMax",
                "the ejection balance is not below the maximum",
            ),
            703 => (
                "ActivationAboveMax",
                "the activation balance is above the maximum",
            ),
            704 => (
                "ChurnBelowIncrement",
                "a balance churn limit is below the increment",
            ),
            705 => ("ParameterOverflow", "a preset threshold overflows"),
            706 => (
                "WeightsMismatch",
                "the participation weights do not sum to the denominator",
            ),
            707 => (
                "TooManyPendingDepositsPerEpoch",
                "more pending deposits per epoch than supported",
            ),
            708 => ("UnknownValidator", "no validator has this index"),
            709 => ("LengthMismatch", "validators and balances differ in number"),
            710 => ("BalanceOverflow", "the deposit overflows the balance"),
            711 => ("NotActive", "the validator is not active"),
            712 => ("ExitAlreadyInitiated", "the validator is already exiting"),
            713 => ("ExitNotYetValid", "the exit is not valid yet"),
            714 => (
                "TooYoungToExit",
                "the validator has not been active long enough to exit",
            ),
            715 => ("PendingWithdrawals", "partial withdrawals are pending"),
            716 => ("WrongFork", "not a rule of the preset's fork"),
            717 => ("BelowMinDeposit", "the deposit is below the minimum"),
            718 => (
                "ProposerSlotMismatch",
                "the headers are for different slots",
            ),
            719 => (
                "ProposerIndexMismatch",
                "the headers name different proposers",
            ),
            720 => ("IdenticalHeaders", "the two headers are the same"),
            721 => ("NotSlashable", "the validator is not slashable"),
            722 => (
                "NotSlashableAttestations",
                "the attestations are neither a double nor a surround vote",
            ),
            723 => (
                "InvalidAttestingIndices",
                "attesting indices must be non-empty, sorted and unique",
            ),
            724 => (
                "NoSlashableValidator",
                "no validator in both attestations is slashable",
            ),
            725 => (
                "SlashingsLength",
                "the slashings vector has the wrong length",
            ),
            726 => (
                "ParameterTooLarge",
                "a preset constant is above what is supported",
            ),
            727 => (
                "ListLength",
                "a per-validator list does not match the validators",
            ),
            800 => (
                "PreviousTargetOverflow",
                "the previous epoch's target balance times 3 overflows",
            ),
            801 => (
                "TotalActiveOverflow",
                "the total active balance times 2 overflows",
            ),
            802 => (
                "CurrentTargetOverflow",
                "the current epoch's target balance times 3 overflows",
            ),
            803 => (
                "PreviousJustifiedEpochOverflow",
                "the previous justified epoch overflows",
            ),
            804 => (
                "CurrentJustifiedEpochOverflow",
                "the current justified epoch overflows",
            ),
            805 => (
                "PreviousTargetSumOverflow",
                "the previous epoch's target balances overflow",
            ),
            806 => (
                "CurrentTargetSumOverflow",
                "the current epoch's target balances overflow",
            ),
            808 => ("NoAttesters", "the attestation names no validator"),
            809 => (
                "TargetEpochOutOfRange",
                "the target epoch is neither the current nor the previous",
            ),
            810 => (
                "TargetEpochMismatch",
                "the target epoch is not the attestation slot's epoch",
            ),
            811 => (
                "InclusionOutsideEpoch",
                "the including block is not in the current epoch",
            ),
            812 => ("InclusionTooEarly", "the attestation is included too early"),
            813 => ("InclusionTooLate", "the attestation is included too late"),
            814 => ("WrongSource", "the source is not the justified checkpoint"),
            815 => (
                "AttesterNotActive",
                "an attester is not active at the target epoch",
            ),
            _ => return None,
        })
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
            Self::Input(e) => e.fmt(f),
            Self::Validator(e) => e.fmt(f),
            Self::Finality(e) => e.fmt(f),
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
    InputError => Input,
    ValidatorError => Validator,
    FinalityError => Finality,
);

/// A bounded collection that is full where the code had checked there was room: reported as an
/// overflow rather than a panic.
impl From<CapacityError> for Error {
    fn from(_: CapacityError) -> Self {
        Self::Num(NumError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use primitive_types::U256;

    use super::*;
    use crate::ids::Timestamp;
    use crate::ids::{Epoch, Slot, ValidatorIndex};
    use crate::validator::{Fork, PresetParameter};

    /// One value of every variant.
    fn every_variant() -> [Error; 82] {
        let a = AccountId([1; 20]);
        let u = U256::one();
        [
            NumError::Overflow.into(),
            NumError::Underflow.into(),
            NumError::DecimalsTooLarge { decimals: 99 }.into(),
            NumError::InvalidAmount.into(),
            WireError::Truncated.into(),
            WireError::TrailingBytes { extra: 1 }.into(),
            WireError::UnsupportedVersion {
                found: 2,
                supported: 1,
            }
            .into(),
            WireError::Malformed.into(),
            WireError::BufferTooSmall { needed: 9 }.into(),
            GovernanceError::NotCouncilMember { account: a }.into(),
            GovernanceError::DuplicateApproval { account: a }.into(),
            GovernanceError::BelowThreshold {
                approvals: 1,
                threshold: 2,
            }
            .into(),
            GovernanceError::MissingRequiredSigner { account: a }.into(),
            GovernanceError::EmptyCouncil.into(),
            GovernanceError::DuplicateMember { account: a }.into(),
            GovernanceError::InvalidThreshold {
                threshold: 0,
                members: 1,
            }
            .into(),
            GovernanceError::TooManyMembers { max: 16 }.into(),
            GovernanceError::ThresholdBelowRequired {
                threshold: 1,
                required: 2,
            }
            .into(),
            StakeError::BelowMinStake { amount: u, min: u }.into(),
            StakeError::ZeroAmount.into(),
            StakeError::ExceedsStaked {
                requested: u,
                staked: u,
            }
            .into(),
            StakeError::StillLocked {
                unlock_time: Timestamp(1),
            }
            .into(),
            StakeError::NothingToWithdraw.into(),
            StakeError::TooManyUnlockChunks { max: 8 }.into(),
            StakeError::ExceedsUnlocking {
                requested: u,
                unlocking: u,
            }
            .into(),
            StakeError::NothingToSlash { account: a }.into(),
            StakeError::ZeroMinStake.into(),
            StakeError::InvalidChunkLimit { max: 0, limit: 8 }.into(),
            StakeError::UnlockPeriodTooLong { period: 1, max: 0 }.into(),
            StateError::UnsortedAccounts { account: a }.into(),
            StateError::EmptyAccount { account: a }.into(),
            StateError::TotalsMismatch.into(),
            StateError::ChainMessage.into(),
            StateError::ChainMismatch.into(),
            Error::Input(InputError::InvalidAddress),
            Error::Input(InputError::InvalidArgument),
            Error::Input(InputError::NullPointer),
            Error::Input(InputError::NoSuchItem),
            Error::Input(InputError::NoSuchPage),
            ValidatorError::ZeroParameter {
                parameter: PresetParameter::SlotsPerEpoch,
            }
            .into(),
            ValidatorError::NotMultipleOfIncrement {
                parameter: PresetParameter::MaxEffectiveBalance,
                value: 3,
                increment: 2,
            }
            .into(),
            ValidatorError::EjectionNotBelowMax {
                ejection: 2,
                max: 1,
            }
            .into(),
            ValidatorError::ActivationAboveMax {
                min_activation: 2,
                max: 1,
            }
            .into(),
            ValidatorError::ChurnBelowIncrement {
                parameter: PresetParameter::MinPerEpochChurnLimitElectra,
                value: 1,
                increment: 2,
            }
            .into(),
            ValidatorError::ParameterOverflow {
                parameter: PresetParameter::HysteresisUpwardMultiplier,
            }
            .into(),
            ValidatorError::WeightsMismatch {
                sum: 1,
                denominator: 2,
            }
            .into(),
            ValidatorError::TooManyPendingDepositsPerEpoch { value: 17, max: 16 }.into(),
            ValidatorError::UnknownValidator {
                index: ValidatorIndex(1),
                count: 1,
            }
            .into(),
            ValidatorError::LengthMismatch {
                validators: 1,
                balances: 2,
            }
            .into(),
            ValidatorError::BalanceOverflow {
                index: ValidatorIndex(1),
                balance: 1,
                amount: 1,
            }
            .into(),
            ValidatorError::NotActive {
                index: ValidatorIndex(1),
                activation_epoch: Epoch(1),
                exit_epoch: Epoch(2),
            }
            .into(),
            ValidatorError::ExitAlreadyInitiated {
                index: ValidatorIndex(1),
                exit_epoch: Epoch(1),
            }
            .into(),
            ValidatorError::ExitNotYetValid {
                index: ValidatorIndex(1),
                valid_from: Epoch(1),
            }
            .into(),
            ValidatorError::TooYoungToExit {
                index: ValidatorIndex(1),
                allowed_from: Epoch(1),
            }
            .into(),
            ValidatorError::PendingWithdrawals {
                index: ValidatorIndex(1),
                amount: 1,
            }
            .into(),
            ValidatorError::WrongFork { fork: Fork::Phase0 }.into(),
            ValidatorError::BelowMinDeposit { amount: 1, min: 2 }.into(),
            ValidatorError::ProposerSlotMismatch {
                slot_1: Slot(1),
                slot_2: Slot(2),
            }
            .into(),
            ValidatorError::ProposerIndexMismatch {
                index_1: ValidatorIndex(1),
                index_2: ValidatorIndex(2),
            }
            .into(),
            ValidatorError::IdenticalHeaders.into(),
            ValidatorError::NotSlashable {
                index: ValidatorIndex(1),
                slashed: true,
                activation_epoch: Epoch(0),
                withdrawable_epoch: Epoch(8192),
            }
            .into(),
            ValidatorError::NotSlashableAttestations.into(),
            ValidatorError::InvalidAttestingIndices { attestation: 2 }.into(),
            ValidatorError::NoSlashableValidator.into(),
            ValidatorError::SlashingsLength {
                length: 1,
                expected: 8192,
            }
            .into(),
            ValidatorError::ParameterTooLarge {
                parameter: PresetParameter::EpochsPerSlashingsVector,
                value: 1 << 17,
                max: 1 << 16,
            }
            .into(),
            ValidatorError::ListLength {
                list: crate::validator::RegistryList::InactivityScores,
                length: 1,
                validators: 2,
            }
            .into(),
            FinalityError::PreviousTargetOverflow { balance: 1 }.into(),
            FinalityError::TotalActiveOverflow { balance: 1 }.into(),
            FinalityError::CurrentTargetOverflow { balance: 1 }.into(),
            FinalityError::PreviousJustifiedEpochOverflow.into(),
            FinalityError::CurrentJustifiedEpochOverflow.into(),
            FinalityError::PreviousTargetSumOverflow.into(),
            FinalityError::CurrentTargetSumOverflow.into(),
            FinalityError::NoAttesters.into(),
            FinalityError::TargetEpochOutOfRange {
                target: Epoch(5),
                current: Epoch(2),
            }
            .into(),
            FinalityError::TargetEpochMismatch {
                target: Epoch(5),
                slot: Slot(1),
            }
            .into(),
            FinalityError::InclusionOutsideEpoch {
                inclusion_slot: Slot(1),
                current: Epoch(2),
            }
            .into(),
            FinalityError::InclusionTooEarly {
                slot: Slot(1),
                inclusion_slot: Slot(1),
            }
            .into(),
            FinalityError::InclusionTooLate {
                slot: Slot(1),
                inclusion_slot: Slot(99),
            }
            .into(),
            FinalityError::WrongSource {
                expected: Epoch(3),
                found: Epoch(2),
            }
            .into(),
            FinalityError::AttesterNotActive {
                index: ValidatorIndex(1),
                epoch: Epoch(2),
            }
            .into(),
        ]
    }

    #[test]
    fn every_code_is_described_with_its_variant_name() {
        let all = every_variant();
        for e in &all {
            let (name, text) = Error::describe_code(e.code()).unwrap();
            assert_eq!(name, e.name(), "{e:?}");
            assert!(!text.is_empty());
        }
        let described = (0..=u16::MAX)
            .filter(|c| Error::describe_code(*c).is_some())
            .count();
        assert_eq!(described, all.len(), "a described code that no variant has");
        assert_eq!(
            Error::describe_code(400),
            Some(("BelowMinStake", "the stake is below the minimum"))
        );
        assert_eq!(Error::describe_code(0), None);
        assert_eq!(Error::describe_code(999), None);
    }
}
