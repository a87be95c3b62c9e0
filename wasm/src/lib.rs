//! The npm package `stakehold`: the stakehold core for browsers and Node, through wasm-bindgen.
//!
//! These are the raw exports. The package's public API is the JavaScript layer in `js/api.js`,
//! which wraps them: the `Ledger` class with one camelCase method per transition, the
//! `StakeholdError` class, and the check that the module was initialised. Nothing here decides
//! anything: each export converts its arguments ([`convert`]), calls the core, and converts the
//! result or the error ([`fail`]) back.
//!
//! Nothing panics: conversions check types and ranges and report a `StakeholdError` with the
//! core's codes (`InvalidArgument`, `InvalidAddress`, `InvalidAmount`, `Overflow`), and the core
//! itself is panic-free, so a wasm trap (`unreachable`) would be a bug.

mod convert;
mod estimate;
mod fail;
mod js;

use js_sys::{Array, Uint8Array, Uint16Array, Uint32Array};
use stakehold::calendar::UtcDateTime;
use stakehold::codec::Encode;
use stakehold::stake::{BTT_DECIMALS, StakeParams};
use stakehold::{Event, Ledger, Msg, Timestamp, num, wire};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::fail::Failure;

type JsResult<T> = Result<T, JsValue>;

/// The staking state of every account (wrapped by the package's `Ledger` class).
#[wasm_bindgen]
pub struct RawLedger {
    inner: Ledger,
}

#[wasm_bindgen]
impl RawLedger {
    /// An empty ledger: `params` (BTFS defaults when `undefined`), the council, and the chain
    /// (`{ preset?, genesis? }`; an empty seed-chain registry when `undefined`).
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue, council: JsValue, chain: JsValue) -> JsResult<RawLedger> {
        let params = if params.is_undefined() {
            StakeParams::btfs()
        } else {
            convert::params(&params, "params")?
        };
        let council = convert::council(&council, "council")?;
        let inner = match convert::chain(&chain, "chain")? {
            Some(chain) => Ledger::with_chain(params, council, chain),
            None => Ledger::new(params, council),
        }
        .map_err(Failure::from)?;
        Ok(Self { inner })
    }

    /// A ledger from snapshot bytes (validated by the core).
    pub fn restore(snapshot: JsValue) -> JsResult<RawLedger> {
        let bytes = convert::bytes(&snapshot, "snapshot")?;
        let inner = Ledger::restore(&bytes).map_err(Failure::from)?;
        Ok(Self { inner })
    }

    /// The canonical snapshot bytes.
    pub fn snapshot(&self) -> Uint8Array {
        self.inner.snapshot().as_slice().into()
    }

    /// Applies a message object; returns its events.
    pub fn submit(&mut self, ctx: JsValue, msg: JsValue) -> JsResult<Array> {
        let ctx = convert::context(&ctx)?;
        let msg = convert::msg(&msg)?;
        let events = self.inner.apply(&ctx, &msg).map_err(Failure::from)?;
        Ok(convert::events(&events))
    }

    /// Applies a SCALE-encoded, versioned message; returns its events.
    pub fn apply(&mut self, ctx: JsValue, msg: JsValue) -> JsResult<Array> {
        let ctx = convert::context(&ctx)?;
        let bytes = convert::bytes(&msg, "msg")?;
        let events = self
            .inner
            .apply_bytes(&ctx, &bytes)
            .map_err(Failure::from)?;
        Ok(convert::events(&events))
    }

    /// Applies a block of messages (`encodeBlock` bytes), each on its own as `apply` would, in
    /// one call. Returns `{ codes, eventCounts, events }`: per message its error code (0 when it
    /// succeeded) and how many events it emitted, and all the events in order as SCALE bytes
    /// (`decodeEvents` reads them).
    #[wasm_bindgen(js_name = applyBlock)]
    pub fn apply_block(&mut self, block: JsValue) -> JsResult<JsValue> {
        let bytes = convert::bytes(&block, "block")?;
        let results = self
            .inner
            .apply_block_bytes(&bytes)
            .map_err(Failure::from)?;
        let mut codes = Vec::with_capacity(results.len());
        let mut counts = Vec::with_capacity(results.len());
        let mut events = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(emitted) => {
                    codes.push(0u16);
                    counts.push(u32::try_from(emitted.len()).unwrap_or(u32::MAX));
                    events.extend(emitted);
                }
                Err(e) => {
                    codes.push(e.code());
                    counts.push(0u32);
                }
            }
        }
        Ok(js::Obj::new()
            .set("codes", Uint16Array::from(codes.as_slice()))
            .set("eventCounts", Uint32Array::from(counts.as_slice()))
            .set("events", Uint8Array::from(events.encode().as_slice()))
            .into())
    }

    /// An account at `now`.
    pub fn account(&self, address: JsValue, now: JsValue) -> JsResult<JsValue> {
        let id = convert::address(&address, "address")?;
        let now = convert::u64_of(&now, "now")?;
        Ok(convert::account_to_js(
            &id,
            self.inner.account(&id),
            Timestamp(now),
        ))
    }

    /// Every account holding something, in no particular order (the JavaScript layer sorts
    /// them: lowercase hex strings of one length sort as the addresses do, and a sort here
    /// would cost the module a sort routine of its own).
    pub fn accounts(&self) -> Array {
        self.inner
            .accounts()
            .map(|(id, _)| JsValue::from(id.to_string()))
            .collect()
    }

    #[wasm_bindgen(js_name = accountCount)]
    pub fn account_count(&self) -> u32 {
        u32::try_from(self.inner.account_count()).unwrap_or(u32::MAX)
    }

    pub fn totals(&self) -> JsValue {
        convert::totals_to_js(self.inner.totals())
    }

    pub fn params(&self) -> JsValue {
        convert::params_to_js(self.inner.params())
    }

    pub fn council(&self) -> JsValue {
        convert::council_to_js(self.inner.council())
    }

    /// The proof-of-stake chain: preset, epoch, finality checkpoints, registry size,
    /// participating balances, the slashings window's sum.
    pub fn chain(&self) -> JsValue {
        let chain = self.inner.chain();
        convert::chain_to_js(chain, &chain.view())
    }

    /// Validator `index` with its balance, or `null` if there is none.
    pub fn validator(&self, index: JsValue) -> JsResult<JsValue> {
        let index = convert::validator_index(&index, "index")?;
        let chain = self.inner.chain();
        Ok(chain
            .validator(index)
            .map_or(JsValue::NULL, |(v, balance)| {
                convert::validator_to_js(chain, index.0, v, balance)
            }))
    }

    /// Up to `limit` validators from index `start` (0 and all when `undefined`).
    pub fn validators(&self, start: JsValue, limit: JsValue) -> JsResult<Array> {
        let chain = self.inner.chain();
        let start = if start.is_undefined() {
            0
        } else {
            convert::u64_of(&start, "start")?
        };
        let limit = if limit.is_undefined() {
            u64::MAX
        } else {
            convert::u64_of(&limit, "limit")?
        };
        let skip = usize::try_from(start).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok((start..)
            .zip(chain.validators().iter().zip(chain.balances()).skip(skip))
            .take(take)
            .map(|(index, (v, balance))| convert::validator_to_js(chain, index, v, *balance))
            .collect())
    }

    /// The index of the validator with this public key, or `null`.
    #[wasm_bindgen(js_name = validatorIndex)]
    pub fn validator_index(&self, pubkey: JsValue) -> JsResult<JsValue> {
        let pubkey = convert::pubkey(&pubkey, "pubkey")?;
        Ok(self
            .inner
            .chain()
            .index_of(&pubkey)
            .map_or(JsValue::NULL, |i| i.0.into()))
    }
}

/// A message object as versioned SCALE bytes (what `apply` and the C library read).
#[wasm_bindgen(js_name = encodeMessage)]
pub fn encode_message(msg: JsValue) -> JsResult<Uint8Array> {
    let msg = convert::msg(&msg)?;
    Ok(msg.to_bytes().as_slice().into())
}

/// `[{ ctx, msg }, …]` as block bytes for `applyBlock`.
#[wasm_bindgen(js_name = encodeBlock)]
pub fn encode_block(items: JsValue) -> JsResult<Uint8Array> {
    let items = items
        .dyn_ref::<Array>()
        .ok_or_else(|| fail::argument("block", "expected an array of { ctx, msg }"))?;
    let mut block = Vec::with_capacity(items.length() as usize);
    for (i, item) in items.iter().enumerate() {
        let at = format!("block[{i}]");
        let ctx = convert::context(&js::get(&item, &at, "ctx")?)?;
        let msg = convert::msg(&js::get(&item, &at, "msg")?)?;
        block.push((ctx, msg));
    }
    Ok(stakehold::msg::encode_block(&block).as_slice().into())
}

/// SCALE `Vec<Event>` bytes (as `applyBlock` returns them) as event objects.
#[wasm_bindgen(js_name = decodeEvents)]
pub fn decode_events(bytes: JsValue) -> JsResult<Array> {
    let bytes = convert::bytes(&bytes, "bytes")?;
    let events: Vec<Event> =
        wire::decode_exact(&bytes).map_err(|e| Failure::from(stakehold::Error::from(e)))?;
    Ok(convert::events(&events))
}

/// Versioned SCALE bytes as a message object.
#[wasm_bindgen(js_name = decodeMessage)]
pub fn decode_message(bytes: JsValue) -> JsResult<JsValue> {
    let bytes = convert::bytes(&bytes, "bytes")?;
    let msg = Msg::decode_bytes(&bytes).map_err(|e| Failure::from(stakehold::Error::from(e)))?;
    Ok(convert::msg_to_js(&msg))
}

/// SCALE event bytes (as the Rust and C surfaces emit them) as an event object.
#[wasm_bindgen(js_name = decodeEvent)]
pub fn decode_event(bytes: JsValue) -> JsResult<JsValue> {
    let bytes = convert::bytes(&bytes, "bytes")?;
    let event: Event =
        wire::decode_exact(&bytes).map_err(|e| Failure::from(stakehold::Error::from(e)))?;
    Ok(convert::event(&event))
}

fn decimals_or_btt(decimals: &JsValue) -> JsResult<u8> {
    if decimals.is_undefined() {
        return Ok(BTT_DECIMALS);
    }
    let n = convert::u64_of(decimals, "decimals")?;
    Ok(u8::try_from(n).unwrap_or(u8::MAX))
}

/// `1500000000000000000n` → `"1.5"` (18 decimals unless given).
#[wasm_bindgen(js_name = formatAmount)]
pub fn format_amount(amount: JsValue, decimals: JsValue) -> JsResult<String> {
    let amount = convert::amount(&amount, "amount")?;
    let decimals = decimals_or_btt(&decimals)?;
    let text = num::format_amount(amount, decimals)
        .map_err(|e| Failure::from(stakehold::Error::from(e)))?;
    Ok(text.as_str().into())
}

/// `"1.5"` → `1500000000000000000n` (18 decimals unless given).
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(text: JsValue, decimals: JsValue) -> JsResult<JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| fail::argument("text", "expected a string"))?;
    let decimals = decimals_or_btt(&decimals)?;
    let value =
        num::parse_amount(&text, decimals).map_err(|e| Failure::from(stakehold::Error::from(e)))?;
    Ok(convert::big(value))
}

/// Unix seconds → `"2026-12-03 14:02 UTC"` (with seconds when `seconds` is true).
#[wasm_bindgen(js_name = formatTime)]
pub fn format_time(timestamp: JsValue, seconds: JsValue) -> JsResult<String> {
    let t = UtcDateTime::from_timestamp(Timestamp(convert::u64_of(&timestamp, "timestamp")?));
    Ok(if seconds.is_truthy() {
        format!("{t:#}")
    } else {
        t.to_string()
    })
}

/// The allocator: talc rather than the standard library's dlmalloc, for the size budget (about
/// 6.6 KB smaller after wasm-opt) at no cost in throughput in `wasm/bench` (measured the same
/// within noise).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
