//! Standard input as one piece of content named `<stdin>`, read up to the size limit.

use std::io::Read;

use super::{deliver, Origin, Sink, SkipReason};

pub const STDIN_PATH: &str = "<stdin>";

/// Reads standard input (at most `max_size` bytes are scanned) and hands it to `sink`.
pub fn scan(sink: &dyn Sink, max_size: u64) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut handle = std::io::stdin().lock().take(max_size + 1);
    handle.read_to_end(&mut buf)?;
    if buf.len() as u64 > max_size {
        sink.skipped(
            STDIN_PATH,
            SkipReason::TooLarge,
            Some(format!("over {max_size} bytes")),
        );
        return Ok(());
    }
    deliver(
        sink,
        &buf,
        Origin {
            path: STDIN_PATH.to_string(),
        },
    );
    Ok(())
}
