//! A zero-copy view over index bytes. [`Index::open`] validates the header and the section and
//! shard tables (O(shards)); rows and records are then read in place from the borrowed bytes,
//! with bounds checked on every access, so tampered bytes give an [`IndexError`], never
//! undefined behaviour or a panic.

use super::format::{
    flags, index_checksum, u32_at, u64_at, Cursor, IndexError, CHECKSUM_AT, FORMAT_VERSION, HEADER_LEN, MAGIC,
    SECTIONS, SECTION_TABLE_LEN, SHARD_FIELDS,
};
use super::words::Words;
use crate::hash::{fractions, position, positions};
use crate::PaperDate;

/// One shard: a run of papers sharing a signature length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Number of the shard's first paper.
    pub first: u32,
    /// Papers in the shard.
    pub len: u32,
    /// Bloom rows (= Bloom signature bits); the private rows follow them.
    pub m: u32,
    /// u64 words per row.
    pub words: u32,
    /// First word of the shard's rows within ROWS.
    pub base: u32,
    /// Largest Bloom element count of a paper in the shard.
    pub largest: u32,
}

/// The index: header values and borrowed sections.
#[derive(Clone, Copy, Debug)]
pub struct Index<'a> {
    bytes: &'a [u8],
    k: u32,
    papers: u32,
    terms: u32,
    postings: u64,
    fpr: f64,
    shards: &'a [u8],
    rows: &'a [u8],
    offsets: &'a [u8],
    records: &'a [u8],
    id_order: &'a [u8],
    lengths: &'a [u8],
    words: Words<'a>,
    sources: &'a [u8],
    private: &'a [u8],
    avg_length: f32,
}

/// The rows that hold one signature element in every shard: its private row (exact), or `k`
/// Bloom rows chosen by its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementRows {
    /// Private row `i`: row `m + i` of each shard.
    Private(u32),
    /// Bloom rows: [`crate::hash::positions`] of this hash.
    Bloom(u64),
}

impl ElementRows {
    /// The rows of this element in `shard`, for an index with `k` hashes.
    pub fn in_shard(self, k: u32, shard: &Shard) -> impl Iterator<Item = u32> {
        let (private, hash, k) = match self {
            ElementRows::Private(i) => (Some(shard.m.saturating_add(i)), 0, 0),
            ElementRows::Bloom(h) => (None, h, k),
        };
        private.into_iter().chain(positions(hash, k, shard.m.max(1)))
    }

    /// These rows with their Bloom fractions computed once, for reading them in many shards
    /// (an index has at most 64 hashes: [`Index::open`] checks it).
    pub fn fractions(self, k: u32) -> ElementFractions {
        let mut x = [0u32; MAX_K];
        match self {
            ElementRows::Private(i) => ElementFractions { private: Some(i), k: 0, x },
            ElementRows::Bloom(h) => {
                let k = (k as usize).min(MAX_K);
                for (slot, f) in x.iter_mut().zip(fractions(h, k as u32)) {
                    *slot = f;
                }
                ElementFractions { private: None, k, x }
            }
        }
    }
}

/// Most hash functions an index may have.
pub const MAX_K: usize = 64;

/// An element's rows ([`ElementRows`]) with its Bloom rows' fractions
/// ([`crate::hash::fractions`]) computed once: the same rows in every shard as
/// [`ElementRows::in_shard`], without hashing again per shard.
#[derive(Clone, Copy, Debug)]
pub struct ElementFractions {
    private: Option<u32>,
    k: usize,
    x: [u32; MAX_K],
}

impl ElementFractions {
    /// True for a private row.
    pub fn is_private(&self) -> bool {
        self.private.is_some()
    }

    /// The rows of this element in `shard`.
    pub fn in_shard(self, shard: &Shard) -> impl Iterator<Item = u32> {
        let m = shard.m.max(1);
        let private = self.private.map(|i| shard.m.saturating_add(i));
        private.into_iter().chain((0..self.k).map(move |i| position(self.x[i], m)))
    }
}

/// The filterable facts of a paper, read from its record without touching its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Publication year, when known.
    pub year: Option<u16>,
    /// Month and day, when known (0 when not).
    pub month_day: (u8, u8),
    /// Author count.
    pub authors: Option<u32>,
    /// Upvotes.
    pub upvotes: Option<u32>,
    /// Number of code links.
    pub code: u32,
}

impl DocMeta {
    /// A key that orders papers by date, newest last: year, month, day (unknown parts as 0).
    pub fn date_key(&self) -> u32 {
        u32::from(self.year.unwrap_or(0)) * 10_000 + u32::from(self.month_day.0) * 100 + u32::from(self.month_day.1)
    }
}

/// The numbers that open a display record, before its strings (see [`crate::index::format`]).
struct RecordHeader {
    flags: u64,
    /// (year, month, day) as stored, not yet checked to be a date.
    date: Option<(Option<u16>, u8, u8)>,
    authors: Option<u32>,
    upvotes: Option<u32>,
    terms: u32,
}

impl RecordHeader {
    fn read(c: &mut Cursor<'_>) -> Result<Self, IndexError> {
        let f = c.varint()?;
        let date = if f & flags::DATE != 0 {
            let year = if f & flags::YEAR != 0 {
                Some(u16::try_from(c.varint()?).map_err(|_| corrupt("year"))?)
            } else {
                None
            };
            let month = u8::try_from(c.varint()?).map_err(|_| corrupt("month"))?;
            let day = u8::try_from(c.varint()?).map_err(|_| corrupt("day"))?;
            Some((year, month, day))
        } else {
            None
        };
        let authors = if f & flags::AUTHORS != 0 { Some(small(c.varint()?)?) } else { None };
        let upvotes = if f & flags::UPVOTES != 0 { Some(small(c.varint()?)?) } else { None };
        Ok(Self { flags: f, date, authors, upvotes, terms: small(c.varint()?)? })
    }
}

/// A record's number that must fit in a `u32`.
fn small(v: u64) -> Result<u32, IndexError> {
    u32::try_from(v).map_err(|_| corrupt("number out of range in record"))
}

/// The text of one paper that verification reads ([`Index::doc_text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocText<'a> {
    /// Display title.
    pub title: &'a str,
    /// Abstract / body text (possibly cut short: [`DocText::abstract_cut`]).
    pub abstract_text: &'a str,
    /// The build's text budget cut the stored abstract short; the signature covers all of it.
    pub abstract_cut: bool,
}

/// One paper's display record, borrowed from the index bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRecord<'a> {
    /// Result id.
    pub id: &'a str,
    /// Display title.
    pub title: &'a str,
    /// The title was derived from the abstract.
    pub title_derived: bool,
    /// Abstract / body text (possibly cut short: [`DocRecord::abstract_cut`]).
    pub abstract_text: &'a str,
    /// The build's text budget cut the stored abstract short; the signature covers all of it.
    pub abstract_cut: bool,
    /// Link, if any.
    pub url: Option<&'a str>,
    /// Organisation, if any.
    pub organization: Option<&'a str>,
    /// Date as far as known.
    pub date: Option<PaperDate>,
    /// Author count.
    pub authors: Option<u32>,
    /// Upvotes.
    pub upvotes: Option<u32>,
    /// Signature elements of the paper stored in Bloom rows (private-row elements excluded).
    pub terms: u32,
    /// Code links.
    pub code: Vec<&'a str>,
    /// Source digest file.
    pub source_file: &'a str,
    /// Source line.
    pub source_line: u64,
}

fn corrupt(what: &str) -> IndexError {
    IndexError::Corrupt(what.to_string())
}

impl<'a> Index<'a> {
    /// Opens index bytes: checks magic, version, declared length, section bounds and the shard
    /// table. Does not read rows or records (see [`Index::verify_checksum`]).
    pub fn open(bytes: &'a [u8]) -> Result<Self, IndexError> {
        let head = HEADER_LEN + SECTION_TABLE_LEN;
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(IndexError::BadMagic);
        }
        if bytes.len() < head {
            return Err(IndexError::Truncated { needed: head as u64, found: bytes.len() as u64 });
        }
        let r32 = |at| u32_at(bytes, at).ok_or_else(|| corrupt("header"));
        let version = r32(8)?;
        if version != FORMAT_VERSION {
            return Err(IndexError::Version { found: version, expected: FORMAT_VERSION });
        }
        let total = u64_at(bytes, 48).ok_or_else(|| corrupt("header"))?;
        if total != bytes.len() as u64 {
            return Err(IndexError::Truncated { needed: total, found: bytes.len() as u64 });
        }
        let k = r32(12)?;
        let papers = r32(16)?;
        let n_shards = r32(20)?;
        let terms = r32(24)?;
        let postings = u64_at(bytes, 32).ok_or_else(|| corrupt("header"))?;
        let fpr = f64::from_bits(u64_at(bytes, 40).ok_or_else(|| corrupt("header"))?);
        if k == 0 || k as usize > MAX_K {
            return Err(corrupt("hash count out of range"));
        }
        let mut sections = [&bytes[..0]; SECTIONS];
        for (n, s) in sections.iter_mut().enumerate() {
            let off = r32(HEADER_LEN + n * 8)? as usize;
            let len = r32(HEADER_LEN + n * 8 + 4)? as usize;
            *s = off
                .checked_add(len)
                .and_then(|end| bytes.get(off..end))
                .ok_or_else(|| IndexError::Corrupt(format!("section {n} lies outside the index")))?;
        }
        let [shards, rows, offsets, records, id_order, lengths, words, sources, private] = sections;
        let words = Words::open(words)?;
        let avg_length = r32(28)? as f32 / 256.0;
        let index = Index {
            bytes,
            k,
            papers,
            terms,
            postings,
            fpr,
            shards,
            rows,
            offsets,
            records,
            id_order,
            lengths,
            words,
            sources,
            private,
            avg_length,
        };
        if shards.len() != n_shards as usize * SHARD_FIELDS * 4
            || rows.len() % 8 != 0
            || offsets.len() != (papers as usize + 1) * 4
            || id_order.len() != papers as usize * 4
            || lengths.len() != papers as usize * 2
            || private.len() % 8 != 0
        {
            return Err(corrupt("section lengths disagree with the header"));
        }
        let mut next_first = 0u32;
        for i in 0..n_shards {
            let s = index.shard(i)?;
            let rows_end = u64::from(s.base) + (u64::from(s.m) + index.private_rows() as u64) * u64::from(s.words);
            if s.first != next_first
                || s.m == 0
                || u64::from(s.words) != u64::from(s.len).div_ceil(64)
                || rows_end * 8 > rows.len() as u64
            {
                return Err(IndexError::Corrupt(format!("shard {i} is inconsistent")));
            }
            next_first = s.first.checked_add(s.len).ok_or_else(|| corrupt("shard sizes overflow"))?;
        }
        if next_first != papers {
            return Err(corrupt("shards do not cover every paper"));
        }
        Ok(index)
    }

    /// [`Index::open`], then [`Index::verify_checksum`]: what a reader that cannot trust where
    /// its bytes came from should call. The checksum reads every byte once and decodes or copies
    /// nothing: 0.08 ms per MB natively, about 0.75 ms per MB in wasm (RELIABILITY.md).
    pub fn open_verified(bytes: &'a [u8]) -> Result<Self, IndexError> {
        let index = Self::open(bytes)?;
        index.verify_checksum()?;
        Ok(index)
    }

    /// Recomputes the checksum over every byte but the checksum field (O(index size)).
    pub fn verify_checksum(&self) -> Result<(), IndexError> {
        let stored = u64_at(self.bytes, CHECKSUM_AT).ok_or_else(|| corrupt("header"))?;
        if index_checksum(self.bytes) == stored {
            Ok(())
        } else {
            Err(IndexError::Checksum)
        }
    }

    /// Hash functions per term.
    pub fn k(&self) -> u32 {
        self.k
    }
    /// Number of papers.
    pub fn papers(&self) -> u32 {
        self.papers
    }
    /// Distinct terms of the digest.
    pub fn terms(&self) -> u32 {
        self.terms
    }
    /// (term, paper) postings, title pseudo-terms included.
    pub fn postings(&self) -> u64 {
        self.postings
    }
    /// The target false-positive rate the index was sized for.
    pub fn target_false_positive_rate(&self) -> f64 {
        self.fpr
    }
    /// Size of the index in bytes.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }
    /// Average paper length in tokens.
    pub fn avg_length(&self) -> f32 {
        self.avg_length
    }

    /// The digest's distinct words (normalized, unstemmed), for prefix and typo lookups.
    pub fn words(&self) -> &Words<'a> {
        &self.words
    }

    /// Length in tokens of paper `doc` (0 if out of range).
    pub fn length(&self, doc: u32) -> u32 {
        let at = doc as usize * 2;
        self.lengths.get(at..at + 2).map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    }

    /// Number of shards.
    pub fn shard_count(&self) -> u32 {
        (self.shards.len() / (SHARD_FIELDS * 4)) as u32
    }

    /// Shard `i`.
    pub fn shard(&self, i: u32) -> Result<Shard, IndexError> {
        let at = i as usize * SHARD_FIELDS * 4;
        let f = |n: usize| u32_at(self.shards, at + n * 4).ok_or_else(|| corrupt("shard table"));
        Ok(Shard { first: f(0)?, len: f(1)?, m: f(2)?, words: f(3)?, base: f(4)?, largest: f(5)? })
    }

    /// Number of private rows per shard (elements with a row of their own).
    pub fn private_rows(&self) -> u32 {
        (self.private.len() / 8) as u32
    }

    /// Where signature element `hash` is stored: its private row if it has one (binary search
    /// over PRIVATE), else its Bloom rows.
    pub fn element_rows(&self, hash: u64) -> ElementRows {
        let (mut lo, mut hi) = (0usize, self.private.len() / 8);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let h = u64_at(self.private, mid * 8).unwrap_or(u64::MAX);
            match h.cmp(&hash) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return ElementRows::Private(mid as u32),
            }
        }
        ElementRows::Bloom(hash)
    }

    /// Row `r` of shard `s` as little-endian bytes (`s.words * 8` of them). Rows were bounds
    /// checked by [`Index::open`]; `r` must be `< s.m + private rows`.
    pub fn row(&self, s: &Shard, r: u32) -> &'a [u8] {
        let start = (s.base as usize + r as usize * s.words as usize) * 8;
        self.rows.get(start..start + s.words as usize * 8).unwrap_or(&[])
    }

    /// Word `w` of row `r` of shard `s` (0 when out of range).
    pub fn row_word(&self, s: &Shard, r: u32, w: u32) -> u64 {
        let at = (s.base as usize + r as usize * s.words as usize + w as usize) * 8;
        self.rows.get(at..at + 8).map_or(0, |b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_le_bytes(a)
        })
    }

    /// Total signature bits as stored: the ROWS section, sum over shards of (Bloom rows + private
    /// rows) × 64 × words per row (the padding of a shard's last word included).
    pub fn signature_bits(&self) -> u64 {
        let p = u64::from(self.private_rows());
        (0..self.shard_count())
            .filter_map(|i| self.shard(i).ok())
            .map(|s| (u64::from(s.m) + p) * u64::from(s.words) * 64)
            .sum()
    }

    fn record(&self, doc: u32) -> Result<&'a [u8], IndexError> {
        let at = doc as usize * 4;
        let start = u32_at(self.offsets, at).ok_or_else(|| corrupt("paper number out of range"))? as usize;
        let end = u32_at(self.offsets, at + 4).ok_or_else(|| corrupt("paper number out of range"))? as usize;
        self.records.get(start..end).ok_or_else(|| corrupt("record outside its section"))
    }

    /// The filterable facts of paper `doc` (skips over the strings, copies nothing).
    pub fn meta(&self, doc: u32) -> Result<DocMeta, IndexError> {
        let mut c = Cursor::new(self.record(doc)?);
        let h = RecordHeader::read(&mut c)?;
        for _ in 0..5 {
            c.bytes()?; // id, title, abstract, url, organization
        }
        let code = small(c.varint()?)?;
        let month_day = h.date.map_or((0, 0), |(_, month, day)| (month, day));
        Ok(DocMeta { year: h.date.and_then(|d| d.0), month_day, authors: h.authors, upvotes: h.upvotes, code })
    }

    /// What verification reads of paper `doc`: its title and stored abstract, without the
    /// rest of the record ([`Index::doc`] reads, and checks, every field: most candidates of a
    /// large digest's rare words are Bloom false positives, rejected on these two alone).
    pub fn doc_text(&self, doc: u32) -> Result<DocText<'a>, IndexError> {
        let mut c = Cursor::new(self.record(doc)?);
        let h = RecordHeader::read(&mut c)?;
        c.bytes()?; // id
        Ok(DocText { title: c.str()?, abstract_text: c.str()?, abstract_cut: h.flags & flags::ABSTRACT_CUT != 0 })
    }

    /// The record of paper `doc`.
    pub fn doc(&self, doc: u32) -> Result<DocRecord<'a>, IndexError> {
        self.record_with(doc, None)
    }

    /// The record of paper `doc`, whose text `text` ([`Index::doc_text`]) has been read already
    /// (and is not checked again).
    pub fn doc_with_text(&self, doc: u32, text: DocText<'a>) -> Result<DocRecord<'a>, IndexError> {
        self.record_with(doc, Some(text))
    }

    fn record_with(&self, doc: u32, text: Option<DocText<'a>>) -> Result<DocRecord<'a>, IndexError> {
        let bytes = self.record(doc)?;
        let mut c = Cursor::new(bytes);
        let RecordHeader { flags: f, date, authors, upvotes, terms } = RecordHeader::read(&mut c)?;
        let date = match date {
            Some((year, month, day)) => {
                Some(PaperDate::new(year, month, day).ok_or_else(|| corrupt("date out of range"))?)
            }
            None => None,
        };
        let id = c.str()?;
        let (title, abstract_text) = match text {
            Some(text) => {
                c.bytes()?;
                c.bytes()?;
                (text.title, text.abstract_text)
            }
            None => (c.str()?, c.str()?),
        };
        let url = Some(c.str()?).filter(|s| !s.is_empty());
        let organization = Some(c.str()?).filter(|s| !s.is_empty());
        let n_code = c.varint()?;
        let mut code = Vec::new();
        for _ in 0..n_code.min(bytes.len() as u64) {
            code.push(c.str()?);
        }
        let source_file = self.source_file(c.varint()?)?;
        let source_line = c.varint()?;
        Ok(DocRecord {
            id,
            title,
            title_derived: f & flags::DERIVED_TITLE != 0,
            abstract_cut: f & flags::ABSTRACT_CUT != 0,
            abstract_text,
            url,
            organization,
            date,
            authors,
            upvotes,
            terms,
            code,
            source_file,
            source_line,
        })
    }

    /// Source file number `n` (see the SOURCES section).
    fn source_file(&self, n: u64) -> Result<&'a str, IndexError> {
        let count = u32_at(self.sources, 0).ok_or_else(|| corrupt("source table"))?;
        let n = usize::try_from(n).ok().filter(|&n| n < count as usize).ok_or_else(|| corrupt("source file number"))?;
        let data = 4 + (count as usize + 1) * 4;
        let start = u32_at(self.sources, 4 + n * 4).ok_or_else(|| corrupt("source table"))? as usize;
        let end = u32_at(self.sources, 8 + n * 4).ok_or_else(|| corrupt("source table"))? as usize;
        let bytes = self.sources.get(data + start..data + end).ok_or_else(|| corrupt("source table"))?;
        std::str::from_utf8(bytes).map_err(|_| corrupt("source file name is not UTF-8"))
    }

    /// The paper number with result id `id` (binary search over ID_ORDER).
    pub fn find_id(&self, id: &str) -> Result<Option<u32>, IndexError> {
        let (mut lo, mut hi) = (0usize, self.papers as usize);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let doc = u32_at(self.id_order, mid * 4).ok_or_else(|| corrupt("id table"))?;
            match self.doc(doc)?.id.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(Some(doc)),
            }
        }
        Ok(None)
    }
}
