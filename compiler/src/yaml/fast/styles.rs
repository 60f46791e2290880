//! The scalar styles of the fast reader: plain, single- and double-quoted, literal and folded,
//! each read and folded as YAML 1.2 (and saphyr) fold them, with saphyr's span.

use super::{NotMine, Read, Reader, Stop};
use saphyr_parser::ScalarStyle;
use std::borrow::Cow;

/// A block scalar read.
pub(super) struct Block {
    pub value: String,
    pub style: ScalarStyle,
    /// saphyr's span: from the first content line's text (the indicator when there is none)
    /// to where the scalar's last line break and indentation end.
    pub start: usize,
    pub end: usize,
}

/// What a block scalar does with its final line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}

/// The style of a scalar quoted with `quote`.
pub(super) fn quoted_style(quote: u8) -> ScalarStyle {
    if quote == b'"' {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::SingleQuoted
    }
}

fn newlines(out: &mut String, count: usize) {
    out.extend(std::iter::repeat_n('\n', count));
}

impl<'t> Reader<'t> {
    /// Whether a plain scalar may start at `at` (in block context).
    pub(super) fn plain_start(&self, at: usize) -> bool {
        match self.bytes[at] {
            b'-' | b'?' | b':' => !self.blank_or_end(at + 1),
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => false,
            _ => true,
        }
    }

    /// The plain text on the line from `at`: where its last word ends, and what ends it.
    pub(super) fn plain_line(&self, at: usize) -> (usize, Stop) {
        let bytes = self.bytes;
        let line_end = self.line_end(at);
        let mut from = at;
        let (stop_at, stop) = loop {
            let Some(i) = memchr::memchr2(b':', b'#', &bytes[from..line_end]) else {
                break (line_end, Stop::Eol);
            };
            let i = from + i;
            if bytes[i] == b':' && self.blank_or_end(i + 1) {
                break (i, Stop::Colon(i));
            }
            // a plain scalar never starts with `#`, so `i > at` here
            if bytes[i] == b'#' && bytes[i - 1] == b' ' {
                break (i, Stop::Comment);
            }
            from = i + 1;
        };
        let mut end = stop_at;
        while end > at && bytes[end - 1] == b' ' {
            end -= 1;
        }
        (end, stop)
    }

    /// A plain value at `at`, in a block collection indented by `indent`, its lines folded:
    /// the value and where its text ends.
    pub(super) fn plain(&self, at: usize, indent: usize) -> Read<(Cow<'t, str>, usize)> {
        let (mut end, stop) = self.plain_line(at);
        if stop != Stop::Eol {
            return match stop {
                Stop::Comment => Ok((Cow::Borrowed(&self.text[at..end]), end)),
                _ => Err(NotMine),
            };
        }
        let mut folded: Option<String> = None;
        loop {
            // the next line with text, and the line breaks before it
            let mut line = self.spaces(end);
            let mut breaks = 0;
            while self.byte(line) == Some(b'\n') {
                breaks += 1;
                line = self.spaces(line + 1);
            }
            if breaks == 0 || line == self.bytes.len() || self.col(line) <= indent {
                break;
            }
            if self.bytes[line] == b'#' {
                break;
            }
            let (line_end, stop) = self.plain_line(line);
            if stop != Stop::Eol {
                return Err(NotMine);
            }
            let out = folded.get_or_insert_with(|| self.text[at..end].to_string());
            if breaks == 1 {
                out.push(' ');
            } else {
                newlines(out, breaks - 1);
            }
            out.push_str(&self.text[line..line_end]);
            end = line_end;
        }
        let value = folded.map_or(Cow::Borrowed(&self.text[at..end]), Cow::Owned);
        Ok((value, end))
    }

    /// A quoted scalar at `at`, whose continuation lines start at column `min_col` or later:
    /// its value, and the offset past its closing quote.
    pub(super) fn quoted(&self, at: usize, min_col: usize) -> Read<(Cow<'t, str>, usize)> {
        let bytes = self.bytes;
        let quote = bytes[at];
        let single = quote == b'\'';
        let body = at + 1;
        // one line without escapes: the text itself
        let special = if single {
            memchr::memchr2(b'\'', b'\n', &bytes[body..])
        } else {
            memchr::memchr3(b'"', b'\\', b'\n', &bytes[body..])
        };
        if let Some(i) = special
            && bytes[body + i] == quote
            && !(single && bytes.get(body + i + 1) == Some(&b'\''))
        {
            return Ok((Cow::Borrowed(&self.text[body..body + i]), body + i + 1));
        }
        let mut out = String::new();
        let mut i = body;
        loop {
            let mut leading_blanks = false;
            while i < bytes.len() && bytes[i] != b' ' && bytes[i] != b'\n' {
                match bytes[i] {
                    b'\'' if single && bytes.get(i + 1) == Some(&b'\'') => {
                        out.push('\'');
                        i += 2;
                    }
                    b'\'' if single => break,
                    b'"' if !single => break,
                    b'\\' if !single && bytes.get(i + 1) == Some(&b'\n') => {
                        i += 2;
                        leading_blanks = true;
                        break;
                    }
                    b'\\' if !single => {
                        let (c, len) = escape(&bytes[i..]).ok_or(NotMine)?;
                        out.push(c);
                        i += len;
                    }
                    _ => {
                        let len = utf8_len(bytes[i]);
                        out.push_str(&self.text[i..i + len]);
                        i += len;
                    }
                }
            }
            if bytes.get(i) == Some(&quote) {
                return Ok((Cow::Owned(out), i + 1));
            }
            let (mut spaces, mut first_break, mut breaks) = (0, false, 0);
            let mut crossed = leading_blanks;
            while let Some(b @ (b' ' | b'\n')) = self.byte(i) {
                if b == b'\n' {
                    crossed = true;
                    if leading_blanks {
                        breaks += 1;
                    } else {
                        spaces = 0;
                        first_break = true;
                        leading_blanks = true;
                    }
                } else if !leading_blanks {
                    spaces += 1;
                }
                i += 1;
            }
            if i == bytes.len() || (crossed && self.col(i) < min_col.max(1)) {
                return Err(NotMine);
            }
            if !leading_blanks {
                out.extend(std::iter::repeat_n(' ', spaces));
            } else if first_break && breaks == 0 {
                out.push(' ');
            } else {
                newlines(&mut out, breaks);
            }
        }
    }

    /// A literal (`|`) or folded (`>`) scalar whose indicator is at `at`, in a block collection
    /// indented by `indent`.
    pub(super) fn block(&self, at: usize, indent: usize) -> Read<Block> {
        let bytes = self.bytes;
        let literal = bytes[at] == b'|';
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        let mut i = at + 1;
        let mut chomping = Chomping::Clip;
        let mut increment = 0;
        for _ in 0..2 {
            match self.byte(i) {
                Some(b'+') if chomping == Chomping::Clip => chomping = Chomping::Keep,
                Some(b'-') if chomping == Chomping::Clip => chomping = Chomping::Strip,
                Some(d @ b'1'..=b'9') if increment == 0 => increment = usize::from(d - b'0'),
                _ => break,
            }
            i += 1;
        }
        i = self.rest_of_line(i)?;
        if i < bytes.len() {
            i += 1;
        }
        let mut breaks = 0;
        let content = if increment > 0 {
            let content = indent + increment;
            i = self.block_indent(i, content, &mut breaks);
            content
        } else {
            let mut widest = 0;
            loop {
                i = self.spaces(i);
                widest = widest.max(self.col(i));
                if self.byte(i) != Some(b'\n') {
                    break;
                }
                breaks += 1;
                i += 1;
            }
            widest.max(indent + 1)
        };
        if i == bytes.len() {
            let crossed = bytes[at..i].contains(&b'\n');
            let value = match chomping {
                Chomping::Strip | Chomping::Clip => String::new(),
                Chomping::Keep if breaks == 0 && crossed && self.col(i) > 0 => "\n".to_string(),
                Chomping::Keep => "\n".repeat(breaks),
            };
            return Ok(Block {
                value,
                style,
                start: at,
                end: i,
            });
        }
        let col = self.col(i);
        if col < content && col > indent {
            return Err(NotMine);
        }
        let start = i;
        let mut value = String::new();
        let (mut leading_break, mut leading_blank) = (false, false);
        while i < bytes.len() && bytes[i] != b'\n' && self.col(i) == content {
            let trailing_blank = bytes[i] == b' ';
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if breaks == 0 {
                    value.push(' ');
                }
                newlines(&mut value, breaks);
            } else {
                newlines(&mut value, usize::from(leading_break) + breaks);
            }
            (leading_break, breaks) = (false, 0);
            leading_blank = trailing_blank;
            let line_end = self.line_end(i);
            value.push_str(&self.text[i..line_end]);
            i = line_end;
            if i == bytes.len() {
                break;
            }
            leading_break = true;
            i = self.block_indent(i + 1, content, &mut breaks);
        }
        if chomping != Chomping::Strip {
            newlines(&mut value, usize::from(leading_break));
            if i == bytes.len() && self.col(i) >= content.max(1) {
                value.push('\n');
            }
        }
        if chomping == Chomping::Keep {
            newlines(&mut value, breaks);
        }
        Ok(Block {
            value,
            style,
            start,
            end: i,
        })
    }

    /// Past the indentation (up to column `content`) and the empty lines from `at`, counting
    /// the line breaks into `breaks`.
    fn block_indent(&self, mut at: usize, content: usize, breaks: &mut usize) -> usize {
        loop {
            let line = self.line_start(at);
            while at - line < content && self.byte(at) == Some(b' ') {
                at += 1;
            }
            if self.byte(at) != Some(b'\n') {
                return at;
            }
            *breaks += 1;
            at += 1;
        }
    }
}

/// The length of the UTF-8 character whose first byte is `first`.
fn utf8_len(first: u8) -> usize {
    match first {
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

/// The character a double-quoted escape (`\` first) stands for, and the escape's length.
fn escape(text: &[u8]) -> Option<(char, usize)> {
    let digits = match *text.get(1)? {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        c => {
            let c = match c {
                b'0' => '\0',
                b'a' => '\x07',
                b'b' => '\x08',
                b't' => '\t',
                b'n' => '\n',
                b'v' => '\x0b',
                b'f' => '\x0c',
                b'r' => '\r',
                b'e' => '\x1b',
                b' ' => ' ',
                b'"' => '"',
                b'/' => '/',
                b'\\' => '\\',
                b'N' => '\u{85}',
                b'_' => '\u{a0}',
                b'L' => '\u{2028}',
                b'P' => '\u{2029}',
                _ => return None,
            };
            return Some((c, 2));
        }
    };
    let hex = text.get(2..2 + digits)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    Some((char::from_u32(code)?, 2 + digits))
}
