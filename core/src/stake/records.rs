//! Staking records: one per account, and the contract's totals.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

use super::MAX_UNLOCK_CHUNKS;
use crate::bounded::BoundedVec;
use crate::ids::Timestamp;

/// An amount that becomes withdrawable at `release`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub struct UnlockChunk {
    /// Wei unlocking (never zero).
    pub amount: U256,
    /// When it can be withdrawn.
    pub release: Timestamp,
}

/// Pending unlocks, ordered by release time, each non-zero.
pub(crate) type Chunks = BoundedVec<UnlockChunk, MAX_UNLOCK_CHUNKS>;

/// One account's stake: the seed's `StakeInfo`, with its unlocking amount kept as chunks.
///
/// Valid by construction: `unlocked` is the sum of the chunks, which are ordered by release time
/// and non-zero. Transitions keep this true, and the SCALE decoder rejects records that break
/// it, so a record read from untrusted bytes can be trusted.
#[derive(Clone, Debug, PartialEq, Eq, Default, Encode, MaxEncodedLen)]
pub struct StakeAccount {
    pub(super) staked: U256,
    pub(super) unlocked: U256,
    pub(super) chunks: Chunks,
}

/// What a dashboard shows of an account at a given time (the seed's `getUserStake`, plus what
/// can be withdrawn now).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen)]
pub struct StakeView {
    /// Active stake.
    pub staked: U256,
    /// Pending unlocks, matured or not.
    pub unlocked: U256,
    /// When all pending unlocks are withdrawable (the seed's `unlockTime`), if any are pending.
    pub unlock_time: Option<Timestamp>,
    /// The part of `unlocked` that can be withdrawn at the time asked about.
    pub withdrawable: U256,
}

impl StakeAccount {
    /// An account that holds nothing.
    pub const EMPTY: Self = Self {
        staked: U256::zero(),
        unlocked: U256::zero(),
        chunks: BoundedVec::new(),
    };

    /// Active stake, in wei.
    pub fn staked(&self) -> U256 {
        self.staked
    }

    /// Pending unlocks (matured or not), in wei.
    pub fn unlocked(&self) -> U256 {
        self.unlocked
    }

    /// Pending unlocks, earliest release first.
    pub fn chunks(&self) -> &[UnlockChunk] {
        &self.chunks
    }

    /// When everything pending can be withdrawn: the seed's `unlockTime` (after an unstake under
    /// [`super::UnlockPolicy::Merged`] there is one chunk and this is its release; chunks left by
    /// an earlier `Chunked` policy stay separate until the next unstake merges them).
    pub fn unlock_time(&self) -> Option<Timestamp> {
        self.chunks.last().map(|c| c.release)
    }

    /// Whether the account holds nothing (such records are dropped from a ledger).
    pub fn is_empty(&self) -> bool {
        self.staked.is_zero() && self.chunks.is_empty()
    }

    /// The account as seen at `now`.
    pub fn view(&self, now: Timestamp) -> StakeView {
        StakeView {
            staked: self.staked,
            unlocked: self.unlocked,
            unlock_time: self.unlock_time(),
            withdrawable: self.matured(now),
        }
    }

    /// Sum of the chunks released at or before `now` (bounded by `unlocked`, so it cannot
    /// overflow).
    pub(crate) fn matured(&self, now: Timestamp) -> U256 {
        self.chunks
            .iter()
            .filter(|c| c.release <= now)
            .fold(U256::zero(), |acc, c| acc.saturating_add(c.amount))
    }

    fn is_well_formed(&self) -> bool {
        let ordered = self
            .chunks
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.release < b.release));
        let non_zero = self.chunks.iter().all(|c| !c.amount.is_zero());
        let sum = crate::num::sum(self.chunks.iter().map(|c| c.amount));
        ordered && non_zero && sum == Ok(self.unlocked)
    }
}

/// Decoding checks the record's invariants: an inconsistent record is malformed bytes.
impl Decode for StakeAccount {
    fn decode<I: parity_scale_codec::Input>(
        input: &mut I,
    ) -> Result<Self, parity_scale_codec::Error> {
        let record = Self {
            staked: U256::decode(input)?,
            unlocked: U256::decode(input)?,
            chunks: Chunks::decode(input)?,
        };
        if record.is_well_formed() {
            Ok(record)
        } else {
            Err("inconsistent stake account".into())
        }
    }
}

/// The contract's totals (the seed's `getGlobalStats`), plus what was slashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen)]
pub struct StakeTotals {
    /// Sum of active stakes (the seed's `totalStaked`).
    pub total_staked: U256,
    /// Sum of pending unlocks (the seed's `totalUnlocked`).
    pub total_unlocked: U256,
    /// Everything ever slashed (burned or forwarded by the host).
    pub total_slashed: U256,
    /// What the contract holds (the seed's `address(this).balance`).
    pub balance: U256,
}

impl StakeTotals {
    /// The seed's solvency invariant: `balance ≥ total_staked + total_unlocked`.
    pub fn is_solvent(&self) -> bool {
        crate::num::add(self.total_staked, self.total_unlocked)
            .is_ok_and(|owed| self.balance >= owed)
    }
}

/// Why the council slashed an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SlashReason {
    /// The node lost data it was paid to store (the seed's motivation).
    #[codec(index = 0)]
    LostData,
    /// Another reason, by a code the host defines.
    #[codec(index = 1)]
    Other {
        /// The host's reason code.
        code: u32,
    },
}
