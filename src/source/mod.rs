//! Sources of content: files on disk (`fs`), standard input (`stdin`) and git blobs (`git`).
//! A source only produces bytes plus where they came from (`Content`), and tells its `Sink`
//! what it skipped and why. It knows nothing about rules or findings.

pub mod fs;
pub mod git;
pub mod stdin;

use std::fmt;

/// Where scanned bytes came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Path relative to the scan root, with `/` separators (`<stdin>` for standard input).
    pub path: String,
}

/// The last component of a `/`-separated origin path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory part of a `/`-separated origin path (empty at the root).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Bytes to scan, with their origin.
pub struct Content<'a> {
    pub bytes: &'a [u8],
    pub origin: Origin,
}

/// Why a file was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    Binary,
    TooLarge,
    Unreadable,
    Special,
    Symlink,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Special => "not a regular file",
            SkipReason::Symlink => "symlink",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Receives content and skip notices from a source, possibly from many threads at once.
pub trait Sink: Sync {
    fn content(&self, content: Content<'_>);
    fn skipped(&self, path: &str, reason: SkipReason, detail: Option<String>);
}

/// Bytes looked at to decide whether content is binary.
const SNIFF_LEN: usize = 8 * 1024;

/// What to do with raw bytes before scanning them.
pub enum Prepared<'a> {
    Text(std::borrow::Cow<'a, [u8]>),
    Binary,
}

/// Decodes UTF-16 (by BOM) to UTF-8 and rejects binary content (a NUL in the first 8 KiB).
pub fn prepare(bytes: &[u8]) -> Prepared<'_> {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, true)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, false)),
        _ => None,
    };
    if let Some((rest, little)) = utf16 {
        let units = rest.chunks_exact(2).map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let text: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return Prepared::Text(std::borrow::Cow::Owned(text.into_bytes()));
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if memchr::memchr(0, head).is_some() {
        Prepared::Binary
    } else {
        Prepared::Text(std::borrow::Cow::Borrowed(bytes))
    }
}

/// Passes `bytes` to `sink` as text, or reports them as binary.
pub fn deliver(sink: &dyn Sink, bytes: &[u8], origin: Origin) {
    match prepare(bytes) {
        Prepared::Text(text) => sink.content(Content {
            bytes: &text,
            origin,
        }),
        Prepared::Binary => sink.skipped(&origin.path, SkipReason::Binary, None),
    }
}
