//! Estimates for dashboards: a validator's yearly return (APR), the time until a slashed
//! validator's correlation penalty and withdrawability, and the chance of proposing a block.
//!
//! **These are `f64` figures for display only.** No transition reads them and nothing here
//! decides state: every rule of the chain is integer arithmetic elsewhere in this crate (rule 3
//! of the design, "no floats in anything that decides state"). This module is the only place
//! with floating point and the only user of [`libm`] (the core is `no_std`, so `f64::sqrt`,
//! `ln_1p` and `exp_m1` of the standard library are not available); results may differ in the
//! last bits between targets, which a screen never shows. Every function is pure, total and
//! panic-free: a zero total, a degenerate preset or a participation outside `[0, 1]` gives a
//! finite number (`0.0` where nothing sensible exists), never `NaN` or infinity.
//!
//! Each model follows a function of Ethereum's consensus specs
//! (`ethereum/consensus-specs`, `specs/{phase0,altair}/beacon-chain.md`), in real numbers —
//! without the spec's integer floors, which change the results by less than a part in a
//! million at realistic balances:
//!
//! | estimate | spec functions it follows |
//! |---|---|
//! | [`apr`], altair and later forks | altair `get_base_reward_per_increment` (`B = EFFECTIVE_BALANCE_INCREMENT · BASE_REWARD_FACTOR / √total`), `get_flag_index_deltas` (flag rewards scaled by the participating share, penalties for missed source and target), the proposer's share of `process_attestation` and `process_sync_aggregate` (`PROPOSER_WEIGHT`), `process_sync_aggregate` (`SYNC_REWARD_WEIGHT`) |
//! | [`apr`], phase0 | phase0 `get_base_reward` (`effective_balance · BASE_REWARD_FACTOR / √total / BASE_REWARDS_PER_EPOCH`), `get_attestation_component_deltas` (source, target, head), `get_inclusion_delay_deltas` and `get_proposer_reward` (`PROPOSER_REWARD_QUOTIENT`) |
//! | [`slashing_timeline`] | phase0 `slash_validator` (`withdrawable_epoch = epoch + EPOCHS_PER_SLASHINGS_VECTOR`) and `process_slashings` (the correlation penalty when `epoch + EPOCHS_PER_SLASHINGS_VECTOR // 2 == withdrawable_epoch`) |
//! | [`proposal_probability`] | phase0 `compute_proposer_index` (a candidate is accepted with probability `effective_balance / MAX_EFFECTIVE_BALANCE`, so each slot picks a validator with probability `effective_balance / total`) |
//!
//! On the seed's chain ([`Preset::seed_chain`]) the seed's story reads: slashed on day 1, the
//! correlation penalty on day 18 (18.2 days later), withdrawable on day 36 (36.4 days later).
//!
//! ```
//! use stakehold::Epoch;
//! use stakehold::estimate::{apr, proposal_probability, slashing_timeline};
//! use stakehold::validator::{Preset, Validator};
//!
//! // Ethereum mainnet with 1 M validators of 32 ETH (Gwei), everyone attesting: about 2.94 %.
//! let total = 1_000_000 * 32_000_000_000;
//! let yearly = apr(&Preset::deneb(), total, 1.0);
//! assert!((yearly - 0.0294).abs() < 0.0001);
//!
//! // One validator's chance to propose at least once in a day (7200 slots): about 0.72 %.
//! let odds = proposal_probability(32_000_000_000, total, 7200);
//! assert!((odds - 0.00717).abs() < 0.00001);
//!
//! // Slashed at epoch 100 (withdrawable 8192 epochs later): penalty in 18.2 days, exit in 36.4.
//! let slashed = Validator {
//!     pubkey: [1; 48],
//!     withdrawal_credentials: [0; 32],
//!     effective_balance: 32_000_000_000,
//!     slashed: true,
//!     activation_eligibility_epoch: Epoch(0),
//!     activation_epoch: Epoch(0),
//!     exit_epoch: Epoch(104),
//!     withdrawable_epoch: Epoch(100 + 8192),
//! };
//! let t = slashing_timeline(&Preset::deneb(), &slashed, Epoch(100)).unwrap();
//! assert_eq!(t.correlation_penalty_epoch, Epoch(100 + 4096));
//! assert_eq!(t.days_to_correlation_penalty() as u32, 18);
//! assert_eq!(t.days_to_withdrawable() as u32, 36);
//! ```

// Floating point is the point of this module, and its only place in the crate.
#![allow(clippy::float_arithmetic)]

use libm::{expm1, log1p, sqrt};

use crate::Epoch;
use crate::validator::{FAR_FUTURE_EPOCH, Fork, Preset, Validator};

/// Seconds in a day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// Days in a (Julian) year, as APRs count them.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// `value` if it is finite, else `0.0`: no estimate is ever `NaN` or infinite.
fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

/// `participation` clamped to `[0, 1]`; `NaN` is `0`.
fn share(participation: f64) -> f64 {
    if participation.is_nan() {
        0.0
    } else {
        participation.clamp(0.0, 1.0)
    }
}

/// Epochs in a year of 365.25 days: `365.25 · 86400 / (SECONDS_PER_SLOT · SLOTS_PER_EPOCH)`
/// (82 181.25 on Ethereum mainnet, 384-second epochs). `0.0` for a preset with zero-length
/// slots or epochs.
pub fn epochs_per_year(preset: &Preset) -> f64 {
    let seconds_per_epoch = preset.seconds_per_slot as f64 * preset.slots_per_epoch as f64;
    if seconds_per_epoch > 0.0 {
        finite_or_zero(DAYS_PER_YEAR * SECONDS_PER_DAY / seconds_per_epoch)
    } else {
        0.0
    }
}

/// Altair's `get_base_reward_per_increment` in real numbers: `EFFECTIVE_BALANCE_INCREMENT ·
/// BASE_REWARD_FACTOR / √total_active_balance`, Gwei per increment of effective balance per
/// epoch (about 357.77 on Ethereum mainnet with 32 M ETH staked). The spec floors the square
/// root and the quotient; this does not. `0.0` for a zero total.
pub fn base_reward_per_increment(preset: &Preset, total_active_balance: u64) -> f64 {
    if total_active_balance == 0 {
        return 0.0;
    }
    finite_or_zero(
        preset.effective_balance_increment as f64 * preset.base_reward_factor as f64
            / sqrt(total_active_balance as f64),
    )
}

/// The expected yearly return, as a fraction of the effective balance (`0.029` is 2.9 %), of a
/// validator that takes part as the network does, when `total_active_balance` Gwei is staked
/// and a share `participation` of it attests on time (clamped to `[0, 1]`; `NaN` counts as
/// `0`). Rewards are not compounded (the effective balance is capped). The inactivity leak,
/// slashings and the spec's integer floors are left out. `0.0` for a zero total or a
/// degenerate preset (a zero slot length, epoch length, increment, weight denominator,
/// `BASE_REWARDS_PER_EPOCH` or `PROPOSER_REWARD_QUOTIENT`).
///
/// With `p = participation` and `B` = [`base_reward_per_increment`], per epoch and per
/// increment of effective balance:
///
/// - **Altair and later forks** (`get_flag_index_deltas`): the validator attests with
///   probability `p`, and each flag's reward is scaled by the participating share `p`:
///   `B · (Ws + Wt + Wh) / WD · p · p`; when it misses (probability `1 - p`) it loses the
///   source and target rewards: `- (1 - p) · B · (Ws + Wt) / WD`; its expected share of
///   proposer rewards, `B · WP / WD · p`, and of sync-committee rewards, `B · Wsync / WD · p`
///   (over a random committee seat; the proposer's rewards also shrink as fewer attestations
///   are included, and absent sync-committee members are penalised: both left out).
///   `W*` are `TIMELY_SOURCE_WEIGHT`, `TIMELY_TARGET_WEIGHT`, `TIMELY_HEAD_WEIGHT`,
///   `PROPOSER_WEIGHT`, `SYNC_REWARD_WEIGHT` and `WEIGHT_DENOMINATOR`. At `p = 1` the weights
///   sum to `WD`, so the return is `B` per increment per epoch.
/// - **Phase 0** (`get_attestation_component_deltas`, `get_inclusion_delay_deltas`): with
///   `b = MAX_EFFECTIVE_BALANCE · BASE_REWARD_FACTOR / √total / BASE_REWARDS_PER_EPOCH` and
///   `q = PROPOSER_REWARD_QUOTIENT`, per epoch: source, target and head, each `b · p` when the
///   validator attests (probability `p`): `3 · b · p · p`; the three penalties when it does not:
///   `- 3 · b · (1 - p)`; the inclusion reward at delay 1, `b · (1 - 1/q) · p`; and its share
///   of proposer rewards, `b / q · p`. At `p = 1` that is `4 · b`, the same as Altair's `B`
///   per increment.
///
/// The year has 365.25 days ([`epochs_per_year`]).
pub fn apr(preset: &Preset, total_active_balance: u64, participation: f64) -> f64 {
    let p = share(participation);
    let per_year = epochs_per_year(preset);
    if total_active_balance == 0 || per_year == 0.0 {
        return 0.0;
    }
    // Gwei earned per Gwei of effective balance per epoch.
    let per_epoch = match preset.fork {
        Fork::Phase0 => {
            let balance = preset.max_effective_balance as f64;
            let per_epoch_count = preset.base_rewards_per_epoch as f64;
            let quotient = preset.proposer_reward_quotient as f64;
            if balance == 0.0 || per_epoch_count == 0.0 || quotient == 0.0 {
                return 0.0;
            }
            let b = balance * preset.base_reward_factor as f64
                / sqrt(total_active_balance as f64)
                / per_epoch_count;
            let attesting = 3.0 * b * p * p;
            let missed = 3.0 * b * (1.0 - p);
            let inclusion = b * (1.0 - 1.0 / quotient) * p;
            let proposer = b / quotient * p;
            (attesting - missed + inclusion + proposer) / balance
        }
        Fork::Altair | Fork::Bellatrix | Fork::Deneb | Fork::Electra => {
            let increment = preset.effective_balance_increment as f64;
            let denominator = preset.weight_denominator as f64;
            if increment == 0.0 || denominator == 0.0 {
                return 0.0;
            }
            let b = base_reward_per_increment(preset, total_active_balance);
            let weight = |w: u64| b * w as f64 / denominator;
            let source = weight(preset.timely_source_weight);
            let target = weight(preset.timely_target_weight);
            let head = weight(preset.timely_head_weight);
            let attesting = (source + target + head) * p * p;
            let missed = (1.0 - p) * (source + target);
            let proposer = weight(preset.proposer_weight) * p;
            let sync = weight(preset.sync_reward_weight) * p;
            (attesting - missed + proposer + sync) / increment
        }
    };
    finite_or_zero(per_epoch * per_year)
}

/// When a slashed validator meets the rest of its slashing, as a dashboard shows it
/// ([`slashing_timeline`]). Times are seconds from the epoch asked about, `0.0` once passed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlashingTimeline {
    /// The epoch whose processing applies the correlation penalty (`process_slashings`):
    /// `withdrawable_epoch - EPOCHS_PER_SLASHINGS_VECTOR / 2`.
    pub correlation_penalty_epoch: Epoch,
    /// The validator's `withdrawable_epoch`.
    pub withdrawable_epoch: Epoch,
    /// Seconds until [`SlashingTimeline::correlation_penalty_epoch`] starts.
    pub seconds_to_correlation_penalty: f64,
    /// Seconds until [`SlashingTimeline::withdrawable_epoch`] starts.
    pub seconds_to_withdrawable: f64,
}

impl SlashingTimeline {
    /// [`SlashingTimeline::seconds_to_correlation_penalty`] in days.
    pub fn days_to_correlation_penalty(&self) -> f64 {
        self.seconds_to_correlation_penalty / SECONDS_PER_DAY
    }

    /// [`SlashingTimeline::seconds_to_withdrawable`] in days.
    pub fn days_to_withdrawable(&self) -> f64 {
        self.seconds_to_withdrawable / SECONDS_PER_DAY
    }
}

/// Seconds from the start of `from` to the start of `to` (`0.0` if `to` is not later):
/// `epochs · SLOTS_PER_EPOCH · SECONDS_PER_SLOT`.
fn seconds_between(preset: &Preset, from: Epoch, to: Epoch) -> f64 {
    let epochs = to.0.saturating_sub(from.0) as f64;
    finite_or_zero(epochs * preset.slots_per_epoch as f64 * preset.seconds_per_slot as f64)
}

/// The rest of a slashed validator's slashing, seen at `current_epoch`: the epoch of the
/// correlation penalty and the withdrawable epoch, and the time until each.
///
/// `slash_validator` sets `withdrawable_epoch` to at least the slashing epoch +
/// `EPOCHS_PER_SLASHINGS_VECTOR`, and `process_slashings` applies the correlation penalty in
/// the epoch where `epoch + EPOCHS_PER_SLASHINGS_VECTOR // 2 == withdrawable_epoch`, half-way.
///
/// `None` when there is no such timeline: the validator is not slashed, its withdrawable epoch
/// is not scheduled ([`FAR_FUTURE_EPOCH`]), or it is earlier than
/// `EPOCHS_PER_SLASHINGS_VECTOR / 2` (no epoch would apply the penalty; `slash_validator` never
/// leaves such a record). The other fields of the record are not read
/// ([`slashing_timeline_of`] takes the two that are).
pub fn slashing_timeline(
    preset: &Preset,
    validator: &Validator,
    current_epoch: Epoch,
) -> Option<SlashingTimeline> {
    slashing_timeline_of(
        preset,
        validator.slashed,
        validator.withdrawable_epoch,
        current_epoch,
    )
}

/// [`slashing_timeline`] from the two fields of the validator record it reads: `slashed` and
/// `withdrawable_epoch` (for a caller that holds only those, such as the JavaScript package).
pub fn slashing_timeline_of(
    preset: &Preset,
    slashed: bool,
    withdrawable_epoch: Epoch,
    current_epoch: Epoch,
) -> Option<SlashingTimeline> {
    if !slashed || withdrawable_epoch == FAR_FUTURE_EPOCH {
        return None;
    }
    let half_vector = preset.epochs_per_slashings_vector.checked_div(2)?;
    let penalty = Epoch(withdrawable_epoch.0.checked_sub(half_vector)?);
    Some(SlashingTimeline {
        correlation_penalty_epoch: penalty,
        withdrawable_epoch,
        seconds_to_correlation_penalty: seconds_between(preset, current_epoch, penalty),
        seconds_to_withdrawable: seconds_between(preset, current_epoch, withdrawable_epoch),
    })
}

/// The probability that a validator with `effective_balance` Gwei proposes at least one block
/// in the next `slots` slots, when `total_active_balance` Gwei is active.
///
/// `compute_proposer_index` draws candidates and accepts one with probability
/// `effective_balance / MAX_EFFECTIVE_BALANCE`, so each slot picks a validator with probability
/// `q = effective_balance / total_active_balance`; slots draw independently (each has its own
/// seed), so the answer is `1 - (1 - q)^slots`, computed as `-expm1(slots · log1p(-q))`, which
/// stays exact for tiny `q` (a `(1 - q)^n` in floating point would lose `q` below about
/// 10⁻¹⁶). `0.0` for a zero balance, total or slot count; `1.0` when the balance is the whole
/// total (or more).
pub fn proposal_probability(effective_balance: u64, total_active_balance: u64, slots: u64) -> f64 {
    if effective_balance == 0 || total_active_balance == 0 || slots == 0 {
        return 0.0;
    }
    if effective_balance >= total_active_balance {
        return 1.0;
    }
    let q = effective_balance as f64 / total_active_balance as f64;
    finite_or_zero(-expm1(slots as f64 * log1p(-q))).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GWEI: u64 = 1_000_000_000;
    /// 32 ETH and the seed chain's 1000 coins, Gwei.
    const ETH32: u64 = 32 * GWEI;
    const COINS1000: u64 = 1000 * GWEI;
    const MILLION: u64 = 1_000_000;
    /// A day of 12-second slots.
    const SLOTS_PER_DAY: u64 = 7200;

    fn close(actual: f64, expected: f64, relative: f64) -> bool {
        (actual - expected).abs() <= relative * expected.abs()
    }

    #[track_caller]
    fn assert_close(actual: f64, expected: f64, relative: f64) {
        assert!(
            close(actual, expected, relative),
            "{actual} is not within {relative} (relative) of {expected}"
        );
    }

    fn altair_and_later() -> [Preset; 4] {
        [
            Preset::altair(),
            Preset::bellatrix(),
            Preset::deneb(),
            Preset::electra(),
        ]
    }

    fn every_preset() -> [Preset; 6] {
        [
            Preset::phase0(),
            Preset::altair(),
            Preset::bellatrix(),
            Preset::deneb(),
            Preset::electra(),
            Preset::seed_chain(),
        ]
    }

    fn slashed(withdrawable: u64) -> Validator {
        Validator {
            pubkey: [7; 48],
            withdrawal_credentials: [1; 32],
            effective_balance: ETH32,
            slashed: true,
            activation_eligibility_epoch: Epoch(0),
            activation_epoch: Epoch(1),
            exit_epoch: Epoch(withdrawable.saturating_sub(8000)),
            withdrawable_epoch: Epoch(withdrawable),
        }
    }

    // --- APR ---

    #[test]
    fn epochs_per_year_of_384_second_epochs() {
        assert_eq!(epochs_per_year(&Preset::deneb()), 82_181.25);
        assert_eq!(epochs_per_year(&Preset::seed_chain()), 82_181.25);
        let stalled = Preset {
            seconds_per_slot: 0,
            ..Preset::deneb()
        };
        assert_eq!(epochs_per_year(&stalled), 0.0);
        let empty = Preset {
            slots_per_epoch: 0,
            ..Preset::deneb()
        };
        assert_eq!(epochs_per_year(&empty), 0.0);
    }

    #[test]
    fn mainnet_anchor_one_million_validators() {
        let total = MILLION * ETH32;
        // 10^9 · 64 / √(32·10^15) = 357.7708763999664 Gwei.
        let b = base_reward_per_increment(&Preset::deneb(), total);
        assert_close(b, 357.770_876_399_966_4, 1e-12);
        // The same integer the spec computes, within the floors.
        let spec = 1_000_000_000u64 * 64 / total.isqrt();
        assert_eq!(spec, 357);
        assert!(b - spec as f64 <= 1.0);
        let expected = 357.77 * 82_181.25 / 1e9; // ≈ 2.94 %
        for preset in altair_and_later() {
            let yearly = apr(&preset, total, 1.0);
            assert_close(yearly, expected, 1e-3);
            assert!((0.0293..0.0295).contains(&yearly), "{yearly}");
        }
    }

    #[test]
    fn phase0_at_full_participation_matches_altair() {
        // Phase 0: 4 base rewards of eb·factor/√total/4 per epoch; Altair: B per increment.
        for validators in [1_000, 100_000, MILLION, 2 * MILLION] {
            let total = validators * ETH32;
            assert_close(
                apr(&Preset::phase0(), total, 1.0),
                apr(&Preset::altair(), total, 1.0),
                1e-12,
            );
        }
        // 1 M validators: 2.94 % as well.
        assert_close(
            apr(&Preset::phase0(), MILLION * ETH32, 1.0),
            357.77 * 82_181.25 / 1e9,
            1e-3,
        );
    }

    #[test]
    fn altair_terms_at_partial_participation() {
        let total = MILLION * ETH32;
        let b = base_reward_per_increment(&Preset::deneb(), total) / 1e9; // per Gwei
        let year = 82_181.25;
        let p: f64 = 0.9;
        let expected = b
            * ((14.0 + 26.0 + 14.0) / 64.0 * p * p - (1.0 - p) * (14.0 + 26.0) / 64.0
                + 8.0 / 64.0 * p
                + 2.0 / 64.0 * p)
            * year;
        assert_close(apr(&Preset::deneb(), total, p), expected, 1e-12);
    }

    #[test]
    fn phase0_terms_at_partial_participation() {
        let total = 500_000 * ETH32;
        let b = ETH32 as f64 * 64.0 / sqrt(total as f64) / 4.0;
        let p: f64 = 0.75;
        let per_epoch =
            3.0 * b * p * p - 3.0 * b * (1.0 - p) + b * (1.0 - 1.0 / 8.0) * p + b / 8.0 * p;
        let expected = per_epoch / ETH32 as f64 * 82_181.25;
        assert_close(apr(&Preset::phase0(), total, p), expected, 1e-12);
    }

    #[test]
    fn apr_falls_as_stake_grows() {
        for preset in every_preset() {
            let mut previous = f64::INFINITY;
            for validators in [1, 10, 1_000, 100_000, MILLION, 10 * MILLION] {
                let yearly = apr(&preset, validators * preset.max_effective_balance, 1.0);
                assert!(yearly > 0.0 && yearly < previous, "{:?}", preset.fork);
                previous = yearly;
            }
            // As 1/√total: four times the stake, half the return.
            let one = apr(&preset, MILLION * preset.max_effective_balance, 1.0);
            let four = apr(&preset, 4 * MILLION * preset.max_effective_balance, 1.0);
            assert_close(four, one / 2.0, 1e-12);
        }
    }

    #[test]
    fn apr_rises_with_participation() {
        for preset in every_preset() {
            let total = MILLION * preset.max_effective_balance;
            let mut previous = f64::NEG_INFINITY;
            for step in 0..=20 {
                let yearly = apr(&preset, total, f64::from(step) / 20.0);
                assert!(yearly > previous, "{:?} at {step}/20", preset.fork);
                previous = yearly;
            }
        }
    }

    #[test]
    fn no_participation_loses_the_source_and_target_rewards() {
        let total = MILLION * ETH32;
        for preset in altair_and_later() {
            let yearly = apr(&preset, total, 0.0);
            assert!(yearly < 0.0);
            // -(14 + 26)/64 of the full return.
            assert_close(yearly, -40.0 / 64.0 * apr(&preset, total, 1.0), 1e-12);
        }
        // Phase 0: the three penalties, -3/4 of the full return.
        let yearly = apr(&Preset::phase0(), total, 0.0);
        assert_close(yearly, -0.75 * apr(&Preset::phase0(), total, 1.0), 1e-12);
    }

    #[test]
    fn participation_is_clamped_and_nan_is_zero() {
        let total = MILLION * ETH32;
        for preset in every_preset() {
            let zero = apr(&preset, total, 0.0);
            let full = apr(&preset, total, 1.0);
            assert_eq!(apr(&preset, total, f64::NAN), zero);
            assert_eq!(apr(&preset, total, -0.5), zero);
            assert_eq!(apr(&preset, total, f64::NEG_INFINITY), zero);
            assert_eq!(apr(&preset, total, 1.5), full);
            assert_eq!(apr(&preset, total, f64::INFINITY), full);
        }
    }

    #[test]
    fn seed_chain_issuance_per_coin_matches_ethereum() {
        // BASE_REWARD_FACTOR 358 = 64 · √31.25 rounded: the same return at the same number of
        // validators (1000 coins for 32 ETH), within 0.2 % (0.06 % from the rounding).
        for validators in [100, 10_000, 100_000, MILLION, 5 * MILLION] {
            let seed = apr(&Preset::seed_chain(), validators * COINS1000, 1.0);
            let mainnet = apr(&Preset::deneb(), validators * ETH32, 1.0);
            assert_close(seed, mainnet, 0.002);
            assert!(
                !close(seed, mainnet, 0.0001),
                "358 is not exactly 64·√31.25"
            );
            for p in [0.0, 0.5, 0.95] {
                let seed = apr(&Preset::seed_chain(), validators * COINS1000, p);
                let mainnet = apr(&Preset::deneb(), validators * ETH32, p);
                assert_close(seed, mainnet, 0.002);
            }
        }
    }

    #[test]
    fn degenerate_inputs_give_zero_never_nan() {
        for preset in every_preset() {
            assert_eq!(apr(&preset, 0, 1.0), 0.0);
            assert_eq!(base_reward_per_increment(&preset, 0), 0.0);
            let tiny = apr(&preset, 1, 1.0);
            let huge = apr(&preset, u64::MAX, 1.0);
            assert!(tiny.is_finite() && tiny > 0.0);
            assert!(huge.is_finite() && huge > 0.0 && huge < tiny);
            // As 1/√total from one Gwei to 2^64 - 1: a factor of 2^32.
            assert_close(tiny / huge, 4_294_967_296.0, 1e-9);
        }
        let total = MILLION * ETH32;
        let broken = [
            Preset {
                seconds_per_slot: 0,
                ..Preset::deneb()
            },
            Preset {
                slots_per_epoch: 0,
                ..Preset::deneb()
            },
            Preset {
                weight_denominator: 0,
                ..Preset::deneb()
            },
            Preset {
                effective_balance_increment: 0,
                ..Preset::deneb()
            },
            Preset {
                base_rewards_per_epoch: 0,
                ..Preset::phase0()
            },
            Preset {
                proposer_reward_quotient: 0,
                ..Preset::phase0()
            },
            Preset {
                max_effective_balance: 0,
                ..Preset::phase0()
            },
        ];
        for preset in broken {
            for p in [0.0, 0.5, 1.0, f64::NAN] {
                assert_eq!(apr(&preset, total, p), 0.0, "{preset:?}");
            }
        }
        // Extreme but valid-looking constants stay finite.
        let extreme = Preset {
            base_reward_factor: u64::MAX,
            effective_balance_increment: u64::MAX,
            timely_head_weight: u64::MAX,
            ..Preset::deneb()
        };
        for total in [1, total, u64::MAX] {
            assert!(apr(&extreme, total, 0.5).is_finite());
        }
    }

    // --- Slashing timeline ---

    #[test]
    fn mainnet_day_18_and_day_36() {
        let e = 300_000;
        let v = slashed(e + 8192);
        for preset in [Preset::deneb(), Preset::phase0(), Preset::seed_chain()] {
            let t = slashing_timeline(&preset, &v, Epoch(e)).unwrap();
            assert_eq!(t.correlation_penalty_epoch, Epoch(e + 4096));
            assert_eq!(t.withdrawable_epoch, Epoch(e + 8192));
            // 4096 epochs of 384 s, 8192 epochs of 384 s.
            assert_eq!(t.seconds_to_correlation_penalty, 1_572_864.0);
            assert_eq!(t.seconds_to_withdrawable, 3_145_728.0);
            assert_close(t.days_to_correlation_penalty(), 18.204_444, 1e-6);
            assert_close(t.days_to_withdrawable(), 36.408_888, 1e-6);
            assert_eq!(t.days_to_correlation_penalty() as u32, 18);
            assert_eq!(t.days_to_withdrawable() as u32, 36);
        }
    }

    #[test]
    fn the_timeline_counts_down_and_stops_at_zero() {
        let preset = Preset::deneb();
        let v = slashed(10_000 + 8192);
        let at = |epoch| slashing_timeline(&preset, &v, Epoch(epoch)).unwrap();
        // A day later (225 epochs): a day less to each.
        let later = at(10_225);
        assert_eq!(
            later.seconds_to_correlation_penalty,
            4096.0 * 384.0 - 86_400.0
        );
        assert_eq!(later.seconds_to_withdrawable, 8192.0 * 384.0 - 86_400.0);
        // At the penalty epoch, and after it.
        let penalty = at(10_000 + 4096);
        assert_eq!(penalty.seconds_to_correlation_penalty, 0.0);
        assert_eq!(penalty.seconds_to_withdrawable, 4096.0 * 384.0);
        let after = at(10_000 + 4097);
        assert_eq!(after.seconds_to_correlation_penalty, 0.0);
        assert_eq!(after.seconds_to_withdrawable, 4095.0 * 384.0);
        // Withdrawable and past.
        for epoch in [10_000 + 8192, u64::MAX] {
            let done = at(epoch);
            assert_eq!(done.seconds_to_correlation_penalty, 0.0);
            assert_eq!(done.seconds_to_withdrawable, 0.0);
            assert_eq!(done.correlation_penalty_epoch, Epoch(10_000 + 4096));
        }
        // From genesis, long before the slashing.
        let early = at(0);
        assert_eq!(early.seconds_to_withdrawable, 18_192.0 * 384.0);
    }

    #[test]
    fn no_timeline_without_a_scheduled_slashing() {
        let preset = Preset::deneb();
        let honest = Validator {
            slashed: false,
            ..slashed(9000)
        };
        assert_eq!(slashing_timeline(&preset, &honest, Epoch(0)), None);
        let unscheduled = Validator {
            withdrawable_epoch: FAR_FUTURE_EPOCH,
            ..slashed(0)
        };
        assert_eq!(slashing_timeline(&preset, &unscheduled, Epoch(0)), None);
        // Before half a vector no epoch applies the penalty.
        assert_eq!(slashing_timeline(&preset, &slashed(4095), Epoch(0)), None);
        let earliest = slashing_timeline(&preset, &slashed(4096), Epoch(0)).unwrap();
        assert_eq!(earliest.correlation_penalty_epoch, Epoch(0));
        assert_eq!(earliest.seconds_to_correlation_penalty, 0.0);
        // The largest scheduled epoch.
        let last = slashing_timeline(&preset, &slashed(u64::MAX - 1), Epoch(0)).unwrap();
        assert_eq!(last.correlation_penalty_epoch, Epoch(u64::MAX - 1 - 4096));
        assert!(last.seconds_to_withdrawable.is_finite());
    }

    #[test]
    fn the_record_and_its_two_fields_agree() {
        let preset = Preset::seed_chain();
        for v in [
            slashed(9000),
            slashed(4095),
            Validator {
                slashed: false,
                ..slashed(9000)
            },
            slashed(FAR_FUTURE_EPOCH.0),
        ] {
            for epoch in [0, 4000, 9000, 20_000] {
                assert_eq!(
                    slashing_timeline(&preset, &v, Epoch(epoch)),
                    slashing_timeline_of(&preset, v.slashed, v.withdrawable_epoch, Epoch(epoch))
                );
            }
        }
        assert!(slashing_timeline_of(&preset, true, Epoch(9000), Epoch(0)).is_some());
        assert!(slashing_timeline_of(&preset, false, Epoch(9000), Epoch(0)).is_none());
    }

    #[test]
    fn degenerate_presets_give_finite_timelines() {
        let v = slashed(9000);
        let no_vector = Preset {
            epochs_per_slashings_vector: 0,
            ..Preset::deneb()
        };
        let t = slashing_timeline(&no_vector, &v, Epoch(0)).unwrap();
        assert_eq!(t.correlation_penalty_epoch, Epoch(9000));
        let no_time = Preset {
            seconds_per_slot: 0,
            ..Preset::deneb()
        };
        let t = slashing_timeline(&no_time, &v, Epoch(0)).unwrap();
        assert_eq!(t.seconds_to_withdrawable, 0.0);
        let huge = Preset {
            seconds_per_slot: u64::MAX,
            slots_per_epoch: u64::MAX,
            ..Preset::deneb()
        };
        let t = slashing_timeline(&huge, &slashed(u64::MAX - 1), Epoch(0)).unwrap();
        assert!(t.seconds_to_withdrawable.is_finite() && t.seconds_to_withdrawable > 0.0);
    }

    // --- Proposal probability ---

    #[test]
    fn one_slot_is_the_balance_share() {
        for (eb, total) in [
            (ETH32, MILLION * ETH32),
            (ETH32, 3 * ETH32),
            (1, u64::MAX),
            (2048 * GWEI, 34_000_000 * GWEI),
        ] {
            let q = eb as f64 / total as f64;
            assert_close(proposal_probability(eb, total, 1), q, 1e-12);
        }
    }

    #[test]
    fn one_day_with_a_million_validators() {
        let day = proposal_probability(ETH32, MILLION * ETH32, 32 * 225);
        assert_eq!(32 * 225, SLOTS_PER_DAY);
        // 1 - (1 - 10⁻⁶)^7200 ≈ 1 - e^(-0.0072) = 0.0071741...
        let approx = 1.0 - libm::exp(-0.0072);
        assert_close(day, approx, 1e-5);
        assert!((0.007_17..0.007_18).contains(&day), "{day}");
        // A year: 1 - e^(-2.63) ≈ 92.8 %.
        let year = proposal_probability(ETH32, MILLION * ETH32, 2_629_800);
        assert_close(year, 1.0 - libm::exp(-2.6298), 1e-5);
    }

    #[test]
    fn matches_repeated_multiplication_for_small_counts() {
        for (eb, total) in [(1, 3), (ETH32, 10 * ETH32), (ETH32, 700 * ETH32)] {
            let q = eb as f64 / total as f64;
            let mut miss = 1.0;
            for slots in 1..=64u64 {
                miss *= 1.0 - q;
                assert_close(proposal_probability(eb, total, slots), 1.0 - miss, 1e-12);
            }
        }
    }

    #[test]
    fn monotone_in_slots_and_never_above_one() {
        for (eb, total) in [
            (ETH32, MILLION * ETH32),
            (ETH32, 2 * ETH32),
            (1, u64::MAX),
            (u64::MAX - 1, u64::MAX),
        ] {
            let mut previous = 0.0;
            for slots in [1, 2, 10, 32, 7200, 1 << 20, 1 << 40, u64::MAX] {
                let p = proposal_probability(eb, total, slots);
                assert!((0.0..=1.0).contains(&p), "{p}");
                assert!(p >= previous, "{eb}/{total} at {slots}: {p} < {previous}");
                previous = p;
            }
        }
        // Strictly rising while far from 1.
        let small = |n| proposal_probability(ETH32, MILLION * ETH32, n);
        assert!(small(1) < small(2) && small(2) < small(7200) && small(7200) < small(100_000));
        // A tiny share over many slots: no loss of precision near 0.
        let tiny = proposal_probability(1, u64::MAX, 1 << 20);
        assert_close(tiny, (1u64 << 20) as f64 / u64::MAX as f64, 1e-9);
    }

    #[test]
    fn edges() {
        assert_eq!(proposal_probability(0, MILLION * ETH32, 7200), 0.0);
        assert_eq!(proposal_probability(ETH32, 0, 7200), 0.0);
        assert_eq!(proposal_probability(ETH32, MILLION * ETH32, 0), 0.0);
        assert_eq!(proposal_probability(ETH32, ETH32, 1), 1.0);
        assert_eq!(proposal_probability(2 * ETH32, ETH32, 1), 1.0);
        assert_eq!(proposal_probability(ETH32, ETH32, 0), 0.0);
        assert_eq!(proposal_probability(u64::MAX, u64::MAX, u64::MAX), 1.0);
    }
}
