//! The ledger handle (feature `alloc`): every account and the proof-of-stake chain in one
//! `stakehold::Ledger` on the heap, for hosts with an allocator (a companion app, a test bench,
//! a node). Firmware without a heap uses `sh_apply` on the records it keeps, and
//! `sh_justify_and_finalize` on the finality record.

use alloc::boxed::Box;
use alloc::vec::Vec;

use parity_scale_codec::Encode;
use stakehold::governance::Council;
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::stake::StakeParams;
use stakehold::validator::ValidatorError;
use stakehold::wire::decode_exact;
use stakehold::{Ledger, Msg, ValidatorIndex};

use crate::buffers::{Bytes, Out, OutValue, Result, Scale, deliver, input, input_array, run};
use crate::chain::SH_PUBKEY_LEN;
use crate::records::{SH_EVENT_MAX_LEN, context, message, sh_context};
use crate::status::{SH_BUFFER_TOO_SMALL, SH_INVALID_ARGUMENT, SH_NULL_POINTER, code, sh_status};

/// An opaque handle to a ledger: staking parameters, council, totals, every account, and the
/// proof-of-stake chain (preset, validators, balances, epoch and finality). Create it with
/// `sh_ledger_new`, `sh_ledger_new_with_chain` or `sh_ledger_restore`, release it with
/// `sh_ledger_free`.
pub struct sh_ledger {
    ledger: Ledger,
}

/// Stores a new handle in `*out`.
///
/// # Safety
/// `out` must be valid for a pointer write.
unsafe fn hand_over(out: &OutValue<*mut sh_ledger>, ledger: Ledger) {
    // SAFETY: forwarded from this function's contract.
    unsafe { out.set(Box::into_raw(Box::new(sh_ledger { ledger }))) }
}

/// A new, empty ledger with the staking parameters `params` (SCALE `StakeParams`) governed by
/// `council` (SCALE `Council`). Invalid parameters are their error (e.g. 408 ZeroMinStake). Its
/// chain has the seed's preset and no validator, so it never finalizes: a ledger whose chain
/// runs starts from `sh_ledger_new_with_chain`.
///
/// ```c
/// sh_ledger *ledger;
/// sh_status s = sh_ledger_new(params, params_len, council, council_len, &ledger);
/// ```
///
/// # Safety
/// `params` and `council` must be valid for their lengths in readable bytes and `out` for a
/// pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_new(
    params: *const u8,
    params_len: usize,
    council: *const u8,
    council_len: usize,
    out: *mut *mut sh_ledger,
) -> sh_status {
    run(|| {
        let out = OutValue::new(out)?;
        // SAFETY: forwarded from this function's contract.
        let (params, council) =
            unsafe { (input(params, params_len)?, input(council, council_len)?) };
        let params: StakeParams = decode_exact(params).map_err(code)?;
        let council: Council = decode_exact(council).map_err(code)?;
        let ledger = Ledger::new(params, council).map_err(code)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_over(&out, ledger) };
        Ok(())
    })
}

/// A new ledger as `sh_ledger_new`, whose proof-of-stake chain starts from `genesis` (SCALE
/// `ChainGenesis`: the preset, `SH_PRESET_LEN` bytes from `sh_preset` or the host's own, then
/// the compact count of the genesis deposits and each deposit's 184 bytes — public key,
/// withdrawal credentials, amount in Gwei, signature). Each deposit is applied in order and
/// every validator with a full deposit is active from epoch 0. An invalid preset is its error
/// (700–707), a deposit below the preset's minimum 717 BelowMinDeposit.
///
/// ```c
/// sh_ledger *ledger;
/// sh_status s = sh_ledger_new_with_chain(params, params_len, council, council_len,
///                                        genesis, genesis_len, &ledger);
/// ```
///
/// # Safety
/// `params`, `council` and `genesis` must be valid for their lengths in readable bytes and
/// `out` for a pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_new_with_chain(
    params: *const u8,
    params_len: usize,
    council: *const u8,
    council_len: usize,
    genesis: *const u8,
    genesis_len: usize,
    out: *mut *mut sh_ledger,
) -> sh_status {
    run(|| {
        let out = OutValue::new(out)?;
        // SAFETY: forwarded from this function's contract.
        let (params, council, genesis) = unsafe {
            (
                input(params, params_len)?,
                input(council, council_len)?,
                input(genesis, genesis_len)?,
            )
        };
        let params: StakeParams = decode_exact(params).map_err(code)?;
        let council: Council = decode_exact(council).map_err(code)?;
        let genesis: ChainGenesis = decode_exact(genesis).map_err(code)?;
        let chain = Chain::genesis(&genesis).map_err(code)?;
        let ledger = Ledger::with_chain(params, council, chain).map_err(code)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_over(&out, ledger) };
        Ok(())
    })
}

/// A ledger from the bytes of `sh_ledger_snapshot` (versioned). Records that contradict each
/// other are errors (e.g. 502 TotalsMismatch).
///
/// ```c
/// sh_ledger *ledger;
/// sh_status s = sh_ledger_restore(snapshot, snapshot_len, &ledger);
/// ```
///
/// # Safety
/// `snapshot` must be valid for `snapshot_len` readable bytes and `out` for a pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_restore(
    snapshot: *const u8,
    snapshot_len: usize,
    out: *mut *mut sh_ledger,
) -> sh_status {
    run(|| {
        let out = OutValue::new(out)?;
        // SAFETY: forwarded from this function's contract.
        let bytes = unsafe { input(snapshot, snapshot_len) }?;
        let ledger = Ledger::restore(bytes).map_err(code)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_over(&out, ledger) };
        Ok(())
    })
}

/// Releases a ledger. NULL is a no-op.
///
/// ```c
/// sh_ledger_free(ledger);
/// ```
///
/// # Safety
/// `ledger` must be NULL or a handle from `sh_ledger_new`, `sh_ledger_new_with_chain` or
/// `sh_ledger_restore`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_free(ledger: *mut sh_ledger) {
    if !ledger.is_null() {
        // SAFETY: a live handle made by `Box::into_raw` (this function's contract), released
        // once.
        drop(unsafe { Box::from_raw(ledger) });
    }
}

/// The ledger behind a handle.
///
/// # Safety
/// `ledger` must be NULL or a live handle not used elsewhere during the call.
unsafe fn ledger_mut<'a>(ledger: *mut sh_ledger) -> Result<&'a mut Ledger> {
    // SAFETY: forwarded from this function's contract.
    unsafe { ledger.as_mut() }
        .map(|handle| &mut handle.ledger)
        .ok_or(SH_NULL_POINTER)
}

/// The ledger behind a handle, to read.
///
/// # Safety
/// `ledger` must be NULL or a live handle not written during the call.
unsafe fn ledger_ref<'a>(ledger: *const sh_ledger) -> Result<&'a Ledger> {
    // SAFETY: forwarded from this function's contract.
    unsafe { ledger.as_ref() }
        .map(|handle| &handle.ledger)
        .ok_or(SH_NULL_POINTER)
}

/// Applies the versioned message `msg` sent in `ctx`, and writes its events (SCALE `Event`s,
/// one after the other). Every message has one event, except two: an `AttesterSlashing` has a
/// `ValidatorSlashed` per validator slashed (at most 16, the indices of an attestation); a
/// `ProcessEpoch` has the epoch's `EpochProcessed`, then `Justified` and `Finalized` when
/// they happen, then a `CorrelationPenalty`, `ValidatorEjected`, `ValidatorActivated` or
/// (Electra) `ValidatorDeposited` per validator concerned. On error the ledger is unchanged
/// and the status says why.
///
/// `events_cap` must be at least `SH_EVENT_MAX_LEN`, checked before the message is applied
/// (otherwise 204 with that length in `*events_written`): that holds any one event. A message
/// whose events may need more (an `AttesterSlashing` with more indices than the buffer has
/// room for events, any `ProcessEpoch`) is applied to a copy of the ledger, kept only when its
/// events fit; if they do not, the status is 204 with their length in `*events_written` and
/// the ledger unchanged: send it again with a buffer that large (`16 * SH_EVENT_MAX_LEN` always
/// holds an attester slashing's). Chain messages (`Deposit`, `VoluntaryExit`,
/// `ProposerSlashing`, `AttesterSlashing`, `Attest`, `ProcessEpoch`) apply only here:
/// `sh_apply` refuses them (503 ChainMessage).
///
/// ```c
/// uint8_t events[4096];
/// size_t events_len;
/// sh_status s = sh_ledger_apply(ledger, &ctx, msg, msg_len, events, sizeof events, &events_len);
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `ctx` must point to an `sh_context`, `msg` must be valid for
/// `msg_len` readable bytes, `events` for `events_cap` writable bytes and `events_written` for
/// a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_apply(
    ledger: *mut sh_ledger,
    ctx: *const sh_context,
    msg: *const u8,
    msg_len: usize,
    events: *mut u8,
    events_cap: usize,
    events_written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(events, events_cap, events_written)?;
        // SAFETY: forwarded from this function's contract.
        let (ledger, ctx, msg) =
            unsafe { (ledger_mut(ledger)?, context(ctx)?, message(msg, msg_len)?) };
        // Checked before applying, so that a too small buffer cannot lose the events of a
        // message already applied.
        if events_cap < SH_EVENT_MAX_LEN {
            // SAFETY: forwarded from this function's contract.
            unsafe { out.report(SH_EVENT_MAX_LEN) };
            return Err(SH_BUFFER_TOO_SMALL);
        }
        let encode = |events: &[stakehold::Event]| {
            events.iter().fold(Vec::new(), |mut bytes, event| {
                event.encode_to(&mut bytes);
                bytes
            })
        };
        // The most bytes the events can take, where known before applying: one event, or one
        // per index of an attester slashing's first attestation (who is slashed is in both).
        let bound = match &msg {
            Msg::ProcessEpoch { .. } => None,
            Msg::AttesterSlashing { evidence, .. } => evidence
                .attestation_1
                .attesting_indices
                .len()
                .checked_mul(SH_EVENT_MAX_LEN),
            _ => Some(SH_EVENT_MAX_LEN),
        };
        if bound.is_some_and(|bound| bound <= events_cap) {
            // The events fit, whatever they are.
            let bytes = encode(&ledger.apply(&ctx, &msg).map_err(code)?);
            // SAFETY: forwarded from this function's contract.
            return unsafe { deliver(&[(&out, &Bytes(&bytes))]) };
        }
        // As many events as the validators the message changes: applied to a copy, kept only
        // once its events are delivered.
        let mut next = ledger.clone();
        let bytes = encode(&next.apply(&ctx, &msg).map_err(code)?);
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Bytes(&bytes))]) }?;
        *ledger = next;
        Ok(())
    })
}

/// The whole ledger as versioned SCALE bytes, canonical (accounts sorted by address): the
/// input of `sh_ledger_restore`. Call with a NULL buffer and capacity 0 to learn the length.
///
/// ```c
/// size_t len;
/// sh_ledger_snapshot(ledger, NULL, 0, &len);        // 204, len = bytes needed
/// uint8_t *buf = malloc(len);
/// sh_ledger_snapshot(ledger, buf, len, &len);       // 0
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `buf` valid for `cap` writable bytes and `written` for a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_snapshot(
    ledger: *const sh_ledger,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(buf, cap, written)?;
        // SAFETY: forwarded from this function's contract.
        let bytes = unsafe { ledger_ref(ledger) }?.snapshot();
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Bytes(&bytes))]) }
    })
}

/// Writes the SCALE bytes of the record `record` picks from the ledger: the body of the
/// fixed-size record getters.
///
/// # Safety
/// As the getters: `ledger` NULL or a live handle, `buf` valid for `cap` writable bytes and
/// `written` for a `size_t`.
unsafe fn deliver_record<T: Encode>(
    ledger: *const sh_ledger,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
    record: impl FnOnce(&Ledger) -> &T,
) -> sh_status {
    run(|| {
        let out = Out::new(buf, cap, written)?;
        // SAFETY: forwarded from this function's contract.
        let ledger = unsafe { ledger_ref(ledger) }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Scale(record(ledger)))]) }
    })
}

/// The chain's preset (SCALE `Preset`, `SH_PRESET_LEN` bytes).
///
/// ```c
/// uint8_t preset[SH_PRESET_LEN];
/// size_t preset_len;
/// sh_status s = sh_ledger_preset(ledger, preset, sizeof preset, &preset_len);
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `buf` valid for `cap` writable bytes and `written` for a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_preset(
    ledger: *const sh_ledger,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { deliver_record(ledger, buf, cap, written, |l| l.chain().preset()) }
}

/// The chain's epoch state (SCALE `EpochState`, `SH_EPOCH_STATE_LEN` bytes): the current
/// epoch (8 bytes, little-endian), the finality record (`SH_FINALITY_STATE_LEN` bytes, as
/// `sh_justify_and_finalize` reads it: the finalized checkpoint is bytes 89 to 128 of the
/// epoch state), then the exit queue.
///
/// ```c
/// uint8_t epoch[SH_EPOCH_STATE_LEN];
/// size_t epoch_len;
/// sh_status s = sh_ledger_epoch_state(ledger, epoch, sizeof epoch, &epoch_len);
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `buf` valid for `cap` writable bytes and `written` for a
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_epoch_state(
    ledger: *const sh_ledger,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { deliver_record(ledger, buf, cap, written, |l| l.chain().epoch_state()) }
}

/// How many validators the chain's registry holds (indexes 0 to `*count - 1`), exited ones
/// included.
///
/// ```c
/// uint64_t validators;
/// sh_status s = sh_ledger_validator_count(ledger, &validators);
/// ```
///
/// # Safety
/// `ledger` must be a live handle and `count` valid for a `uint64_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_validator_count(
    ledger: *const sh_ledger,
    count: *mut u64,
) -> sh_status {
    run(|| {
        let count = OutValue::new(count)?;
        // SAFETY: forwarded from this function's contract.
        let ledger = unsafe { ledger_ref(ledger) }?;
        let validators =
            u64::try_from(ledger.chain().validators().len()).map_err(|_| SH_INVALID_ARGUMENT)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { count.set(validators) };
        Ok(())
    })
}

/// Validator `index`: its record (SCALE `Validator`, the spec's SSZ bytes, `SH_VALIDATOR_LEN`
/// bytes) and its balance in Gwei. An index past the registry is 708 UnknownValidator.
///
/// ```c
/// uint8_t validator[SH_VALIDATOR_LEN];
/// size_t validator_len;
/// uint64_t balance;
/// sh_status s = sh_ledger_validator(ledger, 3, validator, sizeof validator, &validator_len,
///                                   &balance);
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `buf` valid for `cap` writable bytes, `written` for a
/// `size_t` and `balance` for a `uint64_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_validator(
    ledger: *const sh_ledger,
    index: u64,
    buf: *mut u8,
    cap: usize,
    written: *mut usize,
    balance: *mut u64,
) -> sh_status {
    run(|| {
        let out = Out::new(buf, cap, written)?;
        let balance_out = OutValue::new(balance)?;
        // SAFETY: forwarded from this function's contract.
        let chain = unsafe { ledger_ref(ledger) }?.chain();
        let (validator, balance) = chain.validator(ValidatorIndex(index)).ok_or_else(|| {
            code(ValidatorError::UnknownValidator {
                index: ValidatorIndex(index),
                count: u64::try_from(chain.validators().len()).unwrap_or(u64::MAX),
            })
        })?;
        // SAFETY: forwarded from this function's contract.
        unsafe {
            deliver(&[(&out, &Scale(validator))])?;
            balance_out.set(balance);
        }
        Ok(())
    })
}

/// The index of the validator whose public key is `pubkey` (`SH_PUBKEY_LEN` bytes; other
/// lengths are 601 InvalidArgument). A key no validator has is 708 UnknownValidator.
///
/// ```c
/// uint64_t index;
/// sh_status s = sh_ledger_validator_index(ledger, pubkey, SH_PUBKEY_LEN, &index);
/// ```
///
/// # Safety
/// `ledger` must be a live handle, `pubkey` valid for `pubkey_len` readable bytes and `index`
/// for a `uint64_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_ledger_validator_index(
    ledger: *const sh_ledger,
    pubkey: *const u8,
    pubkey_len: usize,
    index: *mut u64,
) -> sh_status {
    run(|| {
        let index = OutValue::new(index)?;
        // SAFETY: forwarded from this function's contract.
        let (chain, pubkey) = unsafe {
            (
                ledger_ref(ledger)?.chain(),
                input_array::<SH_PUBKEY_LEN>(pubkey, pubkey_len)?,
            )
        };
        let found = chain.index_of(&pubkey).ok_or_else(|| {
            let count = u64::try_from(chain.validators().len()).unwrap_or(u64::MAX);
            // No validator has this key: the first index past the registry is named.
            code(ValidatorError::UnknownValidator {
                index: ValidatorIndex(count),
                count,
            })
        })?;
        // SAFETY: forwarded from this function's contract.
        unsafe { index.set(found.0) };
        Ok(())
    })
}
