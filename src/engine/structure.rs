//! Structural regions of a file that some rules are limited to (`region = "..."`): found with
//! a line scanner, not a full parser, so malformed input degrades to "no region".
//! Today: the `data:` blocks of Kubernetes `Secret` manifests in YAML, whose values are base64
//! of the secret material.

use memchr::memchr;

/// Leading spaces and tabs of a line.
fn indent(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &b[s..e]
}

fn unquote(b: &[u8]) -> &[u8] {
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &b[1..b.len() - 1]
    } else {
        b
    }
}

/// `key: value` with `key` (unquoted) equal to `want`, ASCII case-insensitive; the value.
fn key_value<'a>(line: &'a [u8], want: &[u8]) -> Option<&'a [u8]> {
    let t = trim(line);
    let colon = memchr(b':', t)?;
    let key = unquote(trim(&t[..colon]));
    key.eq_ignore_ascii_case(want)
        .then(|| trim(&t[colon + 1..]))
}

/// Byte ranges of the `data:` blocks (the lines below `data:` indented deeper than it) of
/// every YAML document in `hay` whose `kind` is exactly `Secret`.
pub fn kubernetes_secret_data(hay: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Per document: is it a Secret, and its data blocks so far.
    let mut is_secret = false;
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    // The open data block: (indent of `data:`, start offset).
    let mut open: Option<(usize, usize)> = None;
    let mut pos = 0;
    let mut flush = |is_secret: &mut bool, blocks: &mut Vec<(usize, usize)>| {
        if *is_secret {
            out.append(blocks);
        }
        blocks.clear();
        *is_secret = false;
    };
    while pos < hay.len() {
        let end = memchr(b'\n', &hay[pos..]).map_or(hay.len(), |i| pos + i);
        let line = &hay[pos..end];
        let t = trim(line);
        let blank = t.is_empty() || t[0] == b'#';
        if let Some((data_indent, start)) = open {
            if !blank && indent(line) <= data_indent {
                blocks.push((start, pos));
                open = None;
            }
        }
        if t == b"---" || t.starts_with(b"--- ") {
            if let Some((_, start)) = open.take() {
                blocks.push((start, pos));
            }
            flush(&mut is_secret, &mut blocks);
        } else if open.is_none() && !blank {
            if let Some(v) = key_value(line, b"kind") {
                if unquote(v).eq_ignore_ascii_case(b"secret") {
                    is_secret = true;
                }
            } else if key_value(line, b"data").is_some_and(|v| v.is_empty()) {
                open = Some((indent(line), (end + 1).min(hay.len())));
            }
        }
        pos = end + 1;
    }
    if let Some((_, start)) = open {
        blocks.push((start, hay.len()));
    }
    flush(&mut is_secret, &mut blocks);
    out.retain(|(s, e)| s < e);
    out
}

#[cfg(test)]
mod tests {
    use super::kubernetes_secret_data;

    fn regions(y: &str) -> Vec<&str> {
        kubernetes_secret_data(y.as_bytes())
            .into_iter()
            .map(|(s, e)| &y[s..e])
            .collect()
    }

    #[test]
    fn finds_data_of_secrets_only() {
        let y = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  password: cGFzcw==\n  # c\n  key: |\n    QUJD\ntype: Opaque\n---\nkind: ConfigMap\ndata:\n  x: eQ==\n";
        assert_eq!(
            regions(y),
            vec!["  password: cGFzcw==\n  # c\n  key: |\n    QUJD\n"]
        );
        // data before kind, tabs, quoted kind
        let y = "data:\n\tp: cGFzcw==\nkind: 'secret'\n";
        assert_eq!(regions(y), vec!["\tp: cGFzcw==\n"]);
        assert!(regions("kind: ExternalSecret\ndata:\n  - key: x\n").is_empty());
        assert!(regions("kind: SecretList\n").is_empty());
    }
}
