//! Dashboard estimates (`stakehold::estimate`): the expected yearly return of a validator, the
//! timeline of a slashed validator, and the odds of proposing a block — `double`s **for display
//! only**, computed by the core in floating point; no transition reads them. No heap: part of
//! the firmware surface (on a Cortex-M4F the `double` arithmetic is done in software).
//!
//! Presets are SCALE bytes (`SH_PRESET_LEN`, as `sh_preset` writes them) and validators the
//! record `sh_ledger_validator` writes (`SH_VALIDATOR_LEN`). A preset is decoded, not
//! validated: the estimates are total, and a degenerate preset (a zero slot length, a zero
//! weight denominator, …) gives `0.0`.

use stakehold::Epoch;
use stakehold::estimate;
use stakehold::validator::{Preset, Validator};
use stakehold::wire::decode_exact;

use crate::buffers::{OutValue, Result, input, run};
use crate::status::{SH_INVALID_ARGUMENT, code, sh_status};

/// When a slashed validator meets the rest of its slashing: what `sh_slashing_timeline`
/// writes. Times are counted from the epoch asked about, `0` once passed.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct sh_slashing_schedule {
    /// The epoch whose processing applies the correlation penalty (`process_slashings`):
    /// `withdrawable_epoch - EPOCHS_PER_SLASHINGS_VECTOR / 2` (the seed's day 18).
    pub correlation_penalty_epoch: u64,
    /// The validator's withdrawable epoch (the seed's day 36).
    pub withdrawable_epoch: u64,
    /// Seconds until the correlation penalty epoch starts.
    pub seconds_to_correlation_penalty: f64,
    /// Seconds until the withdrawable epoch starts.
    pub seconds_to_withdrawable: f64,
    /// `seconds_to_correlation_penalty` in days.
    pub days_to_correlation_penalty: f64,
    /// `seconds_to_withdrawable` in days.
    pub days_to_withdrawable: f64,
}

impl From<estimate::SlashingTimeline> for sh_slashing_schedule {
    fn from(t: estimate::SlashingTimeline) -> Self {
        Self {
            correlation_penalty_epoch: t.correlation_penalty_epoch.0,
            withdrawable_epoch: t.withdrawable_epoch.0,
            seconds_to_correlation_penalty: t.seconds_to_correlation_penalty,
            seconds_to_withdrawable: t.seconds_to_withdrawable,
            days_to_correlation_penalty: t.days_to_correlation_penalty(),
            days_to_withdrawable: t.days_to_withdrawable(),
        }
    }
}

/// The preset in `len` bytes at `ptr` (SCALE, `SH_PRESET_LEN` bytes).
///
/// # Safety
/// As [`input`].
unsafe fn preset_at(ptr: *const u8, len: usize) -> Result<Preset> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { input(ptr, len) }?;
    decode_exact(bytes).map_err(code)
}

/// The expected yearly return, as a fraction of the effective balance (`0.029` is 2.9 %), of a
/// validator that takes part as the network does, when `total_active_balance` Gwei is active
/// and the share `participation` of it attests on time (clamped to 0..1; NaN counts as 0):
/// Altair and later from `get_base_reward_per_increment` and the participation weights, Phase
/// 0 from its `get_base_reward` (the core's `stakehold::estimate::apr` documents the model).
/// Negative when missed duties cost more than they earn; `0.0` for a zero total. For display
/// only. A preset that does not decode is 200–203; nothing is written then.
///
/// ```c
/// uint8_t preset[SH_PRESET_LEN];
/// size_t preset_len;
/// double apr;
/// sh_preset(SH_PRESET_SEED_CHAIN, preset, sizeof preset, &preset_len);
/// sh_status s = sh_estimate_apr(preset, preset_len, total_active_balance, 0.99, &apr);
/// ```
///
/// # Safety
/// `preset` must be valid for `preset_len` readable bytes and `apr` for a `double` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_estimate_apr(
    preset: *const u8,
    preset_len: usize,
    total_active_balance: u64,
    participation: f64,
    apr: *mut f64,
) -> sh_status {
    run(|| {
        let out = OutValue::new(apr)?;
        // SAFETY: forwarded from this function's contract.
        let preset = unsafe { preset_at(preset, preset_len) }?;
        let value = estimate::apr(&preset, total_active_balance, participation);
        // SAFETY: forwarded from this function's contract.
        unsafe { out.set(value) };
        Ok(())
    })
}

/// A slashed validator's timeline seen at `current_epoch`: the correlation-penalty epoch
/// (`process_slashings` applies it half-way to the withdrawable epoch), the withdrawable epoch,
/// and the time until each (`epochs · SLOTS_PER_EPOCH · SECONDS_PER_SLOT`). `validator` is a
/// validator record (SCALE `Validator`, `SH_VALIDATOR_LEN` bytes, as `sh_ledger_validator`
/// writes it). For display only.
///
/// A validator that is not slashed, or whose withdrawable epoch is not scheduled, has no
/// timeline: 601 InvalidArgument. A preset or record that does not decode is 200–203. Nothing
/// is written on error.
///
/// ```c
/// sh_slashing_schedule timeline;
/// sh_status s = sh_slashing_timeline(preset, preset_len, validator, SH_VALIDATOR_LEN,
///                                    current_epoch, &timeline);
/// if (s == SH_OK) printf("withdrawable in %.1f days\n", timeline.days_to_withdrawable);
/// ```
///
/// # Safety
/// `preset` and `validator` must be valid for their lengths in readable bytes, and `timeline`
/// for an `sh_slashing_schedule` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_slashing_timeline(
    preset: *const u8,
    preset_len: usize,
    validator: *const u8,
    validator_len: usize,
    current_epoch: u64,
    timeline: *mut sh_slashing_schedule,
) -> sh_status {
    run(|| {
        let out = OutValue::new(timeline)?;
        // SAFETY: forwarded from this function's contract.
        let (preset, record) = unsafe {
            (
                preset_at(preset, preset_len)?,
                input(validator, validator_len)?,
            )
        };
        let validator: Validator = decode_exact(record).map_err(code)?;
        let found = estimate::slashing_timeline(&preset, &validator, Epoch(current_epoch))
            .ok_or(SH_INVALID_ARGUMENT)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { out.set(found.into()) };
        Ok(())
    })
}

/// The probability (0 to 1) that a validator with `effective_balance` Gwei proposes at least
/// one block in the next `slots` slots (7200 a day) when `total_active_balance` Gwei is active:
/// `1 - (1 - effective_balance / total_active_balance)^slots` (`compute_proposer_index` picks
/// in proportion to effective balance). `0.0` for a zero balance, total or slot count; `1.0`
/// when the balance is the whole total. For display only.
///
/// ```c
/// double p;
/// sh_status s = sh_proposal_probability(32000000000u, total_active_balance, 7200, &p);
/// ```
///
/// # Safety
/// `probability` must be valid for a `double` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_proposal_probability(
    effective_balance: u64,
    total_active_balance: u64,
    slots: u64,
    probability: *mut f64,
) -> sh_status {
    run(|| {
        let out = OutValue::new(probability)?;
        let value = estimate::proposal_probability(effective_balance, total_active_balance, slots);
        // SAFETY: forwarded from this function's contract.
        unsafe { out.set(value) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::Encode;
    use stakehold::validator::FAR_FUTURE_EPOCH;

    use super::*;
    use crate::chain::{SH_PRESET_LEN, SH_VALIDATOR_LEN};
    use crate::status::{SH_NULL_POINTER, SH_OK};

    fn slashed(withdrawable: u64) -> Validator {
        Validator {
            pubkey: [3; 48],
            withdrawal_credentials: [1; 32],
            effective_balance: 32_000_000_000,
            slashed: true,
            activation_eligibility_epoch: Epoch(0),
            activation_epoch: Epoch(0),
            exit_epoch: Epoch(10),
            withdrawable_epoch: Epoch(withdrawable),
        }
    }

    #[test]
    fn the_functions_are_the_core_estimates() {
        let preset = Preset::deneb().encode();
        assert_eq!(preset.len(), SH_PRESET_LEN);
        let total = 1_000_000 * 32_000_000_000;
        let mut apr = f64::NAN;
        // SAFETY: a live buffer of `preset.len()` bytes and a live `f64`.
        let status =
            unsafe { sh_estimate_apr(preset.as_ptr(), preset.len(), total, 0.97, &mut apr) };
        assert_eq!(status, SH_OK);
        assert_eq!(apr, estimate::apr(&Preset::deneb(), total, 0.97));

        let record = slashed(8200).encode();
        assert_eq!(record.len(), SH_VALIDATOR_LEN);
        let mut timeline = sh_slashing_schedule::from(estimate::SlashingTimeline {
            correlation_penalty_epoch: Epoch(0),
            withdrawable_epoch: Epoch(0),
            seconds_to_correlation_penalty: 0.0,
            seconds_to_withdrawable: 0.0,
        });
        // SAFETY: live buffers of their lengths and a live `sh_slashing_schedule`.
        let status = unsafe {
            sh_slashing_timeline(
                preset.as_ptr(),
                preset.len(),
                record.as_ptr(),
                record.len(),
                8,
                &mut timeline,
            )
        };
        assert_eq!(status, SH_OK);
        assert_eq!(timeline.correlation_penalty_epoch, 8200 - 4096);
        assert_eq!(timeline.withdrawable_epoch, 8200);
        assert_eq!(timeline.seconds_to_withdrawable, 8192.0 * 384.0);
        assert_eq!(
            timeline.days_to_correlation_penalty,
            4096.0 * 384.0 / 86_400.0
        );

        let mut p = f64::NAN;
        // SAFETY: a live `f64`.
        assert_eq!(unsafe { sh_proposal_probability(1, 4, 2, &mut p) }, SH_OK);
        assert_eq!(p, estimate::proposal_probability(1, 4, 2));
    }

    #[test]
    fn errors_write_nothing() {
        let preset = Preset::seed_chain().encode();
        let mut value = 7.5;
        // SAFETY: NULL inputs with their lengths, and live outputs (or NULL).
        unsafe {
            assert_eq!(
                sh_estimate_apr(preset.as_ptr(), preset.len(), 1, 1.0, core::ptr::null_mut()),
                SH_NULL_POINTER
            );
            assert_eq!(
                sh_estimate_apr(core::ptr::null(), 5, 1, 1.0, &mut value),
                SH_NULL_POINTER
            );
            assert_eq!(
                sh_estimate_apr(preset.as_ptr(), preset.len() - 1, 1, 1.0, &mut value),
                200
            );
            assert_eq!(
                sh_proposal_probability(1, 2, 3, core::ptr::null_mut()),
                SH_NULL_POINTER
            );
        }
        assert_eq!(value, 7.5);
        let honest = Validator {
            slashed: false,
            ..slashed(9000)
        }
        .encode();
        let unscheduled = slashed(FAR_FUTURE_EPOCH.0).encode();
        let mut timeline = sh_slashing_schedule {
            correlation_penalty_epoch: 1,
            withdrawable_epoch: 2,
            seconds_to_correlation_penalty: 3.0,
            seconds_to_withdrawable: 4.0,
            days_to_correlation_penalty: 5.0,
            days_to_withdrawable: 6.0,
        };
        let before = timeline;
        for (record, status) in [
            (&honest[..], SH_INVALID_ARGUMENT),
            (&unscheduled[..], SH_INVALID_ARGUMENT),
            (&honest[..SH_VALIDATOR_LEN - 1], 200),
        ] {
            // SAFETY: live buffers of their lengths and a live `sh_slashing_schedule`.
            let got = unsafe {
                sh_slashing_timeline(
                    preset.as_ptr(),
                    preset.len(),
                    record.as_ptr(),
                    record.len(),
                    0,
                    &mut timeline,
                )
            };
            assert_eq!(got, status);
            assert_eq!(timeline, before);
        }
    }
}
