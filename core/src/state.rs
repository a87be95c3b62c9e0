//! [`Globals`]: the records every account shares — staking parameters, the council and the
//! contract's totals — and [`Globals::apply`], which routes one [`Msg`] to its transition.
//!
//! This is the whole of the state apart from the per-account records, so a host that keeps
//! accounts its own way (a wallet holding one record, firmware with no heap, a contract store)
//! applies messages without a [`crate::Ledger`]: it passes the `Globals` and the one account
//! record named by [`Msg::account`]. Nothing here allocates. The `Ledger` itself is this
//! routing plus a map of accounts.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::context::Context;
use crate::error::{Error, StateError};
use crate::governance::{self, Council};
use crate::msg::{Event, Msg};
use crate::stake::{self, StakeAccount, StakeParams, StakeTotals};

/// The records shared by every account. SCALE-encoded as the three fields in order; a
/// [`crate::Ledger`] snapshot is these bytes followed by the accounts.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub struct Globals {
    /// The staking parameters in force.
    pub params: StakeParams,
    /// The council that authorises privileged messages.
    pub council: Council,
    /// The contract's totals.
    pub totals: StakeTotals,
}

impl Globals {
    /// Genesis: valid `params`, governed by `council`, nothing staked.
    pub fn new(params: StakeParams, council: Council) -> Result<Self, Error> {
        params.validate()?;
        Ok(Self {
            params,
            council,
            totals: StakeTotals::default(),
        })
    }

    /// Applies one staking or council message. `account` must be the record of
    /// [`Msg::account`] (the caller's, or a slash's target; a new account is
    /// [`StakeAccount::EMPTY`]); messages without an account (council and parameter updates)
    /// leave it alone. The proof-of-stake chain's messages need the registry, which only a
    /// [`crate::Ledger`] holds: they are [`StateError::ChainMessage`]. Returns the message's event; on
    /// error neither `self` nor `account` has changed.
    pub fn apply(
        &mut self,
        account: &mut StakeAccount,
        ctx: &Context,
        msg: &Msg,
    ) -> Result<Event, Error> {
        let Self {
            params,
            council,
            totals,
        } = self;
        match msg {
            Msg::Stake { amount } => stake::stake(params, totals, account, ctx, *amount),
            Msg::Unstake { amount } => stake::unstake(params, totals, account, ctx, *amount),
            Msg::Withdraw => stake::withdraw(totals, account, ctx),
            Msg::Rebond { amount } => stake::rebond(totals, account, ctx, *amount),
            Msg::Slash {
                account: target,
                amount,
                reason,
                approvals,
            } => stake::slash(
                council, approvals, totals, *target, account, *amount, *reason,
            ),
            Msg::UpdateStakeParams {
                params: next,
                approvals,
            } => stake::update_params(council, approvals, params, next),
            Msg::UpdateCouncil {
                council: next,
                approvals,
            } => governance::update_council(council, approvals, next).map_err(Error::from),
            Msg::Deposit { .. }
            | Msg::VoluntaryExit { .. }
            | Msg::ProposerSlashing { .. }
            | Msg::AttesterSlashing { .. }
            | Msg::Attest { .. }
            | Msg::ProcessEpoch { .. } => Err(StateError::ChainMessage.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::Approvals;
    use crate::ids::{AccountId, Timestamp};
    use crate::stake::StakeError;

    const ADMIN: AccountId = AccountId([0xad; 20]);
    const ALICE: AccountId = AccountId([0xa1; 20]);

    #[test]
    fn applies_to_the_records_passed_in() {
        let mut globals = Globals::new(StakeParams::btfs(), Council::single(ADMIN)).unwrap();
        let min = globals.params.min_stake;
        let mut alice = StakeAccount::EMPTY;
        let ctx = Context::new(ALICE, Timestamp(5), 1);
        let event = globals
            .apply(&mut alice, &ctx, &Msg::Stake { amount: min })
            .unwrap();
        assert_eq!(
            event,
            Event::Staked {
                account: ALICE,
                amount: min
            }
        );
        assert_eq!(alice.staked(), min);
        assert_eq!(globals.totals.total_staked, min);

        // A failure leaves both records as they were.
        let (g, a) = (globals.clone(), alice.clone());
        let err = globals.apply(&mut alice, &ctx, &Msg::Unstake { amount: min + 1 });
        assert_eq!(
            err,
            Err(StakeError::ExceedsStaked {
                requested: min + 1,
                staked: min
            }
            .into())
        );
        assert_eq!((globals.clone(), alice.clone()), (g, a));

        // A parameter update does not touch the account passed.
        let next = StakeParams {
            unlock_period: 60,
            ..globals.params
        };
        let approvals = Approvals::from_slice(&[ADMIN]).unwrap();
        globals
            .apply(
                &mut alice,
                &ctx,
                &Msg::UpdateStakeParams {
                    params: next,
                    approvals,
                },
            )
            .unwrap();
        assert_eq!(globals.params, next);
        assert_eq!(alice.staked(), min);
    }

    #[test]
    fn genesis_validates_params() {
        let bad = StakeParams {
            unlock_period: u64::MAX,
            ..StakeParams::btfs()
        };
        assert!(Globals::new(bad, Council::single(ADMIN)).is_err());
    }
}
