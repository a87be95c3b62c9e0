//! Finality records: checkpoints, the justification bits and the finality state.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use crate::ids::Epoch;

/// The number of justification bits kept (the spec's `JUSTIFICATION_BITS_LENGTH`, phase0).
pub const JUSTIFICATION_BITS_LENGTH: u8 = 4;

/// The bits of a [`JustificationBits`] byte that may be set.
const BITS_MASK: u8 = 0b1111;

/// A checkpoint: an epoch and the root of the block at its start (the spec's `Checkpoint`
/// container, phase0).
///
/// Its SCALE bytes are its SSZ bytes: the epoch as 8 little-endian bytes, then the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Checkpoint {
    /// The epoch.
    pub epoch: Epoch,
    /// The root of the block at the start of `epoch` (the spec's `get_block_root`), as the
    /// host computed it.
    pub root: [u8; 32],
}

impl Checkpoint {
    /// The genesis stub: epoch 0 and an all-zero root (the spec's initial `Checkpoint()`).
    pub const GENESIS: Self = Self {
        epoch: Epoch(0),
        root: [0; 32],
    };
}

/// Which of the last four epochs were justified: the spec's `justification_bits`, a
/// `Bitvector[JUSTIFICATION_BITS_LENGTH]` (phase0).
///
/// Bit `i` (value `1 << i`) stands for the epoch `i` epochs before the current one: bit 0 is
/// the current epoch, bit 1 the previous one. The byte is the bitvector's SSZ byte. Only the
/// low four bits may be set: [`JustificationBits::new`] and the SCALE decoder reject any other
/// byte, so every value is a valid bitvector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Encode, MaxEncodedLen)]
pub struct JustificationBits(u8);

impl JustificationBits {
    /// No epoch justified.
    pub const EMPTY: Self = Self(0);

    /// The bits of `byte`, or `None` if a bit above the fourth is set.
    pub const fn new(byte: u8) -> Option<Self> {
        if byte & !BITS_MASK == 0 {
            Some(Self(byte))
        } else {
            None
        }
    }

    /// The byte (the low four bits).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether bit `index` is set (`false` for an index of 4 or more).
    pub fn is_set(self, index: u8) -> bool {
        1u8.checked_shl(u32::from(index))
            .is_some_and(|bit| self.0 & bit & BITS_MASK != 0)
    }

    /// Whether every bit of `range` is set: the spec's `all(bits[start:end])`. An empty range
    /// is all set (as Python's `all([])`); indices of 4 or more are never set.
    pub fn all_set(self, mut range: core::ops::Range<u8>) -> bool {
        range.all(|index| self.is_set(index))
    }

    /// The bits with bit `index` set (unchanged for an index of 4 or more).
    #[must_use]
    pub fn with_set(self, index: u8) -> Self {
        let bit = 1u8.checked_shl(u32::from(index)).unwrap_or(0);
        Self((self.0 | bit) & BITS_MASK)
    }

    /// The bits one epoch later: `bits[1:] = bits[:3]; bits[0] = 0b0` in
    /// `weigh_justification_and_finalization` (phase0). Each bit moves up one place and the
    /// oldest is dropped.
    #[must_use]
    pub fn shifted(self) -> Self {
        Self(self.0.wrapping_shl(1) & BITS_MASK)
    }
}

/// Decoding rejects a byte with a bit above the fourth set (SSZ rejects such a bitvector too).
impl Decode for JustificationBits {
    fn decode<I: parity_scale_codec::Input>(
        input: &mut I,
    ) -> Result<Self, parity_scale_codec::Error> {
        Self::new(u8::decode(input)?).ok_or_else(|| "justification bits above the fourth".into())
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for JustificationBits {
    /// Any valid bitvector (the high bits of the drawn byte are cleared).
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(u8::arbitrary(u)? & BITS_MASK))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(1))
    }
}

/// The finality part of a beacon state: the spec's `justification_bits`,
/// `previous_justified_checkpoint`, `current_justified_checkpoint` and `finalized_checkpoint`
/// (phase0; unchanged through electra).
///
/// Any combination of values is a state the spec's functions accept, so the fields are public
/// and the decoder checks nothing beyond the bits. The ordering
/// `finalized.epoch ≤ previous_justified.epoch ≤ current_justified.epoch` holds for every state
/// reached from [`FinalityState::GENESIS`] by the transitions of this module called in epoch
/// order (see the module docs); [`FinalityState::is_ordered`] checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct FinalityState {
    /// Which of the last four epochs were justified.
    pub justification_bits: JustificationBits,
    /// The justified checkpoint as it was before the latest epoch processing.
    pub previous_justified: Checkpoint,
    /// The latest justified checkpoint: votes must use it as their source.
    pub current_justified: Checkpoint,
    /// The latest finalized checkpoint.
    pub finalized: Checkpoint,
}

impl FinalityState {
    /// The genesis state: no bits, every checkpoint the genesis stub (epoch 0, zero root), as
    /// `initialize_beacon_state_from_eth1` leaves them (phase0).
    pub const GENESIS: Self = Self {
        justification_bits: JustificationBits::EMPTY,
        previous_justified: Checkpoint::GENESIS,
        current_justified: Checkpoint::GENESIS,
        finalized: Checkpoint::GENESIS,
    };

    /// Whether `finalized.epoch ≤ previous_justified.epoch ≤ current_justified.epoch`.
    pub fn is_ordered(&self) -> bool {
        self.finalized.epoch <= self.previous_justified.epoch
            && self.previous_justified.epoch <= self.current_justified.epoch
    }
}

/// The four finalization cases of `weigh_justification_and_finalization` (phase0), in the
/// spec's order. Bit `i` of the justification bits is "the `(i+1)`th most recent epoch".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum FinalizationRule {
    /// The 2nd/3rd/4th most recent epochs are justified, the 2nd using the 4th as source:
    /// `all(bits[1:4])` and `old_previous_justified.epoch + 3 == current_epoch`.
    #[codec(index = 0)]
    SecondToFourth,
    /// The 2nd/3rd most recent epochs are justified, the 2nd using the 3rd as source:
    /// `all(bits[1:3])` and `old_previous_justified.epoch + 2 == current_epoch`.
    #[codec(index = 1)]
    SecondAndThird,
    /// The 1st/2nd/3rd most recent epochs are justified, the 1st using the 3rd as source:
    /// `all(bits[0:3])` and `old_current_justified.epoch + 2 == current_epoch`.
    #[codec(index = 2)]
    FirstToThird,
    /// The 1st/2nd most recent epochs are justified, the 1st using the 2nd as source:
    /// `all(bits[0:2])` and `old_current_justified.epoch + 1 == current_epoch`.
    #[codec(index = 3)]
    FirstAndSecond,
}

/// What one epoch's justification and finalization did, for the host's `Justified` and
/// `Finalized` events.
///
/// A checkpoint is *newly* justified when it reached two thirds in this run and is not the
/// justified checkpoint the state held before (the previous epoch was usually justified already,
/// as the current epoch, one run earlier; it is then not reported again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct FinalityOutcome {
    /// The previous epoch's checkpoint, if newly justified.
    pub previous_epoch_justified: Option<Checkpoint>,
    /// The current epoch's checkpoint, if newly justified.
    pub current_epoch_justified: Option<Checkpoint>,
    /// The new finalized checkpoint, if it changed.
    pub finalized: Option<Checkpoint>,
    /// The finalization case whose assignment stands (the last, in spec order, whose condition
    /// held), whether or not it changed the finalized checkpoint.
    pub finalized_by: Option<FinalizationRule>,
}

impl FinalityOutcome {
    /// Nothing happened (the genesis guard).
    pub const NONE: Self = Self {
        previous_epoch_justified: None,
        current_epoch_justified: None,
        finalized: None,
        finalized_by: None,
    };
}
