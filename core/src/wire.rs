//! The byte format: SCALE, with a one-byte format version in front of messages and snapshots.
//!
//! Every record, message, event and error has a SCALE encoding that is part of the public
//! contract (golden vectors in `tests/vectors/` pin it). Top-level messages ([`crate::Msg`]) and
//! ledger snapshots start with a version byte ([`MSG_VERSION`], [`SNAPSHOT_VERSION`]) so a
//! future format can be told apart instead of misread.
//!
//! Decoding is strict and typed: bytes that end early are [`WireError::Truncated`], bytes left
//! over are [`WireError::TrailingBytes`], a version this build does not speak is
//! [`WireError::UnsupportedVersion`], and anything else that is not a valid value (an unknown
//! enum variant, a list longer than its capacity, a bool that is not 0 or 1) is
//! [`WireError::Malformed`]. No input panics.
//!
//! Encoding without a heap writes into a caller's buffer ([`encode_into`]); with `alloc`,
//! [`to_bytes`] returns a `Vec`.

use parity_scale_codec::{Decode, Encode, Input, MaxEncodedLen, Output};

/// Format version of an encoded [`crate::Msg`].
pub const MSG_VERSION: u8 = 1;
/// Format version of a ledger snapshot: 3 since the chain keeps the slashings vector (2 added
/// the proof-of-stake chain, 1 was staking only; both are still read).
pub const SNAPSHOT_VERSION: u8 = 3;

/// Why bytes could not be decoded, or a value could not be encoded into a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
pub enum WireError {
    /// The bytes ended before the value did.
    #[codec(index = 0)]
    Truncated,
    /// A whole value was read and bytes were left over.
    #[codec(index = 1)]
    TrailingBytes {
        /// How many bytes were left.
        extra: u32,
    },
    /// The leading version byte is not one this build reads.
    #[codec(index = 2)]
    UnsupportedVersion {
        /// The version byte found.
        found: u8,
        /// The version this build reads and writes.
        supported: u8,
    },
    /// The bytes are not a valid value: unknown variant, over-long list, invalid field.
    #[codec(index = 3)]
    Malformed,
    /// The output buffer is too small.
    #[codec(index = 4)]
    BufferTooSmall {
        /// Bytes the encoding needs.
        needed: u32,
    },
}

impl core::fmt::Display for WireError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Truncated => f.write_str("the bytes end before the value does"),
            Self::TrailingBytes { extra } => write!(f, "{extra} bytes left over after the value"),
            Self::UnsupportedVersion { found, supported } => {
                write!(
                    f,
                    "format version {found} is not supported (this build reads {supported})"
                )
            }
            Self::Malformed => f.write_str("the bytes are not a valid value"),
            Self::BufferTooSmall { needed } => write!(f, "the output buffer needs {needed} bytes"),
        }
    }
}

/// A byte slice as SCALE input that remembers whether a read ran past its end, so a decode
/// failure can be told apart as truncation.
struct Reader<'a> {
    rest: &'a [u8],
    ran_out: bool,
}

impl Input for Reader<'_> {
    /// Not told: given a length, the codec refuses a list of plain numbers (`Vec<u64>`) that
    /// the bytes cannot hold before reading it, and the refusal would look malformed. Without
    /// one it reads such a list in bounded chunks and runs out, which is truncation. Lists are
    /// never allocated whole from a claimed length either way.
    fn remaining_len(&mut self) -> Result<Option<usize>, parity_scale_codec::Error> {
        Ok(None)
    }

    fn read(&mut self, into: &mut [u8]) -> Result<(), parity_scale_codec::Error> {
        match self.rest.split_at_checked(into.len()) {
            Some((head, tail)) => {
                into.copy_from_slice(head);
                self.rest = tail;
                Ok(())
            }
            None => {
                self.ran_out = true;
                Err("not enough data".into())
            }
        }
    }
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Decodes exactly one `T` from all of `bytes`.
pub fn decode_exact<T: Decode>(bytes: &[u8]) -> Result<T, WireError> {
    let mut reader = Reader {
        rest: bytes,
        ran_out: false,
    };
    let value = T::decode(&mut reader).map_err(|_| {
        if reader.ran_out {
            WireError::Truncated
        } else {
            WireError::Malformed
        }
    })?;
    match reader.rest.len() {
        0 => Ok(value),
        extra => Err(WireError::TrailingBytes {
            extra: len_u32(extra),
        }),
    }
}

/// Decodes `version` followed by exactly one `T`.
pub fn decode_versioned<T: Decode>(version: u8, bytes: &[u8]) -> Result<T, WireError> {
    match bytes.split_first() {
        None => Err(WireError::Truncated),
        Some((&found, body)) if found == version => decode_exact(body),
        Some((&found, _)) => Err(WireError::UnsupportedVersion {
            found,
            supported: version,
        }),
    }
}

/// Decodes `version` followed by a SCALE list of `T`, handing each item to `each` as soon as it
/// is read, so no list is built; returns how many there were. Errors as
/// [`decode_versioned`]; on an error, the items before it have already been handed over.
pub fn for_each_versioned<T: Decode>(
    version: u8,
    bytes: &[u8],
    mut each: impl FnMut(T),
) -> Result<usize, WireError> {
    let body = match bytes.split_first() {
        None => return Err(WireError::Truncated),
        Some((&found, body)) if found == version => body,
        Some((&found, _)) => {
            return Err(WireError::UnsupportedVersion {
                found,
                supported: version,
            });
        }
    };
    let mut reader = Reader {
        rest: body,
        ran_out: false,
    };
    let failed = |reader: &Reader<'_>| {
        if reader.ran_out {
            WireError::Truncated
        } else {
            WireError::Malformed
        }
    };
    let count = parity_scale_codec::Compact::<u32>::decode(&mut reader)
        .map_err(|_| failed(&reader))?
        .0;
    for _ in 0..count {
        each(T::decode(&mut reader).map_err(|_| failed(&reader))?);
    }
    match reader.rest.len() {
        0 => Ok(usize::try_from(count).unwrap_or(usize::MAX)),
        extra => Err(WireError::TrailingBytes {
            extra: len_u32(extra),
        }),
    }
}

/// SCALE output into a fixed slice.
struct SliceWriter<'a> {
    buf: &'a mut [u8],
    written: usize,
    overflowed: bool,
}

impl Output for SliceWriter<'_> {
    fn write(&mut self, bytes: &[u8]) {
        let end = self.written.checked_add(bytes.len());
        match end.and_then(|end| self.buf.get_mut(self.written..end)) {
            Some(dest) if !self.overflowed => {
                dest.copy_from_slice(bytes);
                self.written = self.written.saturating_add(bytes.len());
            }
            _ => self.overflowed = true,
        }
    }
}

fn write_parts(parts: &[&dyn EncodeDyn], buf: &mut [u8]) -> Result<usize, WireError> {
    let needed = parts
        .iter()
        .fold(0usize, |acc, p| acc.saturating_add(p.size()));
    if buf.len() < needed {
        return Err(WireError::BufferTooSmall {
            needed: len_u32(needed),
        });
    }
    let mut writer = SliceWriter {
        buf,
        written: 0,
        overflowed: false,
    };
    for part in parts {
        part.write(&mut writer);
    }
    if writer.overflowed {
        return Err(WireError::BufferTooSmall {
            needed: len_u32(needed),
        });
    }
    Ok(writer.written)
}

/// Object-safe view of `Encode` for [`write_parts`].
trait EncodeDyn {
    fn size(&self) -> usize;
    fn write(&self, out: &mut SliceWriter<'_>);
}

impl<T: Encode> EncodeDyn for T {
    fn size(&self) -> usize {
        self.encoded_size()
    }
    fn write(&self, out: &mut SliceWriter<'_>) {
        self.encode_to(out);
    }
}

/// Encodes `value` into `buf` without allocating; returns the number of bytes written, or
/// [`WireError::BufferTooSmall`] with the size needed (and `buf` untouched).
pub fn encode_into<T: Encode>(value: &T, buf: &mut [u8]) -> Result<usize, WireError> {
    write_parts(&[value], buf)
}

/// Encodes `version` followed by `value` into `buf`, as [`encode_into`].
pub fn encode_versioned_into<T: Encode>(
    version: u8,
    value: &T,
    buf: &mut [u8],
) -> Result<usize, WireError> {
    write_parts(&[&version, value], buf)
}

/// `version` followed by the SCALE encoding of `value`.
#[cfg(feature = "alloc")]
pub fn to_bytes<T: Encode>(version: u8, value: &T) -> alloc::vec::Vec<u8> {
    let mut out = alloc::vec::Vec::with_capacity(value.encoded_size().saturating_add(1));
    out.push(version);
    value.encode_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Encode, Decode)]
    enum Sample {
        A(u32),
        B(bool),
    }

    #[test]
    fn decode_errors_are_typed() {
        assert_eq!(decode_exact::<Sample>(&[0, 1, 0, 0, 0]), Ok(Sample::A(1)));
        assert_eq!(
            decode_exact::<Sample>(&[0, 1, 0]),
            Err(WireError::Truncated)
        );
        assert_eq!(decode_exact::<Sample>(&[]), Err(WireError::Truncated));
        assert_eq!(
            decode_exact::<Sample>(&[1, 1, 9, 9]),
            Err(WireError::TrailingBytes { extra: 2 })
        );
        assert_eq!(decode_exact::<Sample>(&[7]), Err(WireError::Malformed));
        assert_eq!(decode_exact::<Sample>(&[1, 2]), Err(WireError::Malformed));
    }

    #[test]
    fn versions_are_checked() {
        assert_eq!(
            decode_versioned::<Sample>(1, &[1, 1, 0]),
            Ok(Sample::B(false))
        );
        assert_eq!(
            decode_versioned::<Sample>(1, &[]),
            Err(WireError::Truncated)
        );
        assert_eq!(
            decode_versioned::<Sample>(1, &[2, 1, 0]),
            Err(WireError::UnsupportedVersion {
                found: 2,
                supported: 1
            })
        );
    }

    #[test]
    fn encodes_into_a_buffer_or_reports_the_size_needed() {
        let mut buf = [0xffu8; 8];
        assert_eq!(
            encode_versioned_into(1, &Sample::A(7), &mut buf[..5]),
            Err(WireError::BufferTooSmall { needed: 6 })
        );
        assert_eq!(buf, [0xff; 8], "nothing is written on error");
        assert_eq!(encode_versioned_into(1, &Sample::A(7), &mut buf), Ok(6));
        assert_eq!(&buf[..6], &[1, 0, 7, 0, 0, 0]);
        assert_eq!(encode_into(&Sample::B(true), &mut buf), Ok(2));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn to_bytes_prefixes_the_version() {
        assert_eq!(to_bytes(1, &Sample::A(7)), [1, 0, 7, 0, 0, 0]);
    }
}
