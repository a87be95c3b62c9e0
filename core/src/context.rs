//! What a transition may know of the world.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::ids::{AccountId, BlockHeight, Timestamp};

/// Everything a transition may know of the world: who sent the message (authenticated by the
/// host), the block's timestamp and its height. Transitions read no clock of their own, so
/// replaying the same messages with the same contexts gives the same state everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Context {
    /// The account that signed the message (the seed's `msg.sender`).
    pub caller: AccountId,
    /// The block timestamp (the seed's `block.timestamp`).
    pub now: Timestamp,
    /// The block height.
    pub height: BlockHeight,
}

impl Context {
    /// A context for `caller` at time `now` in block `height`.
    pub const fn new(caller: AccountId, now: Timestamp, height: u64) -> Self {
        Self {
            caller,
            now,
            height: BlockHeight(height),
        }
    }
}
