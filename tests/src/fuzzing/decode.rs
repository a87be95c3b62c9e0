//! Decoder harnesses: arbitrary bytes never panic a decoder, and whatever decodes encodes back
//! to exactly the bytes it came from. The byte format has one encoding per value (fixed-width
//! integers, canonical compact lengths, `bool` and `Option` tags of 0 or 1, records whose
//! decoders reject inconsistent contents), so the identity is the whole round-trip property:
//! there is no second, "canonical" form to compare with.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use stakehold::finality::{Checkpoint, FinalityState};
use stakehold::governance::{Approvals, Council, CouncilMember};
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::msg::{decode_block, encode_block};
use stakehold::num::{format_amount, parse_amount};
use stakehold::stake::{
    SlashReason, StakeAccount, StakeParams, StakeTotals, StakeView, UnlockChunk, UnlockPolicy,
};
use stakehold::validator::{
    AttestationData, DepositData, EpochState, IncludingBlock, Inclusion, Preset, Validator,
    VoluntaryExit,
};
use stakehold::wire::{SNAPSHOT_VERSION, decode_exact};
use stakehold::{AccountId, Context, Error, Event, Globals, Ledger, Msg, U256};
use stakehold_ffi::summary::{SH_VALUE_CAP, sh_format_amount};

use super::ledger::genesis;

/// Decodes `bytes` as a `T` and, if that works, checks it encodes back to `bytes` within its
/// `MaxEncodedLen` bound.
fn round_trip<T: Decode + Encode + MaxEncodedLen + core::fmt::Debug>(bytes: &[u8]) -> Option<T> {
    let value = decode_exact::<T>(bytes).ok()?;
    assert_eq!(value.encode(), bytes, "{value:?} re-encodes differently");
    assert!(
        bytes.len() <= T::max_encoded_len(),
        "{value:?} beyond MaxEncodedLen"
    );
    Some(value)
}

/// Messages, contexts and blocks (all read from the same bytes).
///
/// A versioned message round-trips, and the C library's `sh_msg_validate` accepts exactly what
/// the core decodes (with the core's error code otherwise). A block round-trips, and
/// `Ledger::apply_block_bytes` refuses exactly the bytes that are not a block.
pub fn messages(bytes: &[u8]) {
    let decoded = Msg::decode_bytes(bytes);
    if let Ok(msg) = &decoded {
        assert_eq!(msg.to_bytes(), bytes, "{msg:?} re-encodes differently");
        assert!(
            bytes.len() <= Msg::max_encoded_len() + 1,
            "{msg:?} too long"
        );
    }
    // SAFETY: `bytes` is a live slice of its length.
    let status = unsafe { stakehold_ffi::records::sh_msg_validate(bytes.as_ptr(), bytes.len()) };
    let expected = decoded.map_or_else(|e| Error::from(e).code(), |_| 0);
    assert_eq!(
        u32::from(expected),
        status,
        "sh_msg_validate disagrees with the core"
    );

    round_trip::<Context>(bytes);

    let block = decode_block(bytes);
    if let Ok(items) = &block {
        assert_eq!(encode_block(items), bytes, "block re-encodes differently");
    }
    let applied = genesis().apply_block_bytes(bytes);
    assert_eq!(
        applied.as_ref().err(),
        block.as_ref().err().map(|e| Error::from(*e)).as_ref(),
        "apply_block_bytes and decode_block disagree"
    );
    if let (Ok(results), Ok(items)) = (applied, block) {
        assert_eq!(results.len(), items.len());
    }
}

/// Every record type: the first byte picks the type, the rest are its bytes.
pub fn records(bytes: &[u8]) {
    let Some((kind, body)) = bytes.split_first() else {
        return;
    };
    match kind % 22 {
        0 => drop(round_trip::<StakeAccount>(body)),
        1 => drop(round_trip::<StakeParams>(body)),
        2 => drop(round_trip::<UnlockPolicy>(body)),
        3 => drop(round_trip::<Council>(body)),
        4 => drop(round_trip::<CouncilMember>(body)),
        5 => drop(round_trip::<Approvals>(body)),
        6 => drop(round_trip::<Globals>(body)),
        7 => drop(round_trip::<StakeTotals>(body)),
        8 => drop(round_trip::<StakeView>(body)),
        9 => drop(round_trip::<UnlockChunk>(body)),
        10 => drop(round_trip::<SlashReason>(body)),
        11 => drop(round_trip::<Validator>(body)),
        12 => drop(round_trip::<EpochState>(body)),
        13 => drop(round_trip::<FinalityState>(body)),
        14 => drop(round_trip::<Preset>(body)),
        15 => drop(round_trip::<DepositData>(body)),
        16 => drop(round_trip::<VoluntaryExit>(body)),
        17 => drop(round_trip::<Checkpoint>(body)),
        18 => {
            // A genesis that decodes builds a chain or fails with a typed error.
            if let Ok(genesis) = decode_exact::<ChainGenesis>(body) {
                assert_eq!(genesis.encode(), body, "{genesis:?} re-encodes differently");
                let _ = Chain::genesis(&genesis);
            }
        }
        19 => drop(round_trip::<AttestationData>(body)),
        20 => drop(round_trip::<IncludingBlock>(body)),
        _ => drop(round_trip::<Inclusion>(body)),
    }
}

/// Ledger snapshots: a snapshot that restores gives back the same bytes (a version-1 snapshot,
/// a ledger that restores from its version-2 snapshot), and the C library's ledger handle
/// restores exactly the same snapshots (with the core's error code otherwise).
pub fn snapshots(bytes: &[u8]) {
    let restored = Ledger::restore(bytes);
    if let Ok(ledger) = &restored {
        let again = ledger.snapshot();
        if bytes.first() == Some(&SNAPSHOT_VERSION) {
            assert_eq!(again, bytes, "snapshot re-encodes differently");
        } else {
            assert_eq!(Ledger::restore(&again).as_ref(), Ok(ledger), "v1 → v2");
        }
    }
    let mut handle = core::ptr::null_mut();
    // SAFETY: `bytes` is a live slice of its length and `handle` a live pointer slot.
    let status = unsafe {
        stakehold_ffi::ledger::sh_ledger_restore(bytes.as_ptr(), bytes.len(), &mut handle)
    };
    let expected = restored.as_ref().map_or_else(Error::code, |_| 0);
    assert_eq!(
        u32::from(expected),
        status,
        "sh_ledger_restore disagrees with the core"
    );
    // SAFETY: `handle` is NULL or a ledger from sh_ledger_restore, freed once.
    unsafe { stakehold_ffi::ledger::sh_ledger_free(handle) };
}

/// Events and errors: they round-trip, and their descriptions (what the bindings show) render
/// without panicking, with an error's code and name matching the code table.
pub fn events(bytes: &[u8]) {
    if let Some(event) = round_trip::<Event>(bytes) {
        let described = event.describe();
        assert!(!described.name.is_empty());
    }
    if let Some(error) = round_trip::<Error>(bytes) {
        let described = error.describe();
        assert_eq!(described.name, error.name());
        let listed = Error::describe_code(error.code()).map(|(name, _)| name);
        assert_eq!(
            listed,
            Some(error.name()),
            "{error:?} missing from the code table"
        );
        let _ = error.to_string();
    }
}

/// The text a person types or reads: amounts (`num::parse_amount` / `format_amount`, what the
/// npm package's `parseAmount` / `formatAmount` and C's `sh_format_amount` run) and addresses
/// (`AccountId::from_hex`). The first byte picks the decimals (0 to 80, so some are invalid),
/// the rest is the text, or — as 32 little-endian bytes — an amount to format.
///
/// A parsed amount formats to a text that parses back to it; a formatted amount parses back
/// to itself, and the C library formats it to the same text; a parsed address prints as the
/// text it came from, up to the case of its hex digits.
pub fn text(bytes: &[u8]) {
    let Some((&decimals, body)) = bytes.split_first() else {
        return;
    };
    let decimals = decimals % 81;
    if let Ok(text) = core::str::from_utf8(body) {
        if let Ok(value) = parse_amount(text, decimals) {
            let shown = format_amount(value, decimals).expect("a parsed amount formats");
            assert_eq!(
                parse_amount(&shown, decimals),
                Ok(value),
                "{text:?} → {shown:?}"
            );
        }
        if let Ok(id) = AccountId::from_hex(text) {
            assert!(id.to_string().eq_ignore_ascii_case(text), "{text:?} → {id}");
            assert_eq!(id.to_hex_bytes(), id.to_string().as_bytes());
        }
    }
    let mut le = [0u8; 32];
    let len = body.len().min(32);
    le[..len].copy_from_slice(&body[..len]);
    let value = U256::from_little_endian(&le);
    let shown = format_amount(value, decimals);
    if let Ok(shown) = &shown {
        assert_eq!(
            parse_amount(shown, decimals),
            Ok(value),
            "{value} → {shown:?}"
        );
    }
    let mut buf = [0u8; SH_VALUE_CAP];
    let mut written = 0;
    // SAFETY: every pointer is a live buffer of the length passed with it.
    let status = unsafe {
        sh_format_amount(
            le.as_ptr(),
            len,
            decimals,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut written,
        )
    };
    match shown {
        Ok(shown) => {
            assert_eq!(status, 0, "sh_format_amount failed on {value}");
            assert_eq!(&buf[..written], shown.as_bytes(), "sh_format_amount text");
        }
        Err(e) => assert_eq!(status, u32::from(Error::from(e).code()), "sh_format_amount"),
    }
}
