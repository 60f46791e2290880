//! Splitting a JSON stream into events without parsing it: JSON Lines, concatenated or
//! pretty-printed JSON values, and top-level arrays of events, in constant memory.
//!
//! The splitter only tracks strings and bracket depth; each event's text is parsed later, on any
//! thread. A top-level `[` opens an array whose elements are the events (several arrays may
//! follow one another); anything else is a sequence of values separated by whitespace.
//!
//! An event is at most [`MAX_EVENT_BYTES`] long. A value that grows past it is either a
//! broken line of a JSON Lines file whose brackets or quotes never close (it spans lines: its
//! complete lines are handed on as [`Text::Lines`], to be parsed one by one, and the split
//! starts afresh after them), or one huge line (it is skipped to the end of its line and
//! reported once as [`Text::TooLarge`]). Either way the rest of the file is still read.

use std::io::{self, BufRead};

/// The largest event, in bytes, of a JSON event file (4 MiB).
pub const MAX_EVENT_BYTES: usize = 4 << 20;

/// What the splitter cut out of the stream.
pub enum Text {
    /// The text of one top-level value.
    Value(Vec<u8>),
    /// Whole lines to parse one by one.
    Lines(Vec<u8>),
    /// A line longer than [`MAX_EVENT_BYTES`], skipped; its length.
    TooLarge(u64),
}

/// One cut, with the 1-based line of the file it starts on.
pub struct Item {
    pub line: u64,
    pub text: Text,
}

/// Yields the text of each top-level event of a JSON stream.
pub struct Splitter<R> {
    reader: R,
    /// Bytes put back in front of the reader (the start of a line after [`Text::Lines`]).
    pending: Vec<u8>,
    pending_at: usize,
    /// Inside a top-level array.
    in_array: bool,
    /// Bytes consumed so far.
    pub consumed: u64,
    /// The 1-based line of the next byte.
    line: u64,
}

/// Where the scan of a value stands.
#[derive(Default)]
struct Scan {
    depth: u32,
    in_string: bool,
    /// Inside a string, the next byte is escaped (the bytes read so far end in an odd number of
    /// backslashes).
    escaped: bool,
    /// The value is a bare scalar (number, `true`, …): it ends at a delimiter.
    bare: bool,
}

impl<R: BufRead> Splitter<R> {
    pub fn new(reader: R) -> Self {
        Splitter {
            reader,
            pending: Vec::new(),
            pending_at: 0,
            in_array: false,
            consumed: 0,
            line: 1,
        }
    }

    /// The next bytes: the ones put back first, then the reader's.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.pending_at < self.pending.len() {
            Ok(&self.pending[self.pending_at..])
        } else {
            self.reader.fill_buf()
        }
    }

    /// Consumes the first `n` bytes of [`fill`](Self::fill), which hold `newlines` line feeds.
    fn consume(&mut self, n: usize, newlines: usize) {
        if self.pending_at < self.pending.len() {
            self.pending_at += n;
        } else {
            self.reader.consume(n);
            self.consumed += n as u64;
        }
        self.line += newlines as u64;
    }

    /// Skips whitespace, byte-order marks, and the array punctuation between events; `false`
    /// at the end of the input, which is an error inside an array (a truncated file).
    fn skip_separators(&mut self) -> io::Result<bool> {
        loop {
            let Some(&first) = self.fill()?.first() else {
                if self.in_array {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the file ends inside a JSON array, before its closing `]` (truncated?)",
                    ));
                }
                return Ok(false);
            };
            match first {
                b'\n' => self.consume(1, 1),
                // Whitespace, and the bytes of a UTF-8 byte-order mark (none starts a value).
                b' ' | b'\t' | b'\r' | 0xEF | 0xBB | 0xBF => self.consume(1, 0),
                b',' if self.in_array => self.consume(1, 0),
                b']' if self.in_array => {
                    self.in_array = false;
                    self.consume(1, 0);
                }
                b'[' if !self.in_array => {
                    self.in_array = true;
                    self.consume(1, 0);
                }
                _ => return Ok(true),
            }
        }
    }

    /// Skips to the end of the current line; returns the bytes skipped.
    fn skip_line(&mut self) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(skipped);
            }
            let (n, newlines) = match buf.iter().position(|&c| c == b'\n') {
                Some(i) => (i + 1, 1),
                None => (buf.len(), 0),
            };
            self.consume(n, newlines);
            skipped += n as u64;
            if newlines == 1 {
                return Ok(skipped);
            }
        }
    }

    /// A value that outgrew [`MAX_EVENT_BYTES`]: its complete lines, with the last partial
    /// line put back; or, for a single line, the skip of that line.
    fn overflow(&mut self, mut text: Vec<u8>) -> io::Result<Text> {
        match text.iter().rposition(|&c| c == b'\n') {
            Some(end) => {
                let rest = text.split_off(end + 1);
                self.line -= count_newlines(&rest) as u64;
                let mut pending = rest;
                pending.extend_from_slice(&self.pending[self.pending_at.min(self.pending.len())..]);
                self.pending = pending;
                self.pending_at = 0;
                Ok(Text::Lines(text))
            }
            None => Ok(Text::TooLarge(text.len() as u64 + self.skip_line()?)),
        }
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

impl<R: BufRead> Iterator for Splitter<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.skip_separators() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(Err(e)),
        }
        let line = self.line;
        let mut out = Vec::new();
        let mut scan = Scan::default();
        loop {
            let buf = match self.fill() {
                Ok(buf) => buf,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                // Truncated input: the parser reports what is wrong with it.
                return Some(Ok(Item {
                    line,
                    text: Text::Value(out),
                }));
            }
            let end = scan.end(buf, out.is_empty());
            let n = end.unwrap_or(buf.len());
            if out.len() + n > MAX_EVENT_BYTES {
                let take = MAX_EVENT_BYTES - out.len();
                out.extend_from_slice(&buf[..take]);
                let newlines = count_newlines(&buf[..take]);
                self.consume(take, newlines);
                return Some(self.overflow(out).map(|text| Item { line, text }));
            }
            out.extend_from_slice(&buf[..n]);
            let newlines = count_newlines(&buf[..n]);
            self.consume(n, newlines);
            if end.is_some() {
                return Some(Ok(Item {
                    line,
                    text: Text::Value(out),
                }));
            }
        }
    }
}

impl Scan {
    /// Whether the byte after `run` (string text) is escaped: `run` ends in an odd number of
    /// backslashes, counting, when it is all backslashes, the one pending before it.
    fn escapes_next(&self, run: &[u8]) -> bool {
        let backslashes = run.iter().rev().take_while(|&&c| c == b'\\').count();
        let odd = backslashes % 2 == 1;
        if backslashes == run.len() {
            self.escaped != odd
        } else {
            odd
        }
    }

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
                // Most bytes are inside strings: skip to the next quote that no backslash escapes.
                let Some(k) = memchr::memchr(b'"', &buf[i..]) else {
                    self.escaped = self.escapes_next(&buf[i..]);
                    return None;
                };
                let quote = i + k;
                let escaped = self.escapes_next(&buf[i..quote]);
                self.escaped = false;
                i = quote + 1;
                if !escaped {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(i);
                    }
                }
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
    use proptest::prelude::*;
    use std::io::BufReader;

    fn split(text: &str, capacity: usize) -> Vec<String> {
        let reader = BufReader::with_capacity(capacity, text.as_bytes());
        Splitter::new(reader)
            .map(|r| match r.unwrap().text {
                Text::Value(v) => String::from_utf8(v).unwrap(),
                _ => panic!("not a value"),
            })
            .collect()
    }

    /// Each cut as (line, kind, text or length).
    fn cuts(text: &[u8]) -> Vec<(u64, &'static str, usize)> {
        Splitter::new(BufReader::with_capacity(1 << 16, text))
            .map(|r| {
                let item = r.unwrap();
                match item.text {
                    Text::Value(v) => (item.line, "value", v.len()),
                    Text::Lines(v) => (item.line, "lines", v.len()),
                    Text::TooLarge(n) => (item.line, "too large", n as usize),
                }
            })
            .collect()
    }

    #[test]
    fn a_broken_line_does_not_swallow_the_rest() {
        // Line 2 never closes its object: after MAX_EVENT_BYTES of lines the splitter hands the
        // lines on to be parsed one by one, and carries on from the line it stopped in.
        let good = "{\"a\":1}\n";
        let lines = MAX_EVENT_BYTES / good.len() + 10;
        let text = format!("{good}{{\"broken\": [\n{}", good.repeat(lines));
        let got = cuts(text.as_bytes());
        assert_eq!(got[0], (1, "value", good.len() - 1));
        assert_eq!(got[1].0, 2);
        assert_eq!(got[1].1, "lines");
        let in_piece = text[good.len()..good.len() + got[1].2]
            .matches('\n')
            .count();
        assert_eq!(
            got[2].0 as usize,
            2 + in_piece,
            "the split goes on at the next line"
        );
        assert!(
            got[2..]
                .iter()
                .all(|c| c.1 == "value" && c.2 == good.len() - 1)
        );
        assert_eq!(1 + in_piece + got[2..].len(), lines + 2, "no line is lost");
    }

    #[test]
    fn a_huge_line_is_skipped_once() {
        let text = format!(
            "{{\"a\":\"{}\"}}\n{{\"b\":2}}\n",
            "x".repeat(MAX_EVENT_BYTES)
        );
        let got = cuts(text.as_bytes());
        assert_eq!(
            got,
            vec![(1, "too large", MAX_EVENT_BYTES + 9), (2, "value", 7)]
        );
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
            // Runs of backslashes, odd and even, before quotes and across reads.
            (
                "{\"a\":\"x\\\\\"}{\"b\":\"\\\"}\"} {\"c\":\"\\\\\\\"\"}\n\"\\\\\\\\\"",
                &[
                    "{\"a\":\"x\\\\\"}",
                    "{\"b\":\"\\\"}\"}",
                    "{\"c\":\"\\\\\\\"\"}",
                    "\"\\\\\\\\\"",
                ],
            ),
        ];
        for (text, want) in cases {
            for capacity in [1, 2, 3, 7, 4096] {
                assert_eq!(split(text, capacity), *want, "{text:?} by {capacity}");
            }
        }
    }

    /// Short texts of quotes, backslashes, brackets and control characters.
    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a\"\\\\{}\\[\\]\n\t\u{1}é]{0,6}").unwrap()
    }

    /// JSON values whose strings hold quotes, backslashes, brackets and control characters.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            text().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ];
        leaf.prop_recursive(4, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map(text(), inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever the values and however the reads cut them, each one is cut out whole.
        #[test]
        fn values_are_cut_whole(
            // Not arrays: a top-level array holds events rather than being one.
            values in proptest::collection::vec(prop_oneof![
                text().prop_map(serde_json::Value::from),
                json_value().prop_map(|v| serde_json::json!({ "k": v })),
            ], 1..5),
            pretty in any::<bool>(),
            capacity in 1usize..40,
        ) {
            let texts: Vec<String> = values
                .iter()
                .map(|v| if pretty {
                    serde_json::to_string_pretty(v).unwrap()
                } else {
                    v.to_string()
                })
                .collect();
            // A bare scalar needs a delimiter after it; a newline is one.
            let stream = texts.join("\n");
            prop_assert_eq!(split(&stream, capacity), texts);
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
