//! `Arbitrary` values for fuzzing (feature `arbitrary`, host only).
//!
//! The fuzz targets (`fuzz/`) build messages from the fuzzer's bytes with these impls. Plain
//! derives would make every account a random 20 bytes and every amount a random 256-bit number:
//! two messages would almost never touch the same account and no stake would ever meet the
//! minimum. So account ids come mostly from a small fixed set and amounts mostly from around
//! the values the rules compare against — and sometimes from anywhere, so that valid and
//! invalid messages both occur. The chain's messages likewise draw validators, keys, epochs
//! and roots from small sets, so that votes meet the roots an epoch ends with.

use arbitrary::{Arbitrary, Result, Unstructured};
use primitive_types::U256;

use crate::bounded::BoundedVec;
use crate::finality::Checkpoint;
use crate::governance::{Approvals, Council, CouncilMember, MAX_COUNCIL};
use crate::ids::{AccountId, Epoch, Slot, ValidatorIndex};
use crate::msg::{Attesters, MAX_ATTESTERS};
use crate::stake::{BTT_DECIMALS, MAX_UNLOCK_PERIOD};
use crate::validator::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, DepositData, IncludingBlock,
    IndexedAttestation, MAX_SLASHING_INDICES, ProposerSlashing, SlashingIndices, VoluntaryExit,
};

/// The account numbers fuzzed ids mostly use, each as 20 equal bytes (`[n; 20]`, as the tests'
/// `acct(n)`): four stakers, the tests' 2-of-3 council (0xc1 required, 0xc2, 0xc3) and 0xc4,
/// who is on no council.
pub const ACCOUNTS: [u8; 8] = [1, 2, 3, 4, 0xc1, 0xc2, 0xc3, 0xc4];

impl<'a> Arbitrary<'a> for AccountId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        // One in sixteen ids is any 20 bytes; the rest collide on purpose.
        if u.ratio(1, 16)? {
            return Ok(Self(u.arbitrary()?));
        }
        Ok(Self([*u.choose(&ACCOUNTS)?; 20]))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(21))
    }
}

/// An amount of wei: mostly a few whole BTT plus or minus one wei (the default minimum stake
/// is 1 BTT), or a few wei (for minimums of 1); sometimes near `U256::MAX` (overflow), any
/// `u128` or any 256-bit number.
pub fn amount(u: &mut Unstructured<'_>) -> Result<U256> {
    let unit = U256::exp10(usize::from(BTT_DECIMALS));
    Ok(match u.int_in_range(0u8..=5)? {
        0 | 1 => {
            let whole = unit.saturating_mul(U256::from(u.int_in_range(0u8..=16)?));
            match u.int_in_range(0u8..=2)? {
                0 => whole.saturating_sub(U256::one()),
                1 => whole,
                _ => whole.saturating_add(U256::one()),
            }
        }
        2 => U256::from(u.int_in_range(0u8..=8)?),
        3 => U256::MAX.saturating_sub(U256::from(u.arbitrary::<u8>()?)),
        4 => U256::from(u.arbitrary::<u128>()?),
        _ => U256::from_little_endian(&u.arbitrary::<[u8; 32]>()?),
    })
}

/// An unlock period in seconds: mostly short (so fuzzed time reaches the releases), sometimes
/// at or just past [`MAX_UNLOCK_PERIOD`], sometimes any `u64`.
pub fn period(u: &mut Unstructured<'_>) -> Result<u64> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 | 1 => u.int_in_range(0..=100)?,
        2 => MAX_UNLOCK_PERIOD.saturating_add(u.int_in_range(0..=1)?),
        _ => u.arbitrary()?,
    })
}

impl<'a, T: Arbitrary<'a>, const N: usize> Arbitrary<'a> for BoundedVec<T, N> {
    /// Up to `N` items (the draw stops at the capacity).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut out = Self::new();
        for item in u.arbitrary_iter::<T>()? {
            if out.push(item?).is_err() {
                break;
            }
        }
        Ok(out)
    }
}

/// The approvals of a privileged message: mostly members of the tests' council (0xc1, 0xc2,
/// 0xc3) in any order — so that thresholds and required signers are met or missed by one —
/// and sometimes any ids, which brings outsiders and duplicates.
pub fn approvals(u: &mut Unstructured<'_>) -> Result<Approvals> {
    if u.ratio(1, 4)? {
        return u.arbitrary();
    }
    let mut council = [0xc1u8, 0xc2, 0xc3];
    let count = u.int_in_range(0..=council.len())?;
    let mut out = Approvals::new();
    for taken in 0..count {
        // Pick one of the members not taken yet.
        let pick = u.int_in_range(taken..=council.len().saturating_sub(1))?;
        council.swap(taken, pick);
        let member = council.get(taken).copied().unwrap_or(0xc1);
        if out.push(AccountId([member; 20])).is_err() {
            break;
        }
    }
    Ok(out)
}

impl<'a> Arbitrary<'a> for Council {
    /// A council value is valid by construction, so a draw that breaks a rule (duplicate
    /// members, a threshold out of range) becomes the 1-of-1 council of its first member.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let members: BoundedVec<CouncilMember, MAX_COUNCIL> = u.arbitrary()?;
        let most = u8::try_from(members.len()).unwrap_or(u8::MAX);
        let threshold = u.int_in_range(0..=most.saturating_add(1))?;
        let first = members.first().map_or(AccountId::default(), |m| m.account);
        Ok(Self::validated(members, threshold).unwrap_or_else(|_| Self::single(first)))
    }
}

/// An epoch of the proof-of-stake chain: mostly one of the first few (a fuzzed chain advances
/// one epoch per message), sometimes any `u64`.
pub fn epoch(u: &mut Unstructured<'_>) -> Result<Epoch> {
    Ok(Epoch(if u.ratio(1, 8)? {
        u.arbitrary()?
    } else {
        u.int_in_range(0..=12)?
    }))
}

/// A block root: mostly one of three (`[0; 32]`, `[1; 32]`, `[2; 32]`), so that votes and the
/// roots an epoch ends with agree often; sometimes any 32 bytes.
pub fn root(u: &mut Unstructured<'_>) -> Result<[u8; 32]> {
    if u.ratio(1, 8)? {
        return u.arbitrary();
    }
    Ok([u.int_in_range(0..=2)?; 32])
}

/// A checkpoint of [`epoch`] and [`root`].
pub fn checkpoint(u: &mut Unstructured<'_>) -> Result<Checkpoint> {
    Ok(Checkpoint {
        epoch: epoch(u)?,
        root: root(u)?,
    })
}

/// A validator index: mostly one of the first eight (a fuzzed chain starts with four and
/// grows by deposits), sometimes any `u64`.
pub fn validator_index(u: &mut Unstructured<'_>) -> Result<ValidatorIndex> {
    Ok(ValidatorIndex(if u.ratio(1, 16)? {
        u.arbitrary()?
    } else {
        u.int_in_range(0..=7)?
    }))
}

/// The validators of an attestation: mostly up to six of [`validator_index`], sometimes up to
/// the capacity.
pub fn attesters(u: &mut Unstructured<'_>) -> Result<Attesters> {
    let len = if u.ratio(1, 16)? {
        u.int_in_range(0..=MAX_ATTESTERS)?
    } else {
        u.int_in_range(0..=6)?
    };
    let mut out = Attesters::new();
    for _ in 0..len {
        if out.push(validator_index(u)?).is_err() {
            break;
        }
    }
    Ok(out)
}

/// An attestation's data: mostly a slot in one of the first epochs with [`root`]s and
/// [`checkpoint`]s, so that it often matches the chain, sometimes any.
pub fn attestation_data(u: &mut Unstructured<'_>) -> Result<AttestationData> {
    let target = checkpoint(u)?;
    let slot = if u.ratio(1, 8)? {
        u.arbitrary()?
    } else {
        // A slot in the target epoch of the seed chain's 32-slot epochs.
        target
            .epoch
            .0
            .saturating_mul(32)
            .saturating_add(u.int_in_range(0..=31)?)
    };
    Ok(AttestationData {
        slot: Slot(slot),
        index: 0,
        beacon_block_root: root(u)?,
        source: checkpoint(u)?,
        target,
    })
}

/// An including block: a slot in one of the first epochs (sometimes any), a
/// [`validator_index`] as proposer, and [`root`]s.
pub fn including_block(u: &mut Unstructured<'_>) -> Result<IncludingBlock> {
    let slot = if u.ratio(1, 8)? {
        u.arbitrary()?
    } else {
        u.int_in_range(0..=12 * 32)?
    };
    Ok(IncludingBlock {
        slot: Slot(slot),
        proposer: validator_index(u)?,
        target_root: root(u)?,
        head_root: root(u)?,
    })
}

/// A deposit: a public key from a set of eight (`[n; 48]`, as the tests' genesis validators
/// `1..=4` and newcomers), a withdrawal credential of each prefix, and an amount of Gwei around
/// what the rules compare against — a full 1000-coin deposit of the seed's chain, half of it,
/// the minimum deposit ±1 — or near `u64::MAX`, or any.
pub fn deposit(u: &mut Unstructured<'_>) -> Result<DepositData> {
    const FULL: u64 = 1_000_000_000_000;
    const MIN: u64 = 31_250_000_000;
    let mut withdrawal_credentials = [0xaa; 32];
    withdrawal_credentials[0] = u.int_in_range(0..=2)?;
    let amount = match u.int_in_range(0u8..=6)? {
        0 | 1 => FULL,
        2 => FULL / 2,
        3 => MIN.saturating_add(u.int_in_range(0..=2)?).saturating_sub(1),
        4 => u64::MAX.saturating_sub(u.int_in_range(0..=FULL)?),
        5 => FULL.saturating_mul(u.int_in_range(1..=80)?),
        _ => u.arbitrary()?,
    };
    Ok(DepositData {
        pubkey: [u.int_in_range(1..=8)?; 48],
        withdrawal_credentials,
        amount,
        signature: [0; 96],
    })
}

/// A proposer slashing: mostly two headers of one proposer ([`validator_index`]) for one slot
/// that differ in their body root (valid evidence), sometimes headers that differ in slot,
/// proposer or not at all.
pub fn proposer_slashing(u: &mut Unstructured<'_>) -> Result<ProposerSlashing> {
    let header_1 = BeaconBlockHeader {
        slot: Slot(u.int_in_range(0..=3)?),
        proposer_index: validator_index(u)?,
        parent_root: [0; 32],
        state_root: [0; 32],
        body_root: [1; 32],
    };
    let mut header_2 = BeaconBlockHeader {
        body_root: [2; 32],
        ..header_1
    };
    match u.int_in_range(0u8..=7)? {
        0 => header_2.slot = Slot(header_1.slot.0.wrapping_add(1)),
        1 => header_2.proposer_index = validator_index(u)?,
        2 => header_2.body_root = header_1.body_root,
        _ => {}
    }
    Ok(ProposerSlashing { header_1, header_2 })
}

/// Attesting indices: mostly a sorted, unique handful of [`validator_index`], sometimes as
/// drawn (unsorted, repeated, empty).
fn slashing_indices(u: &mut Unstructured<'_>) -> Result<SlashingIndices> {
    let len = u.int_in_range(0..=MAX_SLASHING_INDICES)?;
    let mut drawn = [ValidatorIndex(0); MAX_SLASHING_INDICES];
    for slot in drawn.iter_mut().take(len) {
        *slot = validator_index(u)?;
    }
    let drawn = drawn.get(..len).unwrap_or_default();
    if u.ratio(1, 8)? {
        return Ok(drawn.iter().copied().collect());
    }
    let mut sorted = [ValidatorIndex(0); MAX_SLASHING_INDICES];
    let sorted = sorted.get_mut(..len).unwrap_or_default();
    sorted.copy_from_slice(drawn);
    sorted.sort_unstable();
    let mut unique = SlashingIndices::new();
    for index in sorted.iter() {
        if unique.last() != Some(index) && unique.push(*index).is_err() {
            break;
        }
    }
    Ok(unique)
}

/// An attester slashing: two attestations whose data mostly form a double vote or a surround
/// vote (of [`checkpoint`]s), sometimes anything.
pub fn attester_slashing(u: &mut Unstructured<'_>) -> Result<AttesterSlashing> {
    let data_1 = AttestationData {
        slot: Slot(u.int_in_range(0..=64)?),
        index: 0,
        beacon_block_root: root(u)?,
        source: checkpoint(u)?,
        target: checkpoint(u)?,
    };
    let data_2 = match u.int_in_range(0u8..=3)? {
        // A double vote: same target epoch, another head.
        0 | 1 => AttestationData {
            beacon_block_root: [9; 32],
            ..data_1
        },
        // A surround vote (when the epochs allow it).
        2 => AttestationData {
            source: Checkpoint {
                epoch: Epoch(data_1.source.epoch.0.saturating_add(1)),
                ..data_1.source
            },
            target: Checkpoint {
                epoch: Epoch(data_1.target.epoch.0.saturating_sub(1)),
                ..data_1.target
            },
            ..data_1
        },
        _ => AttestationData {
            slot: Slot(u.int_in_range(0..=64)?),
            index: 0,
            beacon_block_root: root(u)?,
            source: checkpoint(u)?,
            target: checkpoint(u)?,
        },
    };
    let indices_1 = slashing_indices(u)?;
    let indices_2 = if u.ratio(3, 4)? {
        indices_1.clone()
    } else {
        slashing_indices(u)?
    };
    Ok(AttesterSlashing {
        attestation_1: IndexedAttestation {
            attesting_indices: indices_1,
            data: data_1,
        },
        attestation_2: IndexedAttestation {
            attesting_indices: indices_2,
            data: data_2,
        },
    })
}

/// A voluntary exit of [`validator_index`] from [`epoch`].
pub fn exit(u: &mut Unstructured<'_>) -> Result<VoluntaryExit> {
    Ok(VoluntaryExit {
        epoch: epoch(u)?,
        validator_index: validator_index(u)?,
    })
}
