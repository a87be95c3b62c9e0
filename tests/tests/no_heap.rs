//! What firmware calls never touches the heap: decoding, applying every kind of message,
//! encoding records and events, error codes and screen summaries, counted by an allocator that
//! counts this thread's allocations.
//!
//! The C library's bare-metal build has an allocator that always fails, so an allocation there
//! is a crash; this test finds it on the host first. (It found one: `U256` encoding allocated a
//! `Vec` per value in impl-codec, patched in `vendor/impl-codec`.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use stakehold::governance::{Approvals, Council, CouncilMember};
use stakehold::screen::{Summary, page};
use stakehold::stake::{SlashReason, StakeAccount, StakeParams, UnlockPolicy};
use stakehold::wire::{decode_exact, encode_into};
use stakehold::{AccountId, Context, Event, Globals, Msg, Timestamp, U256};

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; counting touches only a const-initialised
// thread-local cell, which does not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `f` and returns how many allocations this thread made meanwhile.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (value, ALLOCATIONS.with(Cell::get) - before)
}

const ADMIN: AccountId = AccountId([0xad; 20]);
const ALICE: AccountId = AccountId([0xa1; 20]);

/// Each kind of message, as bytes (made before counting).
fn messages(min: U256) -> Vec<Vec<u8>> {
    let approvals = Approvals::from_slice(&[ADMIN]).unwrap();
    let council = Council::new(
        &[CouncilMember::required(ADMIN), CouncilMember::member(ALICE)],
        1,
    )
    .unwrap();
    [
        Msg::Stake { amount: min * 3 },
        Msg::Unstake { amount: min },
        Msg::Rebond { amount: min },
        Msg::Unstake { amount: min },
        Msg::Withdraw,
        Msg::Stake {
            amount: U256::zero(),
        },
        Msg::Slash {
            account: ALICE,
            amount: min,
            reason: SlashReason::Other { code: 3 },
            approvals: approvals.clone(),
        },
        Msg::UpdateStakeParams {
            params: StakeParams {
                unlock_policy: UnlockPolicy::Chunked { max: 4 },
                ..StakeParams::btfs()
            },
            approvals: approvals.clone(),
        },
        Msg::UpdateCouncil { council, approvals },
    ]
    .iter()
    .map(Msg::to_bytes)
    .collect()
}

#[test]
fn firmware_calls_do_not_allocate() {
    let mut globals = Globals::new(StakeParams::btfs(), Council::single(ADMIN)).unwrap();
    let min = globals.params.min_stake;
    let mut account = StakeAccount::EMPTY;
    let messages = messages(min);
    let mut buf = [0u8; 1024];
    let mut errors = 0;
    for (i, bytes) in messages.iter().enumerate() {
        // Withdraw runs after the unlock period.
        let now = Timestamp(1_800_000_000 + if i >= 4 { 7 * 86_400 } else { 0 });
        let ctx = Context::new(ALICE, now, 1);
        let ((), count) = allocations(|| {
            let msg = Msg::decode_bytes(bytes).unwrap();
            let summary = Summary::new(&msg, &ctx, &globals);
            for index in 0..summary.item_count() {
                let item = summary.item(index).unwrap();
                page(&item.value, 7, 0).unwrap();
            }
            match globals.apply(&mut account, &ctx, &msg) {
                Ok(event) => {
                    let n = encode_into(&event, &mut buf).unwrap();
                    assert_eq!(decode_exact::<Event>(&buf[..n]), Ok(event));
                }
                Err(e) => {
                    assert!(e.code() >= 100);
                    encode_into(&e, &mut buf).unwrap();
                    errors += 1;
                }
            }
            let n = encode_into(&globals, &mut buf).unwrap();
            assert_eq!(decode_exact::<Globals>(&buf[..n]).as_ref(), Ok(&globals));
            let n = encode_into(&account, &mut buf).unwrap();
            assert_eq!(
                decode_exact::<StakeAccount>(&buf[..n]).as_ref(),
                Ok(&account)
            );
        });
        assert_eq!(count, 0, "message {i} allocated");
    }
    assert_eq!(errors, 1, "only the zero stake fails");
}
