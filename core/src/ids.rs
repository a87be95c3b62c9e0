//! Identifiers and points in time.
//!
//! Each is a newtype so that an epoch is never passed where a timestamp is expected. All encode
//! as fixed-size SCALE values (little-endian integers, raw address bytes).

use core::fmt;

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

/// A 20-byte account address (EVM style), shown as `0x` and 40 lowercase hex digits.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
pub struct AccountId(pub [u8; 20]);

/// Why a string is not an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseAddressError {
    /// Not `0x` followed by exactly 40 characters.
    Length,
    /// A character that is not a hex digit.
    NotHex,
}

impl fmt::Display for ParseAddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Length => "an address is 0x followed by 40 hex digits",
            Self::NotHex => "an address may contain only hex digits after 0x",
        })
    }
}

impl core::error::Error for ParseAddressError {}

impl AccountId {
    /// Parses `0x` followed by 40 hex digits (either case; no checksum is required or checked).
    pub fn from_hex(text: &str) -> Result<Self, ParseAddressError> {
        let digits = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .ok_or(ParseAddressError::Length)?;
        if digits.len() != 40 {
            return Err(ParseAddressError::Length);
        }
        let mut out = [0u8; 20];
        for (byte, pair) in out.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
            let (hi, lo) = match pair {
                [hi, lo] => (hex_value(*hi)?, hex_value(*lo)?),
                _ => return Err(ParseAddressError::Length),
            };
            *byte = hi.wrapping_shl(4) | lo;
        }
        Ok(Self(out))
    }
}

fn hex_value(c: u8) -> Result<u8, ParseAddressError> {
    match c {
        b'0'..=b'9' => Ok(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Ok(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Ok(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => Err(ParseAddressError::NotHex),
    }
}

impl core::str::FromStr for AccountId {
    type Err = ParseAddressError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl AccountId {
    /// `0x` and 40 lowercase hex digits, as ASCII bytes, without the formatting machinery
    /// (addresses are printed for every event a binding converts).
    pub fn to_hex_bytes(&self) -> [u8; 42] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'0'; 42];
        if let Some([_, x, digits @ ..]) = out.get_mut(..) {
            *x = b'x';
            for (pair, byte) in digits.chunks_exact_mut(2).zip(self.0) {
                if let [hi, lo] = pair {
                    *hi = DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                    *lo = DIGITS
                        .get(usize::from(byte & 0x0f))
                        .copied()
                        .unwrap_or(b'0');
                }
            }
        }
        out
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex_bytes();
        // Only ASCII was written, so this never takes the error branch.
        f.write_str(core::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A token contract address; [`TokenId::NATIVE`] (all zeros) is the chain's native coin, as in
/// the Bitlayer re-staking contracts where `address(0)` means BTC.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode, MaxEncodedLen,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TokenId(pub AccountId);

impl TokenId {
    /// The chain's native coin.
    pub const NATIVE: Self = Self(AccountId([0; 20]));
}

impl fmt::Debug for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

macro_rules! u64_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug,
            Encode, Decode, MaxEncodedLen,
        )]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

u64_id!(
    /// Seconds since the Unix epoch (UTC), as a block's timestamp. Shown on screens with
    /// [`crate::calendar::UtcDateTime`].
    Timestamp
);
u64_id!(
    /// A block height of the host chain.
    BlockHeight
);
u64_id!(
    /// A consensus epoch (proof of stake: 32 slots).
    Epoch
);
u64_id!(
    /// A consensus slot (proof of stake: 12 seconds).
    Slot
);
u64_id!(
    /// A validator's position in the registry (Ethereum's `ValidatorIndex`).
    ValidatorIndex
);

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn address_hex_round_trips() {
        let text = "0x00112233445566778899aabbccddeeff0a1b2c3d";
        let id = AccountId::from_hex(text).unwrap();
        assert_eq!(id.0[1], 0x11);
        assert_eq!(id.to_string(), text);
        assert_eq!(
            AccountId::from_hex(&text.to_uppercase().replace("0X", "0x")),
            Ok(id)
        );
    }

    #[test]
    fn malformed_addresses_are_typed_errors() {
        assert_eq!(AccountId::from_hex(""), Err(ParseAddressError::Length));
        assert_eq!(
            AccountId::from_hex("00112233445566778899aabbccddeeff0a1b2c3d"),
            Err(ParseAddressError::Length)
        );
        assert_eq!(
            AccountId::from_hex("0x0011"),
            Err(ParseAddressError::Length)
        );
        assert_eq!(
            AccountId::from_hex("0x00112233445566778899aabbccddeeff0a1b2c3d00"),
            Err(ParseAddressError::Length)
        );
        assert_eq!(
            AccountId::from_hex("0xg0112233445566778899aabbccddeeff0a1b2c3d"),
            Err(ParseAddressError::NotHex)
        );
        // A multi-byte character must not be split into bytes that look like digits.
        assert_eq!(
            AccountId::from_hex("0xé0112233445566778899aabbccddeeff0a1b2c3"),
            Err(ParseAddressError::NotHex)
        );
    }
}
