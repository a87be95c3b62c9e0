//! # stakehold-ffi — the C library for hardware-wallet firmware
//!
//! C functions over byte buffers that carry the `stakehold` core to firmware: decode and check
//! a staking message, apply it to the records it touches, format amounts, and summarise it for
//! the device's screen as items and pages; for the proof-of-stake chain, presets and one
//! epoch's justification and finalization over the finality record ([`chain`]), and with a
//! heap a ledger handle whose chain takes deposits, exits, attestations and epoch ends
//! ([`ledger`]); and estimates for display, as `double`s that no transition reads
//! ([`estimate`]: yearly return, a slashed validator's timeline, proposer odds). The
//! conventions follow rustls-ffi:
//!
//! - every function is prefixed `sh_` and returns an `sh_status`: `0` is success, other values
//!   are the core's stable error codes (`stakehold::Error::code`), the same in Rust, JavaScript
//!   and C; what only a C caller can get wrong (a NULL pointer, an item or page out of range)
//!   has the core's `InputError` codes (600s, see [`status`]); `sh_status_text` describes any;
//! - inputs come first, outputs last; each output buffer is followed by its capacity and by a
//!   `size_t *` that receives the length written;
//! - outputs are written only on success, never partly. When an output buffer is too small the
//!   call returns `SH_BUFFER_TOO_SMALL` (204) and each `*written` receives the capacity its
//!   buffer needs, so the caller can retry;
//! - NULL pointers, short buffers, garbage bytes and unknown format versions are status codes.
//!
//! Nothing here holds a rule: each function turns C buffers into core values, calls the core
//! and turns the result back into bytes. The library is panic-free by construction (the lint
//! wall below), and without the `alloc` feature nothing in it allocates: on bare metal the
//! global allocator always fails, so a stray allocation would fault rather than go unnoticed.
//!
//! `unsafe` exists only in this crate, in `buffers` (C pointers to Rust slices), the ledger
//! handle and the bare-metal runtime, each block with a `SAFETY` comment.
#![no_std]
#![deny(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
    )
)]
// C names: `sh_status`, `sh_context`, `sh_ledger`.
#![allow(non_camel_case_types)]

// On a host the standard library supplies the panic handler and the allocator; on bare metal
// `bare_metal` does.
#[cfg(not(target_os = "none"))]
extern crate std;

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(target_os = "none")]
mod bare_metal;
mod buffers;
pub mod chain;
pub mod estimate;
#[cfg(feature = "alloc")]
pub mod ledger;
pub mod records;
pub mod status;
pub mod summary;
