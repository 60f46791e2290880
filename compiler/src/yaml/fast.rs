//! A fast reader of the YAML that rule files are written in: the same parser events, with the
//! same spans, as saphyr's, for a subset of YAML, without saphyr's token queue.
//!
//! The subset is block YAML: block mappings and sequences (a sequence may sit at its key's
//! indentation, and a sequence item may be a compact mapping), plain scalars (folded over
//! lines), single- and double-quoted scalars (escapes, folding), literal and folded block
//! scalars (chomping and indentation indicators), comments and `---` between documents.
//! On anything else (anchors, aliases, tags, flow collections, directives, `...`, complex keys,
//! tabs, carriage returns, a document that is a scalar, text saphyr would refuse, …) the reader
//! answers [`NotMine`] and the file is read by saphyr, so that an error, and its wording, never
//! depends on this reader. `yaml::tests` proves the two agree.

mod styles;

use crate::limits::MAX_YAML_DEPTH;
use crate::span::Span;
use saphyr_parser::{Event, ScalarStyle};
use std::borrow::Cow;

/// The text is outside the subset this reader is sure of.
#[derive(Debug, PartialEq, Eq)]
pub struct NotMine;

type Read<T> = Result<T, NotMine>;

/// Keys longer than this many bytes are left to saphyr, which stops looking for a key's `:`
/// 1024 characters after its start.
const MAX_KEY_BYTES: usize = 1000;

/// The events of `text`, whose byte 0 is byte `base` of the file, with byte spans in the file.
pub fn events(text: &str, base: usize) -> Read<Vec<(Event<'_>, Span)>> {
    // characters saphyr reads as the end (NUL), a blank (tab), a break (CR) or a marker (BOM)
    if memchr::memchr3(b'\0', b'\t', b'\r', text.as_bytes()).is_some() || text.contains('\u{FEFF}')
    {
        return Err(NotMine);
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        base,
        events: Vec::with_capacity(text.len() / 16),
        depth: 0,
    };
    reader.stream()?;
    Ok(reader.events)
}

/// A scalar key and the `:` after it.
struct Key<'t> {
    value: Cow<'t, str>,
    style: ScalarStyle,
    span: (usize, usize),
    colon: usize,
}

/// How a line of plain scalar text ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the line or of the text.
    Eol,
    /// At a comment.
    Comment,
    /// At a `:` followed by a blank, at this offset.
    Colon(usize),
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    base: usize,
    events: Vec<(Event<'t>, Span)>,
    /// Collections open.
    depth: usize,
}

impl<'t> Reader<'t> {
    fn emit(&mut self, event: Event<'t>, start: usize, end: usize) {
        self.events
            .push((event, Span::new(self.base + start, self.base + end)));
    }

    fn scalar_event(&mut self, value: Cow<'t, str>, style: ScalarStyle, start: usize, end: usize) {
        self.emit(Event::Scalar(value, style, 0, None), start, end);
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// Whether `at` holds a space, a line break, or is the end of the text.
    fn blank_or_end(&self, at: usize) -> bool {
        matches!(self.byte(at), None | Some(b' ' | b'\n'))
    }

    fn line_start(&self, at: usize) -> usize {
        memchr::memrchr(b'\n', &self.bytes[..at]).map_or(0, |i| i + 1)
    }

    /// The column of `at`, in bytes (the reader asks only where spaces and `-` precede it).
    fn col(&self, at: usize) -> usize {
        at - self.line_start(at)
    }

    fn spaces(&self, mut at: usize) -> usize {
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        at
    }

    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// The next token from `at`: past spaces, line breaks and comments.
    fn token(&self, mut at: usize) -> usize {
        loop {
            match self.byte(at) {
                Some(b' ' | b'\n') => at += 1,
                Some(b'#') => at = self.line_end(at),
                _ => return at,
            }
        }
    }

    /// The end of a line that may only hold spaces and a comment from `at` on.
    fn rest_of_line(&self, at: usize) -> Read<usize> {
        let after = self.spaces(at);
        match self.byte(after) {
            None | Some(b'\n') => Ok(after),
            Some(b'#') if after > at => Ok(self.line_end(after)),
            Some(_) => Err(NotMine),
        }
    }

    /// Whether a document marker (`---` or `...`) starts at `at`.
    fn marker(&self, at: usize, marker: &[u8]) -> bool {
        (at == 0 || self.bytes[at - 1] == b'\n')
            && self.bytes[at..].starts_with(marker)
            && self.blank_or_end(at + 3)
    }

    /// Whether a block sequence entry (`- `) starts at `at`.
    fn entry(&self, at: usize) -> bool {
        self.byte(at) == Some(b'-') && self.blank_or_end(at + 1)
    }

    /// Where saphyr marks the entry whose `-` is at `at`: past the blanks and a comment after it.
    fn entry_mark(&self, at: usize) -> usize {
        let after = self.spaces(at + 1);
        if self.byte(after) == Some(b'#') {
            self.line_end(after)
        } else {
            after
        }
    }

    /// The indentation of the token at `at`, as the collections it may close see it: -1 at the
    /// end of the text or at a `---`.
    fn level(&self, at: usize) -> Read<isize> {
        if at == self.bytes.len() || self.marker(at, b"---") {
            return Ok(-1);
        }
        if self.marker(at, b"...") {
            return Err(NotMine);
        }
        Ok(self.col(at) as isize)
    }

    fn stream(&mut self) -> Read<()> {
        let len = self.bytes.len();
        self.emit(Event::StreamStart, 0, 0);
        let mut at = self.token(0);
        let mut first = true;
        while at < len {
            if self.marker(at, b"---") {
                self.emit(Event::DocumentStart(true), at, at + 3);
                at = self.token(self.rest_of_line(at + 3)?);
                if at == len || self.marker(at, b"---") {
                    let end = if at == len { at } else { at + 3 };
                    self.scalar_event(Cow::Borrowed(""), ScalarStyle::Plain, at, end);
                } else {
                    at = self.root(at)?;
                }
            } else if first {
                self.emit(Event::DocumentStart(false), at, at);
                at = self.root(at)?;
            } else {
                return Err(NotMine);
            }
            first = false;
            let end = if at == len { at } else { at + 3 };
            self.emit(Event::DocumentEnd, at, end);
        }
        self.emit(Event::StreamEnd, len, len);
        Ok(())
    }

    /// A document's root collection at `at`; the next token, which must end the document.
    fn root(&mut self, at: usize) -> Read<usize> {
        let col = self.col(at);
        let next = if self.entry(at) {
            self.sequence(at, col, false)?
        } else if let Some(key) = self.key(at)? {
            self.mapping(at, col, key)?
        } else {
            return Err(NotMine);
        };
        if self.level(next)? >= 0 {
            return Err(NotMine);
        }
        Ok(next)
    }

    /// A node that starts a line at `at`, in a block collection indented by `indent`.
    fn node(&mut self, at: usize, indent: usize) -> Read<usize> {
        let col = self.col(at);
        if self.entry(at) {
            self.sequence(at, col, false)
        } else if let Some(key) = self.key(at)? {
            self.mapping(at, col, key)
        } else {
            self.scalar(at, indent)
        }
    }

    /// The key at `at`, if a scalar on one line followed by `:` and a blank starts there.
    fn key(&self, at: usize) -> Read<Option<Key<'t>>> {
        let key = match self.bytes[at] {
            quote @ (b'\'' | b'"') => {
                let (value, close) = self.quoted(at, 0)?;
                let colon = self.spaces(close);
                let one_line = !self.bytes[at..close].contains(&b'\n');
                let is_key = self.byte(colon) == Some(b':') && self.blank_or_end(colon + 1);
                (one_line && is_key).then_some(Key {
                    value,
                    style: styles::quoted_style(quote),
                    span: (at, colon),
                    colon,
                })
            }
            _ if self.plain_start(at) => match self.plain_line(at) {
                (end, Stop::Colon(colon)) => Some(Key {
                    value: Cow::Borrowed(&self.text[at..end]),
                    style: ScalarStyle::Plain,
                    span: (at, end),
                    colon,
                }),
                _ => None,
            },
            _ => None,
        };
        match key {
            Some(key) if key.colon - at > MAX_KEY_BYTES => Err(NotMine),
            key => Ok(key),
        }
    }

    /// One collection deeper.
    fn enter(&mut self) -> Read<()> {
        self.depth += 1;
        // deeper text is refused anyway, after saphyr's reading; the reader recurses per level
        if self.depth > MAX_YAML_DEPTH {
            return Err(NotMine);
        }
        Ok(())
    }

    /// A block mapping whose first `key` starts at `at`, in column `col`; the next token.
    fn mapping(&mut self, at: usize, col: usize, key: Key<'t>) -> Read<usize> {
        self.enter()?;
        self.emit(Event::MappingStart(0, None), at, at);
        let mut key = key;
        loop {
            self.scalar_event(key.value, key.style, key.span.0, key.span.1);
            let value = self.spaces(key.colon + 1);
            let next = match self.byte(value) {
                None | Some(b'\n' | b'#') => {
                    let next = self.token(value);
                    let level = self.level(next)?;
                    if level > col as isize {
                        self.node(next, col)?
                    } else if level == col as isize && self.entry(next) {
                        self.sequence(next, col, true)?
                    } else {
                        let colon = key.colon;
                        self.scalar_event(Cow::Borrowed(""), ScalarStyle::Plain, colon, colon);
                        next
                    }
                }
                Some(_) => self.scalar(value, col)?,
            };
            let level = self.level(next)?;
            if level < col as isize {
                self.emit(Event::MappingEnd, next, next);
                self.depth -= 1;
                return Ok(next);
            }
            key = match self.key(next)? {
                Some(key) if level == col as isize => key,
                _ => return Err(NotMine),
            };
        }
    }

    /// A block sequence whose first `-` is at `at`, in column `col`; `indentless` when it is
    /// a mapping value at its key's indentation. The next token.
    fn sequence(&mut self, at: usize, col: usize, indentless: bool) -> Read<usize> {
        self.enter()?;
        let start = if indentless { self.entry_mark(at) } else { at };
        self.emit(Event::SequenceStart(0, None), start, start);
        let mut at = at;
        loop {
            let item = self.spaces(at + 1);
            let next = match self.byte(item) {
                None | Some(b'\n' | b'#') => {
                    let mark = self.entry_mark(at);
                    let next = self.token(mark);
                    if self.level(next)? > col as isize {
                        self.node(next, col)?
                    } else {
                        self.scalar_event(Cow::Borrowed(""), ScalarStyle::Plain, mark, mark);
                        next
                    }
                }
                Some(_) if self.entry(item) => return Err(NotMine),
                Some(_) => match self.key(item)? {
                    Some(key) => self.mapping(item, self.col(item), key)?,
                    None => self.scalar(item, col)?,
                },
            };
            let level = self.level(next)?;
            if level == col as isize && self.entry(next) {
                at = next;
                continue;
            }
            if level > col as isize || (level == col as isize && !indentless) {
                return Err(NotMine);
            }
            self.emit(Event::SequenceEnd, next, next);
            self.depth -= 1;
            return Ok(next);
        }
    }

    /// A scalar at `at`, in a block collection indented by `indent`; the next token.
    fn scalar(&mut self, at: usize, indent: usize) -> Read<usize> {
        match self.bytes[at] {
            quote @ (b'\'' | b'"') => {
                let (value, close) = self.quoted(at, indent + 1)?;
                let end = self.rest_of_line(close)?;
                self.scalar_event(value, styles::quoted_style(quote), at, end);
                Ok(self.token(end))
            }
            b'|' | b'>' => {
                let block = self.block(at, indent)?;
                let end = block.end;
                self.scalar_event(Cow::Owned(block.value), block.style, block.start, end);
                Ok(self.token(end))
            }
            _ if self.plain_start(at) => {
                let (value, end) = self.plain(at, indent)?;
                self.scalar_event(value, ScalarStyle::Plain, at, end);
                Ok(self.token(end))
            }
            _ => Err(NotMine),
        }
    }
}

#[cfg(test)]
mod tests;
