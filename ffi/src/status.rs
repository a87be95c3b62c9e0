//! Status codes, their descriptions and the library version.
//!
//! A status is `0` for success or a code of the core's `stakehold::Error`, shared with the Rust
//! and JavaScript surfaces: `400` is `BelowMinStake` everywhere, and what a C caller can get
//! wrong (a NULL pointer, an item or page out of range) is the core's `InputError` (600s).

use core::ffi::c_char;
use core::fmt::Write as _;

use stakehold::Error;

use crate::buffers::{Out, Result, Text, deliver, run};

/// The result of every `sh_` function: `SH_OK` (0), a core error code, or an `SH_` code of
/// this library. `sh_status_text` describes any value.
pub type sh_status = u32;

/// Success.
pub const SH_OK: sh_status = 0;
/// An output buffer is too small; each `*written` holds the capacity its buffer needs. The
/// core's `BufferTooSmall` code.
pub const SH_BUFFER_TOO_SMALL: sh_status = 204;
/// An argument is out of range (an amount longer than 32 bytes, a length above `PTRDIFF_MAX`).
/// The core's `InvalidArgument` code.
pub const SH_INVALID_ARGUMENT: sh_status = 601;
/// A pointer argument is NULL (a buffer pointer may be NULL only when its length is 0). The
/// core's `NullPointer` code.
pub const SH_NULL_POINTER: sh_status = 602;
/// The summary has no item at this index. The core's `NoSuchItem` code.
pub const SH_NO_SUCH_ITEM: sh_status = 603;
/// The item's value has no page at this index. The core's `NoSuchPage` code.
pub const SH_NO_SUCH_PAGE: sh_status = 604;

/// This library's version, major part (the crate version).
pub const SH_VERSION_MAJOR: u32 = 0;
/// This library's version, minor part.
pub const SH_VERSION_MINOR: u32 = 1;
/// This library's version, patch part.
pub const SH_VERSION_PATCH: u32 = 0;

/// The status of a core error.
pub(crate) fn code(e: impl Into<Error>) -> sh_status {
    sh_status::from(e.into().code())
}

/// Longest description `sh_status_text` writes (without the NUL).
const STATUS_TEXT_CAP: usize = 96;

/// The version as one number: `(major << 16) | (minor << 8) | patch`, the same as
/// `(SH_VERSION_MAJOR << 16) | (SH_VERSION_MINOR << 8) | SH_VERSION_PATCH` when the header
/// matches the library.
#[unsafe(no_mangle)]
pub extern "C" fn sh_version() -> u32 {
    (SH_VERSION_MAJOR << 16) | (SH_VERSION_MINOR << 8) | SH_VERSION_PATCH
}

/// Describes any status as a NUL-terminated string, e.g. `"BelowMinStake (400): the stake is
/// below the minimum"`; a number that is no status is `"Unknown (1234): not a stakehold
/// status"`. `*written` receives the length without the NUL.
///
/// ```c
/// char text[96];
/// size_t len;
/// if (sh_status_text(status, text, sizeof text, &len) == SH_OK) puts(text);
/// ```
///
/// # Safety
/// `buf` must be valid for `cap` writable bytes (or NULL with `cap` 0) and `written` for a
/// `size_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_status_text(
    status: sh_status,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(buf.cast(), cap, written)?;
        let text = describe(status)?;
        // SAFETY: the caller guarantees `buf`/`cap` and `written` (this function's contract).
        unsafe { deliver(&[(&out, &Text(&text))]) }
    })
}

fn describe(status: sh_status) -> Result<heapless::String<STATUS_TEXT_CAP>> {
    let known = if status == SH_OK {
        Some(("Ok", "success"))
    } else {
        u16::try_from(status).ok().and_then(Error::describe_code)
    };
    let (name, text) = known.unwrap_or(("Unknown", "not a stakehold status"));
    let mut out = heapless::String::new();
    // Names and descriptions are short constants; the capacity covers the longest.
    write!(out, "{name} ({status}): {text}").map_err(|_| SH_INVALID_ARGUMENT)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use stakehold::wire::WireError;

    use super::*;

    #[test]
    fn the_version_constants_are_the_crate_version() {
        let part = |text: &str| text.parse::<u32>().unwrap();
        assert_eq!(SH_VERSION_MAJOR, part(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(SH_VERSION_MINOR, part(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(SH_VERSION_PATCH, part(env!("CARGO_PKG_VERSION_PATCH")));
        assert_eq!(sh_version(), 0x00_01_00);
    }

    #[test]
    fn buffer_too_small_is_the_core_code() {
        assert_eq!(
            SH_BUFFER_TOO_SMALL,
            code(WireError::BufferTooSmall { needed: 1 })
        );
    }

    #[test]
    fn input_statuses_are_the_core_codes() {
        use stakehold::error::InputError;
        assert_eq!(SH_INVALID_ARGUMENT, code(InputError::InvalidArgument));
        assert_eq!(SH_NULL_POINTER, code(InputError::NullPointer));
        assert_eq!(SH_NO_SUCH_ITEM, code(InputError::NoSuchItem));
        assert_eq!(SH_NO_SUCH_PAGE, code(InputError::NoSuchPage));
    }

    #[test]
    fn every_code_fits() {
        for status in 0..=1_000 {
            assert!(describe(status).is_ok(), "{status}");
        }
        assert_eq!(
            describe(400).unwrap(),
            "BelowMinStake (400): the stake is below the minimum"
        );
        assert_eq!(
            describe(u32::MAX).unwrap(),
            "Unknown (4294967295): not a stakehold status"
        );
    }
}
