//! C pointers to Rust values and back: the only place that turns raw pointers into slices.
//!
//! Inputs are checked for NULL and made into slices; outputs are checked for NULL up front
//! (before any work), then written all at once by [`deliver`] only when every one fits, so a
//! call that fails leaves every output as it was.

use core::ptr::NonNull;

use parity_scale_codec::Encode;
use stakehold::wire;

use crate::status::{
    SH_BUFFER_TOO_SMALL, SH_INVALID_ARGUMENT, SH_NULL_POINTER, SH_OK, code, sh_status,
};

/// The result of a step of an `sh_` function: a value, or the status to return.
pub(crate) type Result<T> = core::result::Result<T, sh_status>;

/// Runs the body of an `sh_` function and returns its status.
pub(crate) fn run(body: impl FnOnce() -> Result<()>) -> sh_status {
    match body() {
        Ok(()) => SH_OK,
        Err(status) => status,
    }
}

/// A slice can span at most `isize::MAX` bytes.
fn check_len(len: usize) -> Result<()> {
    if isize::try_from(len).is_ok() {
        Ok(())
    } else {
        Err(SH_INVALID_ARGUMENT)
    }
}

/// The `len` bytes at `ptr`; NULL is accepted only for an empty input.
///
/// # Safety
/// Unless NULL, `ptr` must point to `len` readable bytes that nothing writes during the call.
pub(crate) unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8]> {
    check_len(len)?;
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(SH_NULL_POINTER)
        };
    }
    // SAFETY: `ptr` is non-NULL and, by this function's contract, points to `len` readable
    // bytes not written during the call; `len ≤ isize::MAX` was checked.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// The `N` bytes at `ptr`: a fixed-length input (a root, a public key), whose `len` must be
/// `N` ([`SH_INVALID_ARGUMENT`] otherwise).
///
/// # Safety
/// As [`input`].
pub(crate) unsafe fn input_array<const N: usize>(ptr: *const u8, len: usize) -> Result<[u8; N]> {
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { input(ptr, len) }?;
    bytes.try_into().map_err(|_| SH_INVALID_ARGUMENT)
}

/// A copy of the `T` at `ptr`.
///
/// # Safety
/// Unless NULL, `ptr` must point to a readable, initialised `T` (alignment is not required).
pub(crate) unsafe fn read<T: Copy>(ptr: *const T) -> Result<T> {
    if ptr.is_null() {
        return Err(SH_NULL_POINTER);
    }
    // SAFETY: non-NULL, and by this function's contract readable and initialised.
    Ok(unsafe { ptr.read_unaligned() })
}

/// Where a C caller wants a scalar result, checked non-NULL.
pub(crate) struct OutValue<T>(NonNull<T>);

impl<T> OutValue<T> {
    /// `ptr`, or [`SH_NULL_POINTER`].
    pub(crate) fn new(ptr: *mut T) -> Result<Self> {
        NonNull::new(ptr).map(Self).ok_or(SH_NULL_POINTER)
    }

    /// Stores `value`.
    ///
    /// # Safety
    /// The pointer given to [`OutValue::new`] must be valid for a write of a `T` (alignment is
    /// not required).
    pub(crate) unsafe fn set(&self, value: T) {
        // SAFETY: non-NULL by construction and writable by this function's contract.
        unsafe { self.0.as_ptr().write_unaligned(value) }
    }
}

/// An output buffer from C: `cap` bytes at `ptr`, and where to report the length.
pub(crate) struct Out {
    ptr: *mut u8,
    cap: usize,
    written: OutValue<usize>,
}

impl Out {
    /// Checks the pointers: `written` must not be NULL, and `ptr` only when `cap` is 0 (a call
    /// with a NULL, 0 buffer asks for the length needed).
    pub(crate) fn new(ptr: *mut u8, cap: usize, written: *mut usize) -> Result<Self> {
        check_len(cap)?;
        let written = OutValue::new(written)?;
        if ptr.is_null() && cap != 0 {
            return Err(SH_NULL_POINTER);
        }
        Ok(Self { ptr, cap, written })
    }

    /// Stores the capacity this buffer needs in `*written` (for [`SH_BUFFER_TOO_SMALL`]).
    ///
    /// # Safety
    /// The `written` pointer given to [`Out::new`] must be valid for a `size_t` write.
    pub(crate) unsafe fn report(&self, needed: usize) {
        // SAFETY: forwarded from this function's contract.
        unsafe { self.written.set(needed) }
    }
}

/// Something written into an output buffer.
pub(crate) trait Payload {
    /// The capacity the buffer needs.
    fn needed(&self) -> usize;
    /// Writes into `buf` (exactly [`Payload::needed`] bytes long); returns what `*written`
    /// reports.
    fn write(&self, buf: &mut [u8]) -> Result<usize>;
}

/// A value's SCALE encoding.
pub(crate) struct Scale<'a, T>(pub &'a T);

impl<T: Encode> Payload for Scale<'_, T> {
    fn needed(&self) -> usize {
        self.0.encoded_size()
    }
    fn write(&self, buf: &mut [u8]) -> Result<usize> {
        wire::encode_into(self.0, buf).map_err(code)
    }
}

/// Text as a C string: the bytes and a NUL; `*written` is the length without the NUL.
pub(crate) struct Text<'a>(pub &'a str);

impl Payload for Text<'_> {
    fn needed(&self) -> usize {
        self.0.len().saturating_add(1)
    }
    fn write(&self, buf: &mut [u8]) -> Result<usize> {
        let (text, nul) = buf
            .split_at_mut_checked(self.0.len())
            .ok_or(SH_BUFFER_TOO_SMALL)?;
        text.copy_from_slice(self.0.as_bytes());
        nul.fill(0);
        Ok(self.0.len())
    }
}

/// Raw bytes.
pub(crate) struct Bytes<'a>(pub &'a [u8]);

impl Payload for Bytes<'_> {
    fn needed(&self) -> usize {
        self.0.len()
    }
    fn write(&self, buf: &mut [u8]) -> Result<usize> {
        buf.copy_from_slice(self.0);
        Ok(self.0.len())
    }
}

/// Writes every payload to its buffer if every one fits. Otherwise writes no buffer, stores
/// each buffer's needed capacity in its `*written` and returns [`SH_BUFFER_TOO_SMALL`].
///
/// # Safety
/// Each output's `ptr` must be valid for writes of `cap` bytes and its `written` for a write of
/// a `size_t`; inputs that alias them must no longer be in use.
pub(crate) unsafe fn deliver(outputs: &[(&Out, &dyn Payload)]) -> Result<()> {
    if outputs
        .iter()
        .any(|(out, payload)| payload.needed() > out.cap)
    {
        for (out, payload) in outputs {
            // SAFETY: `written` is writable by this function's contract.
            unsafe { out.report(payload.needed()) };
        }
        return Err(SH_BUFFER_TOO_SMALL);
    }
    for (out, payload) in outputs {
        let needed = payload.needed();
        let buf: &mut [u8] = match NonNull::new(out.ptr) {
            // SAFETY: `ptr` is valid for `cap ≥ needed` writable bytes by this function's
            // contract, and no other reference to them is in use.
            Some(ptr) => unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), needed) },
            // A NULL buffer has capacity 0 (checked by `Out::new`), so nothing is needed.
            None => &mut [],
        };
        let written = payload.write(buf)?;
        // SAFETY: as above.
        unsafe { out.written.set(written) };
    }
    Ok(())
}
