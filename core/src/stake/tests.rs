//! Unit tests: every error of every staking transition, and the boundaries.

use primitive_types::U256;

use super::*;
use crate::Context;
use crate::error::Error;
use crate::governance::{Council, CouncilMember, GovernanceError};
use crate::ids::{AccountId, Timestamp};
use crate::msg::Event;
use crate::num::NumError;

const ALICE: AccountId = AccountId([0xa1; 20]);
const DAY: u64 = 86_400;
const T0: u64 = 1_700_000_000;

fn btt(n: u64) -> U256 {
    U256::from(n) * U256::exp10(18)
}

fn params(policy: UnlockPolicy) -> StakeParams {
    StakeParams {
        unlock_period: 7 * DAY,
        min_stake: btt(1),
        unlock_policy: policy,
    }
}

fn ctx(now: u64) -> Context {
    Context::new(ALICE, Timestamp(now), 1)
}

/// What an in-place transition left behind.
#[derive(Debug, PartialEq)]
struct Out {
    account: StakeAccount,
    totals: StakeTotals,
    event: Event,
}

/// Runs `transition` on copies of the records; on error, asserts the copies are untouched.
fn run(
    totals: &StakeTotals,
    account: &StakeAccount,
    transition: impl FnOnce(&mut StakeTotals, &mut StakeAccount) -> Result<Event, Error>,
) -> Result<Out, Error> {
    let (mut t, mut a) = (*totals, account.clone());
    match transition(&mut t, &mut a) {
        Ok(event) => Ok(Out {
            account: a,
            totals: t,
            event,
        }),
        Err(e) => {
            assert_eq!((&t, &a), (totals, account), "{e:?} changed the records");
            Err(e)
        }
    }
}

fn stake(
    p: &StakeParams,
    t: &StakeTotals,
    a: &StakeAccount,
    c: &Context,
    amount: U256,
) -> Result<Out, Error> {
    run(t, a, |t, a| super::stake(p, t, a, c, amount))
}

fn unstake(
    p: &StakeParams,
    t: &StakeTotals,
    a: &StakeAccount,
    c: &Context,
    amount: U256,
) -> Result<Out, Error> {
    run(t, a, |t, a| super::unstake(p, t, a, c, amount))
}

fn withdraw(t: &StakeTotals, a: &StakeAccount, c: &Context) -> Result<Out, Error> {
    run(t, a, |t, a| super::withdraw(t, a, c))
}

fn rebond(t: &StakeTotals, a: &StakeAccount, c: &Context, amount: U256) -> Result<Out, Error> {
    run(t, a, |t, a| super::rebond(t, a, c, amount))
}

fn slash(
    council: &Council,
    approvals: &[AccountId],
    t: &StakeTotals,
    a: &StakeAccount,
    target: AccountId,
    amount: U256,
    reason: SlashReason,
) -> Result<Out, Error> {
    run(t, a, |t, a| {
        super::slash(council, approvals, t, target, a, amount, reason)
    })
}

/// Updates a copy of the default parameters; on success they must become `next`, on error stay.
fn update_params(
    council: &Council,
    approvals: &[AccountId],
    next: &StakeParams,
) -> Result<Event, Error> {
    let before = params(UnlockPolicy::Merged);
    let mut current = before;
    let result = super::update_params(council, approvals, &mut current, next);
    assert_eq!(current, if result.is_ok() { *next } else { before });
    result
}

/// An account that staked `amount` at T0, with its totals.
fn staked(p: &StakeParams, amount: U256) -> (StakeTotals, StakeAccount) {
    let out = stake(
        p,
        &StakeTotals::default(),
        &StakeAccount::EMPTY,
        &ctx(T0),
        amount,
    )
    .unwrap();
    (out.totals, out.account)
}

/// Applies unstakes of `amounts[i]` at `times[i]` in turn.
fn unstaked(p: &StakeParams, steps: &[(u64, U256)]) -> (StakeTotals, StakeAccount) {
    let (mut totals, mut account) = staked(p, btt(100));
    for &(now, amount) in steps {
        let out = unstake(p, &totals, &account, &ctx(now), amount).unwrap();
        (totals, account) = (out.totals, out.account);
    }
    (totals, account)
}

fn chunk(amount: U256, release: u64) -> UnlockChunk {
    UnlockChunk {
        amount,
        release: Timestamp(release),
    }
}

#[test]
fn stake_accepts_exactly_the_minimum_and_rejects_one_wei_less() {
    let p = params(UnlockPolicy::Merged);
    let out = stake(
        &p,
        &StakeTotals::default(),
        &StakeAccount::EMPTY,
        &ctx(T0),
        p.min_stake,
    )
    .unwrap();
    assert_eq!(out.account.staked(), p.min_stake);
    assert_eq!(out.totals.total_staked, p.min_stake);
    assert_eq!(out.totals.balance, p.min_stake);
    assert_eq!(
        out.event,
        Event::Staked {
            account: ALICE,
            amount: p.min_stake
        }
    );

    let less = p.min_stake - 1;
    assert_eq!(
        stake(
            &p,
            &StakeTotals::default(),
            &StakeAccount::EMPTY,
            &ctx(T0),
            less
        ),
        Err(Error::Stake(StakeError::BelowMinStake {
            amount: less,
            min: p.min_stake
        }))
    );
}

#[test]
fn stake_overflow_is_an_error() {
    let p = params(UnlockPolicy::Merged);
    let (totals, account) = staked(&p, U256::MAX);
    assert_eq!(
        stake(&p, &totals, &account, &ctx(T0), p.min_stake),
        Err(Error::Num(NumError::Overflow))
    );
}

#[test]
fn unstake_rejects_zero_and_more_than_staked() {
    let p = params(UnlockPolicy::Merged);
    let (totals, account) = staked(&p, btt(10));
    assert_eq!(
        unstake(&p, &totals, &account, &ctx(T0), U256::zero()),
        Err(StakeError::ZeroAmount.into())
    );
    assert_eq!(
        unstake(&p, &totals, &account, &ctx(T0), btt(10) + 1),
        Err(StakeError::ExceedsStaked {
            requested: btt(10) + 1,
            staked: btt(10)
        }
        .into())
    );
    let all = unstake(&p, &totals, &account, &ctx(T0), btt(10)).unwrap();
    assert_eq!(all.account.staked(), U256::zero());
    assert_eq!(all.account.unlocked(), btt(10));
    assert_eq!(all.totals.total_staked, U256::zero());
    assert_eq!(all.totals.total_unlocked, btt(10));
    assert_eq!(all.totals.balance, btt(10));
    assert_eq!(
        all.event,
        Event::Unstaked {
            account: ALICE,
            amount: btt(10),
            unlock_time: Timestamp(T0 + 7 * DAY)
        }
    );
}

#[test]
fn unstake_release_time_overflow_is_an_error() {
    let p = params(UnlockPolicy::Merged);
    let (totals, account) = staked(&p, btt(10));
    let late = u64::MAX - 7 * DAY;
    assert!(unstake(&p, &totals, &account, &ctx(late), btt(1)).is_ok());
    assert_eq!(
        unstake(&p, &totals, &account, &ctx(late + 1), btt(1)),
        Err(Error::Num(NumError::Overflow))
    );
}

#[test]
fn merged_policy_resets_the_whole_bucket() {
    let p = params(UnlockPolicy::Merged);
    let (_, account) = unstaked(&p, &[(T0, btt(1)), (T0 + 8 * DAY, btt(2))]);
    assert_eq!(account.chunks(), &[chunk(btt(3), T0 + 15 * DAY)]);
    assert_eq!(account.unlock_time(), Some(Timestamp(T0 + 15 * DAY)));
}

#[test]
fn chunked_policy_keeps_each_release_and_merges_same_second() {
    let p = params(UnlockPolicy::Chunked { max: 2 });
    let (_, account) = unstaked(&p, &[(T0, btt(1)), (T0, btt(1)), (T0 + DAY, btt(2))]);
    assert_eq!(
        account.chunks(),
        &[chunk(btt(2), T0 + 7 * DAY), chunk(btt(2), T0 + 8 * DAY)]
    );
    assert_eq!(account.unlocked(), btt(4));
}

#[test]
fn chunked_policy_limits_pending_unlocks() {
    let p = params(UnlockPolicy::Chunked { max: 2 });
    let (totals, account) = unstaked(&p, &[(T0, btt(1)), (T0 + 1, btt(1))]);
    assert_eq!(
        unstake(&p, &totals, &account, &ctx(T0 + 2), btt(1)),
        Err(StakeError::TooManyUnlockChunks { max: 2 }.into())
    );
    // Joining an existing release time needs no new chunk.
    assert!(unstake(&p, &totals, &account, &ctx(T0 + 1), btt(1)).is_ok());
}

#[test]
fn a_shorter_unlock_period_inserts_in_release_order() {
    let long = params(UnlockPolicy::Chunked { max: 8 });
    let (totals, account) = unstaked(&long, &[(T0, btt(1))]);
    let short = StakeParams {
        unlock_period: DAY,
        ..long
    };
    let out = unstake(&short, &totals, &account, &ctx(T0 + DAY), btt(2)).unwrap();
    assert_eq!(
        out.account.chunks(),
        &[chunk(btt(2), T0 + 2 * DAY), chunk(btt(1), T0 + 7 * DAY)]
    );
}

#[test]
fn withdraw_needs_something_pending_and_matured() {
    let p = params(UnlockPolicy::Merged);
    let (totals, account) = staked(&p, btt(10));
    assert_eq!(
        withdraw(&totals, &account, &ctx(T0)),
        Err(StakeError::NothingToWithdraw.into())
    );

    let (totals, account) = unstaked(&p, &[(T0, btt(4))]);
    let release = T0 + 7 * DAY;
    assert_eq!(
        withdraw(&totals, &account, &ctx(release - 1)),
        Err(StakeError::StillLocked {
            unlock_time: Timestamp(release)
        }
        .into())
    );
    let out = withdraw(&totals, &account, &ctx(release)).unwrap();
    assert_eq!(
        out.event,
        Event::Withdrawn {
            account: ALICE,
            amount: btt(4)
        }
    );
    assert_eq!(out.account.unlocked(), U256::zero());
    assert!(out.account.chunks().is_empty());
    assert_eq!(out.totals.total_unlocked, U256::zero());
    assert_eq!(out.totals.balance, btt(96));
    assert_eq!(out.totals.total_staked, btt(96));
}

#[test]
fn withdraw_under_chunks_pays_only_what_matured() {
    let p = params(UnlockPolicy::Chunked { max: 4 });
    let (totals, account) = unstaked(
        &p,
        &[(T0, btt(1)), (T0 + DAY, btt(2)), (T0 + 2 * DAY, btt(3))],
    );
    let out = withdraw(&totals, &account, &ctx(T0 + 8 * DAY)).unwrap();
    assert_eq!(
        out.event,
        Event::Withdrawn {
            account: ALICE,
            amount: btt(3)
        }
    );
    assert_eq!(out.account.chunks(), &[chunk(btt(3), T0 + 9 * DAY)]);
    assert_eq!(
        out.account.view(Timestamp(T0 + 8 * DAY)),
        StakeView {
            staked: btt(94),
            unlocked: btt(3),
            unlock_time: Some(Timestamp(T0 + 9 * DAY)),
            withdrawable: U256::zero()
        }
    );
}

#[test]
fn rebond_takes_newest_unlocks_first() {
    let p = params(UnlockPolicy::Chunked { max: 4 });
    let (totals, account) = unstaked(
        &p,
        &[(T0, btt(1)), (T0 + DAY, btt(2)), (T0 + 2 * DAY, btt(3))],
    );
    assert_eq!(
        rebond(&totals, &account, &ctx(T0), U256::zero()),
        Err(StakeError::ZeroAmount.into())
    );
    assert_eq!(
        rebond(&totals, &account, &ctx(T0), btt(6) + 1),
        Err(StakeError::ExceedsUnlocking {
            requested: btt(6) + 1,
            unlocking: btt(6)
        }
        .into())
    );
    let out = rebond(&totals, &account, &ctx(T0), btt(4)).unwrap();
    assert_eq!(
        out.account.chunks(),
        &[chunk(btt(1), T0 + 7 * DAY), chunk(btt(1), T0 + 8 * DAY)]
    );
    assert_eq!(out.account.staked(), btt(98));
    assert_eq!(out.totals.total_staked, btt(98));
    assert_eq!(out.totals.total_unlocked, btt(2));
    assert_eq!(out.totals.balance, btt(100));
    assert_eq!(
        out.event,
        Event::Rebonded {
            account: ALICE,
            amount: btt(4)
        }
    );
    let all = rebond(&totals, &account, &ctx(T0), btt(6)).unwrap();
    assert!(all.account.chunks().is_empty());
}

fn council() -> (Council, [AccountId; 2]) {
    let (a, b) = (AccountId([0xc1; 20]), AccountId([0xc2; 20]));
    let c = Council::new(&[CouncilMember::required(a), CouncilMember::member(b)], 2).unwrap();
    (c, [a, b])
}

#[test]
fn slash_needs_the_council() {
    let (c, [a, b]) = council();
    let p = params(UnlockPolicy::Merged);
    let (totals, account) = staked(&p, btt(10));
    let slash_with = |approvals: &[AccountId]| {
        slash(
            &c,
            approvals,
            &totals,
            &account,
            ALICE,
            btt(1),
            SlashReason::LostData,
        )
    };
    assert_eq!(
        slash_with(&[a]),
        Err(GovernanceError::BelowThreshold {
            approvals: 1,
            threshold: 2
        }
        .into())
    );
    assert_eq!(
        slash_with(&[a, ALICE]),
        Err(GovernanceError::NotCouncilMember { account: ALICE }.into())
    );
    assert!(slash_with(&[b, a]).is_ok());
}

#[test]
fn slash_takes_stake_then_newest_unlocks_and_never_more_than_held() {
    let (c, members) = council();
    let p = params(UnlockPolicy::Chunked { max: 4 });
    let (totals, account) = unstaked(&p, &[(T0, btt(30)), (T0 + DAY, btt(60))]);
    let reason = SlashReason::Other { code: 7 };

    assert_eq!(
        slash(&c, &members, &totals, &account, ALICE, U256::zero(), reason),
        Err(StakeError::ZeroAmount.into())
    );
    let out = slash(&c, &members, &totals, &account, ALICE, btt(50), reason).unwrap();
    assert_eq!(
        out.event,
        Event::Slashed {
            account: ALICE,
            reason,
            requested: btt(50),
            from_staked: btt(10),
            from_unlocking: btt(40)
        }
    );
    assert_eq!(out.account.staked(), U256::zero());
    assert_eq!(
        out.account.chunks(),
        &[chunk(btt(30), T0 + 7 * DAY), chunk(btt(20), T0 + 8 * DAY)]
    );
    assert_eq!(out.totals.total_slashed, btt(50));
    assert_eq!(out.totals.balance, btt(50));
    assert_eq!(out.totals.total_unlocked, btt(50));

    let all = slash(&c, &members, &totals, &account, ALICE, U256::MAX, reason).unwrap();
    assert!(all.account.is_empty());
    assert_eq!(all.totals.balance, U256::zero());
    assert_eq!(all.totals.total_slashed, btt(100));

    assert_eq!(
        slash(
            &c,
            &members,
            &all.totals,
            &all.account,
            ALICE,
            btt(1),
            reason
        ),
        Err(StakeError::NothingToSlash { account: ALICE }.into())
    );
}

#[test]
fn update_params_needs_the_council_and_valid_values() {
    let (c, [a, b]) = council();
    let good = params(UnlockPolicy::Chunked {
        max: MAX_UNLOCK_CHUNKS as u8,
    });
    assert_eq!(
        update_params(&c, &[b], &good),
        Err(GovernanceError::BelowThreshold {
            approvals: 1,
            threshold: 2
        }
        .into())
    );
    assert_eq!(
        update_params(&c, &[a, b], &good),
        Ok(Event::ParametersUpdated {
            unlock_period: good.unlock_period,
            min_stake: good.min_stake,
            unlock_policy: good.unlock_policy
        })
    );
    let zero_min = StakeParams {
        min_stake: U256::zero(),
        ..good
    };
    assert_eq!(
        update_params(&c, &[a, b], &zero_min),
        Err(StakeError::ZeroMinStake.into())
    );
    let longest = StakeParams {
        unlock_period: MAX_UNLOCK_PERIOD,
        ..good
    };
    assert!(update_params(&c, &[a, b], &longest).is_ok());
    let too_long = StakeParams {
        unlock_period: MAX_UNLOCK_PERIOD + 1,
        ..good
    };
    assert_eq!(
        update_params(&c, &[a, b], &too_long),
        Err(StakeError::UnlockPeriodTooLong {
            period: MAX_UNLOCK_PERIOD + 1,
            max: MAX_UNLOCK_PERIOD
        }
        .into())
    );
    for max in [0, MAX_UNLOCK_CHUNKS as u8 + 1] {
        let bad = StakeParams {
            unlock_policy: UnlockPolicy::Chunked { max },
            ..good
        };
        assert_eq!(
            update_params(&c, &[a, b], &bad),
            Err(StakeError::InvalidChunkLimit {
                max,
                limit: MAX_UNLOCK_CHUNKS as u8
            }
            .into())
        );
    }
}

#[test]
fn inconsistent_totals_give_errors_not_panics() {
    let p = params(UnlockPolicy::Merged);
    let (_, account) = unstaked(&p, &[(T0, btt(4))]);
    let empty = StakeTotals::default();
    assert_eq!(
        unstake(&p, &empty, &account, &ctx(T0), btt(1)),
        Err(Error::Num(NumError::Underflow))
    );
    assert_eq!(
        withdraw(&empty, &account, &ctx(T0 + 7 * DAY)),
        Err(Error::Num(NumError::Underflow))
    );
}
