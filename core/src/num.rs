//! Exact integer money: checked [`U256`] arithmetic and amounts formatted for screens.
//!
//! Amounts are always integers in a token's base unit (wei for BTT, satoshi for BTC, Gwei for
//! the consensus layer). Every operation here is checked: overflow and underflow are errors,
//! never a wrap and never a panic. Decimal strings exist only at the edges — to show an amount
//! on a device screen ([`format_amount`]) and to read one a person typed ([`parse_amount`]).

use core::fmt::Write as _;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
use primitive_types::U256;

/// Longest decimal string [`format_amount`] can produce: 78 digits of `U256::MAX`, or `"0."`
/// followed by [`MAX_DECIMALS`] digits.
pub const AMOUNT_STR_CAP: usize = 80;

/// Most decimals [`format_amount`] and [`parse_amount`] accept (`U256::MAX` has 78 digits).
pub const MAX_DECIMALS: u8 = 77;

/// A formatted amount, stored inline (no heap).
pub type AmountString = heapless::String<AMOUNT_STR_CAP>;

/// Errors of the number helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum NumError {
    /// A sum or product exceeded the type's maximum (`U256::MAX` or `u64::MAX`).
    #[codec(index = 0)]
    Overflow,
    /// A difference went below zero.
    #[codec(index = 1)]
    Underflow,
    /// More decimals than [`MAX_DECIMALS`].
    #[codec(index = 2)]
    DecimalsTooLarge {
        /// The decimals asked for.
        decimals: u8,
    },
    /// A decimal string that is not a plain non-negative amount with at most `decimals`
    /// fractional digits (see [`parse_amount`]).
    #[codec(index = 3)]
    InvalidAmount,
}

impl core::fmt::Display for NumError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Overflow => f.write_str("arithmetic overflow"),
            Self::Underflow => f.write_str("arithmetic underflow"),
            Self::DecimalsTooLarge { decimals } => {
                write!(
                    f,
                    "{decimals} decimals is more than the {MAX_DECIMALS} supported"
                )
            }
            Self::InvalidAmount => f.write_str("not a valid decimal amount"),
        }
    }
}

/// `a + b`, or [`NumError::Overflow`].
pub fn add(a: U256, b: U256) -> Result<U256, NumError> {
    a.checked_add(b).ok_or(NumError::Overflow)
}

/// `a - b`, or [`NumError::Underflow`].
pub fn sub(a: U256, b: U256) -> Result<U256, NumError> {
    a.checked_sub(b).ok_or(NumError::Underflow)
}

/// `a + b` on `u64` (times, epochs), or [`NumError::Overflow`].
pub fn add_u64(a: u64, b: u64) -> Result<u64, NumError> {
    a.checked_add(b).ok_or(NumError::Overflow)
}

/// Sum of amounts, or [`NumError::Overflow`].
pub fn sum<I: IntoIterator<Item = U256>>(items: I) -> Result<U256, NumError> {
    items.into_iter().try_fold(U256::zero(), add)
}

/// Formats `value` base units as a decimal amount with `decimals` fractional digits, trailing
/// zeros removed: `1500000000000000000` with 18 decimals is `"1.5"`, `0` is `"0"`.
///
/// No grouping separators and no unit: a screen adds those as it sees fit.
///
/// ```
/// use stakehold::{num::format_amount, U256};
/// assert_eq!(format_amount(U256::from(1_500_000_000_000_000_000u64), 18).unwrap(), "1.5");
/// assert_eq!(format_amount(U256::from(1u8), 8).unwrap(), "0.00000001");
/// assert_eq!(format_amount(U256::from(42u8), 0).unwrap(), "42");
/// ```
pub fn format_amount(value: U256, decimals: u8) -> Result<AmountString, NumError> {
    if decimals > MAX_DECIMALS {
        return Err(NumError::DecimalsTooLarge { decimals });
    }
    let mut digits: AmountString = heapless::String::new();
    // U256's Display writes at most 78 digits, which always fits.
    write!(digits, "{value}").map_err(|_| NumError::Overflow)?;
    let decimals = usize::from(decimals);
    let mut out: AmountString = heapless::String::new();
    let (int_part, frac_part) = match digits.len().checked_sub(decimals) {
        Some(0) | None => ("0", digits.as_str()),
        Some(split) => digits
            .split_at_checked(split)
            .unwrap_or((digits.as_str(), "")),
    };
    let leading_zeros = decimals.saturating_sub(frac_part.len());
    let frac_trimmed = frac_part.trim_end_matches('0');
    push(&mut out, int_part)?;
    if !frac_trimmed.is_empty() {
        push(&mut out, ".")?;
        for _ in 0..leading_zeros {
            push(&mut out, "0")?;
        }
        push(&mut out, frac_trimmed)?;
    }
    Ok(out)
}

fn push(out: &mut AmountString, s: &str) -> Result<(), NumError> {
    out.push_str(s).map_err(|_| NumError::Overflow)
}

/// Reads a decimal amount a person typed into base units: `"1.5"` with 18 decimals is
/// `1500000000000000000`.
///
/// Strict: ASCII digits with at most one `.`; at least one digit before the point when there is
/// one and at least one after it; at most `decimals` fractional digits (a finer amount cannot be
/// represented, so it is an error rather than a silent rounding); no sign, exponent, spaces or
/// separators; the result must fit in 256 bits.
///
/// ```
/// use stakehold::{num::parse_amount, U256};
/// assert_eq!(parse_amount("1.5", 18).unwrap(), U256::from(1_500_000_000_000_000_000u64));
/// assert!(parse_amount("1.5", 0).is_err());
/// ```
pub fn parse_amount(text: &str, decimals: u8) -> Result<U256, NumError> {
    if decimals > MAX_DECIMALS {
        return Err(NumError::DecimalsTooLarge { decimals });
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) if !i.is_empty() && !f.is_empty() => (i, f),
        Some(_) => return Err(NumError::InvalidAmount),
        None => (text, ""),
    };
    if int_part.is_empty() || frac_part.len() > usize::from(decimals) {
        return Err(NumError::InvalidAmount);
    }
    let pad = usize::from(decimals).saturating_sub(frac_part.len());
    let digits = int_part
        .bytes()
        .chain(frac_part.bytes())
        .chain(core::iter::repeat_n(b'0', pad));
    let mut value = U256::zero();
    for byte in digits {
        let digit = match byte {
            b'0'..=b'9' => byte.wrapping_sub(b'0'),
            _ => return Err(NumError::InvalidAmount),
        };
        value = value
            .checked_mul(U256::from(10u8))
            .and_then(|v| v.checked_add(U256::from(digit)))
            .ok_or(NumError::Overflow)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: U256, d: u8) -> AmountString {
        format_amount(v, d).unwrap()
    }

    #[test]
    fn formats_the_documented_examples() {
        assert_eq!(fmt(U256::from(1_500_000_000_000_000_000u64), 18), "1.5");
        assert_eq!(fmt(U256::zero(), 18), "0");
        assert_eq!(fmt(U256::from(10u8).pow(18.into()), 18), "1");
        assert_eq!(fmt(U256::from(1u8), 18), "0.000000000000000001");
        assert_eq!(fmt(U256::from(123_456u32), 3), "123.456");
        assert_eq!(fmt(U256::from(100u8), 2), "1");
        assert_eq!(fmt(U256::from(1010u32), 2), "10.1");
    }

    #[test]
    fn formats_the_extremes() {
        let max = fmt(U256::MAX, 0);
        assert_eq!(max.len(), 78);
        assert_eq!(
            max,
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        let tiny = fmt(U256::from(1u8), MAX_DECIMALS);
        assert_eq!(tiny.len(), 2 + usize::from(MAX_DECIMALS));
        assert!(tiny.ends_with("01"));
        assert_eq!(
            fmt(U256::MAX, MAX_DECIMALS),
            "1.15792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        assert_eq!(
            format_amount(U256::one(), MAX_DECIMALS + 1),
            Err(NumError::DecimalsTooLarge { decimals: 78 })
        );
    }

    #[test]
    fn parses_strictly() {
        assert_eq!(parse_amount("0", 18), Ok(U256::zero()));
        assert_eq!(parse_amount("1", 2), Ok(U256::from(100u8)));
        assert_eq!(parse_amount("0.01", 2), Ok(U256::from(1u8)));
        for bad in [
            "", ".", "1.", ".5", "-1", "+1", "1e3", "1,5", " 1", "1.2.3", "0.001",
        ] {
            assert_eq!(
                parse_amount(bad, 2),
                Err(NumError::InvalidAmount),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_amount("1", 78),
            Err(NumError::DecimalsTooLarge { decimals: 78 })
        );
        let max = fmt(U256::MAX, 0);
        assert_eq!(parse_amount(&max, 0), Ok(U256::MAX));
        assert_eq!(
            parse_amount(
                "115792089237316195423570985008687907853269984665640564039457584007913129639936",
                0
            ),
            Err(NumError::Overflow)
        );
    }

    #[test]
    fn checked_helpers_report_overflow_and_underflow() {
        assert_eq!(add(U256::MAX, U256::one()), Err(NumError::Overflow));
        assert_eq!(sub(U256::zero(), U256::one()), Err(NumError::Underflow));
        assert_eq!(add_u64(u64::MAX, 1), Err(NumError::Overflow));
        assert_eq!(sum([U256::MAX, U256::one()]), Err(NumError::Overflow));
        assert_eq!(sum([U256::one(), U256::one()]), Ok(U256::from(2u8)));
    }

    proptest::proptest! {
        #[test]
        fn format_then_parse_round_trips(words: [u64; 4], decimals in 0u8..=MAX_DECIMALS) {
            let value = U256(words);
            let text = format_amount(value, decimals).unwrap();
            proptest::prop_assert_eq!(parse_amount(&text, decimals), Ok(value));
        }
    }
}
