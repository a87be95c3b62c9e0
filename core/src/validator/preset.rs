//! Presets: every constant of the proof-of-stake rules, as data.
//!
//! Ethereum's consensus specs split their constants into *constants* (fixed), a *preset*
//! (`presets/mainnet/*.yaml`) and a *configuration* (`configs/mainnet.yaml`). Rules of the core
//! ("Parameters are data") make all of them fields of one [`Preset`] value, together with the
//! [`Fork`] whose rules apply. A later fork does not override an earlier fork's value: it adds
//! a new one (`MIN_SLASHING_PENALTY_QUOTIENT_ALTAIR`, …) and "replaces usage throughout"
//! (`specs/altair/beacon-chain.md`, *Preset*). So a preset holds every fork's value, and the
//! accessors ([`Preset::min_slashing_penalty_quotient`], …) pick the one the fork uses.
//!
//! Amounts are Gwei (`10⁹` per coin), `u64`, as the spec's `Gwei` type.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::ValidatorError;

/// Most pending deposits [`super::process_pending_deposits`] looks at per epoch: the bound of
/// [`Preset::max_pending_deposits_per_epoch`] (Electra mainnet: 16), so its outcome fits in
/// fixed-size lists without a heap.
pub const MAX_PENDING_DEPOSITS_PER_EPOCH_CAP: usize = 16;

/// The largest `EPOCHS_PER_SLASHINGS_VECTOR` a valid preset may have: 2¹⁶ epochs (mainnet:
/// 8192). The vector is held whole (8 bytes per epoch), so the bound keeps it within 512 KiB.
pub const MAX_EPOCHS_PER_SLASHINGS_VECTOR: u64 = 1 << 16;

/// The fork whose rules apply. Capella changes none of the rules here, so Bellatrix's rules
/// hold until Deneb (`Deneb` therefore also means "Capella and Deneb").
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, MaxEncodedLen,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Fork {
    /// Phase 0 (`specs/phase0/beacon-chain.md`).
    #[codec(index = 0)]
    Phase0,
    /// Altair: new penalty quotients, participation flags, inactivity scores.
    #[codec(index = 1)]
    Altair,
    /// Bellatrix (and Capella): the final penalty quotients.
    #[codec(index = 2)]
    Bellatrix,
    /// Deneb: the activation churn is capped (EIP-7514,
    /// `get_validator_activation_churn_limit`).
    #[codec(index = 3)]
    Deneb,
    /// Electra: balance-based churn, pending deposits, compounding validators (EIP-7251).
    #[codec(index = 4)]
    Electra,
}

/// Names a preset field, for [`ValidatorError`]s about an inconsistent preset. Each is shown
/// with the spec's constant name ([`PresetParameter::name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[allow(missing_docs)] // each variant is the field of the same name
pub enum PresetParameter {
    #[codec(index = 0)]
    SecondsPerSlot,
    #[codec(index = 1)]
    SlotsPerEpoch,
    #[codec(index = 2)]
    EffectiveBalanceIncrement,
    #[codec(index = 3)]
    MaxEffectiveBalance,
    #[codec(index = 4)]
    MinActivationBalance,
    #[codec(index = 5)]
    MaxEffectiveBalanceElectra,
    #[codec(index = 6)]
    EjectionBalance,
    #[codec(index = 7)]
    HysteresisQuotient,
    #[codec(index = 8)]
    HysteresisDownwardMultiplier,
    #[codec(index = 9)]
    HysteresisUpwardMultiplier,
    #[codec(index = 10)]
    MinPerEpochChurnLimit,
    #[codec(index = 11)]
    ChurnLimitQuotient,
    #[codec(index = 12)]
    MaxPerEpochActivationChurnLimit,
    #[codec(index = 13)]
    MinPerEpochChurnLimitElectra,
    #[codec(index = 14)]
    MaxPerEpochActivationExitChurnLimit,
    #[codec(index = 15)]
    MaxPendingDepositsPerEpoch,
    #[codec(index = 16)]
    EpochsPerSlashingsVector,
    #[codec(index = 17)]
    BaseRewardsPerEpoch,
    #[codec(index = 18)]
    ProposerRewardQuotient,
    #[codec(index = 19)]
    WhistleblowerRewardQuotient,
    #[codec(index = 20)]
    WhistleblowerRewardQuotientElectra,
    #[codec(index = 21)]
    MinSlashingPenaltyQuotient,
    #[codec(index = 22)]
    MinSlashingPenaltyQuotientAltair,
    #[codec(index = 23)]
    MinSlashingPenaltyQuotientBellatrix,
    #[codec(index = 24)]
    MinSlashingPenaltyQuotientElectra,
    #[codec(index = 25)]
    InactivityPenaltyQuotient,
    #[codec(index = 26)]
    InactivityPenaltyQuotientAltair,
    #[codec(index = 27)]
    InactivityPenaltyQuotientBellatrix,
    #[codec(index = 28)]
    InactivityScoreBias,
    #[codec(index = 29)]
    WeightDenominator,
    #[codec(index = 30)]
    ProposerWeight,
}

impl PresetParameter {
    /// The spec's name of the constant, e.g. `"SLOTS_PER_EPOCH"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::SecondsPerSlot => "SECONDS_PER_SLOT",
            Self::SlotsPerEpoch => "SLOTS_PER_EPOCH",
            Self::EffectiveBalanceIncrement => "EFFECTIVE_BALANCE_INCREMENT",
            Self::MaxEffectiveBalance => "MAX_EFFECTIVE_BALANCE",
            Self::MinActivationBalance => "MIN_ACTIVATION_BALANCE",
            Self::MaxEffectiveBalanceElectra => "MAX_EFFECTIVE_BALANCE_ELECTRA",
            Self::EjectionBalance => "EJECTION_BALANCE",
            Self::HysteresisQuotient => "HYSTERESIS_QUOTIENT",
            Self::HysteresisDownwardMultiplier => "HYSTERESIS_DOWNWARD_MULTIPLIER",
            Self::HysteresisUpwardMultiplier => "HYSTERESIS_UPWARD_MULTIPLIER",
            Self::MinPerEpochChurnLimit => "MIN_PER_EPOCH_CHURN_LIMIT",
            Self::ChurnLimitQuotient => "CHURN_LIMIT_QUOTIENT",
            Self::MaxPerEpochActivationChurnLimit => "MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT",
            Self::MinPerEpochChurnLimitElectra => "MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA",
            Self::MaxPerEpochActivationExitChurnLimit => {
                "MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT"
            }
            Self::MaxPendingDepositsPerEpoch => "MAX_PENDING_DEPOSITS_PER_EPOCH",
            Self::EpochsPerSlashingsVector => "EPOCHS_PER_SLASHINGS_VECTOR",
            Self::BaseRewardsPerEpoch => "BASE_REWARDS_PER_EPOCH",
            Self::ProposerRewardQuotient => "PROPOSER_REWARD_QUOTIENT",
            Self::WhistleblowerRewardQuotient => "WHISTLEBLOWER_REWARD_QUOTIENT",
            Self::WhistleblowerRewardQuotientElectra => "WHISTLEBLOWER_REWARD_QUOTIENT_ELECTRA",
            Self::MinSlashingPenaltyQuotient => "MIN_SLASHING_PENALTY_QUOTIENT",
            Self::MinSlashingPenaltyQuotientAltair => "MIN_SLASHING_PENALTY_QUOTIENT_ALTAIR",
            Self::MinSlashingPenaltyQuotientBellatrix => "MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX",
            Self::MinSlashingPenaltyQuotientElectra => "MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA",
            Self::InactivityPenaltyQuotient => "INACTIVITY_PENALTY_QUOTIENT",
            Self::InactivityPenaltyQuotientAltair => "INACTIVITY_PENALTY_QUOTIENT_ALTAIR",
            Self::InactivityPenaltyQuotientBellatrix => "INACTIVITY_PENALTY_QUOTIENT_BELLATRIX",
            Self::InactivityScoreBias => "INACTIVITY_SCORE_BIAS",
            Self::WeightDenominator => "WEIGHT_DENOMINATOR",
            Self::ProposerWeight => "PROPOSER_WEIGHT",
        }
    }
}

/// Every constant the validator lifecycle, finality, slashing, rewards and the inactivity leak
/// use, and the fork whose rules apply. Field names are the spec's constant names in snake
/// case; amounts are Gwei.
///
/// Build one with a named constructor ([`Preset::phase0`] … [`Preset::electra`],
/// [`Preset::seed_chain`]) and adjust fields with struct update syntax; check a custom one
/// with [`Preset::validate`]. Transitions never panic on an unchecked preset: a zero divisor
/// they meet is reported as [`ValidatorError::ZeroParameter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Preset {
    /// The fork whose rules apply.
    pub fork: Fork,

    // --- Time (phase0 preset "Time parameters", configuration "Time parameters") ---
    /// `SECONDS_PER_SLOT` (config): 12.
    pub seconds_per_slot: u64,
    /// `SLOTS_PER_EPOCH`: 32.
    pub slots_per_epoch: u64,
    /// `MIN_ATTESTATION_INCLUSION_DELAY`, slots: 1.
    pub min_attestation_inclusion_delay: u64,
    /// `MIN_SEED_LOOKAHEAD`, epochs: 1.
    pub min_seed_lookahead: u64,
    /// `MAX_SEED_LOOKAHEAD`, epochs: 4 (`compute_activation_exit_epoch` adds `1 +` it).
    pub max_seed_lookahead: u64,
    /// `MIN_EPOCHS_TO_INACTIVITY_PENALTY`, epochs: 4 (the inactivity leak starts when the
    /// finality delay exceeds it).
    pub min_epochs_to_inactivity_penalty: u64,
    /// `MIN_VALIDATOR_WITHDRAWABILITY_DELAY` (config), epochs: 256.
    pub min_validator_withdrawability_delay: u64,
    /// `SHARD_COMMITTEE_PERIOD` (config), epochs a validator must have been active before a
    /// voluntary exit: 256.
    pub shard_committee_period: u64,
    /// `EPOCHS_PER_SLASHINGS_VECTOR`, epochs: 8192 (~36 days; the correlation penalty falls
    /// half-way, ~18 days).
    pub epochs_per_slashings_vector: u64,

    // --- Gwei values ---
    /// `MIN_DEPOSIT_AMOUNT`: 1 ETH. Enforced by the deposit contract, not by the beacon
    /// chain ([`super::check_deposit_amount`]).
    pub min_deposit_amount: u64,
    /// `MAX_EFFECTIVE_BALANCE`: 32 ETH (phase0 … deneb).
    pub max_effective_balance: u64,
    /// `EFFECTIVE_BALANCE_INCREMENT`: 1 ETH.
    pub effective_balance_increment: u64,
    /// `EJECTION_BALANCE` (config): 16 ETH.
    pub ejection_balance: u64,
    /// `MIN_ACTIVATION_BALANCE` (electra): 32 ETH.
    pub min_activation_balance: u64,
    /// `MAX_EFFECTIVE_BALANCE_ELECTRA`: 2048 ETH, for `0x02` (compounding) credentials.
    pub max_effective_balance_electra: u64,

    // --- Hysteresis (phase0 preset "Misc") ---
    /// `HYSTERESIS_QUOTIENT`: 4.
    pub hysteresis_quotient: u64,
    /// `HYSTERESIS_DOWNWARD_MULTIPLIER`: 1.
    pub hysteresis_downward_multiplier: u64,
    /// `HYSTERESIS_UPWARD_MULTIPLIER`: 5.
    pub hysteresis_upward_multiplier: u64,

    // --- Validator cycle (config) ---
    /// `MIN_PER_EPOCH_CHURN_LIMIT`, validators: 4.
    pub min_per_epoch_churn_limit: u64,
    /// `CHURN_LIMIT_QUOTIENT`: 65536.
    pub churn_limit_quotient: u64,
    /// `MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT` (deneb), validators: 8.
    pub max_per_epoch_activation_churn_limit: u64,
    /// `MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA`, Gwei: 128 ETH.
    pub min_per_epoch_churn_limit_electra: u64,
    /// `MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT` (electra), Gwei: 256 ETH.
    pub max_per_epoch_activation_exit_churn_limit: u64,
    /// `MAX_PENDING_DEPOSITS_PER_EPOCH` (electra): 16 (at most
    /// [`MAX_PENDING_DEPOSITS_PER_EPOCH_CAP`]).
    pub max_pending_deposits_per_epoch: u64,

    // --- Rewards and penalties ---
    /// `BASE_REWARD_FACTOR`: 64.
    pub base_reward_factor: u64,
    /// `BASE_REWARDS_PER_EPOCH` (phase0 constant): 4.
    pub base_rewards_per_epoch: u64,
    /// `PROPOSER_REWARD_QUOTIENT`: 8.
    pub proposer_reward_quotient: u64,
    /// `WHISTLEBLOWER_REWARD_QUOTIENT`: 512.
    pub whistleblower_reward_quotient: u64,
    /// `WHISTLEBLOWER_REWARD_QUOTIENT_ELECTRA`: 4096.
    pub whistleblower_reward_quotient_electra: u64,
    /// `MIN_SLASHING_PENALTY_QUOTIENT`: 128.
    pub min_slashing_penalty_quotient: u64,
    /// `MIN_SLASHING_PENALTY_QUOTIENT_ALTAIR`: 64.
    pub min_slashing_penalty_quotient_altair: u64,
    /// `MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX`: 32.
    pub min_slashing_penalty_quotient_bellatrix: u64,
    /// `MIN_SLASHING_PENALTY_QUOTIENT_ELECTRA`: 4096.
    pub min_slashing_penalty_quotient_electra: u64,
    /// `PROPORTIONAL_SLASHING_MULTIPLIER`: 1.
    pub proportional_slashing_multiplier: u64,
    /// `PROPORTIONAL_SLASHING_MULTIPLIER_ALTAIR`: 2.
    pub proportional_slashing_multiplier_altair: u64,
    /// `PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX`: 3 (also used by electra).
    pub proportional_slashing_multiplier_bellatrix: u64,
    /// `INACTIVITY_PENALTY_QUOTIENT`: 2²⁶.
    pub inactivity_penalty_quotient: u64,
    /// `INACTIVITY_PENALTY_QUOTIENT_ALTAIR`: 3·2²⁴.
    pub inactivity_penalty_quotient_altair: u64,
    /// `INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`: 2²⁴.
    pub inactivity_penalty_quotient_bellatrix: u64,
    /// `INACTIVITY_SCORE_BIAS` (altair config): 4.
    pub inactivity_score_bias: u64,
    /// `INACTIVITY_SCORE_RECOVERY_RATE` (altair config): 16.
    pub inactivity_score_recovery_rate: u64,

    // --- Participation weights (altair constants "Incentivization weights") ---
    /// `TIMELY_SOURCE_WEIGHT`: 14.
    pub timely_source_weight: u64,
    /// `TIMELY_TARGET_WEIGHT`: 26.
    pub timely_target_weight: u64,
    /// `TIMELY_HEAD_WEIGHT`: 14.
    pub timely_head_weight: u64,
    /// `SYNC_REWARD_WEIGHT`: 2.
    pub sync_reward_weight: u64,
    /// `PROPOSER_WEIGHT`: 8.
    pub proposer_weight: u64,
    /// `WEIGHT_DENOMINATOR`: 64 (the five weights sum to it).
    pub weight_denominator: u64,
}

impl Preset {
    /// Ethereum mainnet, Phase 0 rules (`presets/mainnet/phase0.yaml`,
    /// `configs/mainnet.yaml`, `specs/phase0/beacon-chain.md`). The later forks' values are
    /// filled in too (they are unused under Phase 0 rules, and let a preset switch forks by
    /// changing [`Preset::fork`] alone).
    pub const fn phase0() -> Self {
        Self {
            fork: Fork::Phase0,
            seconds_per_slot: 12,
            slots_per_epoch: 32,
            min_attestation_inclusion_delay: 1,
            min_seed_lookahead: 1,
            max_seed_lookahead: 4,
            min_epochs_to_inactivity_penalty: 4,
            min_validator_withdrawability_delay: 256,
            shard_committee_period: 256,
            epochs_per_slashings_vector: 8192,
            min_deposit_amount: 1_000_000_000,     // 2**0 * 10**9
            max_effective_balance: 32_000_000_000, // 2**5 * 10**9
            effective_balance_increment: 1_000_000_000, // 2**0 * 10**9
            ejection_balance: 16_000_000_000,      // 2**4 * 10**9
            min_activation_balance: 32_000_000_000, // 2**5 * 10**9
            max_effective_balance_electra: 2_048_000_000_000, // 2**11 * 10**9
            hysteresis_quotient: 4,
            hysteresis_downward_multiplier: 1,
            hysteresis_upward_multiplier: 5,
            min_per_epoch_churn_limit: 4,
            churn_limit_quotient: 65_536,
            max_per_epoch_activation_churn_limit: 8,
            min_per_epoch_churn_limit_electra: 128_000_000_000, // 2**7 * 10**9
            max_per_epoch_activation_exit_churn_limit: 256_000_000_000, // 2**8 * 10**9
            max_pending_deposits_per_epoch: 16,
            base_reward_factor: 64,
            base_rewards_per_epoch: 4,
            proposer_reward_quotient: 8,
            whistleblower_reward_quotient: 512,
            whistleblower_reward_quotient_electra: 4096,
            min_slashing_penalty_quotient: 128,
            min_slashing_penalty_quotient_altair: 64,
            min_slashing_penalty_quotient_bellatrix: 32,
            min_slashing_penalty_quotient_electra: 4096,
            proportional_slashing_multiplier: 1,
            proportional_slashing_multiplier_altair: 2,
            proportional_slashing_multiplier_bellatrix: 3,
            inactivity_penalty_quotient: 67_108_864, // 2**26
            inactivity_penalty_quotient_altair: 50_331_648, // 3 * 2**24
            inactivity_penalty_quotient_bellatrix: 16_777_216, // 2**24
            inactivity_score_bias: 4,
            inactivity_score_recovery_rate: 16,
            timely_source_weight: 14,
            timely_target_weight: 26,
            timely_head_weight: 14,
            sync_reward_weight: 2,
            proposer_weight: 8,
            weight_denominator: 64,
        }
    }

    /// Ethereum mainnet, Altair rules (`presets/mainnet/altair.yaml`).
    pub const fn altair() -> Self {
        Self {
            fork: Fork::Altair,
            ..Self::phase0()
        }
    }

    /// Ethereum mainnet, Bellatrix (and Capella) rules (`presets/mainnet/bellatrix.yaml`).
    pub const fn bellatrix() -> Self {
        Self {
            fork: Fork::Bellatrix,
            ..Self::phase0()
        }
    }

    /// Ethereum mainnet, Deneb rules: Bellatrix's plus the activation churn cap
    /// `MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT` = 8 (`configs/mainnet.yaml`, EIP-7514).
    pub const fn deneb() -> Self {
        Self {
            fork: Fork::Deneb,
            ..Self::phase0()
        }
    }

    /// Ethereum mainnet, Electra rules (`presets/mainnet/electra.yaml`,
    /// `configs/mainnet.yaml`).
    pub const fn electra() -> Self {
        Self {
            fork: Fork::Electra,
            ..Self::phase0()
        }
    }

    /// The seed's chain (`seeds/proof-of-stake.md`): "deposit 1000 BTCC into the deposit
    /// contract" to become a validator, 12-second slots, 32-slot epochs, finality at
    /// "two-thirds of the total staked BTCC", an inactivity leak when the chain "fails to
    /// finalize for more than four epochs", slashing with "an immediate penalty
    /// (up to 1 BTCC) on Day 1, the correlation penalty on Day 18, and … ejection … on Day
    /// 36". The seed gives no other constant, so the rest are Ethereum's, chosen as follows.
    ///
    /// - **Rules: [`Fork::Deneb`].** The seed's validators are fixed-size (pools let users
    ///   "stake without having 1000 BTCC"), as before Electra's compounding validators; Deneb's
    ///   rules (with the activation churn cap) are the latest of that kind.
    /// - **Balances scaled by 1000/32 = 31.25.** The seed's deposit replaces 32 ETH with 1000
    ///   coins, so every Gwei constant is multiplied by 31.25 (amounts stay Gwei-like, 10⁹ base
    ///   units per coin). Every rule that compares or divides balances (effective balance
    ///   rounding and hysteresis, ejection, churn, slashing and inactivity penalties) is
    ///   invariant under a common scale, so the chain behaves as Ethereum's with 1000-coin
    ///   validators: 32 increments of 31.25 coins; ejection at 500 coins (16 increments);
    ///   hysteresis thresholds at 7.8125 and 39.0625 coins; minimum deposit 31.25 coins;
    ///   Electra's values (unused under Deneb rules) 1000 / 64 000 / 4000 / 8000 coins.
    /// - **`BASE_REWARD_FACTOR` 358.** The base reward is `increment · factor /
    ///   √(total active balance)`: not scale-invariant (it scales by √31.25). To keep the
    ///   issuance per staked coin at a given number of validators equal to Ethereum's, the
    ///   factor is scaled by √31.25 ≈ 5.590: 64 · 5.590 = 357.8, rounded to 358 (+0.06 %).
    /// - **`MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX` 1000.** The seed states the immediate
    ///   penalty: "up to 1 BTCC" — 1000 coins // 1000 = 1 coin (Ethereum's 32 would take
    ///   31.25 coins). The other forks' slashing quotients are Ethereum's.
    /// - **Times are Ethereum's**: `EPOCHS_PER_SLASHINGS_VECTOR` 8192 epochs of 6.4 minutes is
    ///   36.4 days (the seed's "Day 36"); the correlation penalty at half of it, 18.2 days
    ///   ("Day 18"); `MIN_EPOCHS_TO_INACTIVITY_PENALTY` 4 ("more than four epochs").
    /// - **Counts are Ethereum's**: churn limits counted in validators (4, 65 536, 8), rewards
    ///   and penalty quotients, participation weights.
    pub const fn seed_chain() -> Self {
        Self {
            fork: Fork::Deneb,
            min_deposit_amount: 31_250_000_000, // 1 ETH · 31.25 = 31.25 coins
            max_effective_balance: 1_000_000_000_000, // 32 ETH · 31.25 = 1000 coins
            effective_balance_increment: 31_250_000_000, // 1 ETH · 31.25 = 31.25 coins
            ejection_balance: 500_000_000_000,  // 16 ETH · 31.25 = 500 coins
            min_activation_balance: 1_000_000_000_000, // 32 ETH · 31.25
            max_effective_balance_electra: 64_000_000_000_000, // 2048 ETH · 31.25
            min_per_epoch_churn_limit_electra: 4_000_000_000_000, // 128 ETH · 31.25
            max_per_epoch_activation_exit_churn_limit: 8_000_000_000_000, // 256 ETH · 31.25
            base_reward_factor: 358,            // 64 · √31.25 = 357.77
            min_slashing_penalty_quotient_bellatrix: 1000, // "up to 1 BTCC" of 1000
            ..Self::phase0()
        }
    }

    /// Checks that the constants are consistent, so no rule can divide by zero or contradict
    /// another: every divisor and count below is at least 1; the maximum effective balances
    /// and `MIN_ACTIVATION_BALANCE` are multiples of the increment; the ejection balance is
    /// below both the maximum effective balance and `MIN_ACTIVATION_BALANCE`;
    /// `MIN_ACTIVATION_BALANCE ≤ MAX_EFFECTIVE_BALANCE_ELECTRA`; Electra's churn limits are at
    /// least one increment (else `get_balance_churn_limit` rounds to 0 and
    /// `compute_exit_epoch_and_update_churn` divides by it); the hysteresis thresholds fit in
    /// `u64`; the participation weights sum to the denominator; at most
    /// [`MAX_PENDING_DEPOSITS_PER_EPOCH_CAP`] pending deposits per epoch; at most
    /// [`MAX_EPOCHS_PER_SLASHINGS_VECTOR`] epochs in the slashings vector. Every fork's values
    /// are checked, whichever fork applies.
    pub fn validate(&self) -> Result<(), ValidatorError> {
        use PresetParameter as P;
        let nonzero = [
            (P::SecondsPerSlot, self.seconds_per_slot),
            (P::SlotsPerEpoch, self.slots_per_epoch),
            (
                P::EffectiveBalanceIncrement,
                self.effective_balance_increment,
            ),
            (P::HysteresisQuotient, self.hysteresis_quotient),
            (P::MinPerEpochChurnLimit, self.min_per_epoch_churn_limit),
            (P::ChurnLimitQuotient, self.churn_limit_quotient),
            (
                P::MaxPerEpochActivationChurnLimit,
                self.max_per_epoch_activation_churn_limit,
            ),
            (
                P::MaxPendingDepositsPerEpoch,
                self.max_pending_deposits_per_epoch,
            ),
            (
                P::EpochsPerSlashingsVector,
                self.epochs_per_slashings_vector,
            ),
            (P::BaseRewardsPerEpoch, self.base_rewards_per_epoch),
            (P::ProposerRewardQuotient, self.proposer_reward_quotient),
            (
                P::WhistleblowerRewardQuotient,
                self.whistleblower_reward_quotient,
            ),
            (
                P::WhistleblowerRewardQuotientElectra,
                self.whistleblower_reward_quotient_electra,
            ),
            (
                P::MinSlashingPenaltyQuotient,
                self.min_slashing_penalty_quotient,
            ),
            (
                P::MinSlashingPenaltyQuotientAltair,
                self.min_slashing_penalty_quotient_altair,
            ),
            (
                P::MinSlashingPenaltyQuotientBellatrix,
                self.min_slashing_penalty_quotient_bellatrix,
            ),
            (
                P::MinSlashingPenaltyQuotientElectra,
                self.min_slashing_penalty_quotient_electra,
            ),
            (
                P::InactivityPenaltyQuotient,
                self.inactivity_penalty_quotient,
            ),
            (
                P::InactivityPenaltyQuotientAltair,
                self.inactivity_penalty_quotient_altair,
            ),
            (
                P::InactivityPenaltyQuotientBellatrix,
                self.inactivity_penalty_quotient_bellatrix,
            ),
            (P::InactivityScoreBias, self.inactivity_score_bias),
            (P::WeightDenominator, self.weight_denominator),
            (P::ProposerWeight, self.proposer_weight),
        ];
        if let Some((parameter, _)) = nonzero.iter().find(|(_, value)| *value == 0) {
            return Err(ValidatorError::ZeroParameter {
                parameter: *parameter,
            });
        }
        let increment = self.effective_balance_increment;
        for (parameter, value) in [
            (P::MaxEffectiveBalance, self.max_effective_balance),
            (P::MinActivationBalance, self.min_activation_balance),
            (
                P::MaxEffectiveBalanceElectra,
                self.max_effective_balance_electra,
            ),
        ] {
            if value.checked_rem(increment) != Some(0) {
                return Err(ValidatorError::NotMultipleOfIncrement {
                    parameter,
                    value,
                    increment,
                });
            }
        }
        for max in [self.max_effective_balance, self.min_activation_balance] {
            if self.ejection_balance >= max {
                return Err(ValidatorError::EjectionNotBelowMax {
                    ejection: self.ejection_balance,
                    max,
                });
            }
        }
        if self.min_activation_balance > self.max_effective_balance_electra {
            return Err(ValidatorError::ActivationAboveMax {
                min_activation: self.min_activation_balance,
                max: self.max_effective_balance_electra,
            });
        }
        for (parameter, value) in [
            (
                P::MinPerEpochChurnLimitElectra,
                self.min_per_epoch_churn_limit_electra,
            ),
            (
                P::MaxPerEpochActivationExitChurnLimit,
                self.max_per_epoch_activation_exit_churn_limit,
            ),
        ] {
            if value < increment {
                return Err(ValidatorError::ChurnBelowIncrement {
                    parameter,
                    value,
                    increment,
                });
            }
        }
        let step = increment
            .checked_div(self.hysteresis_quotient)
            .unwrap_or_default();
        for (parameter, multiplier) in [
            (
                P::HysteresisDownwardMultiplier,
                self.hysteresis_downward_multiplier,
            ),
            (
                P::HysteresisUpwardMultiplier,
                self.hysteresis_upward_multiplier,
            ),
        ] {
            if step.checked_mul(multiplier).is_none() {
                return Err(ValidatorError::ParameterOverflow { parameter });
            }
        }
        let sum = [
            self.timely_source_weight,
            self.timely_target_weight,
            self.timely_head_weight,
            self.sync_reward_weight,
            self.proposer_weight,
        ]
        .iter()
        .try_fold(0u64, |acc, w| acc.checked_add(*w))
        .unwrap_or(u64::MAX);
        if sum != self.weight_denominator {
            return Err(ValidatorError::WeightsMismatch {
                sum,
                denominator: self.weight_denominator,
            });
        }
        if self.epochs_per_slashings_vector > MAX_EPOCHS_PER_SLASHINGS_VECTOR {
            return Err(ValidatorError::ParameterTooLarge {
                parameter: P::EpochsPerSlashingsVector,
                value: self.epochs_per_slashings_vector,
                max: MAX_EPOCHS_PER_SLASHINGS_VECTOR,
            });
        }
        let cap = MAX_PENDING_DEPOSITS_PER_EPOCH_CAP as u64;
        if self.max_pending_deposits_per_epoch > cap {
            return Err(ValidatorError::TooManyPendingDepositsPerEpoch {
                value: self.max_pending_deposits_per_epoch,
                max: cap,
            });
        }
        Ok(())
    }

    /// The preset, if it passes [`Preset::validate`].
    pub fn validated(self) -> Result<Self, ValidatorError> {
        self.validate().map(|()| self)
    }

    /// The slashing penalty quotient the fork uses in `slash_validator`: phase0
    /// `MIN_SLASHING_PENALTY_QUOTIENT`, altair `…_ALTAIR`, bellatrix (to deneb) `…_BELLATRIX`,
    /// electra `…_ELECTRA`.
    pub fn min_slashing_penalty_quotient(&self) -> u64 {
        match self.fork {
            Fork::Phase0 => self.min_slashing_penalty_quotient,
            Fork::Altair => self.min_slashing_penalty_quotient_altair,
            Fork::Bellatrix | Fork::Deneb => self.min_slashing_penalty_quotient_bellatrix,
            Fork::Electra => self.min_slashing_penalty_quotient_electra,
        }
    }

    /// The multiplier the fork uses in `process_slashings`: phase0, altair, and bellatrix's
    /// from bellatrix on (electra's `process_slashings` uses
    /// `PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX`).
    pub fn proportional_slashing_multiplier(&self) -> u64 {
        match self.fork {
            Fork::Phase0 => self.proportional_slashing_multiplier,
            Fork::Altair => self.proportional_slashing_multiplier_altair,
            Fork::Bellatrix | Fork::Deneb | Fork::Electra => {
                self.proportional_slashing_multiplier_bellatrix
            }
        }
    }

    /// The inactivity penalty quotient the fork uses: phase0, altair, and bellatrix's from
    /// bellatrix on.
    pub fn inactivity_penalty_quotient(&self) -> u64 {
        match self.fork {
            Fork::Phase0 => self.inactivity_penalty_quotient,
            Fork::Altair => self.inactivity_penalty_quotient_altair,
            Fork::Bellatrix | Fork::Deneb | Fork::Electra => {
                self.inactivity_penalty_quotient_bellatrix
            }
        }
    }

    /// The whistleblower reward quotient the fork uses in `slash_validator`
    /// (`WHISTLEBLOWER_REWARD_QUOTIENT_ELECTRA` from electra on).
    pub fn whistleblower_reward_quotient(&self) -> u64 {
        match self.fork {
            Fork::Electra => self.whistleblower_reward_quotient_electra,
            _ => self.whistleblower_reward_quotient,
        }
    }

    /// Seconds per epoch (`SECONDS_PER_SLOT · SLOTS_PER_EPOCH`), for dashboards; `None` on
    /// overflow.
    pub fn seconds_per_epoch(&self) -> Option<u64> {
        self.seconds_per_slot.checked_mul(self.slots_per_epoch)
    }
}
