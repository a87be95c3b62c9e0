//! The staking transitions.
//!
//! Each works on the records it touches, passed as `&mut`, in two phases: first every check and
//! every checked computation into locals; then the writes, which cannot fail (or, for the one
//! write to a bounded list that could, comes first). So on `Err` the records are exactly as
//! they were, and on `Ok` they are the new state — the same contract as a function returning
//! new records, without copying a whole account (up to 392 bytes) three times per message.

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

/// The amounts a transition changes: one account's stake and unlocking, and the totals.
///
/// Transitions compute the next `Sums` with checked arithmetic (any error returns before a
/// write), then [`Sums::write`] stores them. Each step changes an account's figure and the
/// matching total together, which is how the totals stay the sums over the accounts.
#[derive(Clone, Copy)]
struct Sums {
    staked: U256,
    unlocked: U256,
    totals: StakeTotals,
}

impl Sums {
    fn of(account: &StakeAccount, totals: &StakeTotals) -> Self {
        Self {
            staked: account.staked,
            unlocked: account.unlocked,
            totals: *totals,
        }
    }

    fn add_stake(mut self, amount: U256) -> Result<Self, Error> {
        self.staked = add(self.staked, amount)?;
        self.totals.total_staked = add(self.totals.total_staked, amount)?;
        Ok(self)
    }

    fn sub_stake(mut self, amount: U256) -> Result<Self, Error> {
        self.staked = sub(self.staked, amount)?;
        self.totals.total_staked = sub(self.totals.total_staked, amount)?;
        Ok(self)
    }

    fn add_unlocking(mut self, amount: U256) -> Result<Self, Error> {
        self.unlocked = add(self.unlocked, amount)?;
        self.totals.total_unlocked = add(self.totals.total_unlocked, amount)?;
        Ok(self)
    }

    fn sub_unlocking(mut self, amount: U256) -> Result<Self, Error> {
        self.unlocked = sub(self.unlocked, amount)?;
        self.totals.total_unlocked = sub(self.totals.total_unlocked, amount)?;
        Ok(self)
    }

    /// Funds enter the contract.
    fn receive(mut self, amount: U256) -> Result<Self, Error> {
        self.totals.balance = add(self.totals.balance, amount)?;
        Ok(self)
    }

    /// Funds leave the contract (paid out, or slashed when `slashed`).
    fn release(mut self, amount: U256, slashed: bool) -> Result<Self, Error> {
        self.totals.balance = sub(self.totals.balance, amount)?;
        if slashed {
            self.totals.total_slashed = add(self.totals.total_slashed, amount)?;
        }
        Ok(self)
    }

    fn write(self, account: &mut StakeAccount, totals: &mut StakeTotals) {
        account.staked = self.staked;
        account.unlocked = self.unlocked;
        *totals = self.totals;
    }
}

/// The caller stakes `amount` wei, received with the message (the seed's `stake()`).
///
/// Errors: [`StakeError::BelowMinStake`] when `amount < min_stake`; overflow of a total.
pub fn stake(
    params: &StakeParams,
    totals: &mut StakeTotals,
    account: &mut StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Event, Error> {
    if amount < params.min_stake {
        let min = params.min_stake;
        return Err(StakeError::BelowMinStake { amount, min }.into());
    }
    let next = Sums::of(account, totals)
        .add_stake(amount)?
        .receive(amount)?;

    next.write(account, totals);
    Ok(Event::Staked {
        account: ctx.caller,
        amount,
    })
}

/// Where an unstaked amount goes among the pending unlocks.
enum Placement {
    /// [`UnlockPolicy::Merged`]: everything pending becomes one chunk.
    MergeAll,
    /// Added to the chunk at this index, which has the same release time, giving this amount.
    Join(usize, U256),
    /// A new chunk at this index (keeping release order).
    Insert(usize),
}

/// The caller starts unlocking `amount` of its stake (the seed's `unstake(amount)`), releasing
/// at `now + unlock_period`.
///
/// Under [`UnlockPolicy::Merged`] every pending unlock joins one bucket released at the new
/// time (the seed's contract: matured funds are re-locked) — every chunk, even one left by an
/// earlier `Chunked` policy and released later than the new time. Under
/// [`UnlockPolicy::Chunked`] the amount gets its own chunk (or joins the one released at the
/// same second). The `max` limit is on creating a chunk: when `max` or more are pending (the
/// council may have lowered it; nothing is trimmed), a new chunk is
/// [`StakeError::TooManyUnlockChunks`], while joining the chunk of the same second is allowed.
///
/// Errors: [`StakeError::ZeroAmount`], [`StakeError::ExceedsStaked`],
/// [`StakeError::TooManyUnlockChunks`]; overflow of the release time or a total.
pub fn unstake(
    params: &StakeParams,
    totals: &mut StakeTotals,
    account: &mut StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Event, Error> {
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    if amount > account.staked {
        let staked = account.staked;
        return Err(StakeError::ExceedsStaked {
            requested: amount,
            staked,
        }
        .into());
    }
    let release = Timestamp(add_u64(ctx.now.0, params.unlock_period)?);
    let next = Sums::of(account, totals)
        .sub_stake(amount)?
        .add_unlocking(amount)?;
    let placement = match params.unlock_policy {
        UnlockPolicy::Merged => Placement::MergeAll,
        UnlockPolicy::Chunked { .. } => place(&account.chunks, amount, release, params)?,
    };

    match placement {
        Placement::MergeAll => {
            account.chunks.clear();
            account.chunks.push(UnlockChunk {
                amount: next.unlocked,
                release,
            })?;
        }
        Placement::Join(index, joined) => {
            if let Some(chunk) = account.chunks.get_mut(index) {
                chunk.amount = joined;
            }
        }
        Placement::Insert(index) => account
            .chunks
            .insert(index, UnlockChunk { amount, release })?,
    }
    next.write(account, totals);
    Ok(Event::Unstaked {
        account: ctx.caller,
        amount,
        unlock_time: release,
    })
}

/// Where `amount` released at `release` goes under the chunked policy, checking the limit.
fn place(
    chunks: &Chunks,
    amount: U256,
    release: Timestamp,
    params: &StakeParams,
) -> Result<Placement, Error> {
    if let Some(index) = chunks.iter().position(|c| c.release == release) {
        let joined = chunks
            .get(index)
            .map_or(Ok(amount), |c| add(c.amount, amount))?;
        return Ok(Placement::Join(index, joined));
    }
    let limit = params.chunk_limit();
    if chunks.len() >= limit {
        let max = u8::try_from(limit).unwrap_or(u8::MAX);
        return Err(StakeError::TooManyUnlockChunks { max }.into());
    }
    // Usually last; earlier only after the unlock period was shortened.
    Ok(Placement::Insert(
        chunks.iter().take_while(|c| c.release < release).count(),
    ))
}

/// The caller withdraws every pending unlock released at or before `now` (the seed's
/// `withdraw()`). The record drops them; the host pays on [`Event::Withdrawn`].
///
/// Errors: [`StakeError::NothingToWithdraw`] when nothing is pending;
/// [`StakeError::StillLocked`] with the earliest release when nothing has matured.
pub fn withdraw(
    totals: &mut StakeTotals,
    account: &mut StakeAccount,
    ctx: &Context,
) -> Result<Event, Error> {
    let earliest = account
        .chunks
        .first()
        .ok_or(StakeError::NothingToWithdraw)?;
    if earliest.release > ctx.now {
        return Err(StakeError::StillLocked {
            unlock_time: earliest.release,
        }
        .into());
    }
    let amount = account.matured(ctx.now);
    let next = Sums::of(account, totals)
        .sub_unlocking(amount)?
        .release(amount, false)?;

    account.chunks.retain(|c| c.release > ctx.now);
    next.write(account, totals);
    Ok(Event::Withdrawn {
        account: ctx.caller,
        amount,
    })
}

/// Removes `amount` from the chunks, latest release first (rebond and slash).
///
/// The caller has checked `amount ≤ unlocked`, and `unlocked` is the chunks' sum (the record's
/// invariant), so the loop always ends with `amount` taken and nothing can underflow.
fn take_newest(chunks: &mut Chunks, amount: U256) {
    let mut left = amount;
    while !left.is_zero() {
        let Some(last) = chunks.last_mut() else {
            return;
        };
        if last.amount > left {
            last.amount = last.amount.saturating_sub(left);
            return;
        }
        left = left.saturating_sub(last.amount);
        chunks.pop();
    }
}

/// The caller moves `amount` of its pending unlocks back to active stake, newest first (beyond
/// the seed: changing one's mind should not need a withdraw and a new stake).
///
/// Any amount up to the pending unlocks may be rebonded, matured or not: no minimum applies
/// (the minimum is per `stake` call, and rebonded funds were staked before).
///
/// Errors: [`StakeError::ZeroAmount`], [`StakeError::ExceedsUnlocking`].
pub fn rebond(
    totals: &mut StakeTotals,
    account: &mut StakeAccount,
    ctx: &Context,
    amount: U256,
) -> Result<Event, Error> {
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    if amount > account.unlocked {
        let unlocking = account.unlocked;
        return Err(StakeError::ExceedsUnlocking {
            requested: amount,
            unlocking,
        }
        .into());
    }
    let next = Sums::of(account, totals)
        .sub_unlocking(amount)?
        .add_stake(amount)?;

    take_newest(&mut account.chunks, amount);
    next.write(account, totals);
    Ok(Event::Rebonded {
        account: ctx.caller,
        amount,
    })
}

/// The council slashes `amount` from `target`, whose record is `account` (see the module docs
/// for the rule).
///
/// A slash is the one transition whose account is not the caller's, so `target` names it (for
/// the event and the error).
///
/// Errors: the council's ([`crate::governance::GovernanceError`]), [`StakeError::ZeroAmount`],
/// [`StakeError::NothingToSlash`].
pub fn slash(
    council: &Council,
    approvals: &[AccountId],
    totals: &mut StakeTotals,
    target: AccountId,
    account: &mut StakeAccount,
    amount: U256,
    reason: SlashReason,
) -> Result<Event, Error> {
    council.authorize(approvals)?;
    if amount.is_zero() {
        return Err(StakeError::ZeroAmount.into());
    }
    let held = add(account.staked, account.unlocked)?;
    if held.is_zero() {
        return Err(StakeError::NothingToSlash { account: target }.into());
    }
    let taken = amount.min(held);
    let from_staked = taken.min(account.staked);
    let from_unlocking = sub(taken, from_staked)?;
    let next = Sums::of(account, totals)
        .sub_stake(from_staked)?
        .sub_unlocking(from_unlocking)?
        .release(taken, true)?;

    take_newest(&mut account.chunks, from_unlocking);
    next.write(account, totals);
    Ok(Event::Slashed {
        account: target,
        reason,
        requested: amount,
        from_staked,
        from_unlocking,
    })
}

/// The council replaces the parameters. Pending unlocks keep their release times.
///
/// Errors: the council's, then [`StakeParams::validate`]'s.
pub fn update_params(
    council: &Council,
    approvals: &[AccountId],
    params: &mut StakeParams,
    next: &StakeParams,
) -> Result<Event, Error> {
    council.authorize(approvals)?;
    next.validate()?;
    *params = *next;
    Ok(Event::ParametersUpdated {
        unlock_period: next.unlock_period,
        min_stake: next.min_stake,
        unlock_policy: next.unlock_policy,
    })
}
