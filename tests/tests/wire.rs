//! Decoding errors: every malformed input to `Msg::decode_bytes`, the record decoders and
//! `Ledger::restore` is a typed error, never a panic and never a wrong value.

use parity_scale_codec::{Compact, Encode, MaxEncodedLen};
use stakehold::error::StateError;
use stakehold::governance::{Council, CouncilMember};
use stakehold::stake::{
    SlashReason, StakeAccount, StakeError, StakeParams, StakeTotals, UnlockChunk, UnlockPolicy,
};
use stakehold::wire::{MSG_VERSION, SNAPSHOT_VERSION, WireError, decode_exact};
use stakehold::{AccountId, Context, Error, Event, Ledger, Msg, Timestamp, U256};
use stakehold_tests::{
    Clock, SnapshotBody, acct, approvals, btt, decode_snapshot, encode_snapshot, from_hex, genesis,
    load_json,
};

/// `(name, type, bytes)` of every golden vector.
fn golden() -> Vec<(String, String, Vec<u8>)> {
    let vectors: serde_json::Value = load_json("encoding.json")
        .expect("tests/vectors/encoding.json (run the golden test with STAKEHOLD_BLESS=1)");
    vectors
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["type"].as_str().unwrap().to_owned(),
                from_hex(v["hex"].as_str().unwrap()),
            )
        })
        .collect()
}

/// Decodes `bytes` as the golden type `ty`, keeping only the error.
fn decode_error(ty: &str, bytes: &[u8]) -> Option<Error> {
    fn e<T>(r: Result<T, WireError>) -> Option<Error> {
        r.err().map(Error::Wire)
    }
    match ty {
        "Msg" => e(Msg::decode_bytes(bytes)),
        "LedgerSnapshot" => Ledger::restore(bytes).err(),
        "Event" => e(decode_exact::<Event>(bytes)),
        "Error" => e(decode_exact::<Error>(bytes)),
        "StakeParams" => e(decode_exact::<StakeParams>(bytes)),
        "StakeAccount" => e(decode_exact::<StakeAccount>(bytes)),
        "StakeView" => e(decode_exact::<stakehold::stake::StakeView>(bytes)),
        "StakeTotals" => e(decode_exact::<StakeTotals>(bytes)),
        "Council" => e(decode_exact::<Council>(bytes)),
        "Context" => e(decode_exact::<Context>(bytes)),
        "Globals" => e(decode_exact::<stakehold::Globals>(bytes)),
        "Block" => e(stakehold::msg::decode_block(bytes)),
        "Validator" => e(decode_exact::<stakehold::validator::Validator>(bytes)),
        "EpochState" => e(decode_exact::<stakehold::validator::EpochState>(bytes)),
        "FinalityState" => e(decode_exact::<stakehold::finality::FinalityState>(bytes)),
        "Preset" => e(decode_exact::<stakehold::validator::Preset>(bytes)),
        "ChainGenesis" => e(decode_exact::<stakehold::ledger::ChainGenesis>(bytes)),
        other => panic!("unknown type {other}"),
    }
}

fn wire(e: WireError) -> Option<Error> {
    Some(Error::Wire(e))
}

fn versioned(body: &[u8]) -> Vec<u8> {
    let mut out = vec![MSG_VERSION];
    out.extend_from_slice(body);
    out
}

// ---------------------------------------------------------------------------------------------
// Length errors.

#[test]
fn every_strict_prefix_of_every_vector_is_truncated() {
    let mut checked = 0;
    for (name, ty, bytes) in golden() {
        assert_eq!(decode_error(&ty, &bytes), None, "{name} decodes");
        for len in 0..bytes.len() {
            assert_eq!(
                decode_error(&ty, &bytes[..len]),
                wire(WireError::Truncated),
                "{name}: first {len} of {} bytes",
                bytes.len()
            );
            checked += 1;
        }
    }
    assert!(checked > 4_000, "{checked} prefixes");
}

#[test]
fn trailing_bytes_are_counted() {
    for (name, ty, bytes) in golden() {
        for extra in [1u32, 2, 33] {
            let mut longer = bytes.clone();
            longer.extend(std::iter::repeat_n(0u8, extra as usize));
            assert_eq!(
                decode_error(&ty, &longer),
                wire(WireError::TrailingBytes { extra }),
                "{name} + {extra}"
            );
        }
    }
}

#[test]
fn wrong_version_bytes_are_unsupported() {
    for (name, ty, bytes) in golden() {
        let supported = match ty.as_str() {
            "Msg" => MSG_VERSION,
            "LedgerSnapshot" => SNAPSHOT_VERSION,
            _ => continue,
        };
        assert_eq!(bytes[0], supported, "{name}: version {supported}");
        for found in [0u8, 4, 0x10, 0xff] {
            let mut other = bytes.clone();
            other[0] = found;
            assert_eq!(
                decode_error(&ty, &other),
                wire(WireError::UnsupportedVersion { found, supported }),
                "{name} with version {found}"
            );
        }
        if ty == "LedgerSnapshot" {
            // Version 1 (staking only) is still read: a version-3 body labelled 1 has the
            // chain's bytes left over.
            let mut v1 = bytes.clone();
            v1[0] = 1;
            assert!(
                matches!(
                    decode_error(&ty, &v1),
                    Some(Error::Wire(WireError::TrailingBytes { .. }))
                ),
                "{name} as version 1"
            );
            // Version 2 is read too, with its own chain layout: a version-3 body labelled 2
            // does not pass for one.
            let mut v2 = bytes.clone();
            v2[0] = 2;
            assert!(decode_error(&ty, &v2).is_some(), "{name} as version 2");
        }
    }
    assert_eq!(MSG_VERSION, 1);
    assert_eq!(SNAPSHOT_VERSION, 3);
}

// ---------------------------------------------------------------------------------------------
// Invalid values.

#[test]
fn unknown_msg_tags_are_malformed() {
    let known = [
        0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x40, 0x41, 0x42, 0x43, 0x50, 0x51,
    ];
    for tag in 0..=u8::MAX {
        let mut bytes = versioned(&[tag]);
        bytes.extend([0u8; 800]);
        let result = Msg::decode_bytes(&bytes);
        if known.contains(&tag) {
            // A known tag reads a body (800 zero bytes are enough for any).
            assert_ne!(result, Err(WireError::Truncated), "tag {tag:#04x}");
        } else {
            assert_eq!(result, Err(WireError::Malformed), "tag {tag:#04x}");
        }
    }
    assert_eq!(Msg::decode_bytes(&[1, 0x12]), Ok(Msg::Withdraw));
}

#[test]
fn unknown_tags_inside_records_are_malformed() {
    for tag in [0x01u8, 0x09, 0x16, 0xff] {
        assert_eq!(
            decode_exact::<Event>(&[tag]),
            Err(WireError::Malformed),
            "{tag}"
        );
    }
    for bytes in [
        [0u8, 0],
        [9, 0],
        [1, 5],
        [2, 9],
        [3, 9],
        [4, 11],
        [5, 5],
        [6, 9],
        [7, 28],
        // 807, the vote tally's UnsortedVotes, is retired.
        [8, 7],
        [8, 16],
    ] {
        assert_eq!(
            decode_exact::<Error>(&bytes),
            Err(WireError::Malformed),
            "{bytes:?}"
        );
    }
    // A validator error naming a preset parameter with tag 31, and one naming fork 5.
    for bytes in [[7u8, 0, 31], [7, 16, 5]] {
        assert_eq!(
            decode_exact::<Error>(&bytes),
            Err(WireError::Malformed),
            "{bytes:?}"
        );
    }
    // A slash reason with tag 2.
    let mut slash = Msg::Slash {
        account: acct(1),
        amount: 1.into(),
        reason: SlashReason::LostData,
        approvals: approvals(&[]),
    }
    .to_bytes();
    let reason_at = 1 + 1 + 20 + 32;
    assert_eq!(slash[reason_at], 0);
    slash[reason_at] = 2;
    assert_eq!(Msg::decode_bytes(&slash), Err(WireError::Malformed));
    // An unlock policy with tag 2.
    let mut params = StakeParams::btfs().encode();
    *params.last_mut().unwrap() = 2;
    assert_eq!(
        decode_exact::<StakeParams>(&params),
        Err(WireError::Malformed)
    );
    // A council member whose `required` flag is neither 0 nor 1.
    let mut council = Council::single(acct(1)).encode();
    assert_eq!(council[1 + 20], 1);
    council[1 + 20] = 2;
    assert_eq!(decode_exact::<Council>(&council), Err(WireError::Malformed));
}

/// A SCALE list of `n` copies of `item`.
fn list(n: u32, item: &[u8]) -> Vec<u8> {
    let mut out = Compact(n).encode();
    for _ in 0..n {
        out.extend_from_slice(item);
    }
    out
}

#[test]
fn bounded_lists_over_capacity_are_malformed() {
    // 16 distinct approvals decode; 17 do not (checked before any item is read).
    let sixteen: Vec<u8> = (0..16u8).collect();
    let ok = Msg::Slash {
        account: acct(1),
        amount: 1.into(),
        reason: SlashReason::LostData,
        approvals: approvals(&sixteen),
    }
    .to_bytes();
    assert!(Msg::decode_bytes(&ok).is_ok());
    let head = &ok[..1 + 1 + 20 + 32 + 1];
    for (n, items) in [(17, 17), (17, 0), (u32::MAX, 0), (1 << 30, 1)] {
        let mut bytes = head.to_vec();
        bytes.extend(Compact(n).encode());
        for _ in 0..items {
            bytes.extend(acct(7).0);
        }
        assert_eq!(
            Msg::decode_bytes(&bytes),
            Err(WireError::Malformed),
            "{n} approvals"
        );
    }

    // A council of 17 members.
    let member = CouncilMember::member(acct(1)).encode();
    let mut council = list(17, &member);
    council.push(1);
    assert_eq!(decode_exact::<Council>(&council), Err(WireError::Malformed));

    // An account of 9 chunks (each valid, ordered).
    let mut account = (U256::zero(), U256::from(9u8)).encode();
    account.extend(Compact(9u32).encode());
    for i in 0..9u64 {
        account.extend(
            UnlockChunk {
                amount: 1.into(),
                release: Timestamp(i),
            }
            .encode(),
        );
    }
    assert_eq!(
        decode_exact::<StakeAccount>(&account),
        Err(WireError::Malformed)
    );
}

#[test]
fn invalid_councils_are_malformed() {
    let m = |n| CouncilMember::member(acct(n));
    let cases: [(Vec<CouncilMember>, u8); 5] = [
        (vec![], 0),
        (vec![], 1),
        (vec![m(1), m(1)], 1),
        (vec![m(1), m(2)], 0),
        (vec![m(1), m(2)], 3),
    ];
    for (members, threshold) in cases {
        let bytes = (members.clone(), threshold).encode();
        assert_eq!(
            decode_exact::<Council>(&bytes),
            Err(WireError::Malformed),
            "{members:?} / {threshold}"
        );
    }
    // …also inside a message.
    let ok = Msg::UpdateCouncil {
        council: Council::single(acct(5)),
        approvals: approvals(&[0xc1, 0xc2]),
    }
    .to_bytes();
    let threshold_at = 1 + 1 + 1 + 21;
    assert_eq!(ok[threshold_at], 1);
    let mut bad = ok.clone();
    bad[threshold_at] = 0;
    assert_eq!(Msg::decode_bytes(&bad), Err(WireError::Malformed));
    bad[threshold_at] = 2;
    assert_eq!(Msg::decode_bytes(&bad), Err(WireError::Malformed));
}

/// SCALE bytes of a stake account from raw parts, consistent or not.
fn raw_account(staked: u64, unlocked: U256, chunks: &[(u64, u64)]) -> Vec<u8> {
    let chunks: Vec<UnlockChunk> = chunks
        .iter()
        .map(|&(amount, release)| UnlockChunk {
            amount: amount.into(),
            release: Timestamp(release),
        })
        .collect();
    (U256::from(staked), unlocked, chunks).encode()
}

#[test]
fn inconsistent_stake_accounts_are_malformed() {
    let good = raw_account(5, 3.into(), &[(1, 10), (2, 20)]);
    let account = decode_exact::<StakeAccount>(&good).unwrap();
    assert_eq!(account.unlocked(), U256::from(3u8));
    assert_eq!(
        decode_exact::<StakeAccount>(&raw_account(0, 0.into(), &[])),
        Ok(StakeAccount::EMPTY)
    );

    let max_chunk = {
        let mut bytes = (U256::zero(), U256::MAX).encode();
        bytes.extend(Compact(2u32).encode());
        for release in [1u64, 2] {
            bytes.extend(
                UnlockChunk {
                    amount: U256::MAX,
                    release: Timestamp(release),
                }
                .encode(),
            );
        }
        bytes
    };
    let cases = [
        (
            "unlocked above the sum",
            raw_account(5, 4.into(), &[(1, 10), (2, 20)]),
        ),
        (
            "unlocked below the sum",
            raw_account(5, 2.into(), &[(1, 10), (2, 20)]),
        ),
        ("unlocked without chunks", raw_account(5, 1.into(), &[])),
        (
            "unordered chunks",
            raw_account(5, 3.into(), &[(2, 20), (1, 10)]),
        ),
        (
            "two chunks at one time",
            raw_account(5, 3.into(), &[(1, 10), (2, 10)]),
        ),
        (
            "a zero chunk",
            raw_account(5, 3.into(), &[(3, 10), (0, 20)]),
        ),
        ("only a zero chunk", raw_account(5, 0.into(), &[(0, 10)])),
        ("chunks summing past U256::MAX", max_chunk),
    ];
    for (what, bytes) in cases {
        assert_eq!(
            decode_exact::<StakeAccount>(&bytes),
            Err(WireError::Malformed),
            "{what}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots.

/// A ledger with three accounts, as `(snapshot body, ledger)`.
fn three_accounts() -> (SnapshotBody, Ledger) {
    let mut ledger = genesis(StakeParams {
        unlock_policy: UnlockPolicy::Chunked { max: 8 },
        ..StakeParams::btfs()
    });
    let mut clock = Clock::default();
    for n in [3u8, 1, 2] {
        let ctx = clock.ctx(acct(n));
        ledger
            .apply(
                &ctx,
                &Msg::Stake {
                    amount: btt(n.into()),
                },
            )
            .unwrap();
        clock.advance(10);
    }
    ledger
        .apply(&clock.ctx(acct(2)), &Msg::Unstake { amount: btt(1) })
        .unwrap();
    let body = decode_snapshot(&ledger.snapshot()).unwrap();
    (body, ledger)
}

#[test]
fn snapshots_round_trip_byte_for_byte() {
    let (body, ledger) = three_accounts();
    let bytes = ledger.snapshot();
    assert_eq!(
        encode_snapshot(&body),
        bytes,
        "the test's body type is exact"
    );
    let restored = Ledger::restore(&bytes).unwrap();
    assert_eq!(restored, ledger);
    assert_eq!(restored.snapshot(), bytes);
    for (name, ty, bytes) in golden() {
        if ty == "LedgerSnapshot" {
            assert_eq!(Ledger::restore(&bytes).unwrap().snapshot(), bytes, "{name}");
        }
    }
}

#[test]
fn snapshot_accounts_must_be_strictly_sorted() {
    let (body, _) = three_accounts();
    let ids: Vec<AccountId> = body.3.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [acct(1), acct(2), acct(3)]);

    let mut swapped = body.clone();
    swapped.3.swap(1, 2);
    assert_eq!(
        Ledger::restore(&encode_snapshot(&swapped)),
        Err(StateError::UnsortedAccounts { account: acct(2) }.into())
    );

    // The same account twice (totals adjusted so only the order is wrong).
    let mut twice = body.clone();
    let first = twice.3[0].clone();
    twice.3.insert(1, first.clone());
    twice.2.total_staked += first.1.staked();
    twice.2.balance += first.1.staked();
    assert_eq!(
        Ledger::restore(&encode_snapshot(&twice)),
        Err(StateError::UnsortedAccounts { account: acct(1) }.into())
    );
}

#[test]
fn snapshot_accounts_must_hold_something() {
    let (mut body, _) = three_accounts();
    body.3.insert(0, (acct(0), StakeAccount::EMPTY));
    assert_eq!(
        Ledger::restore(&encode_snapshot(&body)),
        Err(StateError::EmptyAccount { account: acct(0) }.into())
    );
}

#[test]
fn snapshot_totals_must_match_the_accounts() {
    let (body, _) = three_accounts();
    type Edit = fn(&mut StakeTotals);
    let edits: [(&str, Edit); 6] = [
        ("staked + 1", |t| t.total_staked += U256::one()),
        ("staked - 1", |t| t.total_staked -= U256::one()),
        ("unlocked + 1", |t| t.total_unlocked += U256::one()),
        ("unlocked - 1", |t| t.total_unlocked -= U256::one()),
        ("balance - 1", |t| t.balance -= U256::one()),
        ("balance 0", |t| t.balance = U256::zero()),
    ];
    for (what, edit) in edits {
        let mut bad = body.clone();
        edit(&mut bad.2);
        assert_eq!(
            Ledger::restore(&encode_snapshot(&bad)),
            Err(StateError::TotalsMismatch.into()),
            "{what}"
        );
    }

    // Accounts whose stakes sum past U256::MAX.
    let big = decode_exact::<StakeAccount>(
        &(U256::MAX, U256::zero(), Vec::<UnlockChunk>::new()).encode(),
    )
    .unwrap();
    let mut overflow = body.clone();
    overflow.3 = vec![(acct(1), big.clone()), (acct(2), big)];
    overflow.2 = StakeTotals {
        total_staked: U256::MAX,
        total_unlocked: U256::zero(),
        total_slashed: U256::zero(),
        balance: U256::MAX,
    };
    assert_eq!(
        Ledger::restore(&encode_snapshot(&overflow)),
        Err(StateError::TotalsMismatch.into())
    );

    // What restore accepts: a balance above what is owed, and any slashed total.
    let mut surplus = body.clone();
    surplus.2.balance += U256::one();
    surplus.2.total_slashed = U256::MAX;
    let restored = Ledger::restore(&encode_snapshot(&surplus)).unwrap();
    assert_eq!(restored.snapshot(), encode_snapshot(&surplus));
}

#[test]
fn snapshot_parameters_are_validated() {
    let (body, _) = three_accounts();
    let mut zero_min = body.clone();
    zero_min.0.min_stake = U256::zero();
    assert_eq!(
        Ledger::restore(&encode_snapshot(&zero_min)),
        Err(StakeError::ZeroMinStake.into())
    );
    for max in [0u8, 9, 255] {
        let mut bad = body.clone();
        bad.0.unlock_policy = UnlockPolicy::Chunked { max };
        assert_eq!(
            Ledger::restore(&encode_snapshot(&bad)),
            Err(StakeError::InvalidChunkLimit { max, limit: 8 }.into())
        );
    }
    // An invalid council or record inside a snapshot is malformed bytes.
    let mut bytes = encode_snapshot(&body);
    let council_at = 1 + body.0.encode().len();
    assert_eq!(&bytes[council_at..council_at + 1], &[3 << 2]);
    bytes[council_at] = 0;
    assert_eq!(
        Ledger::restore(&bytes),
        Err(Error::Wire(WireError::Malformed))
    );
}

#[test]
fn encoding_into_a_buffer() {
    let msg = Msg::Stake { amount: btt(1) };
    let bytes = msg.to_bytes();
    let mut buf = vec![0u8; bytes.len()];
    assert_eq!(msg.encode_into(&mut buf), Ok(bytes.len()));
    assert_eq!(buf, bytes);
    let mut short = vec![0xaau8; bytes.len() - 1];
    assert_eq!(
        msg.encode_into(&mut short),
        Err(WireError::BufferTooSmall {
            needed: bytes.len() as u32
        })
    );
    assert!(short.iter().all(|&b| b == 0xaa), "nothing written");
}

#[test]
fn non_canonical_lengths_are_malformed() {
    // SCALE has one encoding per value: a compact length in a wider mode than needed is
    // rejected, so two byte strings never decode to the same message.
    let empty = Msg::Slash {
        account: acct(1),
        amount: 1.into(),
        reason: SlashReason::LostData,
        approvals: approvals(&[]),
    }
    .to_bytes();
    assert_eq!(*empty.last().unwrap(), 0, "compact 0 in one byte");
    let head = &empty[..empty.len() - 1];
    for wide in [&[0x01u8, 0x00][..], &[0x02, 0, 0, 0], &[0x03, 0, 0, 0, 0]] {
        let bytes = [head, wide].concat();
        assert_eq!(
            Msg::decode_bytes(&bytes),
            Err(WireError::Malformed),
            "{wide:?}"
        );
    }
}

#[test]
fn a_huge_account_count_in_a_snapshot_is_truncated_not_allocated() {
    let (body, _) = three_accounts();
    // The snapshot up to its account list, then a count of 2^32 - 1 and no accounts.
    let chain = body.4.encode().len();
    let mut bytes = encode_snapshot(&(body.0, body.1, body.2, Vec::new(), body.4));
    bytes.truncate(bytes.len() - chain);
    assert_eq!(bytes.pop(), Some(0), "empty account list");
    bytes.extend(Compact(u32::MAX).encode());
    assert_eq!(
        Ledger::restore(&bytes),
        Err(Error::Wire(WireError::Truncated))
    );
}

#[test]
fn encodings_fit_their_max_encoded_len() {
    // `max_encoded_len` sizes the buffers of the no-alloc build.
    for (name, ty, bytes) in golden() {
        let max = match ty.as_str() {
            "Msg" => Msg::max_encoded_len() + 1,
            "Event" => Event::max_encoded_len(),
            "Error" => Error::max_encoded_len(),
            "StakeParams" => StakeParams::max_encoded_len(),
            "StakeAccount" => StakeAccount::max_encoded_len(),
            "StakeView" => stakehold::stake::StakeView::max_encoded_len(),
            "StakeTotals" => StakeTotals::max_encoded_len(),
            "Council" => Council::max_encoded_len(),
            "Context" => Context::max_encoded_len(),
            "Validator" => stakehold::validator::Validator::max_encoded_len(),
            "EpochState" => stakehold::validator::EpochState::max_encoded_len(),
            "FinalityState" => stakehold::finality::FinalityState::max_encoded_len(),
            "Preset" => stakehold::validator::Preset::max_encoded_len(),
            _ => continue,
        };
        assert!(bytes.len() <= max, "{name}: {} > {max}", bytes.len());
    }
}
