//! The BTIP-85 story, step by step: a BTFS miner stakes, unstakes, waits, withdraws; the
//! council slashes a miner that lost data and updates the parameters; and the one place where
//! the seed's contract surprises its users — a second unstake re-locks matured funds — is shown
//! under both unlock policies.

use stakehold::num::NumError;
use stakehold::stake::{
    SlashReason, StakeError, StakeParams, StakeTotals, StakeView, UnlockChunk, UnlockPolicy,
};
use stakehold::{Error, Event, Ledger, Msg, Timestamp, U256};
use stakehold_tests::{Clock, acct, approvals, btt, genesis};

const DAY: u64 = 86_400;
const WEEK: u64 = 7 * DAY;

/// Applies `msg` from `who`; on error also checks that the ledger did not change.
fn send(ledger: &mut Ledger, clock: &Clock, who: u8, msg: Msg) -> Result<Vec<Event>, Error> {
    let before = ledger.snapshot();
    let result = ledger.apply(&clock.ctx(acct(who)), &msg);
    if result.is_err() {
        assert_eq!(
            ledger.snapshot(),
            before,
            "a failed {msg:?} changed the ledger"
        );
    }
    result
}

fn stake(amount: U256) -> Msg {
    Msg::Stake { amount }
}

fn unstake(amount: U256) -> Msg {
    Msg::Unstake { amount }
}

fn still_locked(until: u64) -> Result<Vec<Event>, Error> {
    Err(StakeError::StillLocked {
        unlock_time: Timestamp(until),
    }
    .into())
}

fn withdrawn(who: u8, amount: U256) -> Result<Vec<Event>, Error> {
    Ok(vec![Event::Withdrawn {
        account: acct(who),
        amount,
    }])
}

/// The seed's `getGlobalStats` invariant.
fn assert_solvent(t: &StakeTotals) {
    assert!(t.balance >= t.total_staked + t.total_unlocked, "{t:?}");
    assert!(t.is_solvent());
}

const MINER: u8 = 1;
const LOSER: u8 = 2;

#[test]
fn a_miner_stakes_unstakes_and_withdraws() {
    let params = StakeParams::btfs();
    assert_eq!(params.unlock_period, WEEK);
    assert_eq!(params.min_stake, btt(1));
    let mut ledger = genesis(params);
    let mut clock = Clock::default();

    // "Insufficient stake amount": one wei short of the minimum fails; the minimum works.
    assert_eq!(
        send(&mut ledger, &clock, MINER, stake(btt(1) - 1)),
        Err(StakeError::BelowMinStake {
            amount: btt(1) - 1,
            min: btt(1)
        }
        .into())
    );
    assert_eq!(
        send(&mut ledger, &clock, MINER, stake(btt(1))),
        Ok(vec![Event::Staked {
            account: acct(MINER),
            amount: btt(1)
        }])
    );
    // The minimum is per call: a later stake must meet it again.
    send(&mut ledger, &clock, MINER, stake(btt(99))).unwrap();
    assert_eq!(ledger.account(&acct(MINER)).staked(), btt(100));

    // Unstake part: it unlocks a week later.
    clock.advance(DAY);
    let unlock = clock.now + WEEK;
    assert_eq!(
        send(&mut ledger, &clock, MINER, unstake(btt(40))),
        Ok(vec![Event::Unstaked {
            account: acct(MINER),
            amount: btt(40),
            unlock_time: Timestamp(unlock)
        }])
    );
    // "Exceeds staked amount".
    assert_eq!(
        send(&mut ledger, &clock, MINER, unstake(btt(61))),
        Err(StakeError::ExceedsStaked {
            requested: btt(61),
            staked: btt(60)
        }
        .into())
    );

    // The dashboard: `getUserStake` and `getGlobalStats`.
    let view = ledger.account(&acct(MINER)).view(Timestamp(clock.now));
    assert_eq!(
        view,
        StakeView {
            staked: btt(60),
            unlocked: btt(40),
            unlock_time: Some(Timestamp(unlock)),
            withdrawable: U256::zero(),
        }
    );
    assert_eq!(
        ledger
            .account(&acct(MINER))
            .view(Timestamp(unlock))
            .withdrawable,
        btt(40)
    );
    assert_eq!(
        *ledger.totals(),
        StakeTotals {
            total_staked: btt(60),
            total_unlocked: btt(40),
            total_slashed: U256::zero(),
            balance: btt(100),
        }
    );
    assert_solvent(ledger.totals());

    // "Funds still locked" — right after, and one second before the unlock time.
    let early = send(&mut ledger, &clock, MINER, Msg::Withdraw);
    assert_eq!(early, still_locked(unlock));
    let unlock_date = time::OffsetDateTime::from_unix_timestamp(unlock as i64).unwrap();
    assert_eq!(
        early.unwrap_err().to_string(),
        format!(
            "funds are locked until {:04}-{:02}-{:02} {:02}:{:02} UTC",
            unlock_date.year(),
            u8::from(unlock_date.month()),
            unlock_date.day(),
            unlock_date.hour(),
            unlock_date.minute()
        )
    );
    clock.set(unlock - 1);
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        still_locked(unlock)
    );

    // Exactly at the unlock time it pays out, once.
    clock.set(unlock);
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        withdrawn(MINER, btt(40))
    );
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        Err(StakeError::NothingToWithdraw.into())
    );
    assert_eq!(
        ledger
            .account(&acct(MINER))
            .view(Timestamp(clock.now))
            .unlock_time,
        None
    );
    assert_eq!(ledger.totals().balance, btt(60));
    assert_solvent(ledger.totals());
}

#[test]
fn the_council_slashes_a_miner_that_lost_data_and_updates_parameters() {
    let mut ledger = genesis(StakeParams::btfs());
    let mut clock = Clock::default();
    send(&mut ledger, &clock, MINER, stake(btt(10))).unwrap();
    send(&mut ledger, &clock, LOSER, stake(btt(10))).unwrap();
    send(&mut ledger, &clock, LOSER, unstake(btt(6))).unwrap();
    let loser_unlock = clock.now + WEEK;

    // One member alone cannot slash (2 of 3, 0xc1 required).
    let lost_data = |by: &[u8]| Msg::Slash {
        account: acct(LOSER),
        amount: btt(7),
        reason: SlashReason::LostData,
        approvals: approvals(by),
    };
    assert!(send(&mut ledger, &clock, 0xc1, lost_data(&[0xc1])).is_err());
    // Slashing takes the active stake first, then the pending unlock.
    assert_eq!(
        send(&mut ledger, &clock, 0xc1, lost_data(&[0xc1, 0xc2])),
        Ok(vec![Event::Slashed {
            account: acct(LOSER),
            reason: SlashReason::LostData,
            requested: btt(7),
            from_staked: btt(4),
            from_unlocking: btt(3),
        }])
    );
    let loser = ledger.account(&acct(LOSER));
    assert_eq!((loser.staked(), loser.unlocked()), (U256::zero(), btt(3)));
    assert_eq!(ledger.totals().total_slashed, btt(7));
    assert_eq!(ledger.totals().balance, btt(13));
    assert_solvent(ledger.totals());

    // New parameters: a longer period and a higher minimum. The pending deadline stays.
    clock.advance(DAY);
    let stricter = StakeParams {
        unlock_period: 30 * DAY,
        min_stake: btt(5),
        unlock_policy: UnlockPolicy::Merged,
    };
    assert_eq!(
        send(
            &mut ledger,
            &clock,
            0xc3,
            Msg::UpdateStakeParams {
                params: stricter,
                approvals: approvals(&[0xc3, 0xc1]),
            }
        ),
        Ok(vec![Event::ParametersUpdated {
            unlock_period: 30 * DAY,
            min_stake: btt(5),
            unlock_policy: UnlockPolicy::Merged,
        }])
    );
    assert_eq!(ledger.params(), &stricter);
    assert_eq!(
        ledger.account(&acct(LOSER)).unlock_time(),
        Some(Timestamp(loser_unlock))
    );
    clock.set(loser_unlock);
    assert_eq!(
        send(&mut ledger, &clock, LOSER, Msg::Withdraw),
        withdrawn(LOSER, btt(3))
    );
    assert_eq!(ledger.account_count(), 1, "an empty account is dropped");
    // New unstakes use the new period.
    assert_eq!(
        send(&mut ledger, &clock, MINER, unstake(btt(1))),
        Ok(vec![Event::Unstaked {
            account: acct(MINER),
            amount: btt(1),
            unlock_time: Timestamp(clock.now + 30 * DAY)
        }])
    );
}

/// Stake 100, unstake 10 at day 0, unstake 5 at day 7 (when the first 10 have matured), then try
/// to withdraw at day 7 and day 14.
fn two_unstakes(policy: UnlockPolicy) -> (Ledger, Clock, u64) {
    let mut ledger = genesis(StakeParams {
        unlock_policy: policy,
        ..StakeParams::btfs()
    });
    let mut clock = Clock::default();
    let t0 = clock.now;
    send(&mut ledger, &clock, MINER, stake(btt(100))).unwrap();
    send(&mut ledger, &clock, MINER, unstake(btt(10))).unwrap();
    clock.set(t0 + WEEK);
    assert_eq!(
        ledger
            .account(&acct(MINER))
            .view(Timestamp(clock.now))
            .withdrawable,
        btt(10),
        "the first unstake has matured"
    );
    send(&mut ledger, &clock, MINER, unstake(btt(5))).unwrap();
    (ledger, clock, t0)
}

#[test]
fn merged_policy_a_second_unstake_relocks_matured_funds() {
    let (mut ledger, mut clock, t0) = two_unstakes(UnlockPolicy::Merged);
    let account = ledger.account(&acct(MINER));
    assert_eq!(
        account.chunks(),
        [UnlockChunk {
            amount: btt(15),
            release: Timestamp(t0 + 2 * WEEK)
        }]
    );
    assert_eq!(
        account.view(Timestamp(clock.now)).withdrawable,
        U256::zero()
    );
    // At the first unlock time nothing can be withdrawn: the whole bucket waits again.
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        still_locked(t0 + 2 * WEEK)
    );
    clock.set(t0 + 2 * WEEK);
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        withdrawn(MINER, btt(15))
    );
}

#[test]
fn chunked_policy_a_second_unstake_does_not_relock() {
    let (mut ledger, mut clock, t0) = two_unstakes(UnlockPolicy::Chunked { max: 4 });
    assert_eq!(
        ledger.account(&acct(MINER)).chunks(),
        [
            UnlockChunk {
                amount: btt(10),
                release: Timestamp(t0 + WEEK)
            },
            UnlockChunk {
                amount: btt(5),
                release: Timestamp(t0 + 2 * WEEK)
            }
        ]
    );
    // The matured first chunk is withdrawable; the second is still locked.
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        withdrawn(MINER, btt(10))
    );
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        still_locked(t0 + 2 * WEEK)
    );
    clock.set(t0 + 2 * WEEK - 1);
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        still_locked(t0 + 2 * WEEK)
    );
    clock.set(t0 + 2 * WEEK);
    assert_eq!(
        send(&mut ledger, &clock, MINER, Msg::Withdraw),
        withdrawn(MINER, btt(5))
    );
    assert_eq!(ledger.account(&acct(MINER)).staked(), btt(85));
}

#[test]
fn u256_overflow_is_an_error_and_changes_nothing() {
    let mut ledger = genesis(StakeParams::btfs());
    let clock = Clock::default();
    send(&mut ledger, &clock, MINER, stake(U256::MAX)).unwrap();
    let before = ledger.snapshot();
    let overflow = Err(Error::Num(NumError::Overflow));
    assert_eq!(send(&mut ledger, &clock, MINER, stake(btt(1))), overflow);
    assert_eq!(send(&mut ledger, &clock, LOSER, stake(btt(1))), overflow);
    assert_eq!(send(&mut ledger, &clock, MINER, stake(U256::MAX)), overflow);
    assert_eq!(ledger.snapshot(), before);
    assert_eq!(ledger.totals().balance, U256::MAX);

    // The whole of U256::MAX can still go all the way round.
    send(&mut ledger, &clock, MINER, unstake(U256::MAX)).unwrap();
    let mut later = clock;
    later.advance(WEEK);
    assert_eq!(
        send(&mut ledger, &later, MINER, Msg::Withdraw),
        withdrawn(MINER, U256::MAX)
    );
    assert_eq!(ledger.account_count(), 0);
    assert_eq!(*ledger.totals(), StakeTotals::default());
}

#[test]
fn unlock_time_overflow_is_an_error_and_changes_nothing() {
    for policy in [UnlockPolicy::Merged, UnlockPolicy::Chunked { max: 8 }] {
        let mut ledger = genesis(StakeParams {
            unlock_policy: policy,
            ..StakeParams::btfs()
        });
        let mut clock = Clock::default();
        send(&mut ledger, &clock, MINER, stake(btt(2))).unwrap();

        // now + unlock_period is one past u64::MAX.
        clock.set(u64::MAX - WEEK + 1);
        let before = ledger.snapshot();
        assert_eq!(
            send(&mut ledger, &clock, MINER, unstake(btt(1))),
            Err(Error::Num(NumError::Overflow))
        );
        assert_eq!(ledger.snapshot(), before);

        // A second earlier it fits exactly, and can be withdrawn at the last second of time.
        let mut clock = Clock::at(u64::MAX - WEEK);
        assert_eq!(
            send(&mut ledger, &clock, MINER, unstake(btt(1))),
            Ok(vec![Event::Unstaked {
                account: acct(MINER),
                amount: btt(1),
                unlock_time: Timestamp(u64::MAX),
            }])
        );
        clock.set(u64::MAX - 1);
        let locked = send(&mut ledger, &clock, MINER, Msg::Withdraw);
        assert_eq!(locked, still_locked(u64::MAX));
        // The message still shows a date (year 584554051223).
        assert!(
            locked
                .unwrap_err()
                .to_string()
                .starts_with("funds are locked until 584554051223-")
        );
        clock.set(u64::MAX);
        assert_eq!(
            send(&mut ledger, &clock, MINER, Msg::Withdraw),
            withdrawn(MINER, btt(1))
        );
    }
}
