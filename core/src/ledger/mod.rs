//! The whole multi-account state (feature `alloc`): parameters, council, totals and every
//! account in a hashbrown map, and the proof-of-stake [`Chain`] (validators, balances,
//! finality), driven by [`Ledger::apply`].
//!
//! The ledger holds no rules. [`Ledger::apply`] finds the message's account and hands it to
//! [`Globals::apply`], which routes the [`Msg`] to its pure transition; the ledger
//! stores the outcome only when the transition succeeded, so an error leaves the ledger exactly
//! as it was. Accounts that hold nothing are dropped, which makes the state canonical: two
//! ledgers with the same balances have the same [`Ledger::snapshot`] bytes, whatever history led
//! there.

mod chain;
#[cfg(test)]
mod chain_tests;

use alloc::vec::Vec;

use hashbrown::HashMap;
use parity_scale_codec::{Decode, Encode};

use crate::Context;
use crate::error::{Error, StateError};
use crate::governance::Council;
use crate::ids::AccountId;
use crate::msg::{Event, Msg};
use crate::num;
use crate::stake::{StakeAccount, StakeParams, StakeTotals};
use crate::state::Globals;
use crate::validator::Preset;
use crate::wire::{self, MSG_VERSION, SNAPSHOT_VERSION, WireError};

pub use chain::{Chain, ChainGenesis};
use chain::{ChainRecords, ChainRecordsV2};

/// How many messages of a block [`Ledger::apply_block`] looks up together before applying
/// them: enough to overlap memory latencies, few enough that their records stay in L1 cache.
pub const WARM_GROUP: usize = 16;

/// The events of one applied message, in order.
pub type Events = Vec<Event>;

/// The staking state of every account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    globals: Globals,
    accounts: HashMap<AccountId, StakeAccount>,
    chain: Chain,
}

/// Runs a transition on `id`'s record in place (a new account starts empty) and keeps the map
/// canonical: a record left empty — by a transition, or by a failed one on a new account — is
/// removed. One hash lookup in the common case.
fn on_account(
    accounts: &mut HashMap<AccountId, StakeAccount>,
    id: AccountId,
    transition: impl FnOnce(&mut StakeAccount) -> Result<Event, Error>,
) -> Result<Event, Error> {
    let account = accounts.entry(id).or_default();
    let result = transition(account);
    if account.is_empty() {
        accounts.remove(&id);
    }
    result
}

/// The snapshot body after the version byte: accounts sorted by address, none empty, then
/// the chain.
#[derive(Encode, Decode)]
struct Snapshot {
    globals: Globals,
    accounts: Vec<(AccountId, StakeAccount)>,
    chain: ChainRecords,
}

/// A version-1 snapshot (before the chain): staking state only. [`Ledger::restore`] still reads
/// it, with a genesis [`Preset::seed_chain`] chain.
#[derive(Decode)]
struct SnapshotV1 {
    globals: Globals,
    accounts: Vec<(AccountId, StakeAccount)>,
}

/// The snapshot version before the chain was added.
const SNAPSHOT_V1: u8 = 1;

/// A version-2 snapshot (the chain before slashing, rewards and participation flags):
/// [`Ledger::restore`] still reads it when no votes wait in it (see
/// `ChainRecordsV2::upgrade`), with no participation, zero inactivity scores and an all-zero
/// slashings vector.
#[derive(Decode)]
struct SnapshotV2 {
    globals: Globals,
    accounts: Vec<(AccountId, StakeAccount)>,
    chain: ChainRecordsV2,
}

/// The snapshot version before slashing was added.
const SNAPSHOT_V2: u8 = 2;

static EMPTY: StakeAccount = StakeAccount::EMPTY;

impl Ledger {
    /// An empty ledger with valid `params`, governed by `council`, with a genesis chain of the
    /// seed's preset ([`Preset::seed_chain`]).
    pub fn new(params: StakeParams, council: Council) -> Result<Self, Error> {
        Self::with_chain(params, council, Chain::new(Preset::seed_chain())?)
    }

    /// An empty ledger whose chain starts from `chain` (usually [`Chain::genesis`]).
    pub fn with_chain(params: StakeParams, council: Council, chain: Chain) -> Result<Self, Error> {
        Ok(Self {
            globals: Globals::new(params, council)?,
            accounts: HashMap::new(),
            chain,
        })
    }

    /// The proof-of-stake chain: validators, balances, epoch and finality.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The records every account shares: parameters, council and totals.
    pub fn globals(&self) -> &Globals {
        &self.globals
    }

    /// The staking parameters in force.
    pub fn params(&self) -> &StakeParams {
        &self.globals.params
    }

    /// The council.
    pub fn council(&self) -> &Council {
        &self.globals.council
    }

    /// The contract's totals.
    pub fn totals(&self) -> &StakeTotals {
        &self.globals.totals
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
        let Self {
            globals,
            accounts,
            chain,
        } = self;
        if let Some(result) = chain.apply(msg) {
            return result;
        }
        let event = match msg.account(ctx) {
            Some(id) => on_account(accounts, id, |account| globals.apply(account, ctx, msg)),
            None => {
                let mut unused = StakeAccount::EMPTY;
                globals.apply(&mut unused, ctx, msg)
            }
        }?;
        Ok(alloc::vec![event])
    }

    /// Applies a block of messages in order, each on its own: a failed message changes nothing
    /// and does not stop the ones after it (as transactions in a block). The results are exactly
    /// those of calling [`Ledger::apply`] on each message in turn.
    ///
    /// Faster than that loop on large ledgers: before applying each group of
    /// [`WARM_GROUP`] messages it looks up their accounts together, so the memory latencies
    /// of those lookups overlap instead of adding up (on the build machine a random lookup in a
    /// million-account map costs ~300 ns alone and ~60 ns when overlapped).
    pub fn apply_block(&mut self, block: &[(Context, Msg)]) -> Vec<Result<Events, Error>> {
        let mut results = Vec::with_capacity(block.len());
        for group in block.chunks(WARM_GROUP) {
            self.apply_group(group, &mut results);
        }
        results
    }

    /// Applies one group of [`Ledger::apply_block`] after looking up its accounts together.
    fn apply_group(&mut self, group: &[(Context, Msg)], results: &mut Vec<Result<Events, Error>>) {
        for (ctx, msg) in group {
            if let Some(id) = msg.account(ctx) {
                // Only the memory access matters; the value is discarded.
                core::hint::black_box(self.accounts.get(&id).map(StakeAccount::staked));
            }
        }
        results.extend(group.iter().map(|(ctx, msg)| self.apply(ctx, msg)));
    }

    /// Decodes a block ([`crate::msg::encode_block`]) and applies it as [`Ledger::apply_block`]
    /// does. A block that does not decode is an error and nothing is applied.
    ///
    /// The block is read twice — once to check that all of it decodes, then group by group as
    /// it is applied — rather than decoded into a list: a message can take ~700 bytes (council
    /// updates are inline), and holding a large block's worth cost more than reading it again.
    pub fn apply_block_bytes(&mut self, block: &[u8]) -> Result<Vec<Result<Events, Error>>, Error> {
        let count = wire::for_each_versioned::<(Context, Msg)>(MSG_VERSION, block, |_| ())?;
        let mut results = Vec::with_capacity(count);
        let mut group = Vec::with_capacity(WARM_GROUP);
        wire::for_each_versioned::<(Context, Msg)>(MSG_VERSION, block, |item| {
            group.push(item);
            if group.len() == WARM_GROUP {
                self.apply_group(&group, &mut results);
                group.clear();
            }
        })?;
        self.apply_group(&group, &mut results);
        Ok(results)
    }

    /// Decodes a versioned message and applies it.
    pub fn apply_bytes(&mut self, ctx: &Context, msg: &[u8]) -> Result<Events, Error> {
        let msg = Msg::decode_bytes(msg)?;
        self.apply(ctx, &msg)
    }

    /// The whole state as versioned SCALE bytes ([`SNAPSHOT_VERSION`]), canonical: accounts
    /// sorted by address.
    pub fn snapshot(&self) -> Vec<u8> {
        let mut accounts: Vec<(AccountId, StakeAccount)> = self
            .accounts
            .iter()
            .map(|(id, acc)| (*id, acc.clone()))
            .collect();
        accounts.sort_unstable_by_key(|(id, _)| *id);
        let snapshot = Snapshot {
            globals: self.globals.clone(),
            accounts,
            chain: self.chain.records(),
        };
        wire::to_bytes(SNAPSHOT_VERSION, &snapshot)
    }

    /// A ledger from [`Ledger::snapshot`] bytes. Checks the format, then that the records agree:
    /// valid parameters, accounts strictly sorted and none empty, totals equal to the sums
    /// over the accounts, balance covering them, and the chain's records consistent
    /// ([`StateError::ChainMismatch`]). A version-1 snapshot (staking only) restores with a
    /// genesis chain of the seed's preset; a version-2 snapshot restores if no votes wait in
    /// it (they cannot become participation; else [`StateError::ChainMismatch`]).
    pub fn restore(bytes: &[u8]) -> Result<Self, Error> {
        let snapshot: Snapshot = match wire::decode_versioned(SNAPSHOT_VERSION, bytes) {
            Err(WireError::UnsupportedVersion {
                found: SNAPSHOT_V1, ..
            }) => {
                let v1: SnapshotV1 = wire::decode_versioned(SNAPSHOT_V1, bytes)?;
                Snapshot {
                    globals: v1.globals,
                    accounts: v1.accounts,
                    chain: Chain::new(Preset::seed_chain())?.records(),
                }
            }
            Err(WireError::UnsupportedVersion {
                found: SNAPSHOT_V2, ..
            }) => {
                let v2: SnapshotV2 = wire::decode_versioned(SNAPSHOT_V2, bytes)?;
                Snapshot {
                    globals: v2.globals,
                    accounts: v2.accounts,
                    chain: v2.chain.upgrade()?,
                }
            }
            other => other?,
        };
        snapshot.globals.params.validate()?;
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
        let totals = snapshot.globals.totals;
        if totals.total_staked != staked
            || totals.total_unlocked != unlocked
            || !totals.is_solvent()
        {
            return Err(StateError::TotalsMismatch.into());
        }
        Ok(Self {
            globals: snapshot.globals,
            accounts,
            chain: Chain::restore(snapshot.chain)?,
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
    fn apply_block_equals_applying_each_message() {
        let mut one_by_one = ledger();
        let mut blocked = ledger();
        let min = one_by_one.params().min_stake;
        let mut block = Vec::new();
        for n in 0..40u64 {
            let who = AccountId([u8::try_from(n % 7).unwrap(); 20]);
            let ctx = Context::new(who, Timestamp(n * 100_000), n);
            let msg = match n % 5 {
                0 | 1 => Msg::Stake {
                    amount: min * (n + 1),
                },
                2 => Msg::Unstake { amount: min },
                3 => Msg::Withdraw,
                _ => Msg::Slash {
                    account: who,
                    amount: min,
                    reason: SlashReason::LostData,
                    approvals: admin(),
                },
            };
            block.push((ctx, msg));
        }
        let expected: Vec<_> = block.iter().map(|(c, m)| one_by_one.apply(c, m)).collect();
        assert!(expected.iter().any(Result::is_err) && expected.iter().any(Result::is_ok));
        assert_eq!(blocked.apply_block(&block), expected);
        assert_eq!(blocked, one_by_one);

        let mut from_bytes = ledger();
        let bytes = crate::msg::encode_block(&block);
        assert_eq!(from_bytes.apply_block_bytes(&bytes), Ok(expected));
        assert_eq!(from_bytes, one_by_one);
        let truncated = bytes.get(..bytes.len() - 1).unwrap();
        assert_eq!(
            from_bytes.apply_block_bytes(truncated),
            Err(WireError::Truncated.into())
        );
        assert_eq!(
            from_bytes, one_by_one,
            "a block that does not decode applies nothing"
        );
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
