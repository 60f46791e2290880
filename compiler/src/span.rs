//! Byte spans into a source text, and the line index that turns them into `line:col` when printing.

use serde::Serialize;

/// A half-open byte range `[start, end)` in one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span shifted by `offset` bytes (used to place a span found inside a scalar).
    pub const fn shift(self, offset: usize) -> Self {
        Span::new(self.start + offset, self.end + offset)
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Self {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Start offsets of every line of a text; computed once per file, only when a position is printed.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`: the line breaks of YAML 1.2, on which both of
/// sigc's YAML parsers agree. NEL, U+2028 and U+2029 are ordinary characters here (YAML 1.1
/// parsers break lines at them, so [`crate::text`] refuses them in rule files). A UTF-8 byte
/// order mark at the start belongs to no line: line 1 starts after it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Where each line starts, and where the break that ends it starts (the text's end for the last).
    lines: Vec<(usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut at = start;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map(|i| at + i) {
            let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            lines.push((start, i));
            start = next;
            at = next;
        }
        lines.push((start, text.len()));
        LineIndex { lines }
    }

    /// The line and column of byte `offset` in `text` (the text this index was built from).
    /// Total: an offset past the end is the end, one inside a character or a line break is
    /// that character or the end of that line.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line = self
            .lines
            .partition_point(|&(s, _)| s <= offset)
            .saturating_sub(1);
        let (start, end) = self.lines[line];
        let col = text
            .get(start..offset.clamp(start, end))
            .map_or(0, |s| s.chars().count());
        LineCol {
            line: line + 1,
            col: col + 1,
        }
    }

    /// The byte range of 1-based `line` (clamped to the first and last line), without its break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let (start, end) = self.lines[line.clamp(1, self.lines.len()) - 1];
        start..end
    }

    /// The 1-based number of the first line of `span` and the byte range of the whole lines it
    /// covers (without the last line's break).
    pub fn lines_of(&self, text: &str, span: Span) -> (usize, std::ops::Range<usize>) {
        let first = self.line_col(text, span.start).line;
        let last = self.line_col(text, span.end.max(span.start)).line;
        (
            first,
            self.line_range(first).start..self.line_range(last).end,
        )
    }
}

/// The largest character boundary of `text` at or before `i` (the text's length when past it).
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\ncé d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, col: 1 });
        // byte 6 is after 'c' (1 byte) and 'é' (2 bytes): third character of line 2
        assert_eq!(idx.line_col(text, 6), LineCol { line: 2, col: 3 });
        assert_eq!(idx.line_range(2), 3..8);
    }

    #[test]
    fn every_yaml_line_break_counts_and_every_offset_has_a_position() {
        let text = "a\r\nb\rc\nd\u{2028}e";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, col: 1 });
        assert_eq!(idx.line_col(text, 5), LineCol { line: 3, col: 1 });
        assert_eq!(idx.line_col(text, 7), LineCol { line: 4, col: 1 });
        // U+2028 is a character of line 4; an offset inside it is that character
        assert_eq!(idx.line_col(text, 9), LineCol { line: 4, col: 2 });
        assert_eq!(idx.line_col(text, 11), LineCol { line: 4, col: 3 });
        // the CR of a CRLF is the end of line 1; past the end is the end
        assert_eq!(idx.line_col(text, 1), LineCol { line: 1, col: 2 });
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, col: 2 });
        assert_eq!(idx.line_col(text, 999), LineCol { line: 4, col: 4 });
        assert_eq!(idx.line_range(2), 3..4);
        assert_eq!(idx.line_range(99), 7..text.len());
        for t in ["", "x: [", "\r", "\n\n", "\u{feff}", "\u{feff}a"] {
            let idx = LineIndex::new(t);
            for i in 0..=t.len() + 1 {
                idx.line_col(t, i);
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}ab";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 1, col: 2 });
    }
}
