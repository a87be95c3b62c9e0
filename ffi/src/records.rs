//! Messages and records as bytes: check a message, find the account it touches, apply it.
//!
//! Formats (all SCALE, as pinned by `tests/vectors/encoding.json`):
//! - a message is versioned: a version byte (`1`), then the `Msg`;
//! - the shared records (`Globals`: parameters, council, totals), an account's `StakeAccount`
//!   record and an `Event` are plain SCALE, without a version byte;
//! - an account that holds nothing has no record: pass length 0, and a result of length 0
//!   means the account is now empty (a store drops it, as the `Ledger` does).

use stakehold::stake::StakeAccount;
use stakehold::wire::decode_exact;
use stakehold::{AccountId, Context, Globals, Msg, Timestamp};

use crate::buffers::{Bytes, Out, Result, Scale, deliver, input, read, run};
use crate::status::{code, sh_status};

/// Bound on an encoded message's length, version byte included (the codec's `MaxEncodedLen`:
/// an attestation of 64 validators, 724 bytes, with its count's compact prefix bounded at 5
/// bytes rather than 2): a buffer of this size holds any message.
pub const SH_MSG_MAX_LEN: usize = 727;
/// Bound on an encoded `Globals` record's length.
pub const SH_GLOBALS_MAX_LEN: usize = 512;
/// Bound on an encoded `StakeAccount` record's length.
pub const SH_ACCOUNT_MAX_LEN: usize = 389;
/// Bound on an encoded `Event`'s length: a buffer of this size holds the events of any one
/// message.
pub const SH_EVENT_MAX_LEN: usize = 122;
/// Length of an account address.
pub const SH_ACCOUNT_ID_LEN: usize = 20;

/// Everything a transition may know of the world, supplied by the host: who signed the
/// message, the block's time and height.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sh_context {
    /// The 20-byte address that signed the message.
    pub caller: [u8; 20],
    /// The block time, seconds since 1970-01-01 UTC.
    pub now: u64,
    /// The block height.
    pub height: u64,
}

/// The context at `ptr`.
///
/// # Safety
/// Unless NULL, `ptr` must point to a readable `sh_context`.
#[inline(always)]
pub(crate) unsafe fn context(ptr: *const sh_context) -> Result<Context> {
    // SAFETY: forwarded from this function's contract.
    let c = unsafe { read(ptr) }?;
    Ok(Context::new(
        AccountId(c.caller),
        Timestamp(c.now),
        c.height,
    ))
}

/// The versioned message in `len` bytes at `ptr`.
///
/// # Safety
/// As [`input`].
#[inline(always)]
pub(crate) unsafe fn message(ptr: *const u8, len: usize) -> Result<Msg> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { input(ptr, len) }?;
    Msg::decode_bytes(bytes).map_err(code)
}

/// The `Globals` record in `len` bytes at `ptr`.
///
/// # Safety
/// As [`input`].
#[inline(always)]
pub(crate) unsafe fn globals(ptr: *const u8, len: usize) -> Result<Globals> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { input(ptr, len) }?;
    decode_exact(bytes).map_err(code)
}

/// Checks that `msg` is a well-formed message this library reads: a known version, a known
/// kind (the chain's included), valid fields (a council update's council must be valid, an
/// attestation names at most 64 validators, an attester slashing's attestations at most 16
/// each), nothing left over. Evidence is judged only when applied (`sh_ledger_apply`).
///
/// ```c
/// sh_status s = sh_msg_validate(msg, msg_len);  // 0, or e.g. 202 UnsupportedVersion
/// ```
///
/// # Safety
/// `msg` must be valid for `msg_len` readable bytes (or NULL with `msg_len` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_msg_validate(msg: *const u8, msg_len: usize) -> sh_status {
    // SAFETY: forwarded from this function's contract.
    run(|| unsafe { message(msg, msg_len) }.map(drop))
}

/// The address of the account whose record `msg` changes: the caller's for the staker's own
/// messages, the target's for a slash. Council and parameter updates, and the chain's messages
/// (deposit, voluntary exit, slashings, attestation, epoch end), touch no account: `*written`
/// is then 0. Pass that account's record to `sh_apply`.
///
/// ```c
/// uint8_t id[SH_ACCOUNT_ID_LEN];
/// size_t id_len;
/// sh_status s = sh_msg_account(msg, msg_len, &ctx, id, sizeof id, &id_len);
/// ```
///
/// # Safety
/// `msg` must be valid for `msg_len` readable bytes, `ctx` must point to an `sh_context`,
/// `account` must be valid for `account_cap` writable bytes and `written` for a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_msg_account(
    msg: *const u8,
    msg_len: usize,
    ctx: *const sh_context,
    account: *mut u8,
    account_cap: usize,
    written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(account, account_cap, written)?;
        // SAFETY: forwarded from this function's contract.
        let (msg, ctx) = unsafe { (message(msg, msg_len)?, context(ctx)?) };
        let id = msg.account(&ctx);
        let bytes = Bytes(id.as_ref().map_or(&[], |id| &id.0));
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &bytes)]) }
    })
}

/// Applies `msg`, sent in `ctx`, to the shared records `globals` and to the record `account` of
/// the account `sh_msg_account` names (length 0 for an account that holds nothing, or for a
/// message that touches none). On success writes the new shared records, the account's new
/// record (length 0 if it now holds nothing) and the event; on error writes nothing, and the
/// status says why (e.g. 403 StillLocked). The chain's messages (`Deposit`, `VoluntaryExit`,
/// `ProposerSlashing`, `AttesterSlashing`, `Attest`, `ProcessEpoch`) need the validator
/// registry, which these records do not hold: they are 503 ChainMessage here, and apply
/// through a ledger handle (`sh_ledger_apply`).
///
/// Outputs may be the same buffers as the inputs, to update records in place. Buffers of
/// `SH_GLOBALS_MAX_LEN`, `SH_ACCOUNT_MAX_LEN` and `SH_EVENT_MAX_LEN` bytes always suffice.
///
/// ```c
/// sh_status s = sh_apply(globals, globals_len, account, account_len, &ctx, msg, msg_len,
///                        globals, sizeof globals, &globals_len,
///                        account, sizeof account, &account_len,
///                        event, sizeof event, &event_len);
/// ```
///
/// # Safety
/// Each input must be valid for its length in readable bytes (or NULL with length 0), `ctx`
/// must point to an `sh_context`, each output buffer must be valid for its capacity in writable
/// bytes and each `*_written` for a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_apply(
    globals_in: *const u8,
    globals_len: usize,
    account_in: *const u8,
    account_len: usize,
    ctx: *const sh_context,
    msg: *const u8,
    msg_len: usize,
    globals_out: *mut u8,
    globals_cap: usize,
    globals_written: *mut usize,
    account_out: *mut u8,
    account_cap: usize,
    account_written: *mut usize,
    event_out: *mut u8,
    event_cap: usize,
    event_written: *mut usize,
) -> sh_status {
    run(|| {
        let outs = [
            Out::new(globals_out, globals_cap, globals_written)?,
            Out::new(account_out, account_cap, account_written)?,
            Out::new(event_out, event_cap, event_written)?,
        ];
        // One value at a time: each decoded value is large (a message up to ~700 bytes), and
        // on a device every temporary copy is stack.
        // SAFETY: forwarded from this function's contract.
        let mut shared = unsafe { globals(globals_in, globals_len) }?;
        // SAFETY: forwarded from this function's contract.
        let mut account = match unsafe { input(account_in, account_len) }? {
            [] => StakeAccount::EMPTY,
            bytes => decode_exact(bytes).map_err(code)?,
        };
        // SAFETY: forwarded from this function's contract.
        let ctx = unsafe { context(ctx) }?;
        // SAFETY: forwarded from this function's contract.
        let msg = unsafe { message(msg, msg_len) }?;
        let event = shared.apply(&mut account, &ctx, &msg).map_err(code)?;
        let record = Scale(&account);
        let [globals_out, account_out, event_out] = &outs;
        // SAFETY: forwarded from this function's contract; the inputs were decoded into
        // values above, so outputs that alias them overwrite bytes no longer in use.
        unsafe {
            deliver(&[
                (globals_out, &Scale(&shared)),
                (
                    account_out,
                    if account.is_empty() {
                        &Bytes(&[])
                    } else {
                        &record
                    },
                ),
                (event_out, &Scale(&event)),
            ])
        }
    })
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::MaxEncodedLen;
    use stakehold::Event;

    use super::*;

    #[test]
    fn the_max_lengths_are_the_encodings_bounds() {
        assert_eq!(SH_MSG_MAX_LEN, Msg::max_encoded_len() + 1);
        assert_eq!(SH_GLOBALS_MAX_LEN, Globals::max_encoded_len());
        assert_eq!(SH_ACCOUNT_MAX_LEN, StakeAccount::max_encoded_len());
        assert_eq!(SH_EVENT_MAX_LEN, Event::max_encoded_len());
        assert_eq!(SH_ACCOUNT_ID_LEN, AccountId::max_encoded_len());
    }
}
