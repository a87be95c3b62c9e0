//! # stakehold — an embedded staking state machine
//!
//! Every rule of staking lives here as a **pure function**: the records a transition reads, the
//! message and a [`Context`] go in; the new records and the [`Event`]s come out, or a typed
//! [`Error`] and nothing changed. There is no clock, no randomness, no I/O and no floating
//! point in anything that decides state, so the same inputs give the same bytes on a server, in
//! a browser (wasm) and on a hardware wallet (Cortex-M). The records a transition changes are
//! passed as `&mut` and written only once every check has passed, so they are updated in place
//! (no copies of whole accounts) and still untouched on error.
//!
//! The crate is `#![no_std]` and panic-free by construction: arithmetic is checked
//! ([`num`]), slices are never indexed, and clippy denies `unwrap`, `expect`, `panic!`,
//! indexing and unchecked arithmetic outside tests. Floating point is denied too, except in
//! [`estimate`], whose display-only figures no rule reads.
//!
//! ## Modules
//! - [`stake`] — BTFS staking (BTIP-85): stake, unstake (merged or chunked unlocks), withdraw,
//!   rebond, slash, parameter updates.
//! - [`governance`] — the M-of-N council with required signers that authorises every
//!   privileged transition.
//! - [`finality`] — Casper FFG checkpoint finality as in Ethereum's consensus specs:
//!   justification bits, the attestation tally, justification and finalization.
//! - [`validator`] — proof-of-stake validators as in Ethereum's consensus specs: presets per
//!   fork, deposits, the activation queue and its churn, exits, ejection, effective balances.
//! - [`msg`] — [`Msg`], one enum over every transition, and [`Event`], one over every effect.
//! - [`state`] — [`Globals`], the records every account shares, and the routing of a
//!   [`Msg`] to its transition without a heap.
//! - [`wire`] — the versioned SCALE byte format and its typed decode errors.
//! - [`screen`] — a message summarised for a hardware wallet's screen, as items and pages.
//! - [`ledger`] (feature `alloc`) — the whole multi-account state with [`Ledger::apply`].
//! - [`estimate`] — figures for dashboards (APR, slashing timeline, proposer odds): `f64`,
//!   for display only, read by no transition; the crate's only floating point (`libm`).
//!
//! ## Features
//! - `alloc` — the [`Ledger`] (hashbrown maps) and `Vec`-returning helpers.
//! - `std` (default) — implies `alloc`; enables the `std` support of the codec and number
//!   crates. The core itself never needs it.
//! - `arbitrary` — implies `std`; [`arbitrary::Arbitrary`] for every message and its parts
//!   ([`fuzz`]), for the fuzz targets.
//!
//! Without `alloc` nothing in this crate allocates: records are fixed-size (bounded collections
//! are `heapless`), and bytes are written with [`wire::encode_into`] into caller buffers.
//!
//! ## Example
//! ```
//! # #[cfg(feature = "alloc")] {
//! use stakehold::{AccountId, Context, Ledger, Msg, Event, Timestamp, U256};
//! use stakehold::governance::Council;
//! use stakehold::stake::StakeParams;
//!
//! let alice = AccountId([0xa1; 20]);
//! let council = Council::single(AccountId([0xc0; 20]));
//! let mut ledger = Ledger::new(StakeParams::btfs(), council).unwrap();
//!
//! let ctx = Context::new(alice, Timestamp(1_700_000_000), 1);
//! let min = ledger.params().min_stake;
//! let events = ledger.apply(&ctx, &Msg::Stake { amount: min }).unwrap();
//! assert_eq!(events, [Event::Staked { account: alice, amount: min }]);
//! assert_eq!(ledger.account(&alice).staked(), min);
//! # }
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
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
        clippy::float_arithmetic,
    )
)]

#[cfg(feature = "alloc")]
extern crate alloc;
// The `Arbitrary` derive names `::std`; fuzzing runs on a host.
#[cfg(feature = "arbitrary")]
extern crate std;

pub mod bounded;
pub mod calendar;
pub mod context;
pub mod error;
pub mod estimate;
pub mod fields;
pub mod finality;
#[cfg(feature = "arbitrary")]
pub mod fuzz;
pub mod governance;
pub mod ids;
#[cfg(feature = "alloc")]
pub mod ledger;
pub mod msg;
pub mod num;
pub mod screen;
pub mod stake;
pub mod state;
pub mod validator;
pub mod wire;

pub use context::Context;
pub use error::Error;
pub use ids::{AccountId, BlockHeight, Epoch, Slot, Timestamp, TokenId, ValidatorIndex};
#[cfg(feature = "alloc")]
pub use ledger::Ledger;
pub use msg::{Event, Msg};
/// The SCALE codec this crate's byte format is built on (re-exported so callers use the same
/// version).
pub use parity_scale_codec as codec;
pub use primitive_types::U256;
pub use state::Globals;

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
