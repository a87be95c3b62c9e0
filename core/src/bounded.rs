//! Bounded collections that encode as SCALE and never allocate.
//!
//! A record that holds a list (unlock chunks, council members, approvals) holds it in a
//! [`BoundedVec`]: a `heapless::Vec` with a capacity named by a constant, whose SCALE form is the
//! same as a `Vec`'s (compact length, then the items) so other SCALE tooling reads it, and whose
//! decoder rejects a length above the capacity before reading any item.

use core::ops::{Deref, DerefMut};

use parity_scale_codec::{Compact, Decode, Encode, Error, Input, MaxEncodedLen, Output};

/// A vector of at most `N` items, stored inline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const N: usize>(heapless::Vec<T, N>);

/// An item did not fit: the collection already holds its capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityError;

impl<T, const N: usize> BoundedVec<T, N> {
    /// The capacity.
    pub const CAPACITY: usize = N;

    /// An empty vector.
    pub const fn new() -> Self {
        Self(heapless::Vec::new())
    }

    /// Appends an item, or gives it back when full.
    pub fn push(&mut self, item: T) -> Result<(), CapacityError> {
        self.0.push(item).map_err(|_| CapacityError)
    }

    /// Inserts an item at `index` (clamped to the length), or fails when full.
    pub fn insert(&mut self, index: usize, item: T) -> Result<(), CapacityError> {
        let index = index.min(self.0.len());
        self.0.insert(index, item).map_err(|_| CapacityError)
    }

    /// Removes and returns the last item.
    pub fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }

    /// Keeps only the items for which `keep` is true, in order.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.0.retain(keep);
    }

    /// Removes every item.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Whether the vector holds its capacity.
    pub fn is_full(&self) -> bool {
        self.0.is_full()
    }
}

impl<T: Clone, const N: usize> BoundedVec<T, N> {
    /// A copy of `items`, or [`CapacityError`] when there are more than `N`.
    pub fn from_slice(items: &[T]) -> Result<Self, CapacityError> {
        heapless::Vec::from_slice(items)
            .map(Self)
            .map_err(|_| CapacityError)
    }
}

impl<T, const N: usize> Default for BoundedVec<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Deref for BoundedVec<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

/// Items can be changed in place; the length changes only through the methods above.
impl<T, const N: usize> DerefMut for BoundedVec<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.0
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a BoundedVec<T, N> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T, const N: usize> FromIterator<T> for BoundedVec<T, N> {
    /// Collects at most `N` items; the rest are dropped. Use [`BoundedVec::push`] to detect
    /// overflow.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self(iter.into_iter().take(N).collect())
    }
}

fn compact_len(len: usize) -> Compact<u32> {
    // Capacities are small named constants; a length never exceeds u32.
    Compact(u32::try_from(len).unwrap_or(u32::MAX))
}

impl<T: Encode, const N: usize> Encode for BoundedVec<T, N> {
    fn size_hint(&self) -> usize {
        self.0
            .iter()
            .fold(compact_len(self.0.len()).size_hint(), |acc, item| {
                acc.saturating_add(item.size_hint())
            })
    }

    fn encode_to<W: Output + ?Sized>(&self, dest: &mut W) {
        compact_len(self.0.len()).encode_to(dest);
        for item in &self.0 {
            item.encode_to(dest);
        }
    }
}

impl<T: Decode, const N: usize> Decode for BoundedVec<T, N> {
    fn decode<I: Input>(input: &mut I) -> Result<Self, Error> {
        let Compact(len) = Compact::<u32>::decode(input)?;
        let len = usize::try_from(len).map_err(|_| Error::from("bounded vector too long"))?;
        if len > N {
            return Err("bounded vector longer than its capacity".into());
        }
        let mut out = heapless::Vec::new();
        for _ in 0..len {
            out.push(T::decode(input)?)
                .map_err(|_| Error::from("bounded vector longer than its capacity"))?;
        }
        Ok(Self(out))
    }
}

impl<T: MaxEncodedLen, const N: usize> MaxEncodedLen for BoundedVec<T, N> {
    fn max_encoded_len() -> usize {
        T::max_encoded_len()
            .saturating_mul(N)
            .saturating_add(Compact::<u32>::max_encoded_len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    #[test]
    fn encodes_like_a_vec() {
        let v: BoundedVec<u16, 4> = BoundedVec::from_slice(&[1, 2, 3]).unwrap();
        assert_eq!(v.encode(), Vec::from([1u16, 2, 3]).encode());
        assert_eq!(v.encoded_size(), v.encode().len());
        assert_eq!(BoundedVec::<u16, 4>::decode(&mut &v.encode()[..]), Ok(v));
    }

    #[test]
    fn rejects_more_than_capacity() {
        let bytes = Vec::from([1u16, 2, 3, 4, 5]).encode();
        assert!(BoundedVec::<u16, 4>::decode(&mut &bytes[..]).is_err());
        let mut v: BoundedVec<u16, 1> = BoundedVec::new();
        assert_eq!(v.push(1), Ok(()));
        assert_eq!(v.push(2), Err(CapacityError));
        assert_eq!(v.insert(0, 2), Err(CapacityError));
        assert_eq!(BoundedVec::<u16, 4>::max_encoded_len(), 4 * 2 + 5);
    }

    #[test]
    fn insert_clamps_the_index() {
        let mut v: BoundedVec<u8, 3> = BoundedVec::new();
        v.insert(9, 1).unwrap();
        v.insert(0, 0).unwrap();
        assert_eq!(&*v, &[0, 1]);
    }
}
