//! Dashboard estimates (`stakehold::estimate`): `number`s for display only, computed by the
//! core in `f64`; no transition reads them. Each export converts its arguments ([`convert`]) and
//! calls the core.

use stakehold::Epoch;
use stakehold::estimate;
use wasm_bindgen::prelude::*;

use crate::convert;
use crate::fail;

type JsResult<T> = Result<T, JsValue>;

/// The expected yearly return (a fraction: `0.029` is 2.9 %) of a validator that takes part as
/// the network does, from the preset's name, the total active balance (Gwei) and the share of
/// it attesting on time (a number, clamped to 0..1 by the core).
#[wasm_bindgen(js_name = estimateApr)]
pub fn estimate_apr(
    preset: JsValue,
    total_active_balance: JsValue,
    participation: JsValue,
) -> JsResult<f64> {
    let preset = convert::preset(&preset, "preset")?;
    let total = convert::u64_of(&total_active_balance, "totalActiveBalance")?;
    let participation = participation
        .as_f64()
        .ok_or_else(|| fail::argument("participation", "expected a number from 0 to 1"))?;
    Ok(estimate::apr(&preset, total, participation))
}

/// A slashed validator's correlation-penalty and withdrawable epochs and the time until each
/// from `currentEpoch`, or `null` when it has none (not slashed, or not scheduled). The
/// validator is an object with `slashed` and `withdrawableEpoch`, such as `validator(i)`'s.
#[wasm_bindgen(js_name = slashingTimeline)]
pub fn slashing_timeline(
    preset: JsValue,
    validator: JsValue,
    current_epoch: JsValue,
) -> JsResult<JsValue> {
    let preset = convert::preset(&preset, "preset")?;
    let (slashed, withdrawable) = convert::slashing_fields(&validator, "validator")?;
    let current = Epoch(convert::u64_of(&current_epoch, "currentEpoch")?);
    Ok(
        estimate::slashing_timeline_of(&preset, slashed, withdrawable, current)
            .map_or(JsValue::NULL, |t| convert::slashing_timeline_to_js(&t)),
    )
}

/// The probability of proposing at least one block in the next `slots` slots.
#[wasm_bindgen(js_name = proposalProbability)]
pub fn proposal_probability(
    effective_balance: JsValue,
    total_active_balance: JsValue,
    slots: JsValue,
) -> JsResult<f64> {
    let balance = convert::u64_of(&effective_balance, "effectiveBalance")?;
    let total = convert::u64_of(&total_active_balance, "totalActiveBalance")?;
    let slots = convert::u64_of(&slots, "slots")?;
    Ok(estimate::proposal_probability(balance, total, slots))
}
