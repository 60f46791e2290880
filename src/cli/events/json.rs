//! Splitting a JSON stream into events without parsing it: JSON Lines, concatenated or
//! pretty-printed JSON values, and top-level arrays of events, in constant memory.
//!
//! The splitter only tracks strings and bracket depth; each event's text is parsed later, on any
//! thread. A top-level `[` opens an array whose elements are the events (several arrays may
//! follow one another); anything else is a sequence of values separated by whitespace.

use std::io::{self, BufRead};

/// Yields the text of each top-level event of a JSON stream.
pub struct Splitter<R> {
    reader: R,
    /// Inside a top-level array.
    in_array: bool,
    /// Bytes consumed so far.
    pub consumed: u64,
}

/// Where the scan of a value stands.
#[derive(Default)]
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The value is a bare scalar (number, `true`, …): it ends at a delimiter.
    bare: bool,
}

impl<R: BufRead> Splitter<R> {
    pub fn new(reader: R) -> Self {
        Splitter {
            reader,
            in_array: false,
            consumed: 0,
        }
    }

    fn consume(&mut self, n: usize) {
        self.reader.consume(n);
        self.consumed += n as u64;
    }

    /// Skips whitespace, byte-order marks, and the array punctuation between events; `false`
    /// at the end of the input.
    fn skip_separators(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            match buf[0] {
                // Whitespace, and the bytes of a UTF-8 byte-order mark (none starts a value).
                b' ' | b'\t' | b'\r' | b'\n' | 0xEF | 0xBB | 0xBF => self.consume(1),
                b',' if self.in_array => self.consume(1),
                b']' if self.in_array => {
                    self.in_array = false;
                    self.consume(1);
                }
                b'[' if !self.in_array => {
                    self.in_array = true;
                    self.consume(1);
                }
                _ => return Ok(true),
            }
        }
    }
}

impl<R: BufRead> Iterator for Splitter<R> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.skip_separators() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(Err(e)),
        }
        let mut out = Vec::new();
        let mut scan = Scan::default();
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                // Truncated input: the parser reports what is wrong with it.
                return Some(Ok(out));
            }
            match scan.end(buf, out.is_empty()) {
                Some(n) => {
                    out.extend_from_slice(&buf[..n]);
                    self.consume(n);
                    return Some(Ok(out));
                }
                None => {
                    let n = buf.len();
                    out.extend_from_slice(buf);
                    self.consume(n);
                }
            }
        }
    }
}

impl Scan {
    /// The length of `buf` up to the end of the value, if it ends inside `buf`. `first` says
    /// that `buf` starts the value.
    fn end(&mut self, buf: &[u8], first: bool) -> Option<usize> {
        if first
            && buf
                .first()
                .is_some_and(|c| !matches!(c, b'{' | b'[' | b'"'))
        {
            self.bare = true;
        }
        if self.bare {
            let from = usize::from(first);
            return buf
                .iter()
                .skip(from)
                .position(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'[' | b'{'))
                .map(|i| i + from);
        }
        let mut i = 0;
        while i < buf.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Most bytes are inside strings: skip to the next quote or backslash.
                i += buf[i..].iter().position(|&c| c == b'"' || c == b'\\')?;
                if buf[i] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                i += 1;
                continue;
            }
            match buf[i] {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn split(text: &str, capacity: usize) -> Vec<String> {
        let reader = BufReader::with_capacity(capacity, text.as_bytes());
        Splitter::new(reader)
            .map(|r| String::from_utf8(r.unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn layouts_split_into_events() {
        let cases: &[(&str, &[&str])] = &[
            (
                "{\"a\":1}\n{\"b\":\"}\\\"{\"}\n",
                &["{\"a\":1}", "{\"b\":\"}\\\"{\"}"],
            ),
            (
                "{\"a\":\n [1, {\"c\": 2}]\n}{\"d\":3}",
                &["{\"a\":\n [1, {\"c\": 2}]\n}", "{\"d\":3}"],
            ),
            (
                "\u{feff}[ {\"a\":1} , {\"b\":[2]} ]\n[{\"c\":3}]",
                &["{\"a\":1}", "{\"b\":[2]}", "{\"c\":3}"],
            ),
            ("  \n", &[]),
            ("[]", &[]),
            ("1 \"x\" {\"a\":1}", &["1", "\"x\"", "{\"a\":1}"]),
            ("{\"a\":", &["{\"a\":"]),
        ];
        for (text, want) in cases {
            for capacity in [1, 2, 3, 7, 4096] {
                assert_eq!(split(text, capacity), *want, "{text:?} by {capacity}");
            }
        }
    }

    #[test]
    fn consumed_counts_every_byte() {
        let text = "[{\"a\":1},\n{\"b\":2}]\n";
        let mut s = Splitter::new(BufReader::with_capacity(4, text.as_bytes()));
        while s.next().is_some() {}
        assert_eq!(s.consumed, text.len() as u64);
    }
}
