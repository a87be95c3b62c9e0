//! Checkpoint finality (Casper FFG), after the proof-of-stake seed's *Finality* section, as
//! Ethereum's consensus specs define it.
//!
//! The seed: "The first block in each epoch is a checkpoint. Validators vote for pairs of
//! checkpoints … If a pair of checkpoints attracts votes representing at least two-thirds of
//! the total staked BTCC, the checkpoints are upgraded. The more recent of the two (target)
//! becomes 'justified'. The earlier of the two is already justified … Now it is upgraded to
//! 'finalized'." The seed gives no algorithm; the rules here are the consensus specs'
//! (`ethereum/consensus-specs`, `specs/phase0/beacon-chain.md` and
//! `specs/altair/beacon-chain.md`), function by function, with the same `u64` arithmetic, the
//! same order of checks and the same edge cases. Each function's docs name the spec function
//! and fork it follows. These rules are unchanged from phase0 through electra: altair moved
//! the target test into participation flags, deneb (EIP-7045) changed only *when* a vote is
//! timely enough to count, and electra only how committees are named — all the host's part.
//!
//! Every function is pure: [`weigh_justification_and_finalization`] and
//! [`process_justification_and_finalization`] take the [`FinalityState`] as `&mut` and write
//! it only on success. Nothing allocates. The attestations that make the target balances are
//! the validator module's: [`crate::validator::process_attestation`] records participation as
//! they are included, and [`crate::validator::EpochTotals`] sums it.
//!
//! ## The spec, rule by rule
//! | seed / spec (fork) | here |
//! |---|---|
//! | `Checkpoint {epoch, root}` (phase0 container) | [`Checkpoint`]; its SCALE bytes equal its SSZ bytes |
//! | `justification_bits: Bitvector[JUSTIFICATION_BITS_LENGTH]`, 4 bits, bit 0 the current epoch (phase0 `BeaconState`) | [`JustificationBits`], a byte whose high four bits are always clear (the decoder rejects others) |
//! | `previous_justified_checkpoint`, `current_justified_checkpoint`, `finalized_checkpoint` (phase0 `BeaconState`) | [`FinalityState`]; genesis stubs: [`FinalityState::GENESIS`] |
//! | `get_previous_epoch`: genesis is its own previous epoch (phase0) | [`previous_epoch`] |
//! | `process_attestation`, `get_unslashed_participating_indices`, `get_total_balance` (phase0; altair) | [`crate::validator::process_attestation`], [`crate::validator::EpochTotals`] |
//! | `process_justification_and_finalization`: skip while `current_epoch <= GENESIS_EPOCH + 1` (phase0; altair) | [`process_justification_and_finalization`] |
//! | `weigh_justification_and_finalization`: shift the bits; `target * 3 >= total * 2` for the previous then the current epoch (phase0) | [`weigh_justification_and_finalization`] |
//! | the four finalization cases: bits 1–3 and `+3`, bits 1–2 and `+2` (old previous justified); bits 0–2 and `+2`, bits 0–1 and `+1` (old current justified), in that order (phase0) | [`FinalizationRule`], tested in that order; the last that holds wins |
//! | a `uint64` overflow makes the state transition invalid (phase0) | a [`FinalityError`] naming the quantity; the state is unchanged |
//! | the seed: "the more recent … becomes justified … now it is upgraded to finalized" | [`FinalityOutcome`]: the newly justified and the newly finalized checkpoints, for the host's events |
//!
//! ## Deliberate deviations
//! - **The host supplies what the beacon state would.** The spec reads the current epoch from
//!   `state.slot`, the block roots from `state.block_roots` (`get_block_root`) and the
//!   balances from the validator registry. Here the current epoch, the roots of the blocks at
//!   the start of the previous and current epochs, and the balances are arguments, so this
//!   module does not depend on the validator registry. The host must pass what the spec's
//!   state would hold.
//! - **Genesis roots.** At epoch 0 the previous and current epochs are the same; the spec
//!   reads one root for both. Here the current-epoch root is used for it (see
//!   [`weigh_justification_and_finalization`]).
//! - **Outcome.** The spec returns nothing; the [`FinalityOutcome`] reports what changed
//!   (computed from the states before and after; it changes no rule).
//!
//! ## Invariants
//! Let *ordered* be `finalized.epoch ≤ previous_justified.epoch ≤ current_justified.epoch`
//! ([`FinalityState::is_ordered`]). [`FinalityState::GENESIS`] is ordered. If a state is
//! ordered and [`weigh_justification_and_finalization`] is called with
//! `previous_epoch(current_epoch) ≥ current_justified.epoch`, then after a successful call
//! (tested by a property test over random epochs and balances):
//! - the state is ordered, so **the justified checkpoint is never behind the finalized one**;
//! - **the finalized epoch never decreases**, nor does the current justified epoch.
//!
//! Why: the new current justified checkpoint is the old one or the previous or current epoch,
//! none before the old one; the new previous justified checkpoint is the old current one; the
//! new finalized checkpoint is the old one or one of the two old justified checkpoints, none
//! before the old finalized one and none after the old current justified one.
//!
//! The condition holds whenever the function is called once per epoch in increasing order,
//! as the spec's epoch processing does (its current epoch comes from the state, so it always
//! holds there), and with gaps between epochs too. It is **not checked**, to match the spec
//! exactly: a host that may call for an epoch at or before the current justified one (a
//! replay, a reorg handled by the host) must check it itself, or the invariants can break (a
//! test shows how). Epochs skipped between calls do not break the invariants, but the bits
//! then no longer mean "the last four epochs".
//!
//! [`process_justification_and_finalization`] never changes a state at epochs 0 and 1, so
//! the genesis stubs (zero roots) are never replaced before epoch 2.

mod error;
mod records;
pub mod transitions;

pub use error::FinalityError;
pub use records::{
    Checkpoint, FinalityOutcome, FinalityState, FinalizationRule, JUSTIFICATION_BITS_LENGTH,
    JustificationBits,
};
pub use transitions::{
    GENESIS_EPOCH, previous_epoch, process_justification_and_finalization,
    weigh_justification_and_finalization,
};

#[cfg(test)]
mod tests;
