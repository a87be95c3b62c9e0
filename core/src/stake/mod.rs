//! BTFS staking, after BTIP-85 ("Support staking and penalize storage nodes that lose data").
//!
//! A storage node stakes BTT; to leave it unstakes, waits out the unlock period and withdraws.
//! The council may slash a node that lost data. Every function in [`transitions`] is a pure
//! transition: it reads the parameters and is handed the records it changes (the totals and one
//! account) as `&mut`; it returns one [`crate::Event`] with the records updated, or an
//! [`crate::Error`] with them untouched. There is no clock, no I/O and no hidden state.
//!
//! ## The seed's contract, rule by rule
//! | BTIP-85 | here |
//! |---|---|
//! | `stake()`: `msg.value >= minStakeAmount`, per call | [`stake`]: [`StakeError::BelowMinStake`]; `amount` is what the host received with the call |
//! | `unstake(amount)`: `stakedAmount >= amount`; moves to `unlockedAmount`; `unlockTime = now + unlockPeriod` | [`unstake`] with [`UnlockPolicy::Merged`]: exactly this, one bucket whose timer resets |
//! | `withdraw()`: `now >= unlockTime`, `unlockedAmount > 0`; zero, then pay | [`withdraw`]: [`StakeError::StillLocked`], [`StakeError::NothingToWithdraw`]; the new record has the amount zeroed and the host pays on [`crate::Event::Withdrawn`] |
//! | events `Staked`, `Unstaked(unlockTime)`, `Withdrawn`, `ParametersUpdated` | the [`crate::Event`] variants of the same names |
//! | `getUserStake`, `getGlobalStats` | [`StakeAccount`] accessors and [`StakeAccount::view`]; [`StakeTotals`] |
//! | "penalize storage nodes that lose data" (motivation; no function given) | [`slash`] by the council, rule below |
//! | `unlockPeriod`, `minStakeAmount` (no setter given; the event implies one) | [`update_params`], council only |
//!
//! ## Deliberate deviations
//! - **Units.** Amounts are base units (wei) everywhere. The seed's `amount *= 1e18` in
//!   `unstake` contradicts its own comment ("amount is wei") and would make every unstake of
//!   more than 1.2·10^59 wei overflow; we do not copy it.
//! - **Zero amounts.** `unstake(0)` passes the seed's checks and silently re-locks the whole
//!   bucket; we reject it ([`StakeError::ZeroAmount`]). `minStakeAmount = 0` would allow empty
//!   stakes, so parameters need `min_stake ≥ 1` ([`StakeError::ZeroMinStake`]).
//! - **Bounded unlock period.** At most [`MAX_UNLOCK_PERIOD`] (10 years), so a parameter
//!   mistake cannot make every unstake overflow ([`StakeError::UnlockPeriodTooLong`]).
//! - **Re-locking.** Under the seed's contract a second unstake resets the timer of the whole
//!   bucket, re-locking funds that had already matured. [`UnlockPolicy::Merged`] keeps that
//!   behaviour exactly (it is the contract); [`UnlockPolicy::Chunked`] gives each unstake its own
//!   release time (at most `max` pending, same-time chunks merged), so matured funds are never
//!   re-locked.
//! - **Beyond the seed.** [`rebond`] moves pending unlocks back to stake,
//!   newest first. [`slash`] is ours: the seed names the penalty but not the
//!   rule.
//! - **Parameter changes** keep every pending unlock's deadline: release times are stored
//!   absolute, never recomputed from the period, and a change of policy or of the chunk limit
//!   leaves pending chunks as they are. (A later unstake under `Merged` does move them all to
//!   its own release time, earlier or later — that is the merged bucket's rule.)
//!
//! ## The slashing rule
//! A slash of `amount` takes `min(amount, staked + unlocked)`: first from the active stake, then
//! from pending unlocks, newest first (funds unstaked most recently are the likeliest attempt to
//! run from a penalty). It never takes more than the account holds, and an account holding
//! nothing is an error. Slashed funds leave the contract's balance ([`StakeTotals::balance`])
//! and are counted in [`StakeTotals::total_slashed`]; the host burns or forwards them on
//! [`crate::Event::Slashed`].
//!
//! ## Invariants
//! For every reachable state: `balance ≥ total_staked + total_unlocked` (equal here: the
//! contract holds nothing else); `total_staked` and `total_unlocked` are the sums over accounts;
//! each account's `unlocked` is the sum of its chunks, which are ordered by release time and
//! non-zero; value is conserved: everything staked is staked, unlocking, withdrawn or slashed.

mod error;
mod params;
mod records;
pub mod transitions;

pub use error::StakeError;
pub use params::{BTT_DECIMALS, MAX_UNLOCK_CHUNKS, MAX_UNLOCK_PERIOD, StakeParams, UnlockPolicy};
pub use records::{SlashReason, StakeAccount, StakeTotals, StakeView, UnlockChunk};
pub use transitions::{rebond, slash, stake, unstake, update_params, withdraw};

#[cfg(test)]
mod tests;
