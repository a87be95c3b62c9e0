//! The proof-of-stake chain's pure functions, without a heap: presets as bytes, and one epoch's
//! justification and finalization (`stakehold::finality`) over the finality record.
//!
//! Formats (SCALE, equal to the consensus specs' SSZ for the fixed-size containers):
//! - a `Preset` ([`SH_PRESET_LEN`] bytes): the fork byte, then every constant as a `u64`;
//! - a `Validator` ([`SH_VALIDATOR_LEN`] bytes) and an `EpochState` ([`SH_EPOCH_STATE_LEN`]
//!   bytes), which a ledger handle reports;
//! - a `FinalityState` ([`SH_FINALITY_STATE_LEN`] bytes): the justification bits (one byte,
//!   the low four bits), then the previous justified, current justified and finalized
//!   checkpoints, each an 8-byte little-endian epoch and a 32-byte root;
//! - a `FinalityOutcome` (at most [`SH_FINALITY_OUTCOME_MAX_LEN`] bytes): three optional
//!   checkpoints (the previous epoch's if newly justified, the current epoch's if newly
//!   justified, the new finalized one), each `0` or `1` and the 40-byte checkpoint, then the
//!   optional finalization rule (`0`, or `1` and the rule's byte 0–3).

use stakehold::Epoch;
use stakehold::finality::{self, FinalityState};
use stakehold::validator::Preset;
use stakehold::wire::decode_exact;

use crate::buffers::{Out, Scale, deliver, input, input_array, run};
use crate::status::{SH_INVALID_ARGUMENT, code, sh_status};

/// Length of an encoded `Preset`.
pub const SH_PRESET_LEN: usize = 377;
/// Length of an encoded `FinalityState` (the justification bits and three checkpoints).
pub const SH_FINALITY_STATE_LEN: usize = 121;
/// Bound on an encoded `FinalityOutcome`'s length.
pub const SH_FINALITY_OUTCOME_MAX_LEN: usize = 125;
/// Length of an encoded `Validator` record (`sh_ledger_validator`): its SSZ bytes — public
/// key, withdrawal credentials, effective balance (Gwei), slashed (`0`/`1`), then the
/// activation eligibility, activation, exit and withdrawable epochs.
pub const SH_VALIDATOR_LEN: usize = 121;
/// Length of an encoded `EpochState` (`sh_ledger_epoch_state`): the current epoch, the
/// finality record (`SH_FINALITY_STATE_LEN` bytes) and the exit queue (five `u64`s).
pub const SH_EPOCH_STATE_LEN: usize = 169;
/// Length of a block root.
pub const SH_ROOT_LEN: usize = 32;
/// Length of a validator's BLS public key.
pub const SH_PUBKEY_LEN: usize = 48;

/// Which preset `sh_preset` writes (`uint32_t`; the `SH_PRESET_` values).
pub type sh_preset_id = u32;
/// Ethereum mainnet, Phase 0 rules.
pub const SH_PRESET_PHASE0: sh_preset_id = 0;
/// Ethereum mainnet, Altair rules.
pub const SH_PRESET_ALTAIR: sh_preset_id = 1;
/// Ethereum mainnet, Bellatrix (and Capella) rules.
pub const SH_PRESET_BELLATRIX: sh_preset_id = 2;
/// Ethereum mainnet, Deneb rules.
pub const SH_PRESET_DENEB: sh_preset_id = 3;
/// Ethereum mainnet, Electra rules.
pub const SH_PRESET_ELECTRA: sh_preset_id = 4;
/// The seed's own chain: 1000-coin validators, Deneb rules (the preset of `sh_ledger_new`).
pub const SH_PRESET_SEED_CHAIN: sh_preset_id = 5;

/// Writes the SCALE bytes of a named preset (`SH_PRESET_LEN` bytes): the input of
/// `sh_ledger_new_with_chain`'s genesis, and of a host that encodes its own `ChainGenesis`. An
/// unknown `preset` is 601 InvalidArgument.
///
/// ```c
/// uint8_t preset[SH_PRESET_LEN];
/// size_t preset_len;
/// sh_status s = sh_preset(SH_PRESET_SEED_CHAIN, preset, sizeof preset, &preset_len);
/// ```
///
/// # Safety
/// `buf` must be valid for `cap` writable bytes (or NULL with `cap` 0) and `written` for a
/// `size_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_preset(
    preset: sh_preset_id,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(buf, cap, written)?;
        let preset = match preset {
            SH_PRESET_PHASE0 => Preset::phase0(),
            SH_PRESET_ALTAIR => Preset::altair(),
            SH_PRESET_BELLATRIX => Preset::bellatrix(),
            SH_PRESET_DENEB => Preset::deneb(),
            SH_PRESET_ELECTRA => Preset::electra(),
            SH_PRESET_SEED_CHAIN => Preset::seed_chain(),
            _ => return Err(SH_INVALID_ARGUMENT),
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Scale(&preset))]) }
    })
}

/// One epoch's justification and finalization (the consensus specs'
/// `process_justification_and_finalization`, phase0 to electra) on the finality record `state`
/// (SCALE `FinalityState`, `SH_FINALITY_STATE_LEN` bytes): writes the new record and the
/// outcome (SCALE `FinalityOutcome`: the newly justified and finalized checkpoints, for the
/// host's events). Balances are Gwei: the total active balance and the effective balance that
/// voted for the previous and the current epoch's target; the roots (`SH_ROOT_LEN` bytes each,
/// other lengths are 601 InvalidArgument) are those of the blocks at the start of the previous
/// and current epochs. At epochs 0 and 1 nothing changes (the spec's genesis guard).
///
/// On error writes nothing: a balance whose products overflow 64 bits is 800–804, a record
/// with justification bits above the fourth 203 Malformed. `state_out` may be `state` (the
/// record updated in place). No heap; usable on the firmware build.
///
/// ```c
/// uint8_t state[SH_FINALITY_STATE_LEN], outcome[SH_FINALITY_OUTCOME_MAX_LEN];
/// size_t state_len = sizeof state, outcome_len;
/// sh_status s = sh_justify_and_finalize(state, state_len, epoch, total, previous, current,
///                                       previous_root, SH_ROOT_LEN, current_root, SH_ROOT_LEN,
///                                       state, sizeof state, &state_len,
///                                       outcome, sizeof outcome, &outcome_len);
/// ```
///
/// # Safety
/// Each input must be valid for its length in readable bytes, each output buffer for its
/// capacity in writable bytes and each `*_written` for a `size_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_justify_and_finalize(
    state: *const u8,
    state_len: usize,
    current_epoch: u64,
    total_active_balance: u64,
    previous_target_balance: u64,
    current_target_balance: u64,
    previous_epoch_root: *const u8,
    previous_epoch_root_len: usize,
    current_epoch_root: *const u8,
    current_epoch_root_len: usize,
    state_out: *mut u8,
    state_cap: usize,
    state_written: *mut usize,
    outcome_out: *mut u8,
    outcome_cap: usize,
    outcome_written: *mut usize,
) -> sh_status {
    run(|| {
        let outs = [
            Out::new(state_out, state_cap, state_written)?,
            Out::new(outcome_out, outcome_cap, outcome_written)?,
        ];
        // SAFETY: forwarded from this function's contract.
        let (bytes, previous_root, current_root) = unsafe {
            (
                input(state, state_len)?,
                input_array::<SH_ROOT_LEN>(previous_epoch_root, previous_epoch_root_len)?,
                input_array::<SH_ROOT_LEN>(current_epoch_root, current_epoch_root_len)?,
            )
        };
        let mut record: FinalityState = decode_exact(bytes).map_err(code)?;
        let outcome = finality::process_justification_and_finalization(
            &mut record,
            Epoch(current_epoch),
            total_active_balance,
            previous_target_balance,
            current_target_balance,
            previous_root,
            current_root,
        )
        .map_err(code)?;
        let [state_out, outcome_out] = &outs;
        // SAFETY: forwarded from this function's contract; the input record was decoded
        // above, so an output that aliases it overwrites bytes no longer in use.
        unsafe {
            deliver(&[
                (state_out, &Scale(&record)),
                (outcome_out, &Scale(&outcome)),
            ])
        }
    })
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::MaxEncodedLen;
    use stakehold::finality::FinalityOutcome;
    use stakehold::validator::{BlsPubkey, EpochState, Validator};

    use super::*;

    #[test]
    fn the_lengths_are_the_encodings_bounds() {
        assert_eq!(SH_PRESET_LEN, Preset::max_encoded_len());
        assert_eq!(SH_FINALITY_STATE_LEN, FinalityState::max_encoded_len());
        assert_eq!(
            SH_FINALITY_OUTCOME_MAX_LEN,
            FinalityOutcome::max_encoded_len()
        );
        assert_eq!(SH_VALIDATOR_LEN, Validator::max_encoded_len());
        assert_eq!(SH_EPOCH_STATE_LEN, EpochState::max_encoded_len());
        assert_eq!(SH_ROOT_LEN, <[u8; 32]>::max_encoded_len());
        assert_eq!(SH_PUBKEY_LEN, BlsPubkey::max_encoded_len());
    }

    #[test]
    fn every_preset_is_valid() {
        let mut buf = [0u8; SH_PRESET_LEN];
        let mut written = 0;
        for id in SH_PRESET_PHASE0..=SH_PRESET_SEED_CHAIN {
            // SAFETY: a live buffer of `buf.len()` bytes and a live `usize`.
            let status = unsafe { sh_preset(id, buf.as_mut_ptr(), buf.len(), &mut written) };
            assert_eq!((status, written), (0, SH_PRESET_LEN));
            let preset: Preset = decode_exact(&buf).unwrap();
            preset.validate().unwrap();
        }
        assert_eq!(
            decode_exact::<Preset>(&buf).unwrap(),
            Preset::seed_chain(),
            "the last is the seed's chain"
        );
    }
}
