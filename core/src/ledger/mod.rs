//! The whole multi-account state (feature `alloc`): parameters, council, totals and every
//! account in a hashbrown map, driven by [`Ledger::apply`].
//!
//! The ledger holds no rules. [`Ledger::apply`] routes a [`Msg`] to its pure transition and
//! stores the outcome only when the transition succeeded, so an error leaves the ledger exactly
//! as it was. Accounts that hold nothing are dropped, which makes the state canonical: two
//! ledgers with the same balances have the same [`Ledger::snapshot`] bytes, whatever history led
//! there.

use alloc::vec::Vec;

use hashbrown::HashMap;
use parity_scale_codec::{Decode, Encode};

use crate::Context;
use crate::error::{Error, StateError};
use crate::governance::{self, Council};
use crate::ids::AccountId;
use crate::msg::{Event, Msg};
use crate::num;
use crate::stake::{self, StakeAccount, StakeParams, StakeTotals};
use crate::wire::{self, SNAPSHOT_VERSION};

/// The events of one applied message, in order.
pub type Events = Vec<Event>;

/// The staking state of every account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    params: StakeParams,
    council: Council,
    totals: StakeTotals,
    accounts: HashMap<AccountId, StakeAccount>,
}

/// The snapshot body after the version byte: accounts sorted by address, none empty.
#[derive(Encode, Decode)]
struct Snapshot {
    params: StakeParams,
    council: Council,
    totals: StakeTotals,
    accounts: Vec<(AccountId, StakeAccount)>,
}

static EMPTY: StakeAccount = StakeAccount::EMPTY;

impl Ledger {
    /// An empty ledger with valid `params`, governed by `council`.
    pub fn new(params: StakeParams, council: Council) -> Result<Self, Error> {
        params.validate()?;
        Ok(Self {
            params,
            council,
            totals: StakeTotals::default(),
            accounts: HashMap::new(),
        })
    }

    /// The staking parameters in force.
    pub fn params(&self) -> &StakeParams {
        &self.params
    }

    /// The council.
    pub fn council(&self) -> &Council {
        &self.council
    }

    /// The contract's totals.
    pub fn totals(&self) -> &StakeTotals {
        &self.totals
    }

    /// An account's record (empty if it never staked or holds nothing).
    pub fn account(&self, id: &AccountId) -> &StakeAccount {
        self.accounts.get(id).unwrap_or(&EMPTY)
    }

    /// Every account that holds something, in no particular order.
    pub fn accounts(&self) -> impl Iterator<Item = (&AccountId, &StakeAccount)> {
        self.accounts.iter()
    }

    /// How many accounts hold something.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// Applies one message. On error the ledger is unchanged.
    pub fn apply(&mut self, ctx: &Context, msg: &Msg) -> Result<Events, Error> {
        let caller = ctx.caller;
        let (params, totals) = (&self.params, &self.totals);
        let (id, outcome) = match msg {
            Msg::Stake { amount } => (
                caller,
                stake::stake(params, totals, self.account(&caller), ctx, *amount)?,
            ),
            Msg::Unstake { amount } => (
                caller,
                stake::unstake(params, totals, self.account(&caller), ctx, *amount)?,
            ),
            Msg::Withdraw => (caller, stake::withdraw(totals, self.account(&caller), ctx)?),
            Msg::Rebond { amount } => (
                caller,
                stake::rebond(totals, self.account(&caller), ctx, *amount)?,
            ),
            Msg::Slash {
                account,
                amount,
                reason,
                approvals,
            } => {
                let target = self.account(account);
                let out = stake::slash(
                    &self.council,
                    approvals,
                    totals,
                    target,
                    *account,
                    *amount,
                    *reason,
                )?;
                (*account, out)
            }
            Msg::UpdateStakeParams { params, approvals } => {
                let event = stake::update_params(&self.council, approvals, params)?;
                self.params = *params;
                return Ok(alloc::vec![event]);
            }
            Msg::UpdateCouncil { council, approvals } => {
                let event = governance::update_council(&self.council, approvals, council)?;
                self.council = council.clone();
                return Ok(alloc::vec![event]);
            }
        };
        self.totals = outcome.totals;
        if outcome.account.is_empty() {
            self.accounts.remove(&id);
        } else {
            self.accounts.insert(id, outcome.account);
        }
        Ok(alloc::vec![outcome.event])
    }

    /// Decodes a versioned message and applies it.
    pub fn apply_bytes(&mut self, ctx: &Context, msg: &[u8]) -> Result<Events, Error> {
        let msg = Msg::decode_bytes(msg)?;
        self.apply(ctx, &msg)
    }

    /// The whole state as versioned SCALE bytes, canonical: accounts sorted by address.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut accounts: Vec<(AccountId, StakeAccount)> = self
            .accounts
            .iter()
            .map(|(id, acc)| (*id, acc.clone()))
            .collect();
        accounts.sort_unstable_by_key(|(id, _)| *id);
        let snapshot = Snapshot {
            params: self.params,
            council: self.council.clone(),
            totals: self.totals,
            accounts,
        };
        wire::to_bytes(SNAPSHOT_VERSION, &snapshot)
    }

    /// A ledger from [`Ledger::snapshot`] bytes. Checks the format, then that the records agree:
    /// valid parameters, accounts strictly sorted and none empty, totals equal to the sums
    /// over the accounts, balance covering them.
    pub fn restore(bytes: &[u8]) -> Result<Self, Error> {
        let snapshot: Snapshot = wire::decode_versioned(SNAPSHOT_VERSION, bytes)?;
        snapshot.params.validate()?;
        let mut accounts = HashMap::with_capacity(snapshot.accounts.len());
        let (mut staked, mut unlocked) =
            (primitive_types::U256::zero(), primitive_types::U256::zero());
        let mut previous: Option<AccountId> = None;
        for (id, account) in snapshot.accounts {
            if previous.is_some_and(|p| p >= id) {
                return Err(StateError::UnsortedAccounts { account: id }.into());
            }
            if account.is_empty() {
                return Err(StateError::EmptyAccount { account: id }.into());
            }
            staked = num::add(staked, account.staked()).map_err(|_| StateError::TotalsMismatch)?;
            unlocked =
                num::add(unlocked, account.unlocked()).map_err(|_| StateError::TotalsMismatch)?;
            previous = Some(id);
            accounts.insert(id, account);
        }
        let totals = snapshot.totals;
        if totals.total_staked != staked
            || totals.total_unlocked != unlocked
            || !totals.is_solvent()
        {
            return Err(StateError::TotalsMismatch.into());
        }
        Ok(Self {
            params: snapshot.params,
            council: snapshot.council,
            totals,
            accounts,
        })
    }
}

#[cfg(test)]
mod tests {
    use primitive_types::U256;

    use super::*;
    use crate::governance::{Approvals, CouncilMember, GovernanceError};
    use crate::ids::Timestamp;
    use crate::stake::{SlashReason, StakeError, UnlockPolicy};
    use crate::wire::WireError;

    const ADMIN: AccountId = AccountId([0xad; 20]);
    const ALICE: AccountId = AccountId([0xa1; 20]);

    fn ledger() -> Ledger {
        Ledger::new(StakeParams::btfs(), Council::single(ADMIN)).unwrap()
    }

    fn at(now: u64) -> Context {
        Context::new(ALICE, Timestamp(now), 1)
    }

    fn admin() -> Approvals {
        Approvals::from_slice(&[ADMIN]).unwrap()
    }

    #[test]
    fn rejects_invalid_genesis_params() {
        let bad = StakeParams {
            min_stake: U256::zero(),
            ..StakeParams::btfs()
        };
        assert_eq!(
            Ledger::new(bad, Council::single(ADMIN)),
            Err(StakeError::ZeroMinStake.into())
        );
    }

    #[test]
    fn routes_every_message_and_drops_empty_accounts() {
        let mut l = ledger();
        let min = l.params().min_stake;
        l.apply(&at(0), &Msg::Stake { amount: min }).unwrap();
        assert_eq!(l.account_count(), 1);
        l.apply(&at(0), &Msg::Unstake { amount: min }).unwrap();
        l.apply(&at(0), &Msg::Rebond { amount: min }).unwrap();
        l.apply(&at(0), &Msg::Unstake { amount: min }).unwrap();
        let period = l.params().unlock_period;
        let events = l.apply(&at(period), &Msg::Withdraw).unwrap();
        assert_eq!(
            events,
            [Event::Withdrawn {
                account: ALICE,
                amount: min
            }]
        );
        assert_eq!(
            l.account_count(),
            0,
            "an account that holds nothing is dropped"
        );
        assert_eq!(*l.account(&ALICE), StakeAccount::EMPTY);
        assert_eq!(*l.totals(), StakeTotals::default());

        l.apply(&at(0), &Msg::Stake { amount: min }).unwrap();
        let slash = Msg::Slash {
            account: ALICE,
            amount: min,
            reason: SlashReason::LostData,
            approvals: admin(),
        };
        l.apply(&at(0), &slash).unwrap();
        assert_eq!(l.account_count(), 0);
        assert_eq!(l.totals().total_slashed, min);

        let params = StakeParams {
            unlock_policy: UnlockPolicy::Chunked { max: 3 },
            ..StakeParams::btfs()
        };
        l.apply(
            &at(0),
            &Msg::UpdateStakeParams {
                params,
                approvals: admin(),
            },
        )
        .unwrap();
        assert_eq!(*l.params(), params);

        let council = Council::new(
            &[CouncilMember::required(ALICE), CouncilMember::member(ADMIN)],
            1,
        )
        .unwrap();
        let events = l
            .apply(
                &at(0),
                &Msg::UpdateCouncil {
                    council: council.clone(),
                    approvals: admin(),
                },
            )
            .unwrap();
        assert_eq!(
            events,
            [Event::CouncilUpdated {
                members: 2,
                required: 1,
                threshold: 1
            }]
        );
        assert_eq!(*l.council(), council);
        // The old sole admin alone no longer suffices: ALICE is now required.
        let again = Msg::UpdateCouncil {
            council: Council::single(ADMIN),
            approvals: admin(),
        };
        assert_eq!(
            l.apply(&at(0), &again),
            Err(GovernanceError::MissingRequiredSigner { account: ALICE }.into())
        );
    }

    #[test]
    fn a_failed_message_changes_nothing() {
        let mut l = ledger();
        let min = l.params().min_stake;
        l.apply(&at(0), &Msg::Stake { amount: min }).unwrap();
        l.apply(&at(0), &Msg::Unstake { amount: min / 2 }).unwrap();
        let before = l.clone();
        let failing = [
            Msg::Stake { amount: min - 1 },
            Msg::Unstake { amount: min },
            Msg::Withdraw,
            Msg::Rebond { amount: min },
            Msg::Slash {
                account: ALICE,
                amount: min,
                reason: SlashReason::LostData,
                approvals: Approvals::new(),
            },
            Msg::UpdateStakeParams {
                params: StakeParams {
                    min_stake: U256::zero(),
                    ..*l.params()
                },
                approvals: admin(),
            },
            Msg::UpdateCouncil {
                council: Council::single(ALICE),
                approvals: Approvals::from_slice(&[ALICE]).unwrap(),
            },
        ];
        for msg in &failing {
            assert!(l.apply(&at(1), msg).is_err(), "{msg:?} should fail");
            assert_eq!(l, before, "{msg:?} changed the ledger");
        }
        assert_eq!(
            l.apply_bytes(&at(1), &[9]),
            Err(WireError::UnsupportedVersion {
                found: 9,
                supported: 1
            }
            .into())
        );
        assert_eq!(l, before);
    }

    #[test]
    fn snapshot_restores_to_an_equal_ledger() {
        let mut l = ledger();
        for n in 0..50u8 {
            let ctx = Context::new(AccountId([n; 20]), Timestamp(u64::from(n)), 1);
            l.apply(
                &ctx,
                &Msg::Stake {
                    amount: l.params().min_stake * (u32::from(n) + 1),
                },
            )
            .unwrap();
            if n % 3 == 0 {
                l.apply(
                    &ctx,
                    &Msg::Unstake {
                        amount: l.params().min_stake,
                    },
                )
                .unwrap();
            }
        }
        let bytes = l.snapshot();
        assert_eq!(bytes.first(), Some(&SNAPSHOT_VERSION));
        let restored = Ledger::restore(&bytes).unwrap();
        assert_eq!(restored, l);
        assert_eq!(restored.snapshot(), bytes);
    }
}
