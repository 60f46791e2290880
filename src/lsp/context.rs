//! Where a position is in a rule, read from the lines of its text: completion, hover and
//! go-to-definition work while the author types, when the text may not parse yet.
//!
//! Block YAML is enough here: a line's parents are the nearest lines above it with a key and
//! less indentation (a list item's key counts from the item's content), up to the document's
//! `---`.

use std::ops::Range;

/// A piece of the text and its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
}

impl Token<'_> {
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.text.len()
    }
}

/// The place of one byte offset.
#[derive(Debug)]
pub struct Context<'a> {
    /// The keys of the mappings around the position, outermost first.
    pub path: Vec<&'a str>,
    /// The key of the position's line, when it has one.
    pub key: Option<Token<'a>>,
    /// Whether the position is before the end of the line's key (or the line has no value yet).
    pub on_key: bool,
    /// The word under the position (letters, digits, `_ . - *`), possibly empty.
    pub word: Token<'a>,
    /// The line's text before the position.
    pub before: &'a str,
    /// The YAML document that holds the position.
    pub document: Range<usize>,
}

/// One `key: value` line.
#[derive(Debug)]
pub struct Entry<'a> {
    pub key: Token<'a>,
    /// The value written on the key's line, without quotes and comment (may be empty).
    pub value: Token<'a>,
}

/// One line: its start, indentation, whether it is a list item, where its content starts.
struct Line<'a> {
    start: usize,
    text: &'a str,
    indent: usize,
    /// The column of the content after `- `, for a list item.
    item: Option<usize>,
}

impl<'a> Line<'a> {
    fn new(text: &'a str, start: usize) -> Self {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let rest = &text[indent..];
        let item = (rest == "-" || rest.starts_with("- "))
            .then(|| indent + 1 + (rest[1..].len() - rest[1..].trim_start_matches(' ').len()));
        Line {
            start,
            text,
            indent,
            item,
        }
    }

    fn content(&self) -> usize {
        self.item.unwrap_or(self.indent)
    }

    fn blank(&self) -> bool {
        let rest = self.text.trim_start();
        rest.is_empty() || rest.starts_with('#')
    }

    fn is_marker(&self) -> bool {
        self.text.starts_with("---") || self.text.starts_with("...")
    }

    /// The key written on this line.
    fn key(&self) -> Option<Token<'a>> {
        let from = self.content();
        let rest = &self.text[from..];
        let end = match rest.chars().next()? {
            q @ ('\'' | '"') => rest[1..].find(q).map(|i| i + 2)?,
            _ => rest
                .find(": ")
                .or_else(|| rest.strip_suffix(':').map(str::len))?,
        };
        rest[end..].starts_with(':').then(|| {
            let quoted = rest.starts_with(['\'', '"']);
            let (a, b) = if quoted { (1, end - 1) } else { (0, end) };
            Token {
                text: &rest[a..b],
                start: self.start + from + a,
            }
        })
    }

    /// The value after the key's colon, or the list item's text.
    fn value(&self) -> Token<'a> {
        let from = match self.key() {
            Some(k) => {
                k.range().end - self.start
                    + usize::from(self.text[k.range().end - self.start..].starts_with(['\'', '"']))
                    + 1
            }
            None => self.content(),
        };
        let rest = &self.text[from.min(self.text.len())..];
        let rest = rest.split(" #").next().unwrap_or(rest);
        let trimmed = rest.trim();
        let lead = rest.len() - rest.trim_start().len();
        let unquoted = trimmed.trim_matches(['\'', '"']);
        let quote = usize::from(unquoted.len() < trimmed.len() && trimmed.starts_with(['\'', '"']));
        Token {
            text: unquoted,
            start: self.start + from + lead + quote,
        }
    }
}

fn lines(text: &str) -> impl DoubleEndedIterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n')
        .map(move |l| {
            let line = Line::new(l.trim_end_matches(['\n', '\r']), start);
            start += l.len();
            line
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// The byte range of the YAML document around `offset` (between `---` markers).
fn document(text: &str, offset: usize) -> Range<usize> {
    let (mut start, mut end) = (0, text.len());
    for line in lines(text).filter(Line::is_marker) {
        if line.start + line.text.len() < offset {
            start = line.start + line.text.len();
        } else if line.start >= offset {
            end = line.start;
            break;
        }
    }
    start..end
}

/// The place of `offset` in `text`.
pub fn at(text: &str, offset: usize) -> Context<'_> {
    let document = document(text, offset);
    let all: Vec<Line<'_>> = lines(&text[..document.end])
        .filter(|l| l.start >= document.start)
        .collect();
    let index = all
        .iter()
        .rposition(|l| l.start <= offset)
        .unwrap_or_default();
    let empty = Line::new("", offset);
    let line = all.get(index).unwrap_or(&empty);
    let column = offset.saturating_sub(line.start).min(line.text.len());
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '*');
    let from = line.text[..column]
        .rfind(|c| !is_word(c))
        .map_or(0, |i| i + 1);
    let to = line.text[column..]
        .find(|c| !is_word(c))
        .map_or(line.text.len(), |i| column + i);
    let key = line.key();
    let mut path = Vec::new();
    let mut threshold = if line.blank() {
        column
    } else {
        line.indent + usize::from(line.item.is_some())
    };
    for above in all[..index].iter().rev().filter(|l| !l.blank()) {
        if threshold == 0 {
            break;
        }
        if above.indent >= threshold {
            continue;
        }
        let parent = above
            .key()
            .filter(|_| above.item.is_none_or(|c| threshold > c));
        path.extend(parent.map(|k| k.text));
        threshold = if above.item.is_some() {
            above.indent + 1
        } else if parent.is_some() {
            above.indent
        } else {
            threshold
        };
    }
    path.reverse();
    Context {
        path,
        key,
        on_key: key.is_none_or(|k| offset <= k.range().end),
        word: Token {
            text: &line.text[from..to],
            start: line.start + from,
        },
        before: &line.text[..column],
        document,
    }
}

/// The direct entries of the top-level mapping `key` in the document `document` of `text`.
pub fn entries<'a>(text: &'a str, document: &Range<usize>, key: &str) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    let mut inside = None;
    for line in lines(&text[..document.end]).filter(|l| l.start >= document.start && !l.blank()) {
        match inside {
            None if line.indent == 0 && line.key().is_some_and(|k| k.text == key) => {
                inside = Some(usize::MAX);
            }
            None => {}
            Some(_) if line.indent == 0 => break,
            Some(indent) => {
                let indent = if indent == usize::MAX {
                    line.indent
                } else {
                    indent
                };
                inside = Some(indent);
                if line.indent == indent && line.item.is_none() {
                    out.extend(line.key().map(|key| Entry {
                        key,
                        value: line.value(),
                    }));
                }
            }
        }
    }
    out
}

/// The value of the top-level key `key` of a document, or of the entry under its parent.
pub fn value<'a>(entries: &[Entry<'a>], key: &str) -> Option<&'a str> {
    entries
        .iter()
        .find(|e| e.key.text == key)
        .map(|e| e.value.text)
        .filter(|v| !v.is_empty())
}

/// The byte range of the block that the key line at `start` opens: up to the next line at its
/// indentation or less.
pub fn block(text: &str, start: usize) -> Range<usize> {
    let mut all = lines(text).skip_while(|l| l.start + l.text.len() < start);
    let Some(first) = all.next() else {
        return start..start;
    };
    let indent = first.content();
    let end = all
        .find(|l| {
            !l.blank()
                && (l.indent < indent || (l.indent == indent && l.item.is_none()) || l.is_marker())
        })
        .map_or(text.len(), |l| l.start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "title: t\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    selection:\n        - Image|endswith: '.exe'\n          CommandLine: x\n    filter:\n        User:\n            - a\n    condition: selection and not filter\ntags:\n- attack.t1059\n---\ntitle: second\n";

    fn ctx(marker: &str) -> Context<'static> {
        at(RULE, RULE.find(marker).unwrap() + 1)
    }

    #[test]
    fn parents_follow_indentation_and_list_items() {
        assert_eq!(ctx("ndswith").path, ["detection", "selection"]);
        assert_eq!(ctx("ndswith").word.text, "endswith");
        assert_eq!(ctx("ommandLine").path, ["detection", "selection"]);
        assert_eq!(ctx("ommandLine").key.unwrap().text, "CommandLine");
        assert_eq!(ctx("- a").path, ["detection", "filter", "User"]);
        assert_eq!(ctx("ttack.").path, ["tags"]);
        assert_eq!(ctx("ttack.").word.text, "attack.t1059");
        let cond = ctx("ot filter");
        assert_eq!(cond.path, ["detection"]);
        assert!(!cond.on_key);
        assert_eq!(cond.word.text, "not");
        assert_eq!(ctx("second").path, Vec::<&str>::new());
        assert_eq!(ctx("second").document.start, RULE.find("---").unwrap() + 3);
    }

    #[test]
    fn entries_and_blocks() {
        let doc = document(RULE, 0);
        let ls = entries(RULE, &doc, "logsource");
        assert_eq!(value(&ls, "category"), Some("process_creation"));
        let det: Vec<&str> = entries(RULE, &doc, "detection")
            .iter()
            .map(|e| e.key.text)
            .collect();
        assert_eq!(det, ["selection", "filter", "condition"]);
        let start = RULE.find("    filter").unwrap();
        assert_eq!(
            &RULE[block(RULE, start)],
            "    filter:\n        User:\n            - a\n"
        );
    }
}
