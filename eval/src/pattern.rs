//! Sigma wildcard patterns compiled for matching without regular expressions.
//!
//! A pattern is split at its `*`s into fixed-length segments (literal text and `?`). The first
//! segment must match at the start of the value, the last one at its end, and the ones in between
//! are searched leftmost-first, each after the previous one. Because every segment has a fixed
//! length, taking the leftmost occurrence never loses a match, so this is the classic greedy
//! algorithm that only ever backtracks to the last `*`, and it runs in linear time for literal
//! segments (a substring search each) and in O(n·m) for segments holding `?`.

use super::text::fold;
use memchr::memmem::Finder;
use sigc_compiler::ir::{Part, Pattern};

/// One piece of a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// Literal text (never empty).
    Lit(String),
    /// `?`: exactly one character.
    One,
}

/// A run of items with no `*` in it: it matches a fixed number of characters.
#[derive(Clone, Debug, Default)]
struct Segment {
    items: Vec<Item>,
    /// A searcher for the leading literal, built once (middle segments only).
    finder: Option<Box<Finder<'static>>>,
}

impl PartialEq for Segment {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl Eq for Segment {}

impl Segment {
    /// Prepares the segment for searching (see [`Segment::find_in`]).
    fn searchable(mut self) -> Self {
        if let Some(Item::Lit(first)) = self.items.first() {
            self.finder = Some(Box::new(Finder::new(first.as_bytes()).into_owned()));
        }
        self
    }

    /// Matches anchored at byte `pos` of `s`; returns where the match ends.
    fn match_at(&self, s: &str, mut pos: usize) -> Option<usize> {
        for item in &self.items {
            match item {
                Item::Lit(lit) => {
                    if !s[pos..].starts_with(lit.as_str()) {
                        return None;
                    }
                    pos += lit.len();
                }
                Item::One => pos += s[pos..].chars().next()?.len_utf8(),
            }
        }
        Some(pos)
    }

    /// Matches ending exactly at byte `end` of `s`; returns where the match starts.
    fn match_before(&self, s: &str, mut end: usize) -> Option<usize> {
        for item in self.items.iter().rev() {
            match item {
                Item::Lit(lit) => {
                    if !s[..end].ends_with(lit.as_str()) {
                        return None;
                    }
                    end -= lit.len();
                }
                Item::One => end -= s[..end].chars().next_back()?.len_utf8(),
            }
        }
        Some(end)
    }

    /// The leftmost match inside `s[from..to]`; returns where it ends. Jumps between occurrences
    /// of the leading literal when the segment is [`searchable`](Segment::searchable).
    fn find_in(&self, s: &str, from: usize, to: usize) -> Option<usize> {
        let hay = &s[..to];
        let mut start = from;
        loop {
            if let Some(finder) = &self.finder {
                start += finder.find(&hay.as_bytes()[start..])?;
            }
            if let Some(end) = self.match_at(hay, start) {
                return Some(end);
            }
            start += hay[start..].chars().next()?.len_utf8();
        }
    }
}

/// The shape of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shape {
    /// No `*`: the segment must cover the whole value.
    Whole(Segment),
    /// `head * middle… * tail`.
    Stars {
        head: Segment,
        middle: Vec<Segment>,
        tail: Segment,
    },
}

/// A compiled Sigma string pattern, matched against the whole value.
///
/// Unless the pattern is cased, its literals are stored case-folded and it must be given the
/// case-folded value (see [`fold_into`](super::text::fold_into)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Wildcard {
    cased: bool,
    shape: Shape,
}

impl Wildcard {
    /// Compiles a pattern; fails with the placeholder's name if one is left unresolved.
    pub(crate) fn new(pattern: &Pattern) -> Result<Self, String> {
        let mut segments = vec![Segment::default()];
        for part in &pattern.parts {
            let current = segments.last_mut().expect("at least one segment");
            match part {
                Part::Lit(text) if text.is_empty() => {}
                Part::Lit(text) => {
                    let text = if pattern.cased {
                        text.clone()
                    } else {
                        fold(text)
                    };
                    match current.items.last_mut() {
                        Some(Item::Lit(prev)) => prev.push_str(&text),
                        _ => current.items.push(Item::Lit(text)),
                    }
                }
                Part::AnyChar => current.items.push(Item::One),
                Part::AnyRun => segments.push(Segment::default()),
                Part::Placeholder(name) => return Err(name.clone()),
            }
        }
        let shape = if segments.len() == 1 {
            Shape::Whole(segments.pop().expect("one segment"))
        } else {
            let tail = segments.pop().expect("two segments");
            let mut rest = segments.into_iter();
            let head = rest.next().expect("two segments");
            Shape::Stars {
                head,
                middle: rest
                    .filter(|s| !s.items.is_empty())
                    .map(Segment::searchable)
                    .collect(),
                tail,
            }
        };
        Ok(Wildcard {
            cased: pattern.cased,
            shape,
        })
    }

    /// True when the pattern compares case-sensitively (and so wants the raw value).
    pub(crate) fn cased(&self) -> bool {
        self.cased
    }

    /// The literal of a case-insensitive `*literal*` pattern (a plain substring search).
    pub(crate) fn contained_literal(&self) -> Option<&str> {
        match &self.shape {
            Shape::Stars { head, middle, tail }
                if !self.cased && head.items.is_empty() && tail.items.is_empty() =>
            {
                match middle.as_slice() {
                    [Segment { items, .. }] => match items.as_slice() {
                        [Item::Lit(lit)] => Some(lit),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The longest literal of a case-insensitive pattern: it occurs in every folded value the
    /// pattern matches. `None` for a cased pattern or one without literals.
    pub(crate) fn required_literal(&self) -> Option<&str> {
        if self.cased {
            return None;
        }
        let segments: Vec<&Segment> = match &self.shape {
            Shape::Whole(seg) => vec![seg],
            Shape::Stars { head, middle, tail } => {
                [head].into_iter().chain(middle).chain([tail]).collect()
            }
        };
        segments
            .into_iter()
            .flat_map(|seg| &seg.items)
            .filter_map(|item| match item {
                Item::Lit(lit) => Some(lit.as_str()),
                Item::One => None,
            })
            .max_by_key(|lit| lit.len())
    }

    /// Whether the whole of `s` matches (`s` case-folded unless the pattern is cased).
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match &self.shape {
            Shape::Whole(seg) => seg.match_at(s, 0) == Some(s.len()),
            Shape::Stars { head, middle, tail } => {
                let Some(mut pos) = head.match_at(s, 0) else {
                    return false;
                };
                let Some(end) = tail.match_before(s, s.len()) else {
                    return false;
                };
                if end < pos {
                    return false;
                }
                for seg in middle {
                    match seg.find_in(s, pos, end) {
                        Some(next) => pos = next,
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(text: &str) -> Pattern {
        // `*` and `?` are wildcards here; everything else is literal (tests only).
        let mut p = Pattern::default();
        for c in text.chars() {
            p.push(match c {
                '*' => Part::AnyRun,
                '?' => Part::AnyChar,
                c => Part::Lit(c.to_string()),
            });
        }
        p
    }

    #[test]
    fn wildcard_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("", "", true),
            ("", "a", false),
            ("*", "", true),
            ("*", "anything", true),
            ("**", "", true),
            ("?", "", false),
            ("?", "a", true),
            ("?", "ab", false),
            ("?", "é", true),
            ("??", "é", false),
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("abc", "xabc", false),
            ("a*", "abc", true),
            ("a*", "ba", false),
            ("*c", "abc", true),
            ("*c", "cb", false),
            ("*b*", "abc", true),
            ("*b*", "ac", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("a*a", "aba", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "acb", false),
            ("*ab*ab*", "xabyab", true),
            ("*ab*ab*", "xab", false),
            ("*aab", "aaab", true),
            ("*a?c*", "xxabxaxc", true),
            ("*a?c*", "xxabxac", false),
            ("*a?c*", "xxabxad", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*?", "", false),
            ("*?", "x", true),
            ("?*?", "x", false),
            ("?*?", "xy", true),
            ("*\\cmd.exe", "c:\\windows\\system32\\cmd.exe", true),
            ("*\\cmd.exe", "c:\\windows\\system32\\xcmd.exe", false),
            ("*mississippi*", "missmississippi", true),
            ("*ssi*ssi*", "mississippi", true),
            ("*ssi*ssi*ssi*", "mississippi", false),
        ];
        for (p, s, want) in cases {
            let w = Wildcard::new(&pat(p)).unwrap();
            assert_eq!(w.is_match(s), *want, "pattern {p:?} on {s:?}");
        }
    }

    #[test]
    fn contained_literals() {
        let cases = [
            ("*abc*", Some("abc")),
            ("**abc**", Some("abc")),
            ("*ABC*", Some("abc")),
            ("abc*", None),
            ("*abc", None),
            ("*a?c*", None),
            ("*a*c*", None),
            ("*", None),
        ];
        for (p, want) in cases {
            let w = Wildcard::new(&pat(p)).unwrap();
            assert_eq!(w.contained_literal(), want, "{p}");
        }
        let mut cased = pat("*abc*");
        cased.cased = true;
        assert_eq!(Wildcard::new(&cased).unwrap().contained_literal(), None);
    }

    #[test]
    fn required_literals() {
        let cases = [
            ("*abc*", Some("abc")),
            ("ab*cdef", Some("cdef")),
            ("a?bc*x", Some("bc")),
            ("*\\REG.exe", Some("\\reg.exe")),
            ("*", None),
            ("?", None),
            ("", None),
        ];
        for (p, want) in cases {
            let w = Wildcard::new(&pat(p)).unwrap();
            assert_eq!(w.required_literal(), want, "{p}");
        }
        let mut cased = pat("*abc*");
        cased.cased = true;
        assert_eq!(Wildcard::new(&cased).unwrap().required_literal(), None);
    }

    #[test]
    fn escaped_literals_are_literal() {
        // `\*` in YAML arrives as a literal `*` in the IR: it must not act as a wildcard.
        let p = Pattern {
            parts: vec![Part::Lit("a*b?".into())],
            cased: false,
        };
        let w = Wildcard::new(&p).unwrap();
        assert!(w.is_match("a*b?"));
        assert!(!w.is_match("axxb?"));
        assert!(!w.is_match("a*bc"));
    }

    #[test]
    fn literals_fold_unless_cased() {
        let mut p = pat("*ÄBC*");
        assert!(Wildcard::new(&p).unwrap().is_match("xäbcx"));
        p.cased = true;
        let w = Wildcard::new(&p).unwrap();
        assert!(w.cased());
        assert!(w.is_match("xÄBCx"));
        assert!(!w.is_match("xäbcx"));
    }

    #[test]
    fn placeholder_is_refused() {
        let mut p = pat("*");
        p.push(Part::Placeholder("Admins".into()));
        assert_eq!(Wildcard::new(&p), Err("Admins".to_string()));
    }
}
