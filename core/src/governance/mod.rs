//! The governance council: M-of-N members, some of whom must sign.
//!
//! Every privileged transition (parameter updates, slashing, council changes, and in later
//! modules plan approvals, provider creation, forced exits) carries the list of council members
//! who approved it. The host authenticates their signatures; the core checks everything else
//! ([`Council::authorize`]). Who sends a privileged message does not matter, only who approved
//! it:
//!
//! 1. each approver is a member ([`GovernanceError::NotCouncilMember`]) and appears once
//!    ([`GovernanceError::DuplicateApproval`]), checked in the order given;
//! 2. there are at least `threshold` approvals ([`GovernanceError::BelowThreshold`]);
//! 3. every *required* member approved ([`GovernanceError::MissingRequiredSigner`]) — the
//!    Bitlayer proposal's "Bitlayer must be one of the signers".
//!
//! The council changes only through itself ([`update_council`]), and a council value is valid
//! by construction: [`Council::new`] and the SCALE decoder both reject an empty council,
//! duplicate members, a threshold outside `1..=members` and a threshold below the number of
//! required members.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::bounded::BoundedVec;
use crate::ids::AccountId;
use crate::msg::Event;

/// Most members a council may have.
pub const MAX_COUNCIL: usize = 16;

/// The members who approved a privileged message (authenticated by the host).
pub type Approvals = BoundedVec<AccountId, MAX_COUNCIL>;

/// A council seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct CouncilMember {
    /// The member's address.
    pub account: AccountId,
    /// Whether every privileged message needs this member's approval.
    pub required: bool,
}

impl CouncilMember {
    /// An ordinary member.
    pub const fn member(account: AccountId) -> Self {
        Self {
            account,
            required: false,
        }
    }

    /// A member whose approval every privileged message needs.
    pub const fn required(account: AccountId) -> Self {
        Self {
            account,
            required: true,
        }
    }
}

/// An M-of-N council with required signers. Valid by construction (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Encode, MaxEncodedLen)]
pub struct Council {
    members: BoundedVec<CouncilMember, MAX_COUNCIL>,
    threshold: u8,
}

/// Governance errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum GovernanceError {
    /// An approver is not a council member.
    #[codec(index = 0)]
    NotCouncilMember {
        /// The approver.
        account: AccountId,
    },
    /// An approver appears twice.
    #[codec(index = 1)]
    DuplicateApproval {
        /// The approver.
        account: AccountId,
    },
    /// Fewer approvals than the threshold.
    #[codec(index = 2)]
    BelowThreshold {
        /// Distinct member approvals given.
        approvals: u8,
        /// Approvals needed.
        threshold: u8,
    },
    /// A required member did not approve.
    #[codec(index = 3)]
    MissingRequiredSigner {
        /// The required member.
        account: AccountId,
    },
    /// A council needs at least one member.
    #[codec(index = 4)]
    EmptyCouncil,
    /// A member listed twice.
    #[codec(index = 5)]
    DuplicateMember {
        /// The member.
        account: AccountId,
    },
    /// The threshold is not in `1..=members`.
    #[codec(index = 6)]
    InvalidThreshold {
        /// The threshold asked for.
        threshold: u8,
        /// The number of members.
        members: u8,
    },
    /// More members than [`MAX_COUNCIL`].
    #[codec(index = 7)]
    TooManyMembers {
        /// The limit.
        max: u8,
    },
    /// Fewer approvals needed than there are required members: every required member must
    /// approve anyway, so such a threshold would misstate the council.
    #[codec(index = 8)]
    ThresholdBelowRequired {
        /// The threshold asked for.
        threshold: u8,
        /// The number of required members.
        required: u8,
    },
}

impl core::fmt::Display for GovernanceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotCouncilMember { account } => write!(f, "{account} is not a council member"),
            Self::DuplicateApproval { account } => write!(f, "{account} approved twice"),
            Self::BelowThreshold {
                approvals,
                threshold,
            } => {
                write!(f, "{approvals} of the {threshold} approvals needed")
            }
            Self::MissingRequiredSigner { account } => {
                write!(f, "required council member {account} did not approve")
            }
            Self::EmptyCouncil => f.write_str("a council needs at least one member"),
            Self::DuplicateMember { account } => write!(f, "{account} is listed twice"),
            Self::InvalidThreshold { threshold, members } => {
                write!(f, "threshold {threshold} is not between 1 and {members}")
            }
            Self::TooManyMembers { max } => write!(f, "a council has at most {max} members"),
            Self::ThresholdBelowRequired {
                threshold,
                required,
            } => {
                write!(
                    f,
                    "threshold {threshold} is below the {required} required members"
                )
            }
        }
    }
}

fn count_u8(n: usize) -> u8 {
    // Every count here is bounded by MAX_COUNCIL.
    u8::try_from(n).unwrap_or(u8::MAX)
}

impl Council {
    /// A council of `members` needing `threshold` approvals.
    pub fn new(members: &[CouncilMember], threshold: u8) -> Result<Self, GovernanceError> {
        let members =
            BoundedVec::from_slice(members).map_err(|_| GovernanceError::TooManyMembers {
                max: count_u8(MAX_COUNCIL),
            })?;
        Self::validated(members, threshold)
    }

    /// The checks of [`Council::new`] after the length, on members already in place: the SCALE
    /// decoder uses it too, so a council is not copied again to be checked (on a device, every
    /// copy of a 350-byte member list is stack), and so does `Arbitrary`.
    pub(crate) fn validated(
        members: BoundedVec<CouncilMember, MAX_COUNCIL>,
        threshold: u8,
    ) -> Result<Self, GovernanceError> {
        if members.is_empty() {
            return Err(GovernanceError::EmptyCouncil);
        }
        for (i, m) in members.iter().enumerate() {
            if members
                .iter()
                .take(i)
                .any(|earlier| earlier.account == m.account)
            {
                return Err(GovernanceError::DuplicateMember { account: m.account });
            }
        }
        let count = count_u8(members.len());
        if threshold == 0 || threshold > count {
            return Err(GovernanceError::InvalidThreshold {
                threshold,
                members: count,
            });
        }
        let required = count_u8(members.iter().filter(|m| m.required).count());
        if threshold < required {
            return Err(GovernanceError::ThresholdBelowRequired {
                threshold,
                required,
            });
        }
        Ok(Self { members, threshold })
    }

    /// A council of one required member (1-of-1): a single administrator.
    pub fn single(admin: AccountId) -> Self {
        Self {
            members: [CouncilMember::required(admin)].into_iter().collect(),
            threshold: 1,
        }
    }

    /// The members, in the order given.
    pub fn members(&self) -> &[CouncilMember] {
        &self.members
    }

    /// Approvals needed.
    pub fn threshold(&self) -> u8 {
        self.threshold
    }

    /// Whether `account` sits on the council.
    pub fn is_member(&self, account: &AccountId) -> bool {
        self.members.iter().any(|m| m.account == *account)
    }

    /// Checks that `approvals` authorise a privileged message (see the module docs for the
    /// order of checks).
    pub fn authorize(&self, approvals: &[AccountId]) -> Result<(), GovernanceError> {
        for (i, account) in approvals.iter().enumerate() {
            if !self.is_member(account) {
                return Err(GovernanceError::NotCouncilMember { account: *account });
            }
            if approvals.iter().take(i).any(|earlier| earlier == account) {
                return Err(GovernanceError::DuplicateApproval { account: *account });
            }
        }
        let given = count_u8(approvals.len());
        if given < self.threshold {
            return Err(GovernanceError::BelowThreshold {
                approvals: given,
                threshold: self.threshold,
            });
        }
        match self
            .members
            .iter()
            .find(|m| m.required && !approvals.contains(&m.account))
        {
            Some(missing) => Err(GovernanceError::MissingRequiredSigner {
                account: missing.account,
            }),
            None => Ok(()),
        }
    }
}

/// Decoding validates like [`Council::new`]: bytes that describe an invalid council are
/// malformed.
impl Decode for Council {
    fn decode<I: parity_scale_codec::Input>(
        input: &mut I,
    ) -> Result<Self, parity_scale_codec::Error> {
        let members = BoundedVec::<CouncilMember, MAX_COUNCIL>::decode(input)?;
        let threshold = u8::decode(input)?;
        Self::validated(members, threshold).map_err(|_| "invalid council".into())
    }
}

/// Replaces the council, approved by the current one.
pub fn update_council(
    council: &mut Council,
    approvals: &[AccountId],
    next: &Council,
) -> Result<Event, GovernanceError> {
    council.authorize(approvals)?;
    *council = next.clone();
    Ok(Event::CouncilUpdated {
        members: count_u8(next.members.len()),
        required: count_u8(next.members.iter().filter(|m| m.required).count()),
        threshold: next.threshold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{WireError, decode_exact};

    fn acct(n: u8) -> AccountId {
        AccountId([n; 20])
    }

    fn two_of_three_with_required() -> Council {
        Council::new(
            &[
                CouncilMember::required(acct(1)),
                CouncilMember::member(acct(2)),
                CouncilMember::member(acct(3)),
            ],
            2,
        )
        .unwrap()
    }

    #[test]
    fn authorizes_threshold_with_required_signer() {
        let c = two_of_three_with_required();
        assert_eq!(c.authorize(&[acct(1), acct(2)]), Ok(()));
        assert_eq!(c.authorize(&[acct(3), acct(1)]), Ok(()));
        assert_eq!(c.authorize(&[acct(1), acct(2), acct(3)]), Ok(()));
    }

    #[test]
    fn each_authorization_error() {
        let c = two_of_three_with_required();
        assert_eq!(
            c.authorize(&[acct(1), acct(9)]),
            Err(GovernanceError::NotCouncilMember { account: acct(9) })
        );
        assert_eq!(
            c.authorize(&[acct(1), acct(1)]),
            Err(GovernanceError::DuplicateApproval { account: acct(1) })
        );
        assert_eq!(
            c.authorize(&[acct(1)]),
            Err(GovernanceError::BelowThreshold {
                approvals: 1,
                threshold: 2
            })
        );
        assert_eq!(
            c.authorize(&[]),
            Err(GovernanceError::BelowThreshold {
                approvals: 0,
                threshold: 2
            })
        );
        assert_eq!(
            c.authorize(&[acct(2), acct(3)]),
            Err(GovernanceError::MissingRequiredSigner { account: acct(1) })
        );
    }

    #[test]
    fn each_construction_error() {
        assert_eq!(Council::new(&[], 1), Err(GovernanceError::EmptyCouncil));
        assert_eq!(
            Council::new(
                &[
                    CouncilMember::member(acct(1)),
                    CouncilMember::required(acct(1))
                ],
                1
            ),
            Err(GovernanceError::DuplicateMember { account: acct(1) })
        );
        assert_eq!(
            Council::new(&[CouncilMember::member(acct(1))], 0),
            Err(GovernanceError::InvalidThreshold {
                threshold: 0,
                members: 1
            })
        );
        assert_eq!(
            Council::new(&[CouncilMember::member(acct(1))], 2),
            Err(GovernanceError::InvalidThreshold {
                threshold: 2,
                members: 1
            })
        );
        let many: [CouncilMember; MAX_COUNCIL + 1] =
            core::array::from_fn(|i| CouncilMember::member(acct(i as u8)));
        assert_eq!(
            Council::new(&many, 1),
            Err(GovernanceError::TooManyMembers { max: 16 })
        );
        assert!(Council::new(&many[..MAX_COUNCIL], 16).is_ok());
        let two_required = [
            CouncilMember::required(acct(1)),
            CouncilMember::required(acct(2)),
        ];
        assert_eq!(
            Council::new(&two_required, 1),
            Err(GovernanceError::ThresholdBelowRequired {
                threshold: 1,
                required: 2
            })
        );
        assert!(Council::new(&two_required, 2).is_ok());
    }

    #[test]
    fn decoding_rejects_an_invalid_council() {
        let c = two_of_three_with_required();
        assert_eq!(decode_exact::<Council>(&c.encode()), Ok(c.clone()));
        let mut bytes = c.encode();
        *bytes.last_mut().unwrap() = 4; // threshold 4 of 3
        assert_eq!(decode_exact::<Council>(&bytes), Err(WireError::Malformed));
    }

    #[test]
    fn council_changes_need_the_current_council() {
        let mut c = two_of_three_with_required();
        let next = Council::single(acct(7));
        assert_eq!(
            update_council(&mut c, &[acct(2), acct(3)], &next),
            Err(GovernanceError::MissingRequiredSigner { account: acct(1) })
        );
        assert_eq!(
            c,
            two_of_three_with_required(),
            "a refused change changes nothing"
        );
        assert_eq!(
            update_council(&mut c, &[acct(1), acct(3)], &next),
            Ok(Event::CouncilUpdated {
                members: 1,
                required: 1,
                threshold: 1
            })
        );
        assert_eq!(c, next);
    }
}
