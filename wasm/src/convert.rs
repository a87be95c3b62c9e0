//! JavaScript values to the core's types and back. Conversion only: every rule is the core's.
//!
//! In: amounts, times, epochs and validator indices as `bigint`, a safe non-negative integer
//! `number`, or a string of decimal digits; addresses as `0x` + 40 hex digits; fixed-size byte
//! strings (roots, public keys, credentials, signatures) as `0x` + hex digits or a
//! `Uint8Array` of the right length; messages, parameters and councils as plain objects with a
//! `type` tag where there are variants. Out: plain objects with camelCase keys, amounts, times,
//! epochs, indices and Gwei as `bigint`, counts as `number`, addresses and byte strings as
//! lowercase `0x…`.

use js_sys::{Array, BigInt, Uint8Array};
use stakehold::bounded::BoundedVec;
use stakehold::error::InputError;
use stakehold::estimate::SlashingTimeline;
use stakehold::fields::Value;
use stakehold::finality::Checkpoint;
use stakehold::governance::{Approvals, Council, CouncilMember, GovernanceError, MAX_COUNCIL};
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::num::NumError;
use stakehold::stake::{SlashReason, StakeAccount, StakeParams, StakeTotals, UnlockPolicy};
use stakehold::validator::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, DepositData, EpochView, Fork,
    IncludingBlock, IndexedAttestation, ParticipationFlags, Preset, ProposerSlashing, Validator,
    VoluntaryExit,
};
use stakehold::{AccountId, Context, Epoch, Event, Msg, Slot, Timestamp, U256, ValidatorIndex};
use wasm_bindgen::{JsCast, JsValue};

use crate::fail::{self, Failure};
use crate::js::{self, Obj, field_key, get};

type Result<T> = core::result::Result<T, Failure>;

/// JavaScript's `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

// ---------------------------------------------------------------------------------------------
// In.

/// A non-negative integer up to `U256::MAX`.
pub fn amount(v: &JsValue, what: &str) -> Result<U256> {
    if v.is_bigint() {
        if let Ok(small) = u128::try_from(v.clone()) {
            return Ok(U256::from(small));
        }
        let hex: String = v
            .unchecked_ref::<BigInt>()
            .to_string(16)
            .map_err(|_| fail::argument(what, "unreadable bigint"))?
            .into();
        if hex.starts_with('-') {
            return Err(fail::number(
                what,
                &[&js::text(v), "n is negative"].concat(),
            ));
        }
        return U256::from_str_radix(&hex, 16).map_err(|_| overflow(what, "256"));
    }
    if let Some(n) = v.as_f64() {
        // The number is shown as JavaScript prints it (Rust's float formatting would add
        // kilobytes to the module for error messages).
        let shown = || js::text(v);
        return if n.is_nan() || n.fract() != 0.0 {
            Err(fail::number(
                what,
                &[&shown(), " is not an integer"].concat(),
            ))
        } else if n < 0.0 {
            Err(fail::number(what, &[&shown(), " is negative"].concat()))
        } else if n > MAX_SAFE_INTEGER {
            Err(fail::number(
                what,
                &[&shown(), " is above Number.MAX_SAFE_INTEGER; pass a bigint"].concat(),
            ))
        } else {
            // An integer in 0..=2^53 - 1: the cast is exact.
            Ok(U256::from(n as u64))
        };
    }
    if let Some(s) = v.as_string() {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail::number(
                what,
                &["\"", &s, "\" is not a string of decimal digits"].concat(),
            ));
        }
        return U256::from_dec_str(&s).map_err(|_| overflow(what, "256"));
    }
    Err(fail::argument(
        what,
        "expected a bigint, a non-negative safe integer or a string of digits",
    ))
}

/// A non-negative integer up to `u64::MAX` (times, heights, periods).
pub fn u64_of(v: &JsValue, what: &str) -> Result<u64> {
    let wide = amount(v, what)?;
    u64::try_from(wide).map_err(|_| overflow(what, "64"))
}

/// A small count (thresholds, limits, codes).
fn count<T: TryFrom<u64>>(v: &JsValue, what: &str) -> Result<T> {
    let n = u64_of(v, what)?;
    T::try_from(n).map_err(|_| fail::argument(what, &[&n.to_string(), " is out of range"].concat()))
}

pub fn address(v: &JsValue, what: &str) -> Result<AccountId> {
    let text = v
        .as_string()
        .ok_or_else(|| fail::argument(what, "expected an address string"))?;
    AccountId::from_hex(&text).map_err(|e| {
        Failure::new(
            InputError::InvalidAddress,
            [
                what,
                ": \"",
                &text,
                "\" is not an address (",
                &e.to_string(),
                ")",
            ]
            .concat(),
        )
    })
}

pub fn bytes(v: &JsValue, what: &str) -> Result<Vec<u8>> {
    v.dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| fail::argument(what, "expected a Uint8Array"))
}

fn boolean(v: &JsValue, what: &str) -> Result<bool> {
    if v.is_undefined() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| fail::argument(what, "expected a boolean"))
}

fn text(v: &JsValue, what: &str) -> Result<String> {
    v.as_string()
        .ok_or_else(|| fail::argument(what, "expected a string"))
}

fn array(v: &JsValue, what: &str) -> Result<Array> {
    v.dyn_ref::<Array>()
        .cloned()
        .ok_or_else(|| fail::argument(what, "expected an array"))
}

/// `what.key`: the path of a field, for messages.
fn path(what: &str, key: &str) -> String {
    [what, ".", key].concat()
}

/// `what: above 2^bits - 1`.
fn overflow(what: &str, bits: &str) -> Failure {
    Failure::new(
        NumError::Overflow,
        [what, ": above 2^", bits, " - 1"].concat(),
    )
}

/// `what: unknown kind "name"` and the hint.
fn unknown(what: &str, kind: &str, name: &str, hint: &str) -> Failure {
    fail::argument(what, &["unknown ", kind, " \"", name, "\"", hint].concat())
}

/// `{ account, required? }`.
fn member(v: &JsValue, what: &str) -> Result<CouncilMember> {
    Ok(CouncilMember {
        account: address(&get(v, what, "account")?, &path(what, "account"))?,
        required: boolean(&get(v, what, "required")?, &path(what, "required"))?,
    })
}

/// `v[key]` of the object argument `what`, converted by `convert`. A failure names the value
/// `what.key`, a path built only then (the conversion names it `key`).
fn field<T>(
    v: &JsValue,
    what: &str,
    key: &'static str,
    convert: fn(&JsValue, &str) -> Result<T>,
) -> Result<T> {
    convert(&get(v, what, key)?, key).map_err(|f| in_field(f, what, key))
}

/// A failure about `key` of the object `what`: its message names `what.key`.
fn in_field(failure: Failure, what: &str, key: &str) -> Failure {
    failure.renamed(key, &path(what, key))
}

/// A failure about item `i` of the list `what`: its message names `what[i]`.
fn at_index(failure: Failure, what: &str, i: u32) -> Failure {
    failure.renamed(what, &[what, "[", &i.to_string(), "]"].concat())
}

/// Exactly `out.len()` bytes: a `Uint8Array` of that length, or `0x` and twice as many hex
/// digits (either case).
fn fixed(v: &JsValue, what: &str, out: &mut [u8]) -> Result<()> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        if bytes.length() as usize == out.len() {
            bytes.copy_to(out);
            return Ok(());
        }
    } else if let Some(text) = v.as_string() {
        let digits = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .unwrap_or("-");
        if digits.len() == 2 * out.len() {
            let mut ok = true;
            for (byte, pair) in out.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
                let (hi, lo) = match pair {
                    [hi, lo] => (nibble(*hi), nibble(*lo)),
                    _ => (16, 16),
                };
                ok &= hi < 16 && lo < 16;
                *byte = hi << 4 | lo & 15;
            }
            if ok {
                return Ok(());
            }
        }
    }
    let n = out.len().to_string();
    Err(fail::argument(
        what,
        &[
            "expected 0x and ",
            &(2 * out.len()).to_string(),
            " hex digits, or a Uint8Array of ",
            &n,
            " bytes",
        ]
        .concat(),
    ))
}

/// A hex digit's value, or 16 for any other byte.
fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 16,
    }
}

/// A block root: 32 bytes.
pub fn root(v: &JsValue, what: &str) -> Result<[u8; 32]> {
    let mut out = [0; 32];
    fixed(v, what, &mut out)?;
    Ok(out)
}

/// A BLS public key: 48 bytes.
pub fn pubkey(v: &JsValue, what: &str) -> Result<[u8; 48]> {
    let mut out = [0; 48];
    fixed(v, what, &mut out)?;
    Ok(out)
}

fn epoch(v: &JsValue, what: &str) -> Result<Epoch> {
    u64_of(v, what).map(Epoch)
}

pub fn validator_index(v: &JsValue, what: &str) -> Result<ValidatorIndex> {
    u64_of(v, what).map(ValidatorIndex)
}

/// `{ pubkey, withdrawalCredentials, amount, signature }`, the amount in Gwei.
fn deposit(v: &JsValue, what: &str) -> Result<DepositData> {
    let field = |key: &'static str| get(v, what, key);
    let at = |key| path(what, key);
    let mut signature = [0; 96];
    let mut withdrawal_credentials = [0; 32];
    let pubkey = pubkey(&field("pubkey")?, &at("pubkey"))?;
    fixed(
        &field("withdrawalCredentials")?,
        &at("withdrawalCredentials"),
        &mut withdrawal_credentials,
    )?;
    let amount = u64_of(&field("amount")?, &at("amount"))?;
    fixed(&field("signature")?, &at("signature"), &mut signature)?;
    Ok(DepositData {
        pubkey,
        withdrawal_credentials,
        amount,
        signature,
    })
}

/// What a slashing timeline reads of a validator record (`validator(i)`'s object or any object
/// with these fields): `{ slashed, withdrawableEpoch }`.
pub fn slashing_fields(v: &JsValue, what: &str) -> Result<(bool, Epoch)> {
    let slashed = get(v, what, "slashed")?
        .as_bool()
        .ok_or_else(|| fail::argument(&path(what, "slashed"), "expected a boolean"))?;
    let withdrawable = epoch(
        &get(v, what, "withdrawableEpoch")?,
        &path(what, "withdrawableEpoch"),
    )?;
    Ok((slashed, withdrawable))
}

/// `{ epoch, root }`.
fn checkpoint(v: &JsValue, what: &str) -> Result<Checkpoint> {
    Ok(Checkpoint {
        epoch: field(v, what, "epoch", epoch)?,
        root: field(v, what, "root", root)?,
    })
}

fn slot(v: &JsValue, what: &str) -> Result<Slot> {
    u64_of(v, what).map(Slot)
}

/// At most `N` validator indices (an attestation's 64, an attester slashing's 16); their
/// order and uniqueness are the core's to judge.
fn indices<const N: usize>(v: &JsValue, what: &str) -> Result<BoundedVec<ValidatorIndex, N>> {
    let list = array(v, what)?;
    let too_many = || {
        fail::argument(
            what,
            &["at most ", &N.to_string(), " validators per attestation"].concat(),
        )
    };
    if list.length() as usize > N {
        return Err(too_many());
    }
    let mut out = BoundedVec::new();
    for (i, item) in (0u32..).zip(list.iter()) {
        let index = validator_index(&item, what).map_err(|f| at_index(f, what, i))?;
        out.push(index).map_err(|_| too_many())?;
    }
    Ok(out)
}

/// `{ slot, index, beaconBlockRoot, source, target }` (the spec's `AttestationData`).
fn attestation_data(v: &JsValue, what: &str) -> Result<AttestationData> {
    Ok(AttestationData {
        slot: field(v, what, "slot", slot)?,
        index: field(v, what, "index", u64_of)?,
        beacon_block_root: field(v, what, "beaconBlockRoot", root)?,
        source: field(v, what, "source", checkpoint)?,
        target: field(v, what, "target", checkpoint)?,
    })
}

/// `{ slot, proposer, targetRoot, headRoot }`: the block including an attestation.
fn including_block(v: &JsValue, what: &str) -> Result<IncludingBlock> {
    Ok(IncludingBlock {
        slot: field(v, what, "slot", slot)?,
        proposer: field(v, what, "proposer", validator_index)?,
        target_root: field(v, what, "targetRoot", root)?,
        head_root: field(v, what, "headRoot", root)?,
    })
}

/// `{ slot, proposerIndex, parentRoot, stateRoot, bodyRoot }` (the spec's
/// `BeaconBlockHeader`).
fn block_header(v: &JsValue, what: &str) -> Result<BeaconBlockHeader> {
    Ok(BeaconBlockHeader {
        slot: field(v, what, "slot", slot)?,
        proposer_index: field(v, what, "proposerIndex", validator_index)?,
        parent_root: field(v, what, "parentRoot", root)?,
        state_root: field(v, what, "stateRoot", root)?,
        body_root: field(v, what, "bodyRoot", root)?,
    })
}

/// `{ header1, header2 }`.
fn proposer_slashing(v: &JsValue, what: &str) -> Result<ProposerSlashing> {
    Ok(ProposerSlashing {
        header_1: field(v, what, "header1", block_header)?,
        header_2: field(v, what, "header2", block_header)?,
    })
}

/// `{ attestingIndices, data }` (the spec's `IndexedAttestation`).
fn indexed_attestation(v: &JsValue, what: &str) -> Result<IndexedAttestation> {
    Ok(IndexedAttestation {
        attesting_indices: field(v, what, "attestingIndices", indices)?,
        data: field(v, what, "data", attestation_data)?,
    })
}

/// `{ attestation1, attestation2 }`.
fn attester_slashing(v: &JsValue, what: &str) -> Result<AttesterSlashing> {
    Ok(AttesterSlashing {
        attestation_1: field(v, what, "attestation1", indexed_attestation)?,
        attestation_2: field(v, what, "attestation2", indexed_attestation)?,
    })
}

/// `'seed_chain'`, `'phase0'`, `'altair'`, `'bellatrix'`, `'deneb'` or `'electra'`
/// (`undefined`: `'seed_chain'`).
pub fn preset(v: &JsValue, what: &str) -> Result<Preset> {
    if v.is_undefined() {
        return Ok(Preset::seed_chain());
    }
    Ok(match text(v, what)?.as_str() {
        "seed_chain" => Preset::seed_chain(),
        "phase0" => Preset::phase0(),
        "altair" => Preset::altair(),
        "bellatrix" => Preset::bellatrix(),
        "deneb" => Preset::deneb(),
        "electra" => Preset::electra(),
        _ => {
            return Err(fail::argument(
                what,
                "expected 'seed_chain', 'phase0', 'altair', 'bellatrix', 'deneb' or 'electra'",
            ));
        }
    })
}

/// `{ preset?, genesis? }`: the chain a new ledger starts from (`undefined`: none yet, the
/// core's default).
pub fn chain(v: &JsValue, what: &str) -> Result<Option<Chain>> {
    if v.is_undefined() {
        return Ok(None);
    }
    let preset = preset(&get(v, what, "preset")?, &path(what, "preset"))?;
    let genesis = get(v, what, "genesis")?;
    let mut deposits = Vec::new();
    if !genesis.is_undefined() {
        let at = path(what, "genesis");
        for (i, item) in (0u32..).zip(array(&genesis, &at)?.iter()) {
            deposits.push(deposit(&item, &at).map_err(|f| at_index(f, &at, i))?);
        }
    }
    Chain::genesis(&ChainGenesis { preset, deposits })
        .map(Some)
        .map_err(Failure::from)
}

/// `{ caller, now, height? }`.
pub fn context(v: &JsValue) -> Result<Context> {
    let caller = address(&get(v, "ctx", "caller")?, "ctx.caller")?;
    let now = u64_of(&get(v, "ctx", "now")?, "ctx.now")?;
    let height = get(v, "ctx", "height")?;
    let height = if height.is_undefined() {
        0
    } else {
        u64_of(&height, "ctx.height")?
    };
    Ok(Context::new(caller, Timestamp(now), height))
}

pub fn approvals(v: &JsValue, what: &str) -> Result<Approvals> {
    let list = array(v, what)?;
    if list.length() as usize > MAX_COUNCIL {
        return Err(fail::argument(what, "at most 16 approvals"));
    }
    let mut out = Approvals::new();
    for (i, item) in (0u32..).zip(list.iter()) {
        let id = address(&item, what).map_err(|f| at_index(f, what, i))?;
        out.push(id)
            .map_err(|_| fail::argument(what, "too many approvals"))?;
    }
    Ok(out)
}

/// `{ members: [{ account, required? }], threshold }`, or one address (a council of one).
pub fn council(v: &JsValue, what: &str) -> Result<Council> {
    if v.is_string() {
        return Ok(Council::single(address(v, what)?));
    }
    let at = path(what, "members");
    let list = array(&get(v, what, "members")?, &at)?;
    if list.length() as usize > MAX_COUNCIL {
        return Err(Failure::from(stakehold::Error::from(
            GovernanceError::TooManyMembers {
                max: MAX_COUNCIL as u8,
            },
        )));
    }
    let mut members = Vec::with_capacity(list.length() as usize);
    for (i, item) in (0u32..).zip(list.iter()) {
        members.push(member(&item, &at).map_err(|f| at_index(f, &at, i))?);
    }
    let threshold = count(&get(v, what, "threshold")?, &path(what, "threshold"))?;
    Council::new(&members, threshold).map_err(|e| stakehold::Error::from(e).into())
}

/// `{ type: "Merged" }` or `{ type: "Chunked", max }`.
fn unlock_policy(v: &JsValue, what: &str) -> Result<UnlockPolicy> {
    match text(&get(v, what, "type")?, &path(what, "type"))?.as_str() {
        "Merged" => Ok(UnlockPolicy::Merged),
        "Chunked" => Ok(UnlockPolicy::Chunked {
            max: count(&get(v, what, "max")?, &path(what, "max"))?,
        }),
        other => Err(unknown(
            what,
            "unlock policy",
            other,
            " (Merged or Chunked)",
        )),
    }
}

/// `{ unlockPeriod, minStake, unlockPolicy }`. Validity is the core's to check.
pub fn params(v: &JsValue, what: &str) -> Result<StakeParams> {
    Ok(StakeParams {
        unlock_period: u64_of(&get(v, what, "unlockPeriod")?, &path(what, "unlockPeriod"))?,
        min_stake: amount(&get(v, what, "minStake")?, &path(what, "minStake"))?,
        unlock_policy: unlock_policy(&get(v, what, "unlockPolicy")?, &path(what, "unlockPolicy"))?,
    })
}

/// `{ type: "LostData" }` (the default) or `{ type: "Other", code }`.
fn slash_reason(v: &JsValue, what: &str) -> Result<SlashReason> {
    if v.is_undefined() {
        return Ok(SlashReason::LostData);
    }
    match text(&get(v, what, "type")?, &path(what, "type"))?.as_str() {
        "LostData" => Ok(SlashReason::LostData),
        "Other" => Ok(SlashReason::Other {
            code: count(&get(v, what, "code")?, &path(what, "code"))?,
        }),
        other => Err(unknown(what, "slash reason", other, " (LostData or Other)")),
    }
}

/// A message object: `{ type: "Stake", amount }`, … (see the package's `Message` type).
pub fn msg(v: &JsValue) -> Result<Msg> {
    let field = |key: &'static str| get(v, "msg", key);
    let at = |key| path("msg", key);
    let amount_field = || amount(&field("amount")?, "msg.amount");
    let approvals_field = || approvals(&field("approvals")?, "msg.approvals");
    Ok(match text(&field("type")?, "msg.type")?.as_str() {
        "Stake" => Msg::Stake {
            amount: amount_field()?,
        },
        "Unstake" => Msg::Unstake {
            amount: amount_field()?,
        },
        "Withdraw" => Msg::Withdraw,
        "Rebond" => Msg::Rebond {
            amount: amount_field()?,
        },
        "Slash" => Msg::Slash {
            account: address(&field("account")?, &at("account"))?,
            amount: amount_field()?,
            reason: slash_reason(&field("reason")?, &at("reason"))?,
            approvals: approvals_field()?,
        },
        "UpdateStakeParams" => Msg::UpdateStakeParams {
            params: params(&field("params")?, &at("params"))?,
            approvals: approvals_field()?,
        },
        "UpdateCouncil" => Msg::UpdateCouncil {
            council: council(&field("council")?, &at("council"))?,
            approvals: approvals_field()?,
        },
        "Deposit" => Msg::Deposit {
            deposit: deposit(&field("deposit")?, "msg.deposit")?,
        },
        "VoluntaryExit" => {
            let exit = field("exit")?;
            let what = "msg.exit";
            Msg::VoluntaryExit {
                exit: VoluntaryExit {
                    epoch: epoch(&get(&exit, what, "epoch")?, "msg.exit.epoch")?,
                    validator_index: validator_index(
                        &get(&exit, what, "validatorIndex")?,
                        "msg.exit.validatorIndex",
                    )?,
                },
            }
        }
        // `self::field`: the module's helper (the closure `field` above only reads a key).
        "ProposerSlashing" => Msg::ProposerSlashing {
            proposer: self::field(v, "msg", "proposer", validator_index)?,
            evidence: self::field(v, "msg", "evidence", proposer_slashing)?,
        },
        "AttesterSlashing" => Msg::AttesterSlashing {
            proposer: self::field(v, "msg", "proposer", validator_index)?,
            evidence: self::field(v, "msg", "evidence", attester_slashing)?,
        },
        "Attest" => Msg::Attest {
            data: self::field(v, "msg", "data", attestation_data)?,
            validators: self::field(v, "msg", "validators", indices)?,
            block: self::field(v, "msg", "block", including_block)?,
        },
        "ProcessEpoch" => Msg::ProcessEpoch {
            previous_epoch_root: root(&field("previousEpochRoot")?, "msg.previousEpochRoot")?,
            current_epoch_root: root(&field("currentEpochRoot")?, "msg.currentEpochRoot")?,
        },
        other => {
            return Err(unknown("msg.type", "message", other, ""));
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Out.

pub fn big(value: U256) -> JsValue {
    match u128::try_from(value) {
        Ok(small) => small.into(),
        // Above 2^128: through decimal text, which BigInt parses exactly.
        Err(_) => BigInt::new(&value.to_string().into()).map_or(JsValue::NULL, Into::into),
    }
}

fn time(t: Timestamp) -> JsValue {
    t.0.into()
}

fn policy_to_js(p: UnlockPolicy) -> JsValue {
    match p {
        UnlockPolicy::Merged => Obj::with_type("Merged").into(),
        UnlockPolicy::Chunked { max } => Obj::with_type("Chunked").set("max", max).into(),
    }
}

pub fn value_to_js(v: &Value) -> JsValue {
    match *v {
        Value::Amount(a) => big(a),
        Value::Account(a) => a.to_string().into(),
        Value::Time(t) => time(t),
        Value::Seconds(s) => s.into(),
        Value::Count(n) => n.into(),
        Value::Policy(p) => policy_to_js(p),
        Value::Reason(SlashReason::LostData) => Obj::with_type("LostData").into(),
        Value::Reason(SlashReason::Other { code }) => {
            Obj::with_type("Other").set("code", code).into()
        }
        Value::Gwei(n) | Value::Number(n) => n.into(),
        Value::Epoch(e) => e.0.into(),
        Value::Index(i) => i.0.into(),
        Value::Root(r) => hex(&r).into(),
    }
}

/// Bytes as `0x` and lowercase hex digits.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 + 2 * bytes.len());
    out.push_str("0x");
    for b in bytes {
        for digit in [b >> 4, b & 15] {
            out.push(char::from(
                DIGITS.get(usize::from(digit)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

/// `{ type: "Staked", account, amount }`, … from the core's description of the event.
pub fn event(e: &Event) -> JsValue {
    let described = e.describe();
    described
        .fields
        .iter()
        .fold(Obj::with_type(described.name), |o, (key, value)| {
            o.set_key(&field_key(key), value_to_js(value))
        })
        .into()
}

pub fn events(list: &[Event]) -> Array {
    list.iter().map(event).collect()
}

pub fn params_to_js(p: &StakeParams) -> JsValue {
    Obj::new()
        .set("unlockPeriod", p.unlock_period)
        .set("minStake", big(p.min_stake))
        .set("unlockPolicy", policy_to_js(p.unlock_policy))
        .into()
}

fn addresses(list: &[AccountId]) -> Array {
    list.iter().map(|a| JsValue::from(a.to_string())).collect()
}

pub fn council_to_js(c: &Council) -> JsValue {
    let members: Array = c
        .members()
        .iter()
        .map(|m| {
            JsValue::from(
                Obj::new()
                    .set("account", m.account.to_string())
                    .set("required", m.required),
            )
        })
        .collect();
    Obj::new()
        .set("members", members)
        .set("threshold", c.threshold())
        .into()
}

pub fn totals_to_js(t: &StakeTotals) -> JsValue {
    Obj::new()
        .set("totalStaked", big(t.total_staked))
        .set("totalUnlocked", big(t.total_unlocked))
        .set("totalSlashed", big(t.total_slashed))
        .set("balance", big(t.balance))
        .into()
}

/// An account as a dashboard shows it at `now`: the core's view plus its pending unlocks.
pub fn account_to_js(id: &AccountId, account: &StakeAccount, now: Timestamp) -> JsValue {
    let view = account.view(now);
    let chunks: Array = account
        .chunks()
        .iter()
        .map(|c| {
            JsValue::from(
                Obj::new()
                    .set("amount", big(c.amount))
                    .set("release", time(c.release)),
            )
        })
        .collect();
    Obj::new()
        .set("address", id.to_string())
        .set("staked", big(view.staked))
        .set("unlocked", big(view.unlocked))
        .set("withdrawable", big(view.withdrawable))
        .set("unlockTime", view.unlock_time.map_or(JsValue::NULL, time))
        .set("unlocks", chunks)
        .into()
}

/// A message as the object [`msg`] reads.
pub fn msg_to_js(m: &Msg) -> JsValue {
    let with_amount = |name: &str, amount: U256| Obj::with_type(name).set("amount", big(amount));
    match m {
        Msg::Stake { amount } => with_amount("Stake", *amount),
        Msg::Unstake { amount } => with_amount("Unstake", *amount),
        Msg::Withdraw => Obj::with_type("Withdraw"),
        Msg::Rebond { amount } => with_amount("Rebond", *amount),
        Msg::Slash {
            account,
            amount,
            reason,
            approvals,
        } => with_amount("Slash", *amount)
            .set("account", account.to_string())
            .set("reason", value_to_js(&Value::Reason(*reason)))
            .set("approvals", addresses(approvals)),
        Msg::UpdateStakeParams { params, approvals } => Obj::with_type("UpdateStakeParams")
            .set("params", params_to_js(params))
            .set("approvals", addresses(approvals)),
        Msg::UpdateCouncil { council, approvals } => Obj::with_type("UpdateCouncil")
            .set("council", council_to_js(council))
            .set("approvals", addresses(approvals)),
        Msg::Deposit { deposit } => Obj::with_type("Deposit").set(
            "deposit",
            Obj::new()
                .set("pubkey", hex(&deposit.pubkey))
                .set(
                    "withdrawalCredentials",
                    hex(&deposit.withdrawal_credentials),
                )
                .set("amount", deposit.amount)
                .set("signature", hex(&deposit.signature)),
        ),
        Msg::VoluntaryExit { exit } => Obj::with_type("VoluntaryExit").set(
            "exit",
            Obj::new()
                .set("epoch", exit.epoch.0)
                .set("validatorIndex", exit.validator_index.0),
        ),
        Msg::ProposerSlashing { proposer, evidence } => Obj::with_type("ProposerSlashing")
            .set("proposer", proposer.0)
            .set(
                "evidence",
                Obj::new()
                    .set("header1", header_to_js(&evidence.header_1))
                    .set("header2", header_to_js(&evidence.header_2)),
            ),
        Msg::AttesterSlashing { proposer, evidence } => Obj::with_type("AttesterSlashing")
            .set("proposer", proposer.0)
            .set(
                "evidence",
                Obj::new()
                    .set(
                        "attestation1",
                        indexed_attestation_to_js(&evidence.attestation_1),
                    )
                    .set(
                        "attestation2",
                        indexed_attestation_to_js(&evidence.attestation_2),
                    ),
            ),
        Msg::Attest {
            data,
            validators,
            block,
        } => Obj::with_type("Attest")
            .set("data", attestation_data_to_js(data))
            .set("validators", indices_to_js(validators))
            .set(
                "block",
                Obj::new()
                    .set("slot", block.slot.0)
                    .set("proposer", block.proposer.0)
                    .set("targetRoot", hex(&block.target_root))
                    .set("headRoot", hex(&block.head_root)),
            ),
        Msg::ProcessEpoch {
            previous_epoch_root,
            current_epoch_root,
        } => Obj::with_type("ProcessEpoch")
            .set("previousEpochRoot", hex(previous_epoch_root))
            .set("currentEpochRoot", hex(current_epoch_root)),
    }
    .into()
}

fn checkpoint_to_js(c: &Checkpoint) -> Obj {
    Obj::new().set("epoch", c.epoch.0).set("root", hex(&c.root))
}

fn indices_to_js(list: &[ValidatorIndex]) -> Array {
    list.iter().map(|v| JsValue::from(v.0)).collect()
}

fn attestation_data_to_js(d: &AttestationData) -> Obj {
    Obj::new()
        .set("slot", d.slot.0)
        .set("index", d.index)
        .set("beaconBlockRoot", hex(&d.beacon_block_root))
        .set("source", checkpoint_to_js(&d.source))
        .set("target", checkpoint_to_js(&d.target))
}

fn indexed_attestation_to_js(a: &IndexedAttestation) -> Obj {
    Obj::new()
        .set("attestingIndices", indices_to_js(&a.attesting_indices))
        .set("data", attestation_data_to_js(&a.data))
}

fn header_to_js(h: &BeaconBlockHeader) -> Obj {
    Obj::new()
        .set("slot", h.slot.0)
        .set("proposerIndex", h.proposer_index.0)
        .set("parentRoot", hex(&h.parent_root))
        .set("stateRoot", hex(&h.state_root))
        .set("bodyRoot", hex(&h.body_root))
}

/// The name of a preset the package can build, or `"custom"` (a restored snapshot may hold
/// any valid preset).
fn preset_name(p: &Preset) -> &'static str {
    let named = match p.fork {
        Fork::Phase0 => (Preset::phase0(), "phase0"),
        Fork::Altair => (Preset::altair(), "altair"),
        Fork::Bellatrix => (Preset::bellatrix(), "bellatrix"),
        Fork::Deneb => (Preset::deneb(), "deneb"),
        Fork::Electra => (Preset::electra(), "electra"),
    };
    if *p == Preset::seed_chain() {
        "seed_chain"
    } else if *p == named.0 {
        named.1
    } else {
        "custom"
    }
}

fn fork_name(f: Fork) -> &'static str {
    match f {
        Fork::Phase0 => "Phase0",
        Fork::Altair => "Altair",
        Fork::Bellatrix => "Bellatrix",
        Fork::Deneb => "Deneb",
        Fork::Electra => "Electra",
    }
}

fn preset_to_js(p: &Preset) -> Obj {
    Obj::new()
        .set("name", preset_name(p))
        .set("fork", fork_name(p.fork))
        .set("secondsPerSlot", p.seconds_per_slot)
        .set("slotsPerEpoch", p.slots_per_epoch)
        .set("minDepositAmount", p.min_deposit_amount)
        .set("maxEffectiveBalance", p.max_effective_balance)
        .set("effectiveBalanceIncrement", p.effective_balance_increment)
        .set("ejectionBalance", p.ejection_balance)
        .set("minActivationBalance", p.min_activation_balance)
        .set(
            "maxEffectiveBalanceElectra",
            p.max_effective_balance_electra,
        )
        .set("maxSeedLookahead", p.max_seed_lookahead)
        .set(
            "minValidatorWithdrawabilityDelay",
            p.min_validator_withdrawability_delay,
        )
        .set("shardCommitteePeriod", p.shard_committee_period)
        .set("minPerEpochChurnLimit", p.min_per_epoch_churn_limit)
        .set("churnLimitQuotient", p.churn_limit_quotient)
        .set(
            "maxPerEpochActivationChurnLimit",
            p.max_per_epoch_activation_churn_limit,
        )
        .set("baseRewardFactor", p.base_reward_factor)
        .set(
            "minEpochsToInactivityPenalty",
            p.min_epochs_to_inactivity_penalty,
        )
        .set("inactivityScoreBias", p.inactivity_score_bias)
        .set(
            "inactivityScoreRecoveryRate",
            p.inactivity_score_recovery_rate,
        )
        .set("inactivityPenaltyQuotient", p.inactivity_penalty_quotient())
        .set("epochsPerSlashingsVector", p.epochs_per_slashings_vector)
        .set(
            "minSlashingPenaltyQuotient",
            p.min_slashing_penalty_quotient(),
        )
        .set(
            "proportionalSlashingMultiplier",
            p.proportional_slashing_multiplier(),
        )
        .set(
            "whistleblowerRewardQuotient",
            p.whistleblower_reward_quotient(),
        )
}

fn count_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Balances per participation flag (`[source, target, head]`, Gwei) as
/// `{ source, target, head }`.
fn flag_balances_to_js(sums: &[u64; 3]) -> Obj {
    let [source, target, head] = *sums;
    Obj::new()
        .set("source", source)
        .set("target", target)
        .set("head", head)
}

/// The chain as a dashboard shows it: preset, epoch, finality, the registry's size, the
/// participating balances so far and the slashings window.
pub fn chain_to_js(chain: &Chain, view: &EpochView) -> JsValue {
    let state = chain.epoch_state();
    let finality = &state.finality;
    let totals = chain.totals();
    // The spec's `sum(state.slashings)`: at most EPOCHS_PER_SLASHINGS_VECTOR entries, each at
    // most the total effective balance, so the sum is exact in 128 bits.
    let slashings: u128 = chain.slashings().iter().map(|&x| u128::from(x)).sum();
    Obj::new()
        .set("preset", preset_to_js(chain.preset()))
        .set("currentEpoch", state.current_epoch.0)
        .set("justificationBits", finality.justification_bits.bits())
        .set(
            "previousJustified",
            checkpoint_to_js(&finality.previous_justified),
        )
        .set(
            "currentJustified",
            checkpoint_to_js(&finality.current_justified),
        )
        .set("finalized", checkpoint_to_js(&finality.finalized))
        .set("validatorCount", count_of(chain.validators().len()))
        .set("activeValidators", view.active_validators)
        .set("totalActiveBalance", view.total_active_balance)
        .set("pendingDeposits", count_of(chain.pending_deposits().len()))
        .set(
            "participatingBalance",
            Obj::new()
                .set("previous", flag_balances_to_js(&totals.previous))
                .set("current", flag_balances_to_js(&totals.current)),
        )
        .set("slashingsSum", slashings)
        .into()
}

/// A slashed validator's timeline: epochs as `bigint`, seconds and days as `number`.
pub fn slashing_timeline_to_js(t: &SlashingTimeline) -> JsValue {
    Obj::new()
        .set("correlationPenaltyEpoch", t.correlation_penalty_epoch.0)
        .set("withdrawableEpoch", t.withdrawable_epoch.0)
        .set(
            "secondsToCorrelationPenalty",
            t.seconds_to_correlation_penalty,
        )
        .set("secondsToWithdrawable", t.seconds_to_withdrawable)
        .set("daysToCorrelationPenalty", t.days_to_correlation_penalty())
        .set("daysToWithdrawable", t.days_to_withdrawable())
        .into()
}

/// Validator `index`'s record and balance, its inactivity score and participation flags.
pub fn validator_to_js(chain: &Chain, index: u64, v: &Validator, balance: u64) -> JsValue {
    let at = usize::try_from(index).unwrap_or(usize::MAX);
    let (previous, current) = chain.participation();
    let flags = |list: &[ParticipationFlags]| list.get(at).map_or(0, |f| f.0);
    Obj::new()
        .set("index", index)
        .set("pubkey", hex(&v.pubkey))
        .set("withdrawalCredentials", hex(&v.withdrawal_credentials))
        .set("effectiveBalance", v.effective_balance)
        .set("slashed", v.slashed)
        .set(
            "activationEligibilityEpoch",
            v.activation_eligibility_epoch.0,
        )
        .set("activationEpoch", v.activation_epoch.0)
        .set("exitEpoch", v.exit_epoch.0)
        .set("withdrawableEpoch", v.withdrawable_epoch.0)
        .set("balance", balance)
        .set(
            "inactivityScore",
            chain.inactivity_scores().get(at).copied().unwrap_or(0),
        )
        .set(
            "participation",
            Obj::new()
                .set("previous", flags(previous))
                .set("current", flags(current)),
        )
        .into()
}
