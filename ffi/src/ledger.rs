//! The ledger handle (feature `alloc`): every account in one `stakehold::Ledger` on the heap,
//! for hosts with an allocator (a companion app, a test bench). Firmware without a heap uses
//! `sh_apply` on the records it keeps.

use alloc::boxed::Box;
use alloc::vec::Vec;

use parity_scale_codec::Encode;
use stakehold::Ledger;
use stakehold::governance::Council;
use stakehold::stake::StakeParams;
use stakehold::wire::decode_exact;

use crate::buffers::{Bytes, Out, OutValue, Result, deliver, input, run};
use crate::records::{SH_EVENT_MAX_LEN, context, message, sh_context};
use crate::status::{SH_BUFFER_TOO_SMALL, SH_NULL_POINTER, code, sh_status};

/// An opaque handle to a ledger: staking parameters, council, totals and every account.
/// Create it with `sh_ledger_new` or `sh_ledger_restore`, release it with `sh_ledger_free`.
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
/// `council` (SCALE `Council`). Invalid parameters are their error (e.g. 408 ZeroMinStake).
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
/// `ledger` must be NULL or a handle from `sh_ledger_new`/`sh_ledger_restore` not yet freed.
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

/// Applies the versioned message `msg` sent in `ctx`, and writes its events (SCALE `Event`s,
/// one after the other; one per message today). On error the ledger is unchanged and the
/// status says why. `events_cap` must be at least `SH_EVENT_MAX_LEN`, checked before the
/// message is applied (otherwise 204 with that length in `*events_written`).
///
/// ```c
/// uint8_t events[SH_EVENT_MAX_LEN];
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
        let applied = ledger.apply(&ctx, &msg).map_err(code)?;
        let bytes = applied.iter().fold(Vec::new(), |mut bytes, event| {
            event.encode_to(&mut bytes);
            bytes
        });
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Bytes(&bytes))]) }
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
        // SAFETY: `ledger` is NULL or a live handle (this function's contract); only read.
        let handle = unsafe { ledger.as_ref() }.ok_or(SH_NULL_POINTER)?;
        let bytes = handle.ledger.snapshot();
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Bytes(&bytes))]) }
    })
}
