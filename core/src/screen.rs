//! What a hardware wallet shows before the user approves a message: a [`Summary`] of items,
//! each a title and a value ("Unstake" / "1.5 BTT", "Unlocks" / "2026-12-03 14:02 UTC"), and a
//! pager that splits a long value into pages that fit the display ([`page`]).
//!
//! Wallet apps render a transaction this way (one item per screen, long values over several
//! pages) because the device's display is small and its RAM tiny: nothing here allocates, items
//! are rendered on demand into fixed-capacity strings, and a page is a slice of the value that
//! never cuts a UTF-8 character.
//!
//! A summary shows what the message will do with the values the device knows: amounts in BTT
//! ([`BTT_DECIMALS`]), the unlock date of an unstake (the block time plus the unlock period in
//! force), the council's threshold for privileged messages.
//!
//! ```
//! use stakehold::governance::Council;
//! use stakehold::screen::Summary;
//! use stakehold::stake::StakeParams;
//! use stakehold::{AccountId, Context, Globals, Msg, Timestamp, U256};
//!
//! let globals = Globals::new(StakeParams::btfs(), Council::single(AccountId([0xad; 20]))).unwrap();
//! // 2026-11-26 14:02 UTC; the unlock period is 7 days.
//! let ctx = Context::new(AccountId([0xa1; 20]), Timestamp(1_795_701_720), 9);
//! let msg = Msg::Unstake { amount: U256::from(1_500_000_000_000_000_000u64) };
//! let summary = Summary::new(&msg, &ctx, &globals);
//! assert_eq!(summary.item_count(), 2);
//! let item = summary.item(1).unwrap();
//! assert_eq!((item.title.as_str(), item.value.as_str()), ("Unlocks", "2026-12-03 14:02 UTC"));
//! let page = stakehold::screen::page(&item.value, 8, 1).unwrap();
//! assert_eq!((page.text, page.count), ("03 14:02", 3));
//! ```

use core::fmt::{self, Write as _};

use primitive_types::U256;

use crate::calendar::UtcDateTime;
use crate::context::Context;
use crate::error::Error;
use crate::finality::Checkpoint;
use crate::governance::{Approvals, CouncilMember, MAX_COUNCIL};
use crate::ids::{AccountId, Timestamp};
use crate::msg::Msg;
use crate::num::{self, NumError};
use crate::stake::{BTT_DECIMALS, SlashReason, UnlockPolicy};
use crate::state::Globals;

/// Capacity of a rendered title (the longest is "Unlock period").
pub const TITLE_CAP: usize = 16;

/// Capacity of a rendered value: the longest is a validator's public key (`0x` and 96 hex
/// digits).
pub const VALUE_CAP: usize = 98;

/// Most items a summary has: a council update shows the new council, each member and the
/// approvals.
pub const MAX_ITEMS: usize = MAX_COUNCIL + 2;

/// The unlock date shown when the block time plus the unlock period is past the last second
/// a `u64` counts: such an unstake fails with an overflow.
pub const NEVER: &str = "never: time overflows";

/// The token symbol amounts are shown in.
pub const TOKEN_SYMBOL: &str = "BTT";

/// A rendered title.
pub type Title = heapless::String<TITLE_CAP>;
/// A rendered value.
pub type Value = heapless::String<VALUE_CAP>;

/// Why an item or a page could not be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenError {
    /// The summary has no item at this index.
    NoSuchItem {
        /// The index asked for.
        index: usize,
        /// How many items there are.
        count: usize,
    },
    /// The value has no page at this index.
    NoSuchPage {
        /// The page asked for.
        page: usize,
        /// How many pages there are.
        count: usize,
    },
    /// A page must hold at least one whole character, and this one cannot.
    PageTooSmall {
        /// The smallest page size (bytes) that can show the value.
        needed: usize,
    },
    /// The value does not render: its text would not fit [`VALUE_CAP`] bytes. No field of
    /// this version's messages reaches it (the fuzz target `screen` checks that every valid
    /// message renders), so a device may treat it as a bug.
    Value(Error),
}

impl fmt::Display for ScreenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchItem { index, count } => {
                write!(f, "no item {index}: the summary has {count}")
            }
            Self::NoSuchPage { page, count } => write!(f, "no page {page}: the value has {count}"),
            Self::PageTooSmall { needed } => {
                write!(
                    f,
                    "a page of fewer than {needed} bytes cannot hold a character"
                )
            }
            Self::Value(e) => e.fmt(f),
        }
    }
}

/// One screen of a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What the value is ("Unstake", "Unlocks").
    pub title: Title,
    /// The value ("1.5 BTT", "2026-12-03 14:02 UTC"), perhaps longer than a page.
    pub value: Value,
}

/// The summary of a message as the device shows it, rendered item by item on demand.
#[derive(Clone, Copy, Debug)]
pub struct Summary<'a> {
    msg: &'a Msg,
    now: Timestamp,
    globals: &'a Globals,
}

/// What one item shows, before rendering.
#[derive(Clone, Copy)]
enum Field {
    Amount(&'static str, U256),
    UnlocksAt {
        now: Timestamp,
        period: u64,
    },
    Text(&'static str, &'static str),
    Account(&'static str, AccountId),
    Reason(SlashReason),
    Approvals {
        given: usize,
        threshold: u8,
    },
    Period(u64),
    Policy(UnlockPolicy),
    Council {
        members: usize,
        threshold: u8,
    },
    Member {
        number: usize,
        member: CouncilMember,
    },
    Gwei(&'static str, u64),
    Key([u8; 48]),
    Hash(&'static str, [u8; 32]),
    Number(&'static str, u64),
    Checkpoint(&'static str, Checkpoint),
}

impl<'a> Summary<'a> {
    /// The summary of `msg` sent in `ctx`, against the shared records it will be applied to.
    pub fn new(msg: &'a Msg, ctx: &Context, globals: &'a Globals) -> Self {
        Self {
            msg,
            now: ctx.now,
            globals,
        }
    }

    /// How many items the summary has (at least one, at most [`MAX_ITEMS`]).
    pub fn item_count(&self) -> usize {
        (0..MAX_ITEMS)
            .take_while(|&index| self.field(index).is_some())
            .count()
    }

    /// Item `index` (from 0), rendered.
    pub fn item(&self, index: usize) -> Result<Item, ScreenError> {
        let field = self.field(index).ok_or(ScreenError::NoSuchItem {
            index,
            count: self.item_count(),
        })?;
        let mut title = Title::new();
        let mut value = Value::new();
        // Both capacities cover the longest text a field renders; a failure is reported, not
        // truncated.
        field
            .write_title(&mut title)
            .and_then(|()| field.write_value(&mut value))
            .map_err(|e| ScreenError::Value(e.into()))?;
        Ok(Item { title, value })
    }

    fn approvals(&self, approvals: &Approvals) -> Field {
        Field::Approvals {
            given: approvals.len(),
            threshold: self.globals.council.threshold(),
        }
    }

    fn field(&self, index: usize) -> Option<Field> {
        match self.msg {
            Msg::Stake { amount } => [Field::Amount("Stake", *amount)].get(index).copied(),
            Msg::Unstake { amount } => [
                Field::Amount("Unstake", *amount),
                Field::UnlocksAt {
                    now: self.now,
                    period: self.globals.params.unlock_period,
                },
            ]
            .get(index)
            .copied(),
            Msg::Withdraw => [Field::Text("Withdraw", "all matured unlocks")]
                .get(index)
                .copied(),
            Msg::Rebond { amount } => [Field::Amount("Rebond", *amount)].get(index).copied(),
            Msg::Slash {
                account,
                amount,
                reason,
                approvals,
            } => [
                Field::Account("Slash", *account),
                Field::Amount("Amount", *amount),
                Field::Reason(*reason),
                self.approvals(approvals),
            ]
            .get(index)
            .copied(),
            Msg::UpdateStakeParams { params, approvals } => [
                Field::Text("Update", "staking parameters"),
                Field::Period(params.unlock_period),
                Field::Amount("Min stake", params.min_stake),
                Field::Policy(params.unlock_policy),
                self.approvals(approvals),
            ]
            .get(index)
            .copied(),
            Msg::UpdateCouncil { council, approvals } => {
                let members = council.members();
                let Some(seat) = index.checked_sub(1) else {
                    return Some(Field::Council {
                        members: members.len(),
                        threshold: council.threshold(),
                    });
                };
                match members.get(seat) {
                    Some(member) => Some(Field::Member {
                        number: index,
                        member: *member,
                    }),
                    None => (seat == members.len()).then(|| self.approvals(approvals)),
                }
            }
            Msg::Deposit { deposit } => [
                Field::Gwei("Deposit", deposit.amount),
                Field::Key(deposit.pubkey),
                Field::Hash("Withdrawal to", deposit.withdrawal_credentials),
            ]
            .get(index)
            .copied(),
            Msg::VoluntaryExit { exit } => [
                Field::Number("Exit validator", exit.validator_index.0),
                Field::Number("Valid from epoch", exit.epoch.0),
            ]
            .get(index)
            .copied(),
            Msg::ProposerSlashing { proposer, evidence } => [
                Field::Number("Slash proposer", evidence.header_1.proposer_index.0),
                Field::Number("Slot", evidence.header_1.slot.0),
                Field::Hash("Block 1", evidence.header_1.body_root),
                Field::Hash("Block 2", evidence.header_2.body_root),
                Field::Number("Reported by", proposer.0),
            ]
            .get(index)
            .copied(),
            Msg::AttesterSlashing { proposer, evidence } => {
                let (one, two) = (&evidence.attestation_1, &evidence.attestation_2);
                [
                    Field::Number("Slash attesters", evidence.common_indices() as u64),
                    Field::Checkpoint("Vote 1 source", one.data.source),
                    Field::Checkpoint("Vote 1 target", one.data.target),
                    Field::Checkpoint("Vote 2 source", two.data.source),
                    Field::Checkpoint("Vote 2 target", two.data.target),
                    Field::Number("Reported by", proposer.0),
                ]
                .get(index)
                .copied()
            }
            Msg::Attest {
                data,
                validators,
                block,
            } => [
                Field::Number("Attesters", validators.len() as u64),
                Field::Number("Slot", data.slot.0),
                Field::Hash("Head", data.beacon_block_root),
                Field::Checkpoint("Source", data.source),
                Field::Checkpoint("Target", data.target),
                Field::Number("Included at slot", block.slot.0),
                Field::Number("Proposer", block.proposer.0),
            ]
            .get(index)
            .copied(),
            Msg::ProcessEpoch {
                previous_epoch_root,
                current_epoch_root,
            } => [
                Field::Text("End epoch", "justify, finalize, update registry"),
                Field::Hash("Previous root", *previous_epoch_root),
                Field::Hash("Current root", *current_epoch_root),
            ]
            .get(index)
            .copied(),
        }
    }
}

/// Why a field could not be written: a value that cannot be computed, or a string that does
/// not fit its capacity (which the capacities rule out).
enum RenderError {
    Value(Error),
    Full,
}

impl From<fmt::Error> for RenderError {
    fn from(_: fmt::Error) -> Self {
        Self::Full
    }
}

impl From<NumError> for RenderError {
    fn from(e: NumError) -> Self {
        Self::Value(e.into())
    }
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Value(e) => e,
            RenderError::Full => NumError::Overflow.into(),
        }
    }
}

impl Field {
    fn write_title(&self, out: &mut Title) -> Result<(), RenderError> {
        match self {
            Self::Amount(title, _)
            | Self::Text(title, _)
            | Self::Account(title, _)
            | Self::Gwei(title, _)
            | Self::Hash(title, _)
            | Self::Number(title, _)
            | Self::Checkpoint(title, _) => out.push_str(title).map_err(|_| RenderError::Full),
            Self::Key(_) => out.push_str("Validator key").map_err(|_| RenderError::Full),
            Self::UnlocksAt { .. } => out.push_str("Unlocks").map_err(|_| RenderError::Full),
            Self::Reason(_) => out.push_str("Reason").map_err(|_| RenderError::Full),
            Self::Approvals { .. } => out.push_str("Approvals").map_err(|_| RenderError::Full),
            Self::Period(_) => out.push_str("Unlock period").map_err(|_| RenderError::Full),
            Self::Policy(_) => out.push_str("Unlock policy").map_err(|_| RenderError::Full),
            Self::Council { .. } => out.push_str("New council").map_err(|_| RenderError::Full),
            Self::Member { number, .. } => Ok(write!(out, "Member {number}")?),
        }
    }

    fn write_value(&self, out: &mut Value) -> Result<(), RenderError> {
        match self {
            Self::Amount(_, amount) => {
                let text = num::format_amount(*amount, BTT_DECIMALS)?;
                write!(out, "{text} {TOKEN_SYMBOL}")?;
            }
            // An unlock past the last `u64` second makes the unstake fail (Overflow); the screen
            // says so rather than refusing to show a message the device accepted.
            Self::UnlocksAt { now, period } => match num::add_u64(now.0, *period) {
                Ok(at) => write!(out, "{}", UtcDateTime::from_timestamp(Timestamp(at)))?,
                Err(_) => out.push_str(NEVER).map_err(|_| RenderError::Full)?,
            },
            Self::Text(_, text) => out.push_str(text).map_err(|_| RenderError::Full)?,
            Self::Account(_, account) => write!(out, "{account}")?,
            Self::Reason(SlashReason::LostData) => {
                out.push_str("lost data").map_err(|_| RenderError::Full)?
            }
            Self::Reason(SlashReason::Other { code }) => write!(out, "other (code {code})")?,
            Self::Approvals { given, threshold } => write!(out, "{given} of {threshold} needed")?,
            Self::Period(seconds) => write_duration(out, *seconds)?,
            Self::Policy(UnlockPolicy::Merged) => {
                out.push_str("merged (one timer)")
                    .map_err(|_| RenderError::Full)?;
            }
            Self::Policy(UnlockPolicy::Chunked { max }) => {
                write!(out, "separate, up to {max}")?;
            }
            Self::Council { members, threshold } => {
                write!(out, "{threshold} of {members} must approve")?;
            }
            Self::Member { member, .. } => {
                write!(out, "{}", member.account)?;
                if member.required {
                    out.push_str(" (required)").map_err(|_| RenderError::Full)?;
                }
            }
            // Exact and in the spec's unit: a chain's coin is 10^9 Gwei, whatever its symbol.
            Self::Gwei(_, gwei) => write!(out, "{gwei} Gwei")?,
            Self::Key(key) => write_hex(out, key)?,
            Self::Hash(_, hash) => write_hex(out, hash)?,
            Self::Number(_, n) => write!(out, "{n}")?,
            Self::Checkpoint(_, checkpoint) => {
                write!(out, "epoch {}, ", checkpoint.epoch.0)?;
                write_hex(out, &checkpoint.root)?;
            }
        }
        Ok(())
    }
}

/// `0x` and two lowercase hex digits per byte.
fn write_hex(out: &mut Value, bytes: &[u8]) -> fmt::Result {
    out.write_str("0x")?;
    bytes.iter().try_for_each(|b| write!(out, "{b:02x}"))
}

/// `7 d`, `1 h 30 min`, `1 d 5 s`, `0 s`: the non-zero parts of a number of seconds.
fn write_duration(out: &mut Value, seconds: u64) -> fmt::Result {
    let parts = [
        (seconds / 86_400, "d"),
        (seconds % 86_400 / 3_600, "h"),
        (seconds % 3_600 / 60, "min"),
        (seconds % 60, "s"),
    ];
    let mut first = true;
    for (count, unit) in parts.into_iter().filter(|(count, _)| *count > 0) {
        if !first {
            out.write_char(' ')?;
        }
        write!(out, "{count} {unit}")?;
        first = false;
    }
    if first {
        out.write_str("0 s")?;
    }
    Ok(())
}

/// One page of a value, and how many pages the value has at that page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page<'a> {
    /// The page's text: at most the page size in bytes, whole characters only.
    pub text: &'a str,
    /// How many pages the whole value takes (an empty value is one empty page).
    pub count: usize,
}

/// Page `page` (from 0) of `value` split into pages of at most `page_size` bytes.
///
/// Each page is as long as it can be without cutting a UTF-8 character, so the pages joined
/// are the value. A page size too small for a character of the value is
/// [`ScreenError::PageTooSmall`] (with the size needed), never a loop.
pub fn page(value: &str, page_size: usize, page: usize) -> Result<Page<'_>, ScreenError> {
    let mut rest = value;
    let mut count = 0usize;
    let mut found = None;
    loop {
        let (head, tail) = split_page(rest, page_size)?;
        if count == page {
            found = Some(head);
        }
        count = count.saturating_add(1);
        rest = tail;
        if rest.is_empty() {
            break;
        }
    }
    match found {
        Some(text) => Ok(Page { text, count }),
        None => Err(ScreenError::NoSuchPage { page, count }),
    }
}

/// The longest head of `rest` of at most `page_size` bytes ending on a character boundary, and
/// what follows. Makes progress on any non-empty `rest` or fails.
fn split_page(rest: &str, page_size: usize) -> Result<(&str, &str), ScreenError> {
    let limit = page_size.min(rest.len());
    // A UTF-8 character is at most 4 bytes, so this looks at most 4 positions.
    let end = (0..=limit)
        .rev()
        .find(|&i| rest.is_char_boundary(i))
        .unwrap_or(0);
    match rest.chars().next() {
        Some(first) if end == 0 => Err(ScreenError::PageTooSmall {
            needed: first.len_utf8(),
        }),
        _ => Ok(rest.split_at_checked(end).unwrap_or((rest, ""))),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::String;
    use std::vec::Vec;

    use super::*;
    use crate::governance::Council;
    use crate::stake::StakeParams;

    const ADMIN: AccountId = AccountId([0xad; 20]);
    const ALICE: AccountId = AccountId([0xa1; 20]);
    /// 2026-11-26 14:02 UTC.
    const NOW: Timestamp = Timestamp(1_795_701_720);

    fn globals() -> Globals {
        let council = Council::new(
            &[
                CouncilMember::required(ADMIN),
                CouncilMember::member(AccountId([0xb0; 20])),
                CouncilMember::member(AccountId([0xb1; 20])),
            ],
            2,
        )
        .unwrap();
        Globals::new(StakeParams::btfs(), council).unwrap()
    }

    fn btt_tenths(n: u64) -> U256 {
        U256::from(n) * U256::exp10(17)
    }

    /// Every item of `msg`, as (title, value) pairs.
    fn items_of(msg: &Msg, globals: &Globals) -> Vec<(String, String)> {
        let ctx = Context::new(ALICE, NOW, 1);
        let summary = Summary::new(msg, &ctx, globals);
        let count = summary.item_count();
        assert!((1..=MAX_ITEMS).contains(&count));
        assert_eq!(
            summary.item(count),
            Err(ScreenError::NoSuchItem {
                index: count,
                count
            })
        );
        (0..count)
            .map(|i| {
                let item = summary.item(i).unwrap();
                (item.title.as_str().into(), item.value.as_str().into())
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(t, v)| (String::from(*t), String::from(*v)))
            .collect()
    }

    fn approvals(n: usize) -> Approvals {
        [ADMIN, AccountId([0xb0; 20]), AccountId([0xb1; 20])]
            .into_iter()
            .take(n)
            .collect()
    }

    #[test]
    fn staker_messages() {
        let g = globals();
        assert_eq!(
            items_of(
                &Msg::Stake {
                    amount: btt_tenths(15)
                },
                &g
            ),
            pairs(&[("Stake", "1.5 BTT")])
        );
        assert_eq!(
            items_of(
                &Msg::Unstake {
                    amount: btt_tenths(15)
                },
                &g
            ),
            pairs(&[("Unstake", "1.5 BTT"), ("Unlocks", "2026-12-03 14:02 UTC")])
        );
        assert_eq!(
            items_of(&Msg::Withdraw, &g),
            pairs(&[("Withdraw", "all matured unlocks")])
        );
        assert_eq!(
            items_of(
                &Msg::Rebond {
                    amount: U256::one()
                },
                &g
            ),
            pairs(&[("Rebond", "0.000000000000000001 BTT")])
        );
    }

    #[test]
    fn the_unlock_date_follows_the_parameters_in_force() {
        let mut g = globals();
        g.params.unlock_period = 3_600;
        let msg = Msg::Unstake {
            amount: U256::one(),
        };
        assert_eq!(items_of(&msg, &g)[1].1, "2026-11-26 15:02 UTC");
        // A date past u64 seconds is neither a wrap nor an error: the device says the
        // unstake will fail (found by the `screen` fuzz target).
        let ctx = Context::new(ALICE, Timestamp(u64::MAX - 3_600), 1);
        assert_eq!(
            Summary::new(&msg, &ctx, &g).item(1).unwrap().value.as_str(),
            "584554051223-11-09 07:00 UTC"
        );
        let ctx = Context::new(ALICE, Timestamp(u64::MAX - 3_599), 1);
        assert_eq!(
            Summary::new(&msg, &ctx, &g).item(1).unwrap().value.as_str(),
            NEVER
        );
    }

    #[test]
    fn council_messages() {
        let g = globals();
        let slash = Msg::Slash {
            account: ALICE,
            amount: U256::MAX,
            reason: SlashReason::LostData,
            approvals: approvals(2),
        };
        assert_eq!(
            items_of(&slash, &g),
            pairs(&[
                ("Slash", "0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"),
                (
                    "Amount",
                    "115792089237316195423570985008687907853269984665640564039457.584007913129639935 BTT"
                ),
                ("Reason", "lost data"),
                ("Approvals", "2 of 2 needed"),
            ])
        );
        let other = Msg::Slash {
            account: ALICE,
            amount: U256::zero(),
            reason: SlashReason::Other { code: u32::MAX },
            approvals: approvals(0),
        };
        let items = items_of(&other, &g);
        assert_eq!(items[1].1, "0 BTT");
        assert_eq!(items[2].1, "other (code 4294967295)");
        assert_eq!(items[3].1, "0 of 2 needed");

        let params = Msg::UpdateStakeParams {
            params: StakeParams {
                unlock_period: 30 * 86_400 + 2 * 3_600 + 5,
                min_stake: U256::exp10(18),
                unlock_policy: UnlockPolicy::Chunked { max: 3 },
            },
            approvals: approvals(3),
        };
        assert_eq!(
            items_of(&params, &g),
            pairs(&[
                ("Update", "staking parameters"),
                ("Unlock period", "30 d 2 h 5 s"),
                ("Min stake", "1 BTT"),
                ("Unlock policy", "separate, up to 3"),
                ("Approvals", "3 of 2 needed"),
            ])
        );
        let merged = Msg::UpdateStakeParams {
            params: StakeParams::btfs(),
            approvals: approvals(1),
        };
        let items = items_of(&merged, &g);
        assert_eq!(items[1].1, "7 d");
        assert_eq!(items[3].1, "merged (one timer)");
    }

    #[test]
    fn a_council_update_lists_every_member() {
        let g = globals();
        let members: Vec<CouncilMember> = (0..MAX_COUNCIL as u8)
            .map(|n| match n {
                0 => CouncilMember::required(AccountId([n; 20])),
                _ => CouncilMember::member(AccountId([n; 20])),
            })
            .collect();
        let council = Council::new(&members, 16).unwrap();
        let msg = Msg::UpdateCouncil {
            council,
            approvals: approvals(2),
        };
        let items = items_of(&msg, &g);
        assert_eq!(items.len(), MAX_ITEMS);
        assert_eq!(
            items[0],
            ("New council".into(), "16 of 16 must approve".into())
        );
        assert_eq!(
            items[1],
            (
                "Member 1".into(),
                "0x0000000000000000000000000000000000000000 (required)".into()
            )
        );
        assert_eq!(
            items[16],
            (
                "Member 16".into(),
                "0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f".into()
            )
        );
        assert_eq!(items[17], ("Approvals".into(), "2 of 2 needed".into()));

        let single = Msg::UpdateCouncil {
            council: Council::single(ALICE),
            approvals: approvals(1),
        };
        assert_eq!(items_of(&single, &g).len(), 3);
    }

    #[test]
    fn durations() {
        let show = |s| {
            let mut out = Value::new();
            write_duration(&mut out, s).unwrap();
            out
        };
        assert_eq!(show(0), "0 s");
        assert_eq!(show(59), "59 s");
        assert_eq!(show(3_600 + 60), "1 h 1 min");
        assert_eq!(show(86_400 + 1), "1 d 1 s");
        assert_eq!(show(u64::MAX), "213503982334601 d 7 h 15 s");
    }

    /// Every page of `value` at `size`, checking each against the contract.
    fn all_pages(value: &str, size: usize) -> Vec<&str> {
        let first = page(value, size, 0).unwrap();
        let pages: Vec<&str> = (0..first.count)
            .map(|i| {
                let p = page(value, size, i).unwrap();
                assert_eq!(p.count, first.count);
                assert!(p.text.len() <= size);
                p.text
            })
            .collect();
        assert_eq!(pages.concat(), value);
        assert_eq!(
            page(value, size, first.count),
            Err(ScreenError::NoSuchPage {
                page: first.count,
                count: first.count
            })
        );
        pages
    }

    #[test]
    fn pages_split_at_the_size() {
        assert_eq!(all_pages("abcdef", 2), ["ab", "cd", "ef"]);
        assert_eq!(all_pages("abcdefg", 2), ["ab", "cd", "ef", "g"]);
        assert_eq!(all_pages("abc", 3), ["abc"]);
        assert_eq!(all_pages("abc", 4), ["abc"]);
        assert_eq!(all_pages("abc", usize::MAX), ["abc"]);
        assert_eq!(all_pages("abc", 1), ["a", "b", "c"]);
        assert_eq!(all_pages("", 1), [""]);
        assert_eq!(all_pages("", 0), [""]);
    }

    #[test]
    fn pages_never_cut_a_character() {
        // "é" is 2 bytes, "€" 3, "𝄞" 4.
        assert_eq!(all_pages("aé€𝄞", 4), ["aé", "€", "𝄞"]);
        assert_eq!(all_pages("aé€𝄞", 5), ["aé", "€", "𝄞"]);
        assert_eq!(all_pages("aé€𝄞", 6), ["aé€", "𝄞"]);
        assert_eq!(all_pages("€€€", 3), ["€", "€", "€"]);
        assert_eq!(all_pages("€€€", 8), ["€€", "€"]);
        assert_eq!(all_pages("€€€", 9), ["€€€"]);
    }

    #[test]
    fn a_page_too_small_for_a_character_is_an_error() {
        assert_eq!(
            page("abc", 0, 0),
            Err(ScreenError::PageTooSmall { needed: 1 })
        );
        assert_eq!(
            page("a𝄞", 3, 0),
            Err(ScreenError::PageTooSmall { needed: 4 })
        );
        assert_eq!(
            page("é", 1, 0),
            Err(ScreenError::PageTooSmall { needed: 2 })
        );
        assert_eq!(page("a𝄞", 4, 1).unwrap().text, "𝄞");
    }

    #[test]
    fn huge_values_page_without_limit() {
        // Pages of 7 bytes alternate "€a€" (7) and "a€a" (5): 666 pages for the first 3996
        // bytes, one for the last "€a".
        let long: String = "€a".repeat(1_000);
        let pages = all_pages(&long, 7);
        assert_eq!(pages.len(), 667);
        assert_eq!(
            page(&long, 7, usize::MAX).unwrap_err(),
            ScreenError::NoSuchPage {
                page: usize::MAX,
                count: pages.len()
            }
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_pages_back_to_itself(text in "\\PC{0,60}", size in 4usize..20) {
            let first = page(&text, size, 0).unwrap();
            let mut joined = String::new();
            for i in 0..first.count {
                let p = page(&text, size, i).unwrap();
                proptest::prop_assert!(p.text.len() <= size);
                proptest::prop_assert!(i + 1 == first.count || !p.text.is_empty());
                joined.push_str(p.text);
            }
            proptest::prop_assert_eq!(joined, text);
        }
    }
}
