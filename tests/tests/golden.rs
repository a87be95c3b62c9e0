//! Golden SCALE vectors: `tests/vectors/encoding.json` pins the bytes of every message, event,
//! error and record. JavaScript and C read the same file.
//!
//! Each entry is `{name, type, value, hex}` (errors add `code`): `value` is the Rust `Debug` of
//! the value and `hex` its SCALE bytes (`Msg` and `LedgerSnapshot` with their version byte).
//! Run with `STAKEHOLD_BLESS=1` to rewrite the file after an intended change.

use std::collections::{BTreeMap, BTreeSet};

use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use stakehold::error::{InputError, StateError};
use stakehold::finality::{Checkpoint, FinalityError, FinalityState, JustificationBits};
use stakehold::governance::{Council, CouncilMember, GovernanceError, MAX_COUNCIL};
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::msg::Attesters;
use stakehold::num::NumError;
use stakehold::stake::{
    MAX_UNLOCK_PERIOD, SlashReason, StakeAccount, StakeError, StakeParams, StakeTotals, StakeView,
    UnlockPolicy,
};
use stakehold::validator::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, DepositData, EpochState,
    FAR_FUTURE_EPOCH, Fork, IncludingBlock, IndexedAttestation, MAX_EPOCHS_PER_SLASHINGS_VECTOR,
    MAX_PENDING_DEPOSITS_PER_EPOCH_CAP, ParticipationFlags, Preset, PresetParameter,
    ProposerSlashing, RegistryList, SlashingIndices, Validator, ValidatorError, VoluntaryExit,
};
use stakehold::wire::{WireError, decode_exact};
use stakehold::{
    Context, Epoch, Error, Event, Globals, Ledger, Msg, Slot, Timestamp, U256, ValidatorIndex,
};
use stakehold_tests::{
    Clock, FULL_DEPOSIT, T0, acct, approvals, bless_or_check, btt, chain_genesis, council_2of3,
    decode_snapshot, deposit, from_hex, genesis, genesis_with_chain, to_hex,
};

const FILE: &str = "encoding.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Vector {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    value: String,
    hex: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
}

fn vector(name: &str, ty: &str, value: &impl std::fmt::Debug, bytes: &[u8]) -> Vector {
    Vector {
        name: name.into(),
        ty: ty.into(),
        value: format!("{value:?}"),
        hex: to_hex(bytes),
        code: None,
    }
}

// ---------------------------------------------------------------------------------------------
// The values. Exhaustive matches below make a new variant a compile error here until it gets a
// vector.

fn msg_variant(m: &Msg) -> &'static str {
    match m {
        Msg::UpdateCouncil { .. } => "UpdateCouncil",
        Msg::Stake { .. } => "Stake",
        Msg::Unstake { .. } => "Unstake",
        Msg::Withdraw => "Withdraw",
        Msg::Rebond { .. } => "Rebond",
        Msg::UpdateStakeParams { .. } => "UpdateStakeParams",
        Msg::Slash { .. } => "Slash",
        Msg::Deposit { .. } => "Deposit",
        Msg::VoluntaryExit { .. } => "VoluntaryExit",
        Msg::ProposerSlashing { .. } => "ProposerSlashing",
        Msg::AttesterSlashing { .. } => "AttesterSlashing",
        Msg::Attest { .. } => "Attest",
        Msg::ProcessEpoch { .. } => "ProcessEpoch",
    }
}
const MSG_VARIANTS: usize = 13;

fn event_variant(e: &Event) -> &'static str {
    match e {
        Event::CouncilUpdated { .. } => "CouncilUpdated",
        Event::Staked { .. } => "Staked",
        Event::Unstaked { .. } => "Unstaked",
        Event::Withdrawn { .. } => "Withdrawn",
        Event::Rebonded { .. } => "Rebonded",
        Event::ParametersUpdated { .. } => "ParametersUpdated",
        Event::Slashed { .. } => "Slashed",
        Event::ValidatorDeposited { .. } => "ValidatorDeposited",
        Event::DepositQueued { .. } => "DepositQueued",
        Event::ValidatorExiting { .. } => "ValidatorExiting",
        Event::ValidatorEjected { .. } => "ValidatorEjected",
        Event::ValidatorActivated { .. } => "ValidatorActivated",
        Event::ValidatorSlashed { .. } => "ValidatorSlashed",
        Event::CorrelationPenalty { .. } => "CorrelationPenalty",
        Event::Attested { .. } => "Attested",
        Event::EpochProcessed { .. } => "EpochProcessed",
        Event::Justified { .. } => "Justified",
        Event::Finalized { .. } => "Finalized",
    }
}
const EVENT_VARIANTS: usize = 18;

/// Module and position of an error variant. The matches are exhaustive, so a new variant does
/// not compile here until it is listed (and given a vector in [`errors`]).
fn error_variant(e: &Error) -> (&'static str, usize) {
    match e {
        Error::Num(e) => (
            "Num",
            match e {
                NumError::Overflow => 0,
                NumError::Underflow => 1,
                NumError::DecimalsTooLarge { .. } => 2,
                NumError::InvalidAmount => 3,
            },
        ),
        Error::Wire(e) => (
            "Wire",
            match e {
                WireError::Truncated => 0,
                WireError::TrailingBytes { .. } => 1,
                WireError::UnsupportedVersion { .. } => 2,
                WireError::Malformed => 3,
                WireError::BufferTooSmall { .. } => 4,
            },
        ),
        Error::Governance(e) => (
            "Governance",
            match e {
                GovernanceError::NotCouncilMember { .. } => 0,
                GovernanceError::DuplicateApproval { .. } => 1,
                GovernanceError::BelowThreshold { .. } => 2,
                GovernanceError::MissingRequiredSigner { .. } => 3,
                GovernanceError::EmptyCouncil => 4,
                GovernanceError::DuplicateMember { .. } => 5,
                GovernanceError::InvalidThreshold { .. } => 6,
                GovernanceError::TooManyMembers { .. } => 7,
                GovernanceError::ThresholdBelowRequired { .. } => 8,
            },
        ),
        Error::Stake(e) => (
            "Stake",
            match e {
                StakeError::BelowMinStake { .. } => 0,
                StakeError::ZeroAmount => 1,
                StakeError::ExceedsStaked { .. } => 2,
                StakeError::StillLocked { .. } => 3,
                StakeError::NothingToWithdraw => 4,
                StakeError::TooManyUnlockChunks { .. } => 5,
                StakeError::ExceedsUnlocking { .. } => 6,
                StakeError::NothingToSlash { .. } => 7,
                StakeError::ZeroMinStake => 8,
                StakeError::InvalidChunkLimit { .. } => 9,
                StakeError::UnlockPeriodTooLong { .. } => 10,
            },
        ),
        Error::State(e) => (
            "State",
            match e {
                StateError::UnsortedAccounts { .. } => 0,
                StateError::EmptyAccount { .. } => 1,
                StateError::TotalsMismatch => 2,
                StateError::ChainMessage => 3,
                StateError::ChainMismatch => 4,
            },
        ),
        Error::Input(e) => (
            "Input",
            match e {
                InputError::InvalidAddress => 0,
                InputError::InvalidArgument => 1,
                InputError::NullPointer => 2,
                InputError::NoSuchItem => 3,
                InputError::NoSuchPage => 4,
            },
        ),
        Error::Validator(e) => (
            "Validator",
            match e {
                ValidatorError::ZeroParameter { .. } => 0,
                ValidatorError::NotMultipleOfIncrement { .. } => 1,
                ValidatorError::EjectionNotBelowMax { .. } => 2,
                ValidatorError::ActivationAboveMax { .. } => 3,
                ValidatorError::ChurnBelowIncrement { .. } => 4,
                ValidatorError::ParameterOverflow { .. } => 5,
                ValidatorError::WeightsMismatch { .. } => 6,
                ValidatorError::TooManyPendingDepositsPerEpoch { .. } => 7,
                ValidatorError::UnknownValidator { .. } => 8,
                ValidatorError::LengthMismatch { .. } => 9,
                ValidatorError::BalanceOverflow { .. } => 10,
                ValidatorError::NotActive { .. } => 11,
                ValidatorError::ExitAlreadyInitiated { .. } => 12,
                ValidatorError::ExitNotYetValid { .. } => 13,
                ValidatorError::TooYoungToExit { .. } => 14,
                ValidatorError::PendingWithdrawals { .. } => 15,
                ValidatorError::WrongFork { .. } => 16,
                ValidatorError::BelowMinDeposit { .. } => 17,
                ValidatorError::ProposerSlotMismatch { .. } => 18,
                ValidatorError::ProposerIndexMismatch { .. } => 19,
                ValidatorError::IdenticalHeaders => 20,
                ValidatorError::NotSlashable { .. } => 21,
                ValidatorError::NotSlashableAttestations => 22,
                ValidatorError::InvalidAttestingIndices { .. } => 23,
                ValidatorError::NoSlashableValidator => 24,
                ValidatorError::SlashingsLength { .. } => 25,
                ValidatorError::ParameterTooLarge { .. } => 26,
                ValidatorError::ListLength { .. } => 27,
            },
        ),
        Error::Finality(e) => (
            "Finality",
            match e {
                FinalityError::PreviousTargetOverflow { .. } => 0,
                FinalityError::TotalActiveOverflow { .. } => 1,
                FinalityError::CurrentTargetOverflow { .. } => 2,
                FinalityError::PreviousJustifiedEpochOverflow => 3,
                FinalityError::CurrentJustifiedEpochOverflow => 4,
                FinalityError::PreviousTargetSumOverflow => 5,
                FinalityError::CurrentTargetSumOverflow => 6,
                FinalityError::NoAttesters => 8,
                FinalityError::TargetEpochOutOfRange { .. } => 9,
                FinalityError::TargetEpochMismatch { .. } => 10,
                FinalityError::InclusionOutsideEpoch { .. } => 11,
                FinalityError::InclusionTooEarly { .. } => 12,
                FinalityError::InclusionTooLate { .. } => 13,
                FinalityError::WrongSource { .. } => 14,
                FinalityError::AttesterNotActive { .. } => 15,
            },
        ),
    }
}

/// How many variants each module error has (the arms of [`error_variant`]).
const ERROR_VARIANTS: [(&str, usize); 8] = [
    ("Num", 4),
    ("Wire", 5),
    ("Governance", 9),
    ("Stake", 11),
    ("State", 5),
    ("Input", 5),
    ("Validator", 28),
    ("Finality", 16),
];

/// Variant indices no longer in use (their codes are never given again): 807 `UnsortedVotes`,
/// which went with the vote tally when participation flags replaced it.
const RETIRED: [(&str, usize); 1] = [("Finality", 7)];

fn sixteen_members() -> Council {
    let members: Vec<CouncilMember> = (0..MAX_COUNCIL as u8)
        .map(|i| CouncilMember::member(acct(0xe0 + i)))
        .collect();
    Council::new(&members, 16).unwrap()
}

fn chunked_params() -> StakeParams {
    StakeParams {
        unlock_period: 3_600,
        min_stake: U256::from(1_000u32),
        unlock_policy: UnlockPolicy::Chunked { max: 4 },
    }
}

fn messages() -> Vec<(&'static str, Msg)> {
    let all16: Vec<u8> = (0..16u8).map(|i| 0xe0 + i).collect();
    vec![
        (
            "update_council_to_single",
            Msg::UpdateCouncil {
                council: Council::single(acct(0xd1)),
                approvals: approvals(&[0xc1, 0xc2]),
            },
        ),
        (
            "update_council_to_16_of_16",
            Msg::UpdateCouncil {
                council: sixteen_members(),
                approvals: approvals(&[0xc1, 0xc3, 0xc2]),
            },
        ),
        ("stake_one_btt", Msg::Stake { amount: btt(1) }),
        ("stake_zero", Msg::Stake { amount: 0.into() }),
        ("stake_max", Msg::Stake { amount: U256::MAX }),
        ("unstake_half_btt", Msg::Unstake { amount: btt(1) / 2 }),
        ("withdraw", Msg::Withdraw),
        ("rebond_one_wei", Msg::Rebond { amount: 1.into() }),
        (
            "update_params_btfs",
            Msg::UpdateStakeParams {
                params: StakeParams::btfs(),
                approvals: approvals(&[0xc1, 0xc2]),
            },
        ),
        (
            "update_params_chunked",
            Msg::UpdateStakeParams {
                params: chunked_params(),
                approvals: approvals(&[0xc2, 0xc1]),
            },
        ),
        (
            "slash_lost_data",
            Msg::Slash {
                account: acct(1),
                amount: btt(5),
                reason: SlashReason::LostData,
                approvals: approvals(&[0xc1, 0xc2]),
            },
        ),
        (
            "slash_other_16_approvals",
            Msg::Slash {
                account: acct(2),
                amount: U256::MAX,
                reason: SlashReason::Other { code: 0xdead_beef },
                approvals: approvals(&all16),
            },
        ),
        (
            "slash_no_approvals",
            Msg::Slash {
                account: acct(3),
                amount: 1.into(),
                reason: SlashReason::Other { code: 0 },
                approvals: approvals(&[]),
            },
        ),
    ]
}

fn events() -> Vec<(&'static str, Event)> {
    let release = Timestamp(T0 + 7 * 24 * 3600);
    vec![
        (
            "council_updated",
            Event::CouncilUpdated {
                members: 3,
                required: 1,
                threshold: 2,
            },
        ),
        (
            "staked",
            Event::Staked {
                account: acct(1),
                amount: btt(1),
            },
        ),
        (
            "unstaked",
            Event::Unstaked {
                account: acct(1),
                amount: btt(1) / 2,
                unlock_time: release,
            },
        ),
        (
            "withdrawn",
            Event::Withdrawn {
                account: acct(1),
                amount: U256::MAX,
            },
        ),
        (
            "rebonded",
            Event::Rebonded {
                account: acct(2),
                amount: 1.into(),
            },
        ),
        (
            "parameters_updated_merged",
            Event::ParametersUpdated {
                unlock_period: 604_800,
                min_stake: btt(1),
                unlock_policy: UnlockPolicy::Merged,
            },
        ),
        (
            "parameters_updated_chunked",
            Event::ParametersUpdated {
                unlock_period: u64::MAX,
                min_stake: 1.into(),
                unlock_policy: UnlockPolicy::Chunked { max: 8 },
            },
        ),
        (
            "slashed_lost_data",
            Event::Slashed {
                account: acct(3),
                reason: SlashReason::LostData,
                requested: btt(10),
                from_staked: btt(4),
                from_unlocking: btt(1),
            },
        ),
        (
            "slashed_other",
            Event::Slashed {
                account: acct(3),
                reason: SlashReason::Other { code: 42 },
                requested: 1.into(),
                from_staked: 1.into(),
                from_unlocking: 0.into(),
            },
        ),
    ]
}

fn errors() -> Vec<Error> {
    let a = acct(9);
    let mut out: Vec<Error> = vec![
        NumError::Overflow.into(),
        NumError::Underflow.into(),
        NumError::DecimalsTooLarge { decimals: 78 }.into(),
        NumError::InvalidAmount.into(),
        WireError::Truncated.into(),
        WireError::TrailingBytes { extra: 3 }.into(),
        WireError::UnsupportedVersion {
            found: 2,
            supported: 1,
        }
        .into(),
        WireError::Malformed.into(),
        WireError::BufferTooSmall { needed: 1_000 }.into(),
        GovernanceError::NotCouncilMember { account: a }.into(),
        GovernanceError::DuplicateApproval {
            account: acct(0xc1),
        }
        .into(),
        GovernanceError::BelowThreshold {
            approvals: 1,
            threshold: 2,
        }
        .into(),
        GovernanceError::MissingRequiredSigner {
            account: acct(0xc1),
        }
        .into(),
        GovernanceError::EmptyCouncil.into(),
        GovernanceError::DuplicateMember {
            account: acct(0xc2),
        }
        .into(),
        GovernanceError::InvalidThreshold {
            threshold: 4,
            members: 3,
        }
        .into(),
        GovernanceError::TooManyMembers { max: 16 }.into(),
        GovernanceError::ThresholdBelowRequired {
            threshold: 1,
            required: 2,
        }
        .into(),
        StakeError::BelowMinStake {
            amount: btt(1) - 1,
            min: btt(1),
        }
        .into(),
        StakeError::ZeroAmount.into(),
        StakeError::ExceedsStaked {
            requested: btt(2),
            staked: btt(1),
        }
        .into(),
        StakeError::StillLocked {
            unlock_time: Timestamp(T0 + 604_800),
        }
        .into(),
        StakeError::NothingToWithdraw.into(),
        StakeError::TooManyUnlockChunks { max: 8 }.into(),
        StakeError::ExceedsUnlocking {
            requested: 2.into(),
            unlocking: 1.into(),
        }
        .into(),
        StakeError::NothingToSlash { account: a }.into(),
        StakeError::ZeroMinStake.into(),
        StakeError::InvalidChunkLimit { max: 9, limit: 8 }.into(),
        StakeError::UnlockPeriodTooLong {
            period: u64::MAX,
            max: MAX_UNLOCK_PERIOD,
        }
        .into(),
        StateError::UnsortedAccounts { account: a }.into(),
        StateError::EmptyAccount { account: a }.into(),
        StateError::TotalsMismatch.into(),
        StateError::ChainMessage.into(),
        StateError::ChainMismatch.into(),
        InputError::InvalidAddress.into(),
        InputError::InvalidArgument.into(),
        InputError::NullPointer.into(),
        InputError::NoSuchItem.into(),
        InputError::NoSuchPage.into(),
    ];
    out.extend(validator_errors());
    out.extend(finality_errors());
    out
}

/// One value of every [`ValidatorError`], with values a mainnet preset and registry would give
/// (amounts in Gwei).
fn validator_errors() -> Vec<Error> {
    let mainnet = Preset::phase0();
    let increment = mainnet.effective_balance_increment;
    let v = ValidatorIndex(21_063);
    vec![
        ValidatorError::ZeroParameter {
            parameter: PresetParameter::SlotsPerEpoch,
        }
        .into(),
        ValidatorError::NotMultipleOfIncrement {
            parameter: PresetParameter::MaxEffectiveBalance,
            value: 32_500_000_000,
            increment,
        }
        .into(),
        ValidatorError::EjectionNotBelowMax {
            ejection: mainnet.max_effective_balance,
            max: mainnet.max_effective_balance,
        }
        .into(),
        ValidatorError::ActivationAboveMax {
            min_activation: 4_096_000_000_000,
            max: mainnet.max_effective_balance_electra,
        }
        .into(),
        ValidatorError::ChurnBelowIncrement {
            parameter: PresetParameter::MinPerEpochChurnLimitElectra,
            value: 500_000_000,
            increment,
        }
        .into(),
        ValidatorError::ParameterOverflow {
            parameter: PresetParameter::HysteresisUpwardMultiplier,
        }
        .into(),
        ValidatorError::WeightsMismatch {
            sum: 63,
            denominator: mainnet.weight_denominator,
        }
        .into(),
        ValidatorError::TooManyPendingDepositsPerEpoch {
            value: 17,
            max: MAX_PENDING_DEPOSITS_PER_EPOCH_CAP as u64,
        }
        .into(),
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(1_000_000),
            count: 1_000_000,
        }
        .into(),
        ValidatorError::LengthMismatch {
            validators: 1_000_000,
            balances: 999_999,
        }
        .into(),
        ValidatorError::BalanceOverflow {
            index: v,
            balance: u64::MAX - 1_000_000_000,
            amount: mainnet.max_effective_balance,
        }
        .into(),
        ValidatorError::NotActive {
            index: v,
            activation_epoch: FAR_FUTURE_EPOCH,
            exit_epoch: FAR_FUTURE_EPOCH,
        }
        .into(),
        ValidatorError::ExitAlreadyInitiated {
            index: v,
            exit_epoch: Epoch(194_053),
        }
        .into(),
        ValidatorError::ExitNotYetValid {
            index: v,
            valid_from: Epoch(194_100),
        }
        .into(),
        ValidatorError::TooYoungToExit {
            index: v,
            // Activated at epoch 194_000, plus `SHARD_COMMITTEE_PERIOD`.
            allowed_from: Epoch(194_000 + mainnet.shard_committee_period),
        }
        .into(),
        ValidatorError::PendingWithdrawals {
            index: v,
            amount: 1_500_000_000,
        }
        .into(),
        ValidatorError::WrongFork { fork: Fork::Deneb }.into(),
        ValidatorError::BelowMinDeposit {
            amount: mainnet.min_deposit_amount - 1,
            min: mainnet.min_deposit_amount,
        }
        .into(),
        ValidatorError::ProposerSlotMismatch {
            slot_1: Slot(100),
            slot_2: Slot(101),
        }
        .into(),
        ValidatorError::ProposerIndexMismatch {
            index_1: v,
            index_2: ValidatorIndex(u64::MAX),
        }
        .into(),
        ValidatorError::IdenticalHeaders.into(),
        ValidatorError::NotSlashable {
            index: v,
            slashed: true,
            activation_epoch: Epoch(0),
            withdrawable_epoch: Epoch(8195),
        }
        .into(),
        ValidatorError::NotSlashableAttestations.into(),
        ValidatorError::InvalidAttestingIndices { attestation: 2 }.into(),
        ValidatorError::NoSlashableValidator.into(),
        ValidatorError::SlashingsLength {
            length: 8191,
            expected: mainnet.epochs_per_slashings_vector,
        }
        .into(),
        ValidatorError::ParameterTooLarge {
            parameter: PresetParameter::EpochsPerSlashingsVector,
            value: u64::MAX,
            max: MAX_EPOCHS_PER_SLASHINGS_VECTOR,
        }
        .into(),
        ValidatorError::ListLength {
            list: RegistryList::CurrentEpochParticipation,
            length: 3,
            validators: 4,
        }
        .into(),
    ]
}

/// One value of every [`FinalityError`]: the smallest balances that overflow.
fn finality_errors() -> Vec<Error> {
    vec![
        FinalityError::PreviousTargetOverflow {
            balance: u64::MAX / 3 + 1,
        }
        .into(),
        FinalityError::TotalActiveOverflow {
            balance: u64::MAX / 2 + 1,
        }
        .into(),
        FinalityError::CurrentTargetOverflow {
            balance: u64::MAX / 3 + 1,
        }
        .into(),
        FinalityError::PreviousJustifiedEpochOverflow.into(),
        FinalityError::CurrentJustifiedEpochOverflow.into(),
        FinalityError::PreviousTargetSumOverflow.into(),
        FinalityError::CurrentTargetSumOverflow.into(),
        FinalityError::NoAttesters.into(),
        FinalityError::TargetEpochOutOfRange {
            target: Epoch(9),
            current: Epoch(7),
        }
        .into(),
        FinalityError::TargetEpochMismatch {
            target: Epoch(7),
            slot: Slot(7 * 32 - 1),
        }
        .into(),
        FinalityError::InclusionOutsideEpoch {
            inclusion_slot: Slot(8 * 32),
            current: Epoch(7),
        }
        .into(),
        FinalityError::InclusionTooEarly {
            slot: Slot(7 * 32),
            inclusion_slot: Slot(7 * 32),
        }
        .into(),
        FinalityError::InclusionTooLate {
            slot: Slot(6 * 32),
            inclusion_slot: Slot(7 * 32 + 1),
        }
        .into(),
        FinalityError::WrongSource {
            expected: Epoch(6),
            found: Epoch(0),
        }
        .into(),
        FinalityError::AttesterNotActive {
            index: ValidatorIndex(9),
            epoch: Epoch(7),
        }
        .into(),
    ]
}

/// A block root of the chain in these vectors.
fn root(byte: u8) -> [u8; 32] {
    [byte; 32]
}

fn checkpoint(epoch: u64, byte: u8) -> Checkpoint {
    Checkpoint {
        epoch: Epoch(epoch),
        root: root(byte),
    }
}

fn header(body: u8) -> BeaconBlockHeader {
    BeaconBlockHeader {
        slot: Slot(133),
        proposer_index: ValidatorIndex(5),
        parent_root: root(0x0a),
        state_root: root(0x0b),
        body_root: root(body),
    }
}

fn indexed(
    indices: &[u64],
    head: u8,
    source: Checkpoint,
    target: Checkpoint,
) -> IndexedAttestation {
    IndexedAttestation {
        attesting_indices: indices
            .iter()
            .map(|&i| ValidatorIndex(i))
            .collect::<SlashingIndices>(),
        data: AttestationData {
            slot: Slot(target.epoch.0 * 32 + 1),
            index: 0,
            beacon_block_root: root(head),
            source,
            target,
        },
    }
}

fn chain_messages() -> Vec<(&'static str, Msg)> {
    let full: Vec<ValidatorIndex> = (0..64).map(ValidatorIndex).collect();
    let full16: Vec<u64> = (100..116).collect();
    vec![
        (
            "deposit_full",
            Msg::Deposit {
                deposit: deposit(1, FULL_DEPOSIT),
            },
        ),
        (
            "deposit_max",
            Msg::Deposit {
                deposit: DepositData {
                    amount: u64::MAX,
                    ..deposit(0xff, 0)
                },
            },
        ),
        (
            "voluntary_exit",
            Msg::VoluntaryExit {
                exit: VoluntaryExit {
                    epoch: Epoch(256),
                    validator_index: ValidatorIndex(3),
                },
            },
        ),
        (
            "attest_three",
            Msg::Attest {
                data: indexed(&[], 0x3a, checkpoint(2, 0x22), checkpoint(3, 0x33)).data,
                validators: Attesters::from_slice(&[
                    ValidatorIndex(0),
                    ValidatorIndex(2),
                    ValidatorIndex(1),
                ])
                .unwrap(),
                block: IncludingBlock {
                    slot: Slot(3 * 32 + 2),
                    proposer: ValidatorIndex(1),
                    target_root: root(0x33),
                    head_root: root(0x3a),
                },
            },
        ),
        (
            "attest_64",
            Msg::Attest {
                data: AttestationData {
                    slot: Slot(u64::MAX),
                    index: u64::MAX,
                    beacon_block_root: root(0xff),
                    source: Checkpoint::GENESIS,
                    target: checkpoint(u64::MAX, 0xff),
                },
                validators: Attesters::from_slice(&full).unwrap(),
                block: IncludingBlock {
                    slot: Slot(u64::MAX),
                    proposer: ValidatorIndex(u64::MAX),
                    target_root: root(0xff),
                    head_root: root(0xee),
                },
            },
        ),
        (
            "proposer_slashing",
            Msg::ProposerSlashing {
                proposer: ValidatorIndex(0),
                evidence: ProposerSlashing {
                    header_1: header(0x51),
                    header_2: header(0x52),
                },
            },
        ),
        (
            "attester_slashing_double_vote",
            Msg::AttesterSlashing {
                proposer: ValidatorIndex(1),
                evidence: AttesterSlashing {
                    attestation_1: indexed(
                        &[2, 5, 6],
                        0xa1,
                        checkpoint(2, 0x22),
                        checkpoint(3, 0x33),
                    ),
                    attestation_2: indexed(
                        &[2, 5, 6],
                        0xa2,
                        checkpoint(2, 0x22),
                        checkpoint(3, 0x33),
                    ),
                },
            },
        ),
        (
            "attester_slashing_16_surround",
            Msg::AttesterSlashing {
                proposer: ValidatorIndex(u64::MAX),
                evidence: AttesterSlashing {
                    attestation_1: indexed(&full16, 0xa1, checkpoint(1, 0x11), checkpoint(9, 0x99)),
                    attestation_2: indexed(&full16, 0xa1, checkpoint(2, 0x22), checkpoint(8, 0x88)),
                },
            },
        ),
        (
            "process_epoch",
            Msg::ProcessEpoch {
                previous_epoch_root: root(0x22),
                current_epoch_root: root(0x33),
            },
        ),
    ]
}

fn chain_events() -> Vec<(&'static str, Event)> {
    let v = ValidatorIndex(4);
    vec![
        (
            "validator_deposited",
            Event::ValidatorDeposited {
                index: v,
                amount: FULL_DEPOSIT / 2,
                balance: FULL_DEPOSIT,
            },
        ),
        (
            "deposit_queued",
            Event::DepositQueued {
                index: v,
                amount: u64::MAX,
            },
        ),
        (
            "validator_exiting",
            Event::ValidatorExiting {
                index: v,
                exit_epoch: Epoch(261),
                withdrawable_epoch: Epoch(517),
            },
        ),
        (
            "validator_ejected",
            Event::ValidatorEjected {
                index: v,
                exit_epoch: Epoch(12),
                withdrawable_epoch: Epoch(268),
            },
        ),
        (
            "validator_activated",
            Event::ValidatorActivated {
                index: v,
                epoch: Epoch(8),
            },
        ),
        (
            "validator_slashed",
            Event::ValidatorSlashed {
                index: ValidatorIndex(5),
                penalty: 1_000_000_000,
                exit_epoch: Epoch(9),
                withdrawable_epoch: Epoch(8196),
                proposer: ValidatorIndex(0),
                reward: 1_953_125_000,
            },
        ),
        (
            "correlation_penalty",
            Event::CorrelationPenalty {
                index: ValidatorIndex(5),
                penalty: 999_000_000_000,
            },
        ),
        (
            "attested",
            Event::Attested {
                target_epoch: Epoch(3),
                attesters: 64,
                flags: ParticipationFlags::ALL,
                proposer_reward: 1_234_567,
            },
        ),
        (
            "epoch_processed",
            Event::EpochProcessed {
                epoch: Epoch(3),
                active_validators: 4,
                total_active_balance: 4 * FULL_DEPOSIT,
                previous_target_balance: 4 * FULL_DEPOSIT,
                current_target_balance: 3 * FULL_DEPOSIT,
                inactivity_leak: false,
                rewards: 41_000_000_000,
                penalties: 7_654_321,
            },
        ),
        (
            "epoch_processed_in_a_leak",
            Event::EpochProcessed {
                epoch: Epoch(u64::MAX - 1),
                active_validators: u64::MAX,
                total_active_balance: u64::MAX,
                previous_target_balance: 0,
                current_target_balance: 0,
                inactivity_leak: true,
                rewards: 0,
                penalties: u64::MAX,
            },
        ),
        (
            "justified",
            Event::Justified {
                epoch: Epoch(3),
                root: root(0x33),
            },
        ),
        (
            "finalized",
            Event::Finalized {
                epoch: Epoch(2),
                root: root(0x22),
            },
        ),
    ]
}

/// A seed chain of four validators that finalized epoch 2 and has votes waiting at epoch 4.
fn finalized_chain() -> Ledger {
    let mut ledger = genesis_with_chain(StakeParams::btfs(), 4);
    let ctx = Clock::default().ctx(acct(0x40));
    let all = Attesters::from_slice(&(0..4).map(ValidatorIndex).collect::<Vec<_>>()).unwrap();
    for epoch in 0..4u8 {
        let justified = ledger.chain().epoch_state().finality.current_justified;
        let start = u64::from(epoch) * 32;
        let attest = Msg::Attest {
            data: AttestationData {
                slot: Slot(start),
                index: 0,
                beacon_block_root: root(0xa0 + epoch),
                source: justified,
                target: checkpoint(epoch.into(), epoch),
            },
            validators: all.clone(),
            block: IncludingBlock {
                slot: Slot(start + 1),
                proposer: ValidatorIndex(u64::from(epoch)),
                target_root: root(epoch),
                head_root: root(0xa0 + epoch),
            },
        };
        ledger.apply(&ctx, &attest).unwrap();
        let end = Msg::ProcessEpoch {
            previous_epoch_root: root(epoch.saturating_sub(1)),
            current_epoch_root: root(epoch),
        };
        ledger.apply(&ctx, &end).unwrap();
    }
    assert_eq!(
        ledger.chain().epoch_state().finality.finalized.epoch,
        Epoch(2)
    );
    ledger
}

/// [`finalized_chain`] after validator 3 was slashed at epoch 4 (the slashings vector holds
/// its 1000 coins at position 4).
fn slashed_chain() -> Ledger {
    let mut ledger = finalized_chain();
    let ctx = Clock::default().ctx(acct(0x40));
    let evidence = ProposerSlashing {
        header_1: BeaconBlockHeader {
            proposer_index: ValidatorIndex(3),
            ..header(0x51)
        },
        header_2: BeaconBlockHeader {
            proposer_index: ValidatorIndex(3),
            ..header(0x52)
        },
    };
    let msg = Msg::ProposerSlashing {
        proposer: ValidatorIndex(0),
        evidence,
    };
    ledger.apply(&ctx, &msg).unwrap();
    assert_eq!(ledger.chain().slashings()[4], FULL_DEPOSIT);
    ledger
}

/// A chunked-policy ledger with three accounts: one staked only, one with two pending chunks,
/// one slashed into its unlocks.
fn busy_ledger() -> Ledger {
    let mut ledger = genesis(chunked_params());
    let mut clock = Clock::default();
    let ok = |l: &mut Ledger, c: &Clock, who: u8, m: Msg| {
        l.apply(&c.ctx(acct(who)), &m).unwrap();
    };
    ok(&mut ledger, &clock, 3, Msg::Stake { amount: btt(3) });
    ok(&mut ledger, &clock, 1, Msg::Stake { amount: btt(10) });
    ok(
        &mut ledger,
        &clock,
        2,
        Msg::Stake {
            amount: 5_000.into(),
        },
    );
    ok(&mut ledger, &clock, 1, Msg::Unstake { amount: btt(1) });
    clock.advance(60);
    ok(&mut ledger, &clock, 1, Msg::Unstake { amount: btt(2) });
    ok(
        &mut ledger,
        &clock,
        2,
        Msg::Unstake {
            amount: 5_000.into(),
        },
    );
    let slash = Msg::Slash {
        account: acct(2),
        amount: 1_234.into(),
        reason: SlashReason::LostData,
        approvals: approvals(&[0xc1, 0xc3]),
    };
    ok(&mut ledger, &clock, 0xc1, slash);
    ledger
}

fn all_vectors() -> Vec<Vector> {
    let mut out = Vec::new();
    for (name, m) in messages().into_iter().chain(chain_messages()) {
        let name = format!("Msg::{}/{name}", msg_variant(&m));
        out.push(vector(&name, "Msg", &m, &m.to_bytes()));
    }
    for (name, e) in events().into_iter().chain(chain_events()) {
        let name = format!("Event::{}/{name}", event_variant(&e));
        out.push(vector(&name, "Event", &e, &e.encode()));
    }
    for e in errors() {
        let mut v = vector(&format!("Error::{}", e.name()), "Error", &e, &e.encode());
        v.code = Some(e.code());
        out.push(v);
    }
    let params = [
        ("btfs_merged", StakeParams::btfs()),
        ("chunked", chunked_params()),
    ];
    for (name, p) in params {
        out.push(vector(
            &format!("StakeParams/{name}"),
            "StakeParams",
            &p,
            &p.encode(),
        ));
    }

    let busy = busy_ledger();
    let mut merged = genesis(StakeParams::btfs());
    let clock = Clock::default();
    merged
        .apply(&clock.ctx(acct(1)), &Msg::Stake { amount: btt(2) })
        .unwrap();
    merged
        .apply(&clock.ctx(acct(1)), &Msg::Unstake { amount: btt(1) })
        .unwrap();
    let accounts = [
        ("empty", StakeAccount::EMPTY),
        ("staked_only", busy.account(&acct(3)).clone()),
        ("merged_one_chunk", merged.account(&acct(1)).clone()),
        ("chunked_two_chunks", busy.account(&acct(1)).clone()),
        ("chunks_only", busy.account(&acct(2)).clone()),
    ];
    assert_eq!(accounts[3].1.chunks().len(), 2);
    assert!(accounts[4].1.staked().is_zero());
    for (name, a) in &accounts {
        out.push(vector(
            &format!("StakeAccount/{name}"),
            "StakeAccount",
            a,
            &a.encode(),
        ));
    }
    let views = [
        (
            "nothing_pending",
            busy.account(&acct(3)).view(Timestamp(T0)),
        ),
        (
            "first_chunk_matured",
            busy.account(&acct(1)).view(Timestamp(T0 + 3_600)),
        ),
    ];
    for (name, v) in views {
        out.push(vector(
            &format!("StakeView/{name}"),
            "StakeView",
            &v,
            &v.encode(),
        ));
    }
    for (name, t) in [
        ("zero", StakeTotals::default()),
        ("busy", *busy.totals()),
        ("merged", *merged.totals()),
    ] {
        out.push(vector(
            &format!("StakeTotals/{name}"),
            "StakeTotals",
            &t,
            &t.encode(),
        ));
    }
    for (name, c) in [
        ("single", Council::single(acct(0xc0))),
        ("two_of_three_one_required", council_2of3()),
        ("sixteen_of_sixteen", sixteen_members()),
    ] {
        out.push(vector(
            &format!("Council/{name}"),
            "Council",
            &c,
            &c.encode(),
        ));
    }
    let block = vec![
        (Clock::default().ctx(acct(1)), Msg::Stake { amount: btt(2) }),
        (Clock::default().ctx(acct(2)), Msg::Withdraw),
    ];
    out.push(vector(
        "Block/stake_and_withdraw",
        "Block",
        &block,
        &stakehold::msg::encode_block(&block),
    ));
    for (name, c) in [
        ("t0", Clock::default().ctx(acct(1))),
        (
            "max",
            Context::new(acct(0xff), Timestamp(u64::MAX), u64::MAX),
        ),
    ] {
        out.push(vector(
            &format!("Context/{name}"),
            "Context",
            &c,
            &c.encode(),
        ));
    }
    let chain = finalized_chain();
    let (validator, _) = chain.chain().validator(ValidatorIndex(0)).unwrap();
    out.push(vector(
        "Validator/genesis_active",
        "Validator",
        validator,
        &validator.encode(),
    ));
    let fresh = Validator::from_deposit(&Preset::seed_chain(), [9; 48], [0; 32], 1).unwrap();
    out.push(vector(
        "Validator/pending",
        "Validator",
        &fresh,
        &fresh.encode(),
    ));
    let states = [
        ("genesis", EpochState::GENESIS),
        ("finalized_2", *chain.chain().epoch_state()),
    ];
    for (name, state) in states {
        out.push(vector(
            &format!("EpochState/{name}"),
            "EpochState",
            &state,
            &state.encode(),
        ));
    }
    let finality = FinalityState {
        justification_bits: JustificationBits::new(0b1011).unwrap(),
        previous_justified: checkpoint(6, 6),
        current_justified: checkpoint(7, 7),
        finalized: checkpoint(4, 4),
    };
    out.push(vector(
        "FinalityState/bits_1011",
        "FinalityState",
        &finality,
        &finality.encode(),
    ));
    for (name, preset) in [
        ("seed_chain", Preset::seed_chain()),
        ("phase0", Preset::phase0()),
        ("electra", Preset::electra()),
    ] {
        out.push(vector(
            &format!("Preset/{name}"),
            "Preset",
            &preset,
            &preset.encode(),
        ));
    }
    let genesis2 = chain_genesis(2);
    out.push(vector(
        "ChainGenesis/seed_two_validators",
        "ChainGenesis",
        &genesis2,
        &genesis2.encode(),
    ));
    for (name, l) in [
        ("genesis_btfs", genesis(StakeParams::btfs())),
        ("busy_chunked", busy),
        ("chain_finalized", chain),
        ("chain_slashed", slashed_chain()),
    ] {
        let g = l.globals();
        out.push(vector(
            &format!("Globals/{name}"),
            "Globals",
            g,
            &g.encode(),
        ));
        let bytes = l.snapshot();
        let body = decode_snapshot(&bytes).unwrap();
        out.push(vector(
            &format!("LedgerSnapshot/{name}"),
            "LedgerSnapshot",
            &body,
            &bytes,
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Checks.

fn debug_of<T: Decode + std::fmt::Debug + Encode>(bytes: &[u8]) -> (String, Vec<u8>) {
    let value: T = decode_exact(bytes).unwrap_or_else(|e| panic!("decode failed: {e:?}"));
    (format!("{value:?}"), value.encode())
}

/// Decodes `hex` as `ty`; returns the value's Debug and its re-encoding.
fn decode_as(ty: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    match ty {
        "Msg" => {
            let m = Msg::decode_bytes(bytes).unwrap();
            (format!("{m:?}"), m.to_bytes())
        }
        "LedgerSnapshot" => {
            let ledger = Ledger::restore(bytes).unwrap();
            let body = decode_snapshot(bytes).unwrap();
            (format!("{body:?}"), ledger.snapshot())
        }
        "Event" => debug_of::<Event>(bytes),
        "Error" => debug_of::<Error>(bytes),
        "StakeParams" => debug_of::<StakeParams>(bytes),
        "StakeAccount" => debug_of::<StakeAccount>(bytes),
        "StakeView" => debug_of::<StakeView>(bytes),
        "StakeTotals" => debug_of::<StakeTotals>(bytes),
        "Council" => debug_of::<Council>(bytes),
        "Context" => debug_of::<Context>(bytes),
        "Globals" => debug_of::<Globals>(bytes),
        "Validator" => debug_of::<Validator>(bytes),
        "EpochState" => debug_of::<EpochState>(bytes),
        "FinalityState" => debug_of::<FinalityState>(bytes),
        "Preset" => debug_of::<Preset>(bytes),
        "ChainGenesis" => {
            let (value, encoded) = debug_of::<ChainGenesis>(bytes);
            Chain::genesis(&decode_exact::<ChainGenesis>(bytes).unwrap()).unwrap();
            (value, encoded)
        }
        "Block" => {
            let block = stakehold::msg::decode_block(bytes).unwrap();
            (format!("{block:?}"), stakehold::msg::encode_block(&block))
        }
        other => panic!("unknown vector type {other}"),
    }
}

/// The identifier at the start of `s`.
fn leading_ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

#[test]
fn golden_vectors() {
    let vectors = all_vectors();
    let file = bless_or_check(FILE, "golden", &vectors);
    let from_file: Vec<Vector> = serde_json::from_value(file).unwrap();

    // Names are unique, so a JS or C test can point at one.
    let names: BTreeSet<&str> = from_file.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names.len(), from_file.len(), "duplicate vector names");

    // Every entry of the file decodes to its value and re-encodes to its bytes.
    for v in &from_file {
        let bytes = from_hex(&v.hex);
        assert_eq!(
            v.hex,
            v.hex.to_lowercase(),
            "{}: hex must be lowercase",
            v.name
        );
        let (debug, encoded) = decode_as(&v.ty, &bytes);
        assert_eq!(debug, v.value, "{}: decoded value", v.name);
        assert_eq!(to_hex(&encoded), v.hex, "{}: re-encoded bytes", v.name);
    }
}

#[test]
fn every_variant_has_a_vector() {
    let vectors = all_vectors();
    let variants = |ty: &str| -> BTreeSet<String> {
        vectors
            .iter()
            .filter(|v| v.ty == ty)
            .map(|v| leading_ident(&v.value).to_owned())
            .collect()
    };
    assert_eq!(variants("Msg").len(), MSG_VARIANTS);
    assert_eq!(variants("Event").len(), EVENT_VARIANTS);
    let policies: BTreeSet<String> = vectors
        .iter()
        .filter(|v| v.ty == "StakeParams")
        .map(|v| {
            let at = v.value.find("unlock_policy: ").unwrap() + "unlock_policy: ".len();
            leading_ident(&v.value[at..]).to_owned()
        })
        .collect();
    assert_eq!(
        policies,
        BTreeSet::from(["Merged".into(), "Chunked".into()])
    );

    let covered: BTreeSet<(&str, usize)> = errors().iter().map(error_variant).collect();
    let all: BTreeSet<(&str, usize)> = ERROR_VARIANTS
        .iter()
        .flat_map(|&(module, n)| (0..n).map(move |i| (module, i)))
        .filter(|variant| !RETIRED.contains(variant))
        .collect();
    assert_eq!(covered, all, "every error variant has a vector");
    for e in errors() {
        // The listed position is the SCALE variant index (and so the code's last digits).
        let (module, index) = error_variant(&e);
        assert_eq!(usize::from(e.encode()[1]), index, "{module}: {e:?}");
    }
}

#[test]
fn error_codes_are_unique_and_match_the_bytes() {
    let mut seen = BTreeMap::new();
    for e in errors() {
        let code = e.code();
        if let Some(other) = seen.insert(code, e) {
            panic!("code {code} used by both {other:?} and {e:?}");
        }
        // code = 100 × module index + variant index: the first two SCALE bytes.
        let bytes = e.encode();
        assert_eq!(
            code,
            u16::from(bytes[0]) * 100 + u16::from(bytes[1]),
            "{e:?}"
        );
    }
    assert_eq!(
        seen.len(),
        ERROR_VARIANTS.iter().map(|(_, n)| n).sum::<usize>() - RETIRED.len()
    );
}

#[test]
fn error_names_are_the_variant_names() {
    for e in errors() {
        let debug = format!("{e:?}");
        let (module, rest) = debug.split_once('(').unwrap();
        assert!(ERROR_VARIANTS.iter().any(|(m, _)| *m == module), "{debug}");
        assert_eq!(e.name(), leading_ident(rest), "{debug}");
        assert!(!e.to_string().is_empty(), "{debug} displays");
    }
}

/// The field names at the top level of the braces that follow `name` in `debug`.
fn debug_field_names(debug: &str, name: &str) -> Vec<String> {
    let at = debug.find(name).expect("variant name in Debug") + name.len();
    let Some(body) = debug[at..].strip_prefix(" { ") else {
        return Vec::new();
    };
    let (mut depth, mut names, mut token) = (0usize, Vec::new(), String::new());
    for c in body.chars() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' if depth == 0 => break,
            '}' | ')' | ']' => depth -= 1,
            ':' if depth == 0 && !token.is_empty() => names.push(std::mem::take(&mut token)),
            c if depth == 0 && (c.is_alphanumeric() || c == '_') => token.push(c),
            _ => token.clear(),
        }
    }
    names
}

#[test]
fn described_fields_are_the_variant_fields() {
    let described: Vec<(String, stakehold::fields::Described)> = errors()
        .iter()
        .map(|e| (format!("{e:?}"), e.describe()))
        .chain(
            events()
                .iter()
                .chain(&chain_events())
                .map(|(_, e)| (format!("{e:?}"), e.describe())),
        )
        .collect();
    for (debug, d) in described {
        let names: Vec<&str> = d.fields.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, debug_field_names(&debug, d.name), "{debug}");
        assert!(debug.contains(d.name), "{debug} is not {}", d.name);
    }
}

/// The npm package's `StakeholdErrorName` type (wasm/index.d.ts) lists exactly the error names.
#[test]
fn the_typescript_error_names_are_every_error_name() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasm/index.d.ts");
    let dts = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = dts
        .find("export type StakeholdErrorName =")
        .expect("StakeholdErrorName in index.d.ts");
    let union = &dts[start..start + dts[start..].find(';').expect("the end of the type")];
    let listed: BTreeSet<&str> = union
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .flat_map(|line| line.split('\'').skip(1).step_by(2))
        .collect();
    let names: BTreeSet<&str> = errors().iter().map(Error::name).collect();
    assert_eq!(listed, names);
}
