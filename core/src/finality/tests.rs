//! Unit tests: every case of the finality rule with its conditions met and off by one, the
//! exact two-thirds boundary, the genesis guard, overflow, a table worked
//! out by hand from the spec, and a property test of the invariants.

extern crate std;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use proptest::prelude::*;

use super::*;
use crate::error::Error;
use crate::ids::Epoch;

/// Gwei per ETH: the spec's `EFFECTIVE_BALANCE_INCREMENT`.
const GWEI: u64 = 1_000_000_000;
/// A total active balance for the rule tests; two thirds of it is exactly [`PASS`].
const TOTAL: u64 = 300;
/// `PASS * 3 == TOTAL * 2`: justifies.
const PASS: u64 = 200;
/// `FAIL * 3 == TOTAL * 2 - 3`: does not.
const FAIL: u64 = 199;

/// The root the tests give the block at the start of `epoch`: 32 bytes of the epoch's low
/// byte, so epoch 0's root is the genesis stub.
fn root(epoch: u64) -> [u8; 32] {
    [epoch as u8; 32]
}

fn cp(epoch: u64) -> Checkpoint {
    Checkpoint {
        epoch: Epoch(epoch),
        root: root(epoch),
    }
}

fn bits(byte: u8) -> JustificationBits {
    JustificationBits::new(byte).unwrap()
}

fn state(bits_byte: u8, previous: u64, current: u64, finalized: u64) -> FinalityState {
    FinalityState {
        justification_bits: bits(bits_byte),
        previous_justified: cp(previous),
        current_justified: cp(current),
        finalized: cp(finalized),
    }
}

type Run = Result<(FinalityState, FinalityOutcome), FinalityError>;

/// Runs `weigh_justification_and_finalization` at `epoch` on a copy of `before`, with the
/// test roots; on error, asserts the copy is untouched.
fn weigh(before: &FinalityState, epoch: u64, total: u64, previous: u64, current: u64) -> Run {
    let mut after = *before;
    let e = Epoch(epoch);
    let result = weigh_justification_and_finalization(
        &mut after,
        e,
        total,
        previous,
        current,
        root(previous_epoch(e).0),
        root(epoch),
    );
    match result {
        Ok(outcome) => Ok((after, outcome)),
        Err(e) => {
            assert_eq!(after, *before, "{e:?} changed the state");
            Err(e)
        }
    }
}

/// The same through `process_justification_and_finalization`.
fn process(before: &FinalityState, epoch: u64, total: u64, previous: u64, current: u64) -> Run {
    let mut after = *before;
    let e = Epoch(epoch);
    let result = process_justification_and_finalization(
        &mut after,
        e,
        total,
        previous,
        current,
        root(previous_epoch(e).0),
        root(epoch),
    );
    match result {
        Ok(outcome) => Ok((after, outcome)),
        Err(e) => {
            assert_eq!(after, *before, "{e:?} changed the state");
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------

#[test]
fn justification_bits_accept_only_four_bits() {
    for byte in 0..=0x0f {
        let b = JustificationBits::new(byte).unwrap();
        assert_eq!(b.bits(), byte);
        assert_eq!(b.encode(), [byte]);
        assert_eq!(JustificationBits::decode(&mut &[byte][..]), Ok(b));
    }
    for byte in 0x10..=0xff {
        assert_eq!(JustificationBits::new(byte), None);
        assert!(JustificationBits::decode(&mut &[byte][..]).is_err());
    }
    assert!(JustificationBits::decode(&mut &[][..]).is_err());
    assert_eq!(JustificationBits::max_encoded_len(), 1);
}

#[test]
fn justification_bits_shift_set_and_test() {
    // bits[1:] = bits[:3]; bits[0] = 0: every bit moves up, bit 3 falls off.
    assert_eq!(bits(0b0101).shifted(), bits(0b1010));
    assert_eq!(bits(0b1000).shifted(), bits(0b0000));
    assert_eq!(bits(0b1111).shifted(), bits(0b1110));
    assert_eq!(bits(0b0111).shifted(), bits(0b1110));
    assert_eq!(JustificationBits::EMPTY.with_set(1), bits(0b0010));
    assert_eq!(bits(0b0010).with_set(0), bits(0b0011));
    assert_eq!(bits(0b0010).with_set(4), bits(0b0010));
    assert_eq!(bits(0b0010).with_set(200), bits(0b0010));
    assert!(bits(0b0100).is_set(2));
    assert!(!bits(0b0100).is_set(1));
    assert!(!bits(0b1111).is_set(4));
    assert!(!bits(0b1111).is_set(255));
    // Python slices: bits[1:4] is bits 1, 2, 3.
    assert!(bits(0b1110).all_set(1..4));
    assert!(!bits(0b1110).all_set(0..2));
    assert!(bits(0b0011).all_set(0..2));
    assert!(!bits(0b1011).all_set(1..3));
    assert!(bits(0).all_set(2..2), "all([]) is True");
    assert!(!bits(0b1111).all_set(3..5), "there is no bit 4");
}

#[test]
fn records_encode_as_their_ssz_bytes() {
    let c = Checkpoint {
        epoch: Epoch(0x0102),
        root: [0xab; 32],
    };
    let bytes = c.encode();
    assert_eq!(bytes.len(), 40);
    assert_eq!(&bytes[..8], &[0x02, 0x01, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&bytes[8..], &[0xab; 32]);
    assert_eq!(Checkpoint::max_encoded_len(), 40);

    let s = state(0b1011, 3, 5, 2);
    let bytes = s.encode();
    assert_eq!(bytes.len(), 121);
    assert_eq!(FinalityState::max_encoded_len(), 121);
    assert_eq!(bytes[0], 0b1011);
    assert_eq!(FinalityState::decode(&mut &bytes[..]), Ok(s));
    let mut bad = bytes.clone();
    bad[0] = 0x1b;
    assert!(FinalityState::decode(&mut &bad[..]).is_err());

    assert_eq!(FinalityState::GENESIS, FinalityState::default());
    assert_eq!(FinalityState::GENESIS.encode(), [0u8; 121]);
    assert!(FinalityState::GENESIS.is_ordered());
    assert!(state(0, 3, 5, 2).is_ordered());
    assert!(!state(0, 5, 3, 2).is_ordered());
    assert!(!state(0, 3, 5, 4).is_ordered());

    let outcome = FinalityOutcome {
        previous_epoch_justified: Some(cp(1)),
        current_epoch_justified: None,
        finalized: Some(cp(0)),
        finalized_by: Some(FinalizationRule::FirstToThird),
    };
    assert_eq!(
        FinalityOutcome::decode(&mut &outcome.encode()[..]),
        Ok(outcome)
    );
    assert_eq!(FinalizationRule::FirstAndSecond.encode(), [3]);
}

/// Fuzzed records are valid: their bytes decode back to them.
#[cfg(feature = "arbitrary")]
#[test]
fn arbitrary_records_round_trip() {
    use arbitrary::{Arbitrary, Unstructured};
    use std::vec::Vec;
    let data: Vec<u8> = (0..=255u8).cycle().skip(7).take(8192).collect();
    let mut u = Unstructured::new(&data);
    for _ in 0..40 {
        let s = FinalityState::arbitrary(&mut u).unwrap();
        assert!(s.justification_bits.bits() <= 0b1111);
        assert_eq!(FinalityState::decode(&mut &s.encode()[..]), Ok(s));
    }
}

#[test]
fn previous_epoch_is_genesis_at_genesis() {
    assert_eq!(previous_epoch(Epoch(0)), Epoch(0));
    assert_eq!(previous_epoch(Epoch(1)), Epoch(0));
    assert_eq!(previous_epoch(Epoch(2)), Epoch(1));
    assert_eq!(previous_epoch(Epoch(u64::MAX)), Epoch(u64::MAX - 1));
}

// ---------------------------------------------------------------------------------------
// Justification
// ---------------------------------------------------------------------------------------

#[test]
fn without_votes_the_bits_shift_and_the_justified_checkpoint_moves_back() {
    // Nothing reaches two thirds: only the shift and the copy of current into previous.
    let before = state(0b0101, 3, 5, 2);
    let (after, outcome) = weigh(&before, 7, TOTAL, 0, 0).unwrap();
    assert_eq!(after, state(0b1010, 5, 5, 2));
    assert_eq!(outcome, FinalityOutcome::NONE);

    let (after, _) = weigh(&state(0b1000, 3, 5, 2), 7, TOTAL, 0, 0).unwrap();
    assert_eq!(after.justification_bits, bits(0));
    // 0b1111 shifts to 0b1110: bits 1-3 are set, but 3 + 3 != 7 and 3 + 2 != 7.
    let (after, outcome) = weigh(&state(0b1111, 3, 5, 2), 7, TOTAL, 0, 0).unwrap();
    assert_eq!(after, state(0b1110, 5, 5, 2));
    assert_eq!(outcome.finalized_by, None);
}

#[test]
fn two_thirds_exactly_justifies_and_one_gwei_less_does_not() {
    let before = state(0, 3, 5, 2);
    // Previous epoch: 200 * 3 = 600 >= 300 * 2 = 600.
    let (after, outcome) = weigh(&before, 7, TOTAL, PASS, 0).unwrap();
    assert_eq!(after, state(0b0010, 5, 6, 2));
    assert_eq!(outcome.previous_epoch_justified, Some(cp(6)));
    assert_eq!(outcome.current_epoch_justified, None);
    // 199 * 3 = 597 < 600.
    let (after, outcome) = weigh(&before, 7, TOTAL, FAIL, 0).unwrap();
    assert_eq!(after, state(0, 5, 5, 2));
    assert_eq!(outcome, FinalityOutcome::NONE);

    // Current epoch, the same boundary.
    let (after, outcome) = weigh(&before, 7, TOTAL, 0, PASS).unwrap();
    assert_eq!(after, state(0b0001, 5, 7, 2));
    assert_eq!(outcome.current_epoch_justified, Some(cp(7)));
    let (after, _) = weigh(&before, 7, TOTAL, 0, FAIL).unwrap();
    assert_eq!(after, state(0, 5, 5, 2));

    // A total not divisible by 3: 67 * 3 = 201 >= 200, 66 * 3 = 198 < 200.
    assert_eq!(
        weigh(&before, 7, 100, 67, 0).unwrap().0.justification_bits,
        bits(0b10)
    );
    assert_eq!(
        weigh(&before, 7, 100, 66, 0).unwrap().0.justification_bits,
        bits(0)
    );
    // In Gwei: 32 ETH of 48 ETH is exactly two thirds; one Gwei less is not.
    let t = 48 * GWEI;
    assert!(
        weigh(&before, 7, t, 0, 32 * GWEI)
            .unwrap()
            .0
            .justification_bits
            .is_set(0)
    );
    assert!(
        !weigh(&before, 7, t, 0, 32 * GWEI - 1)
            .unwrap()
            .0
            .justification_bits
            .is_set(0)
    );
}

#[test]
fn both_epochs_justified_leaves_the_current_one_justified() {
    let (after, outcome) = weigh(&state(0, 3, 5, 2), 7, TOTAL, PASS, PASS).unwrap();
    // Previous epoch first (bit 1, checkpoint 6), then the current one overwrites (bit 0, 7).
    assert_eq!(after, state(0b0011, 5, 7, 2));
    assert_eq!(outcome.previous_epoch_justified, Some(cp(6)));
    assert_eq!(outcome.current_epoch_justified, Some(cp(7)));
}

#[test]
fn an_epoch_already_justified_is_not_reported_again() {
    // Epoch 6 was justified at epoch 6 (as the current epoch); at 7 it passes again as the
    // previous epoch: bit 1 is set, but the checkpoint is not new.
    let (after, outcome) = weigh(&state(0b0001, 5, 6, 2), 7, TOTAL, PASS, 0).unwrap();
    assert_eq!(after, state(0b0010, 6, 6, 2));
    assert_eq!(outcome.previous_epoch_justified, None);
    // A different root for epoch 6 is a different checkpoint.
    let mut before = state(0b0001, 5, 6, 2);
    before.current_justified.root = [0xee; 32];
    let (_, outcome) = weigh(&before, 7, TOTAL, PASS, 0).unwrap();
    assert_eq!(outcome.previous_epoch_justified, Some(cp(6)));
}

// ---------------------------------------------------------------------------------------
// Finalization: each case alone, its epoch condition off by one, a bit missing
// ---------------------------------------------------------------------------------------

/// At epoch 10. Case 1: bits 1, 2, 3 and old previous justified epoch + 3 == 10.
#[test]
fn case_1_second_to_fourth() {
    // Bits 0b0110 shift to 0b1100; the previous epoch (9) passes: 0b1110.
    let before = state(0b0110, 7, 8, 5);
    let (after, outcome) = weigh(&before, 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after, state(0b1110, 8, 9, 7));
    assert_eq!(outcome.finalized, Some(cp(7)));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::SecondToFourth));

    // Off by one below: 6 + 3 = 9 and 6 + 2 = 8, neither is 10.
    let (after, outcome) = weigh(&state(0b0110, 6, 8, 5), 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(5));
    assert_eq!((outcome.finalized, outcome.finalized_by), (None, None));
    // Off by one above: 8 + 3 = 11, but then 8 + 2 = 10 is case 2.
    let (after, outcome) = weigh(&state(0b0110, 8, 8, 5), 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(8));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::SecondAndThird));
    // Bit 3 missing (0b0010 shifts to 0b0100, plus bit 1: 0b0110).
    let (after, outcome) = weigh(&state(0b0010, 7, 8, 5), 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(5));
    assert_eq!(outcome.finalized_by, None);
    // Bit 1 missing: the previous epoch fails.
    let (after, _) = weigh(&before, 10, TOTAL, FAIL, FAIL).unwrap();
    assert_eq!(after.justification_bits, bits(0b1100));
    assert_eq!(after.finalized, cp(5));
}

/// Case 2: bits 1, 2 and old previous justified epoch + 2 == 10.
#[test]
fn case_2_second_and_third() {
    // 0b0010 shifts to 0b0100; the previous epoch passes: 0b0110.
    let before = state(0b0010, 8, 8, 5);
    let (after, outcome) = weigh(&before, 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after, state(0b0110, 8, 9, 8));
    assert_eq!(outcome.finalized, Some(cp(8)));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::SecondAndThird));

    // Off by one: 7 + 2 = 9 (and case 1 lacks bit 3); 9 + 2 = 11.
    for previous in [7, 9] {
        let (after, outcome) =
            weigh(&state(0b0010, previous, 9, 5), 10, TOTAL, PASS, FAIL).unwrap();
        assert_eq!(after.finalized, cp(5), "previous justified {previous}");
        assert_eq!(outcome.finalized_by, None);
    }
    // Bit 2 missing.
    let (after, _) = weigh(&state(0, 8, 8, 5), 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(5));
    // Bit 1 missing.
    let (after, _) = weigh(&before, 10, TOTAL, FAIL, FAIL).unwrap();
    assert_eq!(after.finalized, cp(5));
}

/// Case 3: bits 0, 1, 2 and old current justified epoch + 2 == 10.
#[test]
fn case_3_first_to_third() {
    // 0b0010 shifts to 0b0100; both epochs pass: 0b0111. Previous justified 6: cases 1 and 2
    // need 9 or 8 (and case 1 bit 3).
    let before = state(0b0010, 6, 8, 5);
    let (after, outcome) = weigh(&before, 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after, state(0b0111, 8, 10, 8));
    assert_eq!(outcome.finalized, Some(cp(8)));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::FirstToThird));

    // Off by one below: 7 + 2 = 9, 7 + 1 = 8.
    let (after, outcome) = weigh(&state(0b0010, 6, 7, 5), 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after.finalized, cp(5));
    assert_eq!(outcome.finalized_by, None);
    // Off by one above: 9 + 2 = 11, but 9 + 1 = 10 is case 4.
    let (after, outcome) = weigh(&state(0b0010, 6, 9, 5), 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after.finalized, cp(9));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::FirstAndSecond));
    // Bit 0 missing (the current epoch fails): case 2 would need 6 + 2 == 10.
    let (after, _) = weigh(&before, 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(5));
    // Bit 2 missing: case 4 needs 8 + 1 == 10.
    let (after, _) = weigh(&state(0, 6, 8, 5), 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after.justification_bits, bits(0b0011));
    assert_eq!(after.finalized, cp(5));
}

/// Case 4: bits 0, 1 and old current justified epoch + 1 == 10.
#[test]
fn case_4_first_and_second() {
    let before = state(0, 8, 9, 5);
    let (after, outcome) = weigh(&before, 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after, state(0b0011, 9, 10, 9));
    assert_eq!(outcome.finalized, Some(cp(9)));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::FirstAndSecond));

    // Off by one: 8 + 1 = 9 (and case 3 lacks bit 2); 10 + 1 = 11.
    for current in [8, 10] {
        let (after, outcome) = weigh(&state(0, 8, current, 5), 10, TOTAL, PASS, PASS).unwrap();
        assert_eq!(after.finalized, cp(5), "current justified {current}");
        assert_eq!(outcome.finalized_by, None);
    }
    // Bit 0 missing, bit 1 missing.
    assert_eq!(
        weigh(&before, 10, TOTAL, PASS, FAIL).unwrap().0.finalized,
        cp(5)
    );
    assert_eq!(
        weigh(&before, 10, TOTAL, FAIL, PASS).unwrap().0.finalized,
        cp(5)
    );
}

#[test]
fn when_several_cases_hold_the_last_one_wins() {
    // All four bits; previous justified 8 (case 2: 8 + 2 = 10), current 9 (case 4: 9 + 1).
    let (after, outcome) = weigh(&state(0b0111, 8, 9, 5), 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after.justification_bits, bits(0b1111));
    assert_eq!(after.finalized, cp(9));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::FirstAndSecond));
    // Previous 7 (case 1: 7 + 3), current 8 (case 3: 8 + 2).
    let (after, outcome) = weigh(&state(0b0111, 7, 8, 5), 10, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after.finalized, cp(8));
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::FirstToThird));
}

#[test]
fn a_case_that_reassigns_the_same_checkpoint_reports_no_change() {
    // Case 2 holds and assigns checkpoint 8, already finalized.
    let (after, outcome) = weigh(&state(0b0010, 8, 8, 8), 10, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.finalized, cp(8));
    assert_eq!(outcome.finalized, None);
    assert_eq!(outcome.finalized_by, Some(FinalizationRule::SecondAndThird));
}

// ---------------------------------------------------------------------------------------
// Genesis
// ---------------------------------------------------------------------------------------

#[test]
fn the_genesis_guard_skips_epochs_0_and_1() {
    let before = state(0b0101, 0, 0, 0);
    for epoch in [0, 1] {
        let (after, outcome) = process(&before, epoch, TOTAL, TOTAL, TOTAL).unwrap();
        assert_eq!(after, before, "epoch {epoch}");
        assert_eq!(outcome, FinalityOutcome::NONE);
        // Even inputs that would overflow are not looked at.
        assert!(process(&before, epoch, u64::MAX, u64::MAX, u64::MAX).is_ok());
    }
    // Epoch 2 is processed.
    let (after, outcome) = process(&FinalityState::GENESIS, 2, TOTAL, PASS, PASS).unwrap();
    assert_eq!(after, state(0b0011, 0, 2, 0));
    assert_eq!(outcome.previous_epoch_justified, Some(cp(1)));
    assert_eq!(outcome.current_epoch_justified, Some(cp(2)));
    // Case 4 needs 0 + 1 == 2: nothing is finalized.
    assert_eq!(outcome.finalized_by, None);
    assert!(matches!(
        process(&FinalityState::GENESIS, 2, u64::MAX, 0, 0),
        Err(FinalityError::TotalActiveOverflow { .. })
    ));
}

#[test]
fn weighing_at_genesis_uses_epoch_0_for_both() {
    // Without the guard, epoch 0's previous epoch is 0: both tests justify epoch 0, and the
    // zero stub root is replaced by the host's root. This is what the guard avoids.
    let mut s = FinalityState::GENESIS;
    let outcome =
        weigh_justification_and_finalization(&mut s, Epoch(0), TOTAL, PASS, PASS, [7; 32], [7; 32])
            .unwrap();
    let c = Checkpoint {
        epoch: Epoch(0),
        root: [7; 32],
    };
    assert_eq!(s.justification_bits, bits(0b0011));
    assert_eq!(s.current_justified, c);
    assert_eq!(outcome.previous_epoch_justified, Some(c));
    assert_eq!(outcome.current_epoch_justified, None, "reported once");
    // Case 4: 0 + 1 != 0.
    assert_eq!(s.finalized, Checkpoint::GENESIS);

    // At epoch 1 the previous epoch is 0.
    let (after, _) = weigh(&FinalityState::GENESIS, 1, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.current_justified, cp(0));
    assert_eq!(after.justification_bits, bits(0b0010));
}

// ---------------------------------------------------------------------------------------
// Overflow
// ---------------------------------------------------------------------------------------

#[test]
fn balance_overflow_is_a_typed_error_and_changes_nothing() {
    let before = state(0b0011, 8, 9, 8);
    let max = u64::MAX;
    // The previous epoch's product is computed first.
    assert_eq!(
        weigh(&before, 10, max, max, max),
        Err(FinalityError::PreviousTargetOverflow { balance: max })
    );
    // Then the total's.
    assert_eq!(
        weigh(&before, 10, max, 0, 0),
        Err(FinalityError::TotalActiveOverflow { balance: max })
    );
    // The previous epoch passes (and would be justified), then the current product overflows:
    // nothing is written.
    assert_eq!(
        weigh(&before, 10, TOTAL, PASS, max),
        Err(FinalityError::CurrentTargetOverflow { balance: max })
    );
    // The largest values that fit: u64::MAX = 3 * 6148914691236517205, and
    // 2 * 9223372036854775807 = u64::MAX - 1.
    let third = max / 3;
    let half = max / 2;
    let (after, _) = weigh(&before, 10, half, third, third).unwrap();
    // third * 3 = u64::MAX >= half * 2 = u64::MAX - 1: both justified.
    assert_eq!(after.justification_bits, bits(0b0111));
    assert_eq!(
        weigh(&before, 10, half, third + 1, 0),
        Err(FinalityError::PreviousTargetOverflow { balance: third + 1 })
    );
    assert_eq!(
        weigh(&before, 10, half + 1, 0, 0),
        Err(FinalityError::TotalActiveOverflow { balance: half + 1 })
    );
    assert_eq!(
        Error::from(FinalityError::TotalActiveOverflow { balance: 1 }).code(),
        801
    );
}

#[test]
fn epoch_overflow_is_an_error_only_when_the_bits_are_set() {
    let near = u64::MAX - 1;
    // Case 1's bits are set (0b0111 shifts to 0b1110): (u64::MAX - 1) + 3 overflows.
    let mut before = state(0b0111, 0, 9, 0);
    before.previous_justified.epoch = Epoch(near);
    assert_eq!(
        weigh(&before, 10, TOTAL, PASS, FAIL),
        Err(FinalityError::PreviousJustifiedEpochOverflow)
    );
    // No bits: the `and` short-circuits and nothing is added.
    before.justification_bits = JustificationBits::EMPTY;
    assert!(weigh(&before, 10, TOTAL, FAIL, FAIL).is_ok());

    // Case 3's bits are set: u64::MAX + 2 overflows (cases 1 and 2 test 0 + 3, 0 + 2).
    let mut before = state(0b0010, 0, 0, 0);
    before.current_justified.epoch = Epoch(u64::MAX);
    assert_eq!(
        weigh(&before, 10, TOTAL, PASS, PASS),
        Err(FinalityError::CurrentJustifiedEpochOverflow)
    );
    // Only case 4's bits: u64::MAX + 1 overflows.
    before.justification_bits = JustificationBits::EMPTY;
    assert_eq!(
        weigh(&before, 10, TOTAL, PASS, PASS),
        Err(FinalityError::CurrentJustifiedEpochOverflow)
    );
    // u64::MAX - 1 + 1 fits (and is not 10).
    before.current_justified.epoch = Epoch(near);
    assert!(weigh(&before, 10, TOTAL, PASS, PASS).is_ok());
}

// ---------------------------------------------------------------------------------------
// A table worked out by hand
// ---------------------------------------------------------------------------------------

/// One epoch of the table: the inputs, then the state and outcome expected after it.
struct Row {
    epoch: u64,
    previous_target: u64,
    current_target: u64,
    bits: u8,
    previous_justified: u64,
    current_justified: u64,
    finalized: u64,
    finalized_by: Option<FinalizationRule>,
}

#[test]
fn a_sequence_worked_out_by_hand() {
    use FinalizationRule::*;
    // Three validators of 32 ETH: total 96 ETH. Justified when target * 3 >= 96 * 2 = 192
    // ETH, i.e. target >= 64 ETH. All amounts in Gwei.
    let total = 96 * GWEI;
    let two_thirds = 64 * GWEI; // 64 * 3 = 192 >= 192: passes
    let short = 64 * GWEI - 1; // 3 * (64e9 - 1) = 191_999_999_997 < 192e9: fails
    let all = 96 * GWEI; // passes
    let none = GWEI; // get_total_balance's floor, 3 < 192: fails
    let r = |epoch, previous_target, current_target, bits, pj, cj, f, by| Row {
        epoch,
        previous_target,
        current_target,
        bits,
        previous_justified: pj,
        current_justified: cj,
        finalized: f,
        finalized_by: by,
    };
    let table = [
        // 1: the genesis guard (1 <= 0 + 1): nothing changes.
        r(1, all, all, 0b0000, 0, 0, 0, None),
        // 2: shift 0 -> 0; previous (1) passes: bit 1, justified 1; current (2) passes: bit 0,
        // justified 2. previous justified = old current = 0. Case 4: bits 0,1 but 0+1 != 2.
        r(2, all, two_thirds, 0b0011, 0, 2, 0, None),
        // 3: shift 0b0011 -> 0b0110; both pass: 0b0111, justified 3; previous justified 2.
        // Case 2: 0+2 != 3. Case 3: 2+2 != 3. Case 4: bits 0,1 and 2+1 == 3: finalize 2.
        r(3, all, two_thirds, 0b0111, 2, 3, 2, Some(FirstAndSecond)),
        // 4: shift 0b0111 -> 0b1110; previous (3) passes, current fails: 0b1110, justified 3.
        // Old previous 2, old current 3. Case 1: 2+3 != 4. Case 2: bits 1,2 and 2+2 == 4:
        // finalize 2 again (no change). Cases 3, 4: no bit 0.
        r(4, two_thirds, short, 0b1110, 3, 3, 2, Some(SecondAndThird)),
        // 5: shift 0b1110 -> 0b1100 (bit 3 drops); previous fails, current (5) passes: 0b1101,
        // justified 5; previous justified 3. Every case needs bit 1: none.
        r(5, none, all, 0b1101, 3, 5, 2, None),
        // 6: shift 0b1101 -> 0b1010; both pass: 0b1011, justified 6; previous justified 5.
        // Cases 1-3 need bit 2. Case 4: 5+1 == 6: finalize 5.
        r(6, all, all, 0b1011, 5, 6, 5, Some(FirstAndSecond)),
        // 7: shift 0b1011 -> 0b0110; previous (6) passes (already justified), current fails:
        // 0b0110, justified 6; previous justified 6. Case 2: old previous 5, 5+2 == 7:
        // finalize 5 again.
        r(7, two_thirds, none, 0b0110, 6, 6, 5, Some(SecondAndThird)),
        // 8: shift 0b0110 -> 0b1100; nothing passes. Every case needs bit 0 or 1: none.
        r(8, short, short, 0b1100, 6, 6, 5, None),
        // 9: shift 0b1100 -> 0b1000; current (9) passes: 0b1001, justified 9. No bit 1: none.
        r(9, none, all, 0b1001, 6, 9, 5, None),
        // 10: shift 0b1001 -> 0b0010; previous (9) passes: 0b0010, justified 9; previous
        // justified 9. Case 2 needs bit 2: none.
        r(10, all, short, 0b0010, 9, 9, 5, None),
        // 11: shift 0b0010 -> 0b0100; previous (10) and current (11) pass: 0b0111, justified
        // 11; previous justified 9.
        // Old previous 9, old current 9. Case 2: 9+2 == 11: finalize 9. Case 3: 9+2 == 11:
        // finalize 9 (the last to hold). Case 4: 9+1 != 11.
        r(11, all, all, 0b0111, 9, 11, 9, Some(FirstToThird)),
        // 12: shift 0b0111 -> 0b1110; both pass: 0b1111, justified 12; previous justified 11.
        // Old previous 9, old current 11. Case 1: 9+3 == 12: finalize 9. Case 2: 9+2 != 12.
        // Case 3: 11+2 != 12. Case 4: 11+1 == 12: finalize 11.
        r(12, all, all, 0b1111, 11, 12, 11, Some(FirstAndSecond)),
    ];
    let mut s = FinalityState::GENESIS;
    for row in &table {
        let (after, outcome) = process(
            &s,
            row.epoch,
            total,
            row.previous_target,
            row.current_target,
        )
        .unwrap();
        let expected = state(
            row.bits,
            row.previous_justified,
            row.current_justified,
            row.finalized,
        );
        assert_eq!(after, expected, "epoch {}", row.epoch);
        assert_eq!(
            outcome.finalized_by, row.finalized_by,
            "epoch {}",
            row.epoch
        );
        let changed = (after.finalized != s.finalized).then_some(after.finalized);
        assert_eq!(outcome.finalized, changed, "epoch {}", row.epoch);
        s = after;
    }
}

// ---------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------

#[test]
fn an_epoch_before_the_justified_one_can_break_the_ordering() {
    // The documented precondition: previous_epoch(current_epoch) >= current_justified.epoch.
    // Called at epoch 5 on a state justified at 10 and finalized at 9 (a replay), the spec's
    // rule justifies epoch 4: behind the finalized checkpoint.
    let before = state(0b0011, 9, 10, 9);
    assert!(before.is_ordered());
    let (after, _) = weigh(&before, 5, TOTAL, PASS, FAIL).unwrap();
    assert_eq!(after.current_justified, cp(4));
    assert!(!after.is_ordered());
}

/// A target balance near a share of `total`: `total * n / 3` for `n` in 0..=3, then -1, +0
/// or +1 (so the exact two-thirds boundary and both sides of it come up often).
fn near_share(total: u64, n: u64, d: u64) -> u64 {
    (total * n / 3 + d).saturating_sub(1)
}

proptest! {
    /// From genesis, over random epochs (increasing with gaps, repeated, or going back) and
    /// random balances, every call that meets the documented precondition keeps the state
    /// ordered: the finalized and current justified epochs never decrease, and the justified
    /// checkpoint is never behind the finalized one.
    #[test]
    fn finality_never_goes_back(
        steps in proptest::collection::vec(
            (
                0u64..4,
                proptest::bool::weighted(0.2),
                1u64..1_000_000,
                (0u64..4, 0u64..3),
                (0u64..4, 0u64..3),
            ),
            1..80,
        )
    ) {
        let mut s = FinalityState::GENESIS;
        let mut epoch = 0u64;
        for (step, jump_back, total, (pn, pd), (cn, cd)) in steps {
            epoch = if jump_back { epoch.saturating_sub(step) } else { epoch + step };
            let previous_target = near_share(total, pn, pd);
            let current_target = near_share(total, cn, cd);
            if previous_epoch(Epoch(epoch)) < s.current_justified.epoch {
                // A host that checks the precondition skips this call.
                continue;
            }
            let before = s;
            let result = process_justification_and_finalization(
                &mut s,
                Epoch(epoch),
                total,
                previous_target,
                current_target,
                root(previous_epoch(Epoch(epoch)).0),
                root(epoch),
            );
            prop_assert!(result.is_ok());
            prop_assert!(s.is_ordered(), "{s:?} after {before:?} at {epoch}");
            prop_assert!(s.finalized.epoch >= before.finalized.epoch);
            prop_assert!(s.current_justified.epoch >= before.current_justified.epoch);
            prop_assert!(s.current_justified.epoch >= s.finalized.epoch);
            prop_assert!(s.current_justified.epoch <= Epoch(epoch));
        }
    }

    /// With epochs strictly increasing by one (the spec's epoch processing), every call meets
    /// the precondition: no call is skipped.
    #[test]
    fn finality_never_goes_back_epoch_by_epoch(
        balances in proptest::collection::vec(
            (1u64..1_000_000, (0u64..4, 0u64..3), (0u64..4, 0u64..3)),
            1..80,
        )
    ) {
        let mut s = FinalityState::GENESIS;
        for (epoch, (total, (pn, pd), (cn, cd))) in (0u64..).zip(balances) {
            let previous_target = near_share(total, pn, pd);
            let current_target = near_share(total, cn, cd);
            prop_assert!(previous_epoch(Epoch(epoch)) >= s.current_justified.epoch);
            let before = s;
            let run = process(&s, epoch, total, previous_target, current_target);
            let (after, outcome) = run.unwrap();
            s = after;
            prop_assert!(s.is_ordered());
            prop_assert!(s.finalized.epoch >= before.finalized.epoch);
            prop_assert!(s.current_justified.epoch >= s.finalized.epoch);
            prop_assert_eq!(outcome.finalized.is_some(), s.finalized != before.finalized);
        }
    }
}
