//! The device screen: a message as items and pages (`stakehold::screen`), and amounts as text.

use core::ffi::c_char;

use primitive_types::U256;
use stakehold::num::format_amount;
use stakehold::screen::{self, ScreenError, Summary};

use crate::buffers::{Out, OutValue, Payload, Result, Text, deliver, input, run};
use crate::records::{context, globals, message, sh_context};
use crate::status::{
    SH_BUFFER_TOO_SMALL, SH_INVALID_ARGUMENT, SH_NO_SUCH_ITEM, SH_NO_SUCH_PAGE, code, sh_status,
};

/// A title buffer of this many bytes holds any title, NUL included.
pub const SH_TITLE_CAP: usize = 17;
/// A value buffer of this many bytes holds any value on one page, NUL included (the longest
/// is a validator's public key: `0x` and 96 hex digits).
pub const SH_VALUE_CAP: usize = 99;
/// Most items a summary has.
pub const SH_MAX_ITEMS: usize = 18;

/// Formats an amount of base units with `decimals` fractional digits, trailing zeros removed:
/// 1500000000000000000 with 18 decimals is `"1.5"`. The amount is an unsigned integer of up
/// to 256 bits, little-endian: `amount_len` is 0 to 32 bytes (a `uint64_t` amount on a
/// little-endian machine is its 8 bytes). More than 77 decimals is 102 DecimalsTooLarge.
///
/// ```c
/// uint64_t wei = 1500000000000000000u;  // on a little-endian device
/// char text[SH_VALUE_CAP];
/// size_t len;
/// sh_format_amount((const uint8_t *)&wei, sizeof wei, 18, text, sizeof text, &len);  // "1.5"
/// ```
///
/// # Safety
/// `amount` must be valid for `amount_len` readable bytes, `buf` for `cap` writable bytes and
/// `written` for a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_format_amount(
    amount: *const u8,
    amount_len: usize,
    decimals: u8,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) -> sh_status {
    run(|| {
        let out = Out::new(buf.cast(), cap, written)?;
        // SAFETY: forwarded from this function's contract.
        let bytes = unsafe { input(amount, amount_len) }?;
        let mut le = [0u8; 32];
        le.get_mut(..bytes.len())
            .ok_or(SH_INVALID_ARGUMENT)?
            .copy_from_slice(bytes);
        let text = format_amount(U256::from_little_endian(&le), decimals).map_err(code)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { deliver(&[(&out, &Text(&text))]) }
    })
}

/// The message, its context and the shared records, decoded.
struct Screen {
    msg: stakehold::Msg,
    ctx: stakehold::Context,
    globals: stakehold::Globals,
}

impl Screen {
    /// # Safety
    /// As the inputs of [`sh_summary_item_count`].
    #[inline(always)]
    unsafe fn decode(
        msg: *const u8,
        msg_len: usize,
        ctx: *const sh_context,
        globals_in: *const u8,
        globals_len: usize,
    ) -> Result<Self> {
        // SAFETY: forwarded from this function's contract.
        unsafe {
            Ok(Self {
                msg: message(msg, msg_len)?,
                ctx: context(ctx)?,
                globals: globals(globals_in, globals_len)?,
            })
        }
    }

    fn summary(&self) -> Summary<'_> {
        Summary::new(&self.msg, &self.ctx, &self.globals)
    }
}

/// How many items the device shows for `msg`, sent in `ctx` and applied to the shared records
/// `globals` (which give the unlock period and the council's threshold). At least 1, at most
/// `SH_MAX_ITEMS`.
///
/// ```c
/// size_t items;
/// sh_status s = sh_summary_item_count(msg, msg_len, &ctx, globals, globals_len, &items);
/// ```
///
/// # Safety
/// `msg` and `globals` must be valid for their lengths in readable bytes, `ctx` must point to
/// an `sh_context` and `count` be valid for a `size_t` write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_summary_item_count(
    msg: *const u8,
    msg_len: usize,
    ctx: *const sh_context,
    globals: *const u8,
    globals_len: usize,
    count: *mut usize,
) -> sh_status {
    run(|| {
        let count = OutValue::new(count)?;
        // SAFETY: forwarded from this function's contract.
        let screen = unsafe { Screen::decode(msg, msg_len, ctx, globals, globals_len) }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { count.set(screen.summary().item_count()) };
        Ok(())
    })
}

/// Item `index` of the summary (from 0): its title, and page `page` (from 0) of its value,
/// as NUL-terminated UTF-8. A page holds at most `value_cap - 1` bytes and never cuts a
/// character; `*page_count` receives how many pages the value takes at that size, so a device
/// shows pages 0 to `*page_count - 1` (a value buffer of `SH_VALUE_CAP` bytes always holds the
/// whole value on one page). `*title_written` and `*value_written` receive the lengths without
/// the NUL.
///
/// An index past the last item is 603 NoSuchItem, a page past the last 604 NoSuchPage. A title
/// buffer shorter than the title, or a value buffer that cannot hold one character of the value
/// (5 bytes always can), is 204 BufferTooSmall with the capacities needed in `*title_written`
/// and `*value_written`.
///
/// ```c
/// char title[SH_TITLE_CAP], value[17];  // a 16-character display line
/// size_t title_len, value_len, pages = 1;
/// for (size_t page = 0; page < pages; page++)
///   if (sh_summary_item(msg, msg_len, &ctx, globals, globals_len, 1, page,
///                       title, sizeof title, &title_len,
///                       value, sizeof value, &value_len, &pages) == SH_OK)
///     show(title, value);  // "Unlocks" / "2026-12-03 14:02", then " UTC"
/// ```
///
/// # Safety
/// `msg` and `globals` must be valid for their lengths in readable bytes, `ctx` must point to
/// an `sh_context`, `title` and `value` must be valid for their capacities in writable bytes,
/// and `title_written`, `value_written` and `page_count` for `size_t` writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sh_summary_item(
    msg: *const u8,
    msg_len: usize,
    ctx: *const sh_context,
    globals: *const u8,
    globals_len: usize,
    index: usize,
    page: usize,
    title: *mut c_char,
    title_cap: usize,
    title_written: *mut usize,
    value: *mut c_char,
    value_cap: usize,
    value_written: *mut usize,
    page_count: *mut usize,
) -> sh_status {
    run(|| {
        let title_out = Out::new(title.cast(), title_cap, title_written)?;
        let value_out = Out::new(value.cast(), value_cap, value_written)?;
        let page_count = OutValue::new(page_count)?;
        // SAFETY: forwarded from this function's contract.
        let screen = unsafe { Screen::decode(msg, msg_len, ctx, globals, globals_len) }?;
        let item = screen.summary().item(index).map_err(screen_status)?;
        // The NUL takes one byte of the value buffer.
        let page_size = value_cap.saturating_sub(1);
        let shown = match screen::page(&item.value, page_size, page) {
            Ok(shown) => shown,
            Err(ScreenError::PageTooSmall { needed }) => {
                // SAFETY: forwarded from this function's contract.
                unsafe {
                    title_out.report(Text(&item.title).needed());
                    value_out.report(needed.saturating_add(1));
                }
                return Err(SH_BUFFER_TOO_SMALL);
            }
            Err(e) => return Err(screen_status(e)),
        };
        // SAFETY: forwarded from this function's contract.
        unsafe {
            deliver(&[
                (&title_out, &Text(&item.title)),
                (&value_out, &Text(shown.text)),
            ])?;
            page_count.set(shown.count);
        }
        Ok(())
    })
}

fn screen_status(e: ScreenError) -> sh_status {
    match e {
        ScreenError::NoSuchItem { .. } => SH_NO_SUCH_ITEM,
        ScreenError::NoSuchPage { .. } => SH_NO_SUCH_PAGE,
        ScreenError::PageTooSmall { .. } => SH_BUFFER_TOO_SMALL,
        ScreenError::Value(e) => code(e),
    }
}

#[cfg(test)]
mod tests {
    use stakehold::screen::{MAX_ITEMS, TITLE_CAP, VALUE_CAP};

    use super::*;

    #[test]
    fn the_capacities_are_the_cores_plus_a_nul() {
        assert_eq!(SH_TITLE_CAP, TITLE_CAP + 1);
        assert_eq!(SH_VALUE_CAP, VALUE_CAP + 1);
        assert_eq!(SH_MAX_ITEMS, MAX_ITEMS);
    }
}
