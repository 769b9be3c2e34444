//! [`DigestError`]: the one error type of digest loading.
//!
//! An error is reserved for problems that make a whole file (or the whole load) unusable: a
//! missing path, unreadable bytes, invalid UTF-8, malformed JSON, no papers at all. Problems with
//! single records never become errors; they are reported as skipped records or warnings in the
//! [`Report`](super::Report). Every error names the file, the line when one is known, and carries
//! a hint saying what to do about it.

use std::fmt;

/// A digest file (or the set of digests) could not be used at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestError {
    /// The file as named on the command line or in the environment (or a list of them).
    pub file: String,
    /// 1-based line the problem is on, when it is about one place in the file.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it (may be empty).
    pub hint: String,
}

impl DigestError {
    /// An error about `file` as a whole.
    pub fn new(file: impl Into<String>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self { file: file.into(), line: None, message: message.into(), hint: hint.into() }
    }

    /// The same error, pinned to a 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for DigestError {
    /// `file:line: message` (or `file: message`), then `  hint: …` on a second line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for DigestError {}
