//! The staking transitions. Each is pure and atomic: it checks everything, then returns the
//! new records; on error nothing is returned, so nothing can have changed.

use primitive_types::U256;

use super::records::Chunks;
use super::{
    SlashReason, StakeAccount, StakeError, StakeParams, StakeTotals, UnlockChunk, UnlockPolicy,
};
use crate::context::Context;
use crate::error::Error;
use crate::governance::Council;
use crate::ids::{AccountId, Timestamp};
use crate::msg::Event;
use crate::num::{add, add_u64, sub};

/// The result of a transition on one account: its new record, the new totals and the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The account's new record (empty when it holds nothing any more).
    pub account: StakeAccount,
    /// The contract's new totals.
    pub totals: StakeTotals,
    /// What happened.
    pub event: Event,
}

/// The caller stakes `amount` wei, received with the message (the seed's `stake()`).
///
/// Errors: [`StakeError::BelowMinStake`] when `amount < min_stake`; overflow of a total.
pub fn stake(
    params: &StakeParams,
    totals: &StakeTotals,
    account: &StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Outcome, Error> {
    if amount < params.min_stake {
        return Err(StakeError::BelowMinStake {
            amount,
            min: params.min_stake,
        }
        .into());
    }
    let (staked, chunks) = account.parts();
    Ok(Outcome {
        account: StakeAccount::from_parts(add(staked, amount)?, chunks.clone())?,
        totals: StakeTotals {
            total_staked: add(totals.total_staked, amount)?,
            balance: add(totals.balance, amount)?,
            ..*totals
        },
        event: Event::Staked {
            account: ctx.caller,
            amount,
        },
    })
}

/// The caller starts unlocking `amount` of its stake (the seed's `unstake(amount)`), releasing
/// at `now + unlock_period`.
///
/// Under [`UnlockPolicy::Merged`] every pending unlock joins one bucket released at the new
/// time (the seed's contract: matured funds are re-locked). Under [`UnlockPolicy::Chunked`] the
/// amount gets its own chunk (or joins the one released at the same second).
///
/// Errors: [`StakeError::ZeroAmount`], [`StakeError::ExceedsStaked`],
/// [`StakeError::TooManyUnlockChunks`]; overflow of the release time or a total.
pub fn unstake(
    params: &StakeParams,
    totals: &StakeTotals,
    account: &StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Outcome, Error> {
    let (staked, chunks) = account.parts();
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    if amount > staked {
        return Err(StakeError::ExceedsStaked {
            requested: amount,
            staked,
        }
        .into());
    }
    let release = Timestamp(add_u64(ctx.now.0, params.unlock_period)?);
    let chunks = match params.unlock_policy {
        UnlockPolicy::Merged => {
            let mut merged = Chunks::new();
            let pending = add(account.unlocked(), amount)?;
            merged.push(UnlockChunk {
                amount: pending,
                release,
            })?;
            merged
        }
        UnlockPolicy::Chunked { .. } => add_chunk(chunks, amount, release, params.chunk_limit())?,
    };
    Ok(Outcome {
        account: StakeAccount::from_parts(sub(staked, amount)?, chunks)?,
        totals: StakeTotals {
            total_staked: sub(totals.total_staked, amount)?,
            total_unlocked: add(totals.total_unlocked, amount)?,
            ..*totals
        },
        event: Event::Unstaked {
            account: ctx.caller,
            amount,
            unlock_time: release,
        },
    })
}

/// `chunks` with `amount` released at `release` added, keeping them ordered by release time.
fn add_chunk(
    chunks: &Chunks,
    amount: U256,
    release: Timestamp,
    limit: usize,
) -> Result<Chunks, Error> {
    let mut chunks = chunks.clone();
    if let Some(same) = chunks.iter_mut().find(|c| c.release == release) {
        same.amount = add(same.amount, amount)?;
        return Ok(chunks);
    }
    if chunks.len() >= limit {
        let max = u8::try_from(limit).unwrap_or(u8::MAX);
        return Err(StakeError::TooManyUnlockChunks { max }.into());
    }
    // Usually last; earlier only after the unlock period was shortened.
    let at = chunks.iter().take_while(|c| c.release < release).count();
    chunks.insert(at, UnlockChunk { amount, release })?;
    Ok(chunks)
}

/// The caller withdraws every pending unlock released at or before `now` (the seed's
/// `withdraw()`). The new record has them removed; the host pays on [`Event::Withdrawn`].
///
/// Errors: [`StakeError::NothingToWithdraw`] when nothing is pending;
/// [`StakeError::StillLocked`] with the earliest release when nothing has matured.
pub fn withdraw(
    totals: &StakeTotals,
    account: &StakeAccount,
    ctx: &Context,
) -> Result<Outcome, Error> {
    let (staked, chunks) = account.parts();
    let earliest = chunks.first().ok_or(StakeError::NothingToWithdraw)?;
    if earliest.release > ctx.now {
        return Err(StakeError::StillLocked {
            unlock_time: earliest.release,
        }
        .into());
    }
    let amount = account.matured(ctx.now);
    let mut remaining = chunks.clone();
    remaining.retain(|c| c.release > ctx.now);
    Ok(Outcome {
        account: StakeAccount::from_parts(staked, remaining)?,
        totals: StakeTotals {
            total_unlocked: sub(totals.total_unlocked, amount)?,
            balance: sub(totals.balance, amount)?,
            ..*totals
        },
        event: Event::Withdrawn {
            account: ctx.caller,
            amount,
        },
    })
}

/// `chunks` less `amount`, taken from the latest release backwards (rebond and slash).
/// `amount` must not exceed their sum.
fn take_newest(chunks: &Chunks, amount: U256) -> Result<Chunks, Error> {
    let mut chunks = chunks.clone();
    let mut left = amount;
    while !left.is_zero() {
        let last = chunks.last_mut().ok_or(crate::num::NumError::Underflow)?;
        if last.amount > left {
            last.amount = sub(last.amount, left)?;
            break;
        }
        left = sub(left, last.amount)?;
        chunks.pop();
    }
    Ok(chunks)
}

/// The caller moves `amount` of its pending unlocks back to active stake, newest first (beyond
/// the seed: changing one's mind should not need a withdraw and a new stake).
///
/// Errors: [`StakeError::ZeroAmount`], [`StakeError::ExceedsUnlocking`].
pub fn rebond(
    totals: &StakeTotals,
    account: &StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Outcome, Error> {
    let (staked, chunks) = account.parts();
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    if amount > account.unlocked() {
        return Err(StakeError::ExceedsUnlocking {
            requested: amount,
            unlocking: account.unlocked(),
        }
        .into());
    }
    Ok(Outcome {
        account: StakeAccount::from_parts(add(staked, amount)?, take_newest(chunks, amount)?)?,
        totals: StakeTotals {
            total_staked: add(totals.total_staked, amount)?,
            total_unlocked: sub(totals.total_unlocked, amount)?,
            ..*totals
        },
        event: Event::Rebonded {
            account: ctx.caller,
            amount,
        },
    })
}

/// The council slashes `amount` from `target` (see the module docs for the rule).
///
/// Errors: the council's ([`crate::governance::GovernanceError`]), [`StakeError::ZeroAmount`],
/// [`StakeError::NothingToSlash`].
#[allow(clippy::too_many_arguments)]
pub fn slash(
    council: &Council,
    approvals: &[AccountId],
    totals: &StakeTotals,
    account: &StakeAccount,
    target: AccountId,
    amount: U256,
    reason: SlashReason,
) -> Result<Outcome, Error> {
    council.authorize(approvals)?;
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    let (staked, chunks) = account.parts();
    let held = add(staked, account.unlocked())?;
    if held.is_zero() {
        return Err(StakeError::NothingToSlash { account: target }.into());
    }
    let taken = amount.min(held);
    let from_staked = taken.min(staked);
    let from_unlocking = sub(taken, from_staked)?;
    Ok(Outcome {
        account: StakeAccount::from_parts(
            sub(staked, from_staked)?,
            take_newest(chunks, from_unlocking)?,
        )?,
        totals: StakeTotals {
            total_staked: sub(totals.total_staked, from_staked)?,
            total_unlocked: sub(totals.total_unlocked, from_unlocking)?,
            total_slashed: add(totals.total_slashed, taken)?,
            balance: sub(totals.balance, taken)?,
        },
        event: Event::Slashed {
            account: target,
            reason,
            requested: amount,
            from_staked,
            from_unlocking,
        },
    })
}

/// The council replaces the parameters. Pending unlocks keep their release times.
///
/// Errors: the council's, then [`StakeParams::validate`]'s.
pub fn update_params(
    council: &Council,
    approvals: &[AccountId],
    params: &StakeParams,
) -> Result<Event, Error> {
    council.authorize(approvals)?;
    params.validate()?;
    Ok(Event::ParametersUpdated {
        unlock_period: params.unlock_period,
        min_stake: params.min_stake,
        unlock_policy: params.unlock_policy,
    })
}
