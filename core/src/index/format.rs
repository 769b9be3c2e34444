//! The index byte format, version 8 (7 without each word's commonness in the WORDS section; 6
//! with a membership filter and the first characters there; 5 with independent Bloom bit
//! positions: see [`crate::hash::positions`]).
//! All integers little-endian.
//!
//! ```text
//! offset size  header (HEADER_LEN = 64 bytes)
//!  0      8    magic "PBLOOMIX"
//!  8      4    format version (FORMAT_VERSION)
//! 12      4    k: hash functions per term
//! 16      4    papers
//! 20      4    shards
//! 24      4    distinct terms in the digest
//! 28      4    average paper length in tokens × 256 (for BM25's length normalization)
//! 32      8    postings: (term, paper) pairs set in signatures, title pseudo-terms included
//! 40      8    target false-positive rate (f64 bits)
//! 48      8    total length of the index in bytes
//! 56      8    checksum of every other byte: [`index_checksum`]
//! 64     72    section table: 9 × (offset u32, length u32), in this order: SHARDS, ROWS,
//!              DOC_OFFSETS, RECORDS, ID_ORDER, LENGTHS, WORDS, SOURCES, PRIVATE; every offset
//!              8-aligned
//! ```
//! Sections:
//! - SHARDS: per shard 6 × u32: first paper, papers, m (Bloom rows = signature bits), words per
//!   row (= ceil(papers / 64)), first word of its rows in ROWS, largest Bloom element count in
//!   the shard. Shards are contiguous and cover all papers in order.
//! - ROWS: u64 words; a shard has `m + P` rows (P = private rows, below); its row r is
//!   `words per row` words at `first word + r · words per row`; bit `j % 64` of word `j / 64` is
//!   paper `first paper + j`. Rows `0..m` are Bloom rows, row `m + i` is private row i.
//! - DOC_OFFSETS: papers + 1 u32 offsets into RECORDS (record i is `[off[i], off[i+1])`).
//! - RECORDS: per paper, LEB128 varints and length-prefixed UTF-8 strings: flags
//!   (bit 0 derived title, 1 date, 2 year, 3 authors, 4 upvotes, 5 abstract cut short), \[year\], \[month, day\],
//!   \[authors\], \[upvotes\], Bloom element count, id, title, abstract, url, organization, code count,
//!   code urls…, source file number (into SOURCES), source line. An empty url/organization
//!   means none.
//! - ID_ORDER: papers × u32 paper numbers sorted by id bytes, for lookup by id.
//! - LENGTHS: papers × u16, each paper's length in tokens (title and abstract, capped at 65535).
//! - WORDS: the digest's distinct normalized, unstemmed words, sorted and front-coded, with
//!   their distinct first characters, a membership filter of one byte per word and each word's
//!   commonness (⌊log2⌋ of the papers that have it, 4 bits; layout in
//!   [`super::words`]), for prefixes, typo tolerance and "did you mean".
//! - SOURCES: the digest file names records point to: u32 count, count + 1 u32 offsets into the
//!   UTF-8 bytes that follow (file i is `[off[i], off[i+1])`).
//! - PRIVATE: P × u64, strictly increasing: the signature elements (hashes) that have a private
//!   row instead of Bloom bits. Element `PRIVATE[i]` is set exactly in row `m + i` of every shard.
//!   The builder gives an element a private row when it is in so many papers that one bit per
//!   paper costs less than `k / ln 2` bits per posting (BitFunnel's frequency-conscious rows):
//!   common terms become exact and cost one row read instead of `k`.
//!
//! Signature elements of a paper: every term of title and abstract ([`crate::hash::Field::Any`]),
//! every title term again ([`crate::hash::Field::Title`]), the terms of the title's first word
//! ([`crate::hash::Field::TitleStart`]), and for terms occurring at least 2, 4
//! or 8 times, one pseudo-term per threshold reached ([`crate::hash::Field::TfAtLeast`]).

use std::fmt;

use crate::hash::checksum64;

/// The magic bytes every index starts with.
pub const MAGIC: &[u8; 8] = b"PBLOOMIX";
/// The version this code writes and reads. Bump on any change to the layout or to hashing.
pub const FORMAT_VERSION: u32 = 8;
/// Bytes of the fixed header.
pub const HEADER_LEN: usize = 64;
/// Bytes of the section table after the header.
pub const SECTION_TABLE_LEN: usize = 72;
/// Sections in the table.
pub const SECTIONS: usize = 9;
/// u32 fields per shard entry.
pub const SHARD_FIELDS: usize = 6;

/// Record flag bits.
pub mod flags {
    /// The title was derived from the abstract.
    pub const DERIVED_TITLE: u64 = 1;
    /// Month and day are present.
    pub const DATE: u64 = 2;
    /// The year is present.
    pub const YEAR: u64 = 4;
    /// The author count is present.
    pub const AUTHORS: u64 = 8;
    /// The upvote count is present.
    pub const UPVOTES: u64 = 16;
    /// The stored abstract is cut short (the build's display-text budget): search still covers
    /// the whole abstract through the signature, verification trusts it for what was cut.
    pub const ABSTRACT_CUT: u64 = 32;
}

/// Byte offset of the checksum in the header.
pub const CHECKSUM_AT: usize = 56;

/// The checksum of index bytes: [`checksum64`] of the header before the checksum field, then
/// (as the seed) of everything after it, so no byte but the checksum itself goes unchecked.
/// Bytes shorter than the header give the checksum of what is there.
pub fn index_checksum(bytes: &[u8]) -> u64 {
    let head = bytes.get(..CHECKSUM_AT).unwrap_or(bytes);
    let rest = bytes.get(CHECKSUM_AT + 8..).unwrap_or_default();
    checksum64(checksum64(0, head), rest)
}

/// Why index bytes could not be opened or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexError {
    /// The bytes do not start with [`MAGIC`]: not a paperbloom index.
    BadMagic,
    /// Built by another version of the format.
    Version {
        /// The version in the bytes.
        found: u32,
        /// The version this code reads.
        expected: u32,
    },
    /// Shorter than the header or than its declared length.
    Truncated {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        found: u64,
    },
    /// A section or record points outside the bytes, or a table is inconsistent.
    Corrupt(String),
    /// The checksum does not match the bytes.
    Checksum,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::BadMagic => write!(f, "not a paperbloom index (bad magic bytes)"),
            IndexError::Version { found, expected } => write!(
                f,
                "index format version {found} is not supported (this build reads version {expected}); rebuild the index with this version of paperbloom"
            ),
            IndexError::Truncated { needed, found } => {
                write!(f, "index is truncated: {found} bytes, {needed} needed")
            }
            IndexError::Corrupt(what) => write!(f, "index is corrupt: {what}"),
            IndexError::Checksum => write!(f, "index checksum mismatch: the bytes were altered"),
        }
    }
}

impl std::error::Error for IndexError {}

/// Appends `v` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-prefixed string.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor reading varints and strings from a record, in place.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Reads a varint (at most 10 bytes).
    #[inline]
    pub fn varint(&mut self) -> Result<u64, IndexError> {
        // One byte: most lengths and shared prefixes (the word list reads two per word).
        if let Some(&b) = self.bytes.get(self.pos).filter(|&&b| b < 0x80) {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        self.long_varint()
    }

    /// [`Cursor::varint`] past its one-byte case.
    #[inline(never)]
    fn long_varint(&mut self) -> Result<u64, IndexError> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b =
                *self.bytes.get(self.pos).ok_or_else(|| IndexError::Corrupt("record ends inside a number".into()))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(IndexError::Corrupt("overlong number in record".into()))
    }

    /// Reads length-prefixed bytes without copying them.
    pub fn bytes(&mut self) -> Result<&'a [u8], IndexError> {
        let len = usize::try_from(self.varint()?).map_err(|_| IndexError::Corrupt("string too long".into()))?;
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| IndexError::Corrupt("string runs past its record".into()))?;
        let b = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(b)
    }

    /// Reads a length-prefixed UTF-8 string without copying it.
    pub fn str(&mut self) -> Result<&'a str, IndexError> {
        let len = usize::try_from(self.varint()?).map_err(|_| IndexError::Corrupt("string too long".into()))?;
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| IndexError::Corrupt("string runs past its record".into()))?;
        let s = std::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|_| IndexError::Corrupt("string in record is not UTF-8".into()))?;
        self.pos = end;
        Ok(s)
    }
}

/// Reads the little-endian u32 at `at`, if in bounds.
pub fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads the little-endian u64 at `at`, if in bounds.
pub fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_truncated_or_overlong_ones_are_errors() {
        let values = [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, u64::from(u32::MAX), u64::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            put_varint(&mut bytes, v);
        }
        let mut c = Cursor::new(&bytes);
        for &v in &values {
            assert_eq!(c.varint().unwrap(), v);
        }
        assert!(c.varint().is_err(), "past the end");
        for bad in [&[0x80][..], &[0xff, 0xff], &[0x80; 11]] {
            assert!(Cursor::new(bad).varint().is_err(), "{bad:?}");
        }
        // After a one-byte varint, the next read starts right behind it.
        let mut c = Cursor::new(&[5, 0x81, 0x01, 7]);
        assert_eq!((c.varint().unwrap(), c.varint().unwrap(), c.varint().unwrap()), (5, 129, 7));
    }
}
