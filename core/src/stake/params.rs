//! Staking parameters.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

use super::StakeError;

/// Most pending unlocks an account can hold under [`UnlockPolicy::Chunked`].
pub const MAX_UNLOCK_CHUNKS: usize = MAX_CHUNKS_U8 as usize;
const MAX_CHUNKS_U8: u8 = 8;
// The merged policy keeps one chunk; pushing it into an emptied list must not fail.
const _: () = assert!(MAX_UNLOCK_CHUNKS >= 1);

/// Longest unlock period parameters may set: 10 years (of 365 days). The seed sets no bound;
/// without one, a council mistake (say `u64::MAX`) would make every unstake overflow.
pub const MAX_UNLOCK_PERIOD: u64 = 10 * 365 * 24 * 3600;

/// BTT's decimals: amounts are in wei, 10^18 per BTT.
pub const BTT_DECIMALS: u8 = 18;

/// How an unstake's unlock time combines with pending unlocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum UnlockPolicy {
    /// BTIP-85 exactly: one pending bucket; every unstake resets its unlock time, re-locking
    /// funds that had matured.
    #[codec(index = 0)]
    Merged,
    /// Each unstake gets its own release time; at most `max` pending unlocks (1 to
    /// [`MAX_UNLOCK_CHUNKS`]); unstakes released at the same second share one.
    #[codec(index = 1)]
    Chunked {
        /// Most pending unlocks per account.
        max: u8,
    },
}

/// The parameters of the staking contract (the seed's `unlockPeriod` and `minStakeAmount`, and
/// our unlock policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct StakeParams {
    /// Seconds between an unstake and the time its funds can be withdrawn.
    #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::period))]
    pub unlock_period: u64,
    /// Smallest amount one `stake` call accepts, in wei (≥ 1).
    #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::fuzz::amount))]
    pub min_stake: U256,
    /// How unstakes combine.
    pub unlock_policy: UnlockPolicy,
}

impl StakeParams {
    /// Our defaults for BTFS (the seed gives no values): 7-day unlock period, 1 BTT minimum
    /// stake, the seed's merged unlock bucket.
    pub fn btfs() -> Self {
        Self {
            unlock_period: 7 * 24 * 3600,
            min_stake: U256::exp10(usize::from(BTT_DECIMALS)),
            unlock_policy: UnlockPolicy::Merged,
        }
    }

    /// Checks the parameters: `min_stake ≥ 1`, `unlock_period ≤ MAX_UNLOCK_PERIOD`, chunk limit
    /// in `1..=MAX_UNLOCK_CHUNKS`.
    pub fn validate(&self) -> Result<(), StakeError> {
        if self.min_stake.is_zero() {
            return Err(StakeError::ZeroMinStake);
        }
        if self.unlock_period > MAX_UNLOCK_PERIOD {
            return Err(StakeError::UnlockPeriodTooLong {
                period: self.unlock_period,
                max: MAX_UNLOCK_PERIOD,
            });
        }
        match self.unlock_policy {
            UnlockPolicy::Chunked { max } if max == 0 || usize::from(max) > MAX_UNLOCK_CHUNKS => {
                Err(StakeError::InvalidChunkLimit {
                    max,
                    limit: MAX_CHUNKS_U8,
                })
            }
            _ => Ok(()),
        }
    }

    /// Most pending unlocks per account under these parameters.
    pub(crate) fn chunk_limit(&self) -> usize {
        match self.unlock_policy {
            UnlockPolicy::Merged => 1,
            UnlockPolicy::Chunked { max } => usize::from(max).min(MAX_UNLOCK_CHUNKS),
        }
    }
}
