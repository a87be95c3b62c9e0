//! Property tests: random message sequences on a `Ledger` keep the staking invariants.
//!
//! Five accounts (so their messages collide), amounts near every boundary (0, the minimum,
//! `U256::MAX`, fractions of what the account holds), time jumps of 0, exactly the unlock period
//! and one second either side, and now and then a council message with valid or invalid
//! approvals that changes the parameters (and so the unlock policy), slashes or replaces the
//! council. After every step:
//!
//! - solvency: `balance ≥ total_staked + total_unlocked` (and here, equal);
//! - the totals are the sums over the accounts;
//! - conservation: Σ Staked = staked + unlocking + Σ Withdrawn + Σ Slashed (in 512 bits);
//! - every account's chunks are non-zero, strictly ordered, at most `MAX_UNLOCK_CHUNKS`, and
//!   sum to its `unlocked`; no stored account is empty;
//! - a failed message leaves `snapshot()` byte-identical;
//! - `apply_bytes(msg.to_bytes())` behaves exactly like `apply(msg)`;
//!
//! and at the end, snapshot → restore → snapshot is byte-identical.

use primitive_types::U512;
use proptest::prelude::*;
use stakehold::governance::{Approvals, Council, CouncilMember};
use stakehold::stake::{MAX_UNLOCK_CHUNKS, SlashReason, StakeParams, UnlockPolicy};
use stakehold::{AccountId, Context, Event, Ledger, Msg, Timestamp, U256};
use stakehold_tests::{T0, acct, btt, genesis};

const WEEK: u64 = 7 * 86_400;
const STAKERS: u8 = 5;

/// An amount, resolved against the ledger when the step runs.
#[derive(Clone, Debug)]
enum Amount {
    Zero,
    One,
    MinMinusOne,
    Min,
    MinPlusOne,
    /// `n/16` of what the operation can take (the stake, the unlocking, the holding; for a
    /// stake, of ten minimums).
    Sixteenths(u8),
    /// Everything the operation can take, plus `n`.
    AllPlus(u8),
    Max,
    MaxMinus(u64),
    Raw([u64; 4]),
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        2 => Just(Amount::Zero),
        2 => Just(Amount::One),
        2 => Just(Amount::MinMinusOne),
        6 => Just(Amount::Min),
        2 => Just(Amount::MinPlusOne),
        24 => (1u8..=16).prop_map(Amount::Sixteenths),
        4 => (0u8..=2).prop_map(Amount::AllPlus),
        1 => Just(Amount::Max),
        1 => (0u64..3).prop_map(Amount::MaxMinus),
        1 => any::<[u64; 4]>().prop_map(Amount::Raw),
    ]
}

impl Amount {
    fn resolve(&self, min: U256, whole: U256) -> U256 {
        match self {
            Self::Zero => U256::zero(),
            Self::One => U256::one(),
            Self::MinMinusOne => min.saturating_sub(U256::one()),
            Self::Min => min,
            Self::MinPlusOne => min.saturating_add(U256::one()),
            Self::Sixteenths(n) => {
                // whole * n / 16 without overflow.
                (whole / 16) * U256::from(*n) + (whole % 16) * U256::from(*n) / 16
            }
            Self::AllPlus(n) => whole.saturating_add(U256::from(*n)),
            Self::Max => U256::MAX,
            Self::MaxMinus(n) => U256::MAX - U256::from(*n),
            Self::Raw(words) => U256(*words),
        }
    }
}

/// Who approves a privileged message.
#[derive(Clone, Debug)]
enum Approve {
    /// The current council's required members, then others up to the threshold.
    Valid,
    /// The threshold's worth of members taken from the end of the list (required ones come
    /// first), which usually leaves a required member out.
    FromTheEnd,
    /// Any of the possible members, an outsider, perhaps twice.
    Random(Vec<u8>),
}

fn approve() -> impl Strategy<Value = Approve> {
    prop_oneof![
        4 => Just(Approve::Valid),
        1 => Just(Approve::FromTheEnd),
        2 => prop::collection::vec(prop::sample::select(vec![0xc1u8, 0xc2, 0xc3, 0xd1, 9]), 0..5)
            .prop_map(Approve::Random),
    ]
}

impl Approve {
    fn resolve(&self, council: &Council) -> Approvals {
        let members = council.members();
        let mut ordered: Vec<AccountId> = members
            .iter()
            .filter(|m| m.required)
            .map(|m| m.account)
            .collect();
        ordered.extend(members.iter().filter(|m| !m.required).map(|m| m.account));
        let ids: Vec<AccountId> = match self {
            Self::Valid => {
                let required = members.iter().filter(|m| m.required).count();
                let n = required.max(usize::from(council.threshold()));
                ordered[..n].to_vec()
            }
            Self::FromTheEnd => {
                let n = usize::from(council.threshold());
                ordered.iter().rev().take(n).copied().collect()
            }
            Self::Random(ns) => ns.iter().map(|&n| acct(n)).collect(),
        };
        Approvals::from_slice(&ids).unwrap()
    }
}

/// The councils a council update may install.
fn councils() -> Vec<Council> {
    vec![
        stakehold_tests::council_2of3(),
        Council::single(acct(0xd1)),
        Council::new(
            &[
                CouncilMember::member(acct(0xc2)),
                CouncilMember::required(acct(0xd1)),
            ],
            1,
        )
        .unwrap(),
        Council::new(
            &[
                CouncilMember::member(acct(0xc1)),
                CouncilMember::member(acct(0xc2)),
                CouncilMember::member(acct(0xc3)),
            ],
            3,
        )
        .unwrap(),
    ]
}

fn policy() -> impl Strategy<Value = UnlockPolicy> {
    prop_oneof![
        2 => Just(UnlockPolicy::Merged),
        3 => (1u8..=8).prop_map(|max| UnlockPolicy::Chunked { max }),
    ]
}

/// Parameters, valid or not.
fn params() -> impl Strategy<Value = StakeParams> {
    let period = prop_oneof![
        2 => Just(0u64),
        2 => Just(1),
        3 => Just(3_600),
        3 => Just(WEEK),
        1 => Just(u64::MAX / 2),
        1 => Just(u64::MAX),
    ];
    let min = prop_oneof![
        1 => Just(U256::zero()),
        3 => Just(U256::one()),
        3 => Just(U256::from(1_000u32)),
        3 => Just(btt(1)),
    ];
    let policy = prop_oneof![
        9 => policy(),
        1 => prop_oneof![Just(0u8), Just(9), Just(255)].prop_map(|max| UnlockPolicy::Chunked { max }),
    ];
    (period, min, policy).prop_map(|(unlock_period, min_stake, unlock_policy)| StakeParams {
        unlock_period,
        min_stake,
        unlock_policy,
    })
}

#[derive(Clone, Debug)]
enum Op {
    Stake(u8, Amount),
    Unstake(u8, Amount),
    Withdraw(u8),
    Rebond(u8, Amount),
    Slash(u8, Amount, Option<u32>, Approve),
    Params(StakeParams, Approve),
    Council(usize, Approve),
}

fn op() -> impl Strategy<Value = Op> {
    let who = || 1..=STAKERS;
    prop_oneof![
        8 => (who(), amount()).prop_map(|(w, a)| Op::Stake(w, a)),
        8 => (who(), amount()).prop_map(|(w, a)| Op::Unstake(w, a)),
        6 => who().prop_map(Op::Withdraw),
        3 => (who(), amount()).prop_map(|(w, a)| Op::Rebond(w, a)),
        2 => (1..=STAKERS + 1, amount(), prop::option::of(any::<u32>()), approve())
            .prop_map(|(w, a, r, v)| Op::Slash(w, a, r, v)),
        1 => (params(), approve()).prop_map(|(p, v)| Op::Params(p, v)),
        1 => (0..councils().len(), approve()).prop_map(|(c, v)| Op::Council(c, v)),
    ]
}

/// How far time moves before a step.
#[derive(Clone, Debug)]
enum Wait {
    None,
    Period,
    PeriodMinusOne,
    PeriodPlusOne,
    Secs(u64),
}

fn wait() -> impl Strategy<Value = Wait> {
    prop_oneof![
        6 => Just(Wait::None),
        2 => Just(Wait::Period),
        1 => Just(Wait::PeriodMinusOne),
        1 => Just(Wait::PeriodPlusOne),
        4 => (0u64..3_600).prop_map(Wait::Secs),
        2 => (0u64..2 * WEEK).prop_map(Wait::Secs),
    ]
}

/// What the events so far add up to (512 bits: Σ Staked may pass U256::MAX over time).
#[derive(Default)]
struct Flows {
    staked_in: U512,
    withdrawn: U512,
    slashed: U512,
}

fn check_invariants(ledger: &Ledger, flows: &Flows) -> Result<(), TestCaseError> {
    let t = ledger.totals();
    prop_assert!(t.is_solvent(), "insolvent: {:?}", t);
    let owed = U512::from(t.total_staked) + U512::from(t.total_unlocked);
    prop_assert!(U512::from(t.balance) >= owed);
    prop_assert_eq!(
        U512::from(t.balance),
        owed,
        "the contract holds nothing else"
    );

    let (mut staked, mut unlocked) = (U512::zero(), U512::zero());
    for (id, account) in ledger.accounts() {
        prop_assert!(!account.is_empty(), "{} stored empty", id);
        staked += U512::from(account.staked());
        unlocked += U512::from(account.unlocked());
        let chunks = account.chunks();
        prop_assert!(chunks.len() <= MAX_UNLOCK_CHUNKS);
        prop_assert!(
            chunks.iter().all(|c| !c.amount.is_zero()),
            "zero chunk: {:?}",
            account
        );
        prop_assert!(
            chunks.windows(2).all(|w| w[0].release < w[1].release),
            "chunks out of order: {:?}",
            account
        );
        let sum = chunks
            .iter()
            .fold(U512::zero(), |s, c| s + U512::from(c.amount));
        prop_assert_eq!(sum, U512::from(account.unlocked()));
    }
    prop_assert_eq!(staked, U512::from(t.total_staked));
    prop_assert_eq!(unlocked, U512::from(t.total_unlocked));

    prop_assert_eq!(
        flows.staked_in,
        owed + flows.withdrawn + flows.slashed,
        "value is not conserved"
    );
    prop_assert_eq!(flows.slashed, U512::from(t.total_slashed));
    Ok(())
}

fn build(op: &Op, ledger: &Ledger, now: u64) -> (AccountId, Msg) {
    let min = ledger.params().min_stake;
    let council = ledger.council();
    match op {
        Op::Stake(w, a) => (
            acct(*w),
            Msg::Stake {
                amount: a.resolve(min, min.saturating_mul(10.into())),
            },
        ),
        Op::Unstake(w, a) => (
            acct(*w),
            Msg::Unstake {
                amount: a.resolve(min, ledger.account(&acct(*w)).staked()),
            },
        ),
        Op::Withdraw(w) => (acct(*w), Msg::Withdraw),
        Op::Rebond(w, a) => (
            acct(*w),
            Msg::Rebond {
                amount: a.resolve(min, ledger.account(&acct(*w)).unlocked()),
            },
        ),
        Op::Slash(w, a, reason, v) => {
            let target = ledger.account(&acct(*w));
            let held = target.staked().saturating_add(target.unlocked());
            (
                acct(0xc1),
                Msg::Slash {
                    account: acct(*w),
                    amount: a.resolve(min, held),
                    reason: reason
                        .map_or(SlashReason::LostData, |code| SlashReason::Other { code }),
                    approvals: v.resolve(council),
                },
            )
        }
        Op::Params(p, v) => (
            acct(0xc2),
            Msg::UpdateStakeParams {
                params: *p,
                approvals: v.resolve(council),
            },
        ),
        Op::Council(i, v) => (
            acct((now % 250) as u8),
            Msg::UpdateCouncil {
                council: councils()[*i].clone(),
                approvals: v.resolve(council),
            },
        ),
    }
}

fn run(initial: UnlockPolicy, steps: &[(Wait, Op)]) -> Result<(), TestCaseError> {
    let mut ledger = genesis(StakeParams {
        unlock_policy: initial,
        min_stake: U256::from(1_000u32),
        ..StakeParams::btfs()
    });
    let mut by_bytes = ledger.clone();
    let mut flows = Flows::default();
    let (mut now, mut height) = (T0, 1u64);
    for (wait, op) in steps {
        let period = ledger.params().unlock_period;
        now = now.saturating_add(match wait {
            Wait::None => 0,
            Wait::Period => period,
            Wait::PeriodMinusOne => period.saturating_sub(1),
            Wait::PeriodPlusOne => period.saturating_add(1),
            Wait::Secs(s) => *s,
        });
        height += 1;
        let (caller, msg) = build(op, &ledger, now);
        let ctx = Context::new(caller, Timestamp(now), height);
        let before = ledger.snapshot();
        let account_before = ledger.account(&caller).clone();
        let result = ledger.apply(&ctx, &msg);
        prop_assert_eq!(&by_bytes.apply_bytes(&ctx, &msg.to_bytes()), &result);

        match &result {
            Err(_) => prop_assert_eq!(
                ledger.snapshot(),
                before,
                "a failed {:?} changed state",
                msg
            ),
            Ok(events) => {
                prop_assert_eq!(events.len(), 1);
                match (&msg, events[0]) {
                    (
                        Msg::Stake { amount },
                        Event::Staked {
                            account,
                            amount: got,
                        },
                    ) => {
                        prop_assert_eq!((account, got), (caller, *amount));
                        flows.staked_in += U512::from(got);
                    }
                    (
                        Msg::Unstake { amount },
                        Event::Unstaked {
                            account,
                            amount: got,
                            unlock_time,
                        },
                    ) => {
                        prop_assert_eq!((account, got), (caller, *amount));
                        prop_assert_eq!(unlock_time.0, now + ledger.params().unlock_period);
                        let chunks = ledger.account(&caller).chunks();
                        prop_assert!(chunks.iter().any(|c| c.release == unlock_time));
                        if ledger.params().unlock_policy == UnlockPolicy::Merged {
                            prop_assert_eq!(chunks.len(), 1, "merged: one bucket");
                        }
                    }
                    (Msg::Withdraw, Event::Withdrawn { account, amount }) => {
                        prop_assert_eq!(account, caller);
                        prop_assert!(!amount.is_zero());
                        prop_assert_eq!(amount, account_before.view(Timestamp(now)).withdrawable);
                        prop_assert!(
                            ledger
                                .account(&caller)
                                .chunks()
                                .iter()
                                .all(|c| c.release > Timestamp(now))
                        );
                        flows.withdrawn += U512::from(amount);
                    }
                    (
                        Msg::Rebond { amount },
                        Event::Rebonded {
                            account,
                            amount: got,
                        },
                    ) => {
                        prop_assert_eq!((account, got), (caller, *amount));
                    }
                    (
                        Msg::Slash {
                            account, amount, ..
                        },
                        Event::Slashed {
                            account: got,
                            requested,
                            from_staked,
                            from_unlocking,
                            ..
                        },
                    ) => {
                        prop_assert_eq!((got, requested), (*account, *amount));
                        let taken = U512::from(from_staked) + U512::from(from_unlocking);
                        prop_assert!(taken > U512::zero() && taken <= U512::from(requested));
                        flows.slashed += taken;
                    }
                    (Msg::UpdateStakeParams { params, .. }, Event::ParametersUpdated { .. }) => {
                        prop_assert_eq!(ledger.params(), params);
                    }
                    (Msg::UpdateCouncil { council, .. }, Event::CouncilUpdated { .. }) => {
                        prop_assert_eq!(ledger.council(), council);
                    }
                    (m, e) => prop_assert!(false, "{:?} gave {:?}", m, e),
                }
            }
        }
        check_invariants(&ledger, &flows)?;
    }
    prop_assert_eq!(by_bytes.snapshot(), ledger.snapshot());
    let snapshot = ledger.snapshot();
    let restored = Ledger::restore(&snapshot).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    prop_assert_eq!(&restored, &ledger);
    prop_assert_eq!(restored.snapshot(), snapshot);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_invariants(
        initial in policy(),
        steps in prop::collection::vec((wait(), op()), 0..=200),
    ) {
        run(initial, &steps)?;
    }
}

/// The same sequence that exercises many chunks, run under each policy explicitly (a quick,
/// deterministic smoke test next to the random one).
#[test]
fn many_unstakes_under_each_policy() {
    let mut steps = vec![(Wait::None, Op::Stake(1, Amount::Sixteenths(16)))];
    for i in 0..12u8 {
        steps.push((
            Wait::Secs(3_600),
            Op::Unstake(1, Amount::Sixteenths(1 + i % 4)),
        ));
    }
    steps.push((Wait::Period, Op::Withdraw(1)));
    steps.push((Wait::None, Op::Rebond(1, Amount::AllPlus(0))));
    for policy in [
        UnlockPolicy::Merged,
        UnlockPolicy::Chunked { max: 1 },
        UnlockPolicy::Chunked { max: 8 },
    ] {
        run(policy, &steps).unwrap();
    }
}
