//! Byte offsets of sigc's spans and LSP positions (a line and a UTF-16 column, both 0-based).

use lsp_types::{Position, Range};
use sigc_compiler::Source;
use sigc_compiler::span::Span;

/// The LSP position of byte `offset` of `source`.
pub fn position(source: &Source, offset: usize) -> Position {
    let at = source.line_col(offset);
    let column: usize = source
        .line(at.line)
        .chars()
        .take(at.col - 1)
        .map(char::len_utf16)
        .sum();
    Position::new(to_u32(at.line - 1), to_u32(column))
}

/// The LSP range of `span` in `source`.
pub fn range(source: &Source, span: Span) -> Range {
    Range::new(position(source, span.start), position(source, span.end))
}

/// The byte offset of `position` in `text`: the end of its line when the column is past it, the
/// end of the text when the line is.
pub fn offset(text: &str, position: Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find(['\r', '\n']).unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    start + line.len()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "a: é😀x\nb: y\n";
        let source = Source::new("t.yml", text);
        let x = text.find('x').unwrap();
        let p = position(&source, x);
        assert_eq!(p, Position::new(0, 6));
        assert_eq!(offset(text, p), x);
        assert_eq!(offset(text, Position::new(1, 99)), text.len() - 1);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }
}
