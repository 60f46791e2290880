//! JSON events read in place, for `sigc test`: a flat tape of nodes over the event's text, with
//! strings borrowed from it (unescaped into one buffer only when they hold escapes) and numbers
//! kept as text until a rule reads them. Reading an event this way costs a few allocations,
//! where a `serde_json::Value` costs one per string, array and object.
//!
//! The tape accepts a JSON object only when `serde_json` would read it to the same value: it
//! refuses (returns `None`) anything it is unsure of — invalid JSON, duplicate keys, nesting
//! deeper than [`MAX_DEPTH`], surrogate escapes, numbers `serde_json` might not read — and the
//! caller then reads the text with `serde_json`, which decides and words any error.
//!
//! Read through a [`Projection`], the tape keeps only the values its paths reach; the rest is
//! checked just as thoroughly (so the same texts are refused) but neither unescaped nor kept.

use super::event::{FieldValue, JsonNode, KeyBits, Shape, number_value};
use super::projection::{Projection, Want};
use super::stops::string_stop;
use serde_json::Number;

/// The deepest nesting read in place (serde_json reads up to 128 levels).
pub const MAX_DEPTH: u32 = 100;

/// Integers of at most this many digits are read without `serde_json` (they fit an `i64`).
const SHORT_INTEGER: usize = 18;

/// A JSON object read in place.
#[derive(Debug)]
pub struct Tape<'a> {
    text: &'a str,
    /// The nodes in document order; an object's members are key, value, key, value….
    nodes: Vec<Node>,
    /// The unescaped text of strings that hold escapes.
    unescaped: String,
}

/// One node: its kind and two numbers whose meaning depends on it.
#[derive(Clone, Copy, Debug)]
struct Node {
    kind: Kind,
    /// For a string or number, the start of its text; for an array or object, the index of the
    /// first node after it.
    a: u32,
    /// For a string or number, the end of its text.
    b: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Null,
    True,
    False,
    /// A number's text in the event.
    Number,
    /// A string's text in the event (no escapes).
    Str,
    /// A string's text in [`Tape::unescaped`].
    Unescaped,
    Array,
    Object,
}

impl<'a> Tape<'a> {
    /// Reads a JSON object; `None` when the text is not one, or when `serde_json` may read it
    /// differently (see the module's documentation).
    pub fn parse(bytes: &'a [u8]) -> Option<Tape<'a>> {
        Self::read(bytes, Projection::WHOLE)
    }

    /// Reads the parts of a JSON object that `projection` names, checking the rest as
    /// [`parse`](Self::parse) does without decoding or keeping it: `None` exactly when `parse`
    /// refuses the text, and the same values for every field the projection was made for.
    pub fn projected(bytes: &'a [u8], projection: &Projection) -> Option<Tape<'a>> {
        Self::read(bytes, projection.want())
    }

    fn read(bytes: &'a [u8], want: Want<'_>) -> Option<Tape<'a>> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut reader = Reader {
            bytes,
            pos: 0,
            tape: Tape {
                text,
                nodes: Vec::with_capacity(bytes.len() / 24 + 4),
                unescaped: String::new(),
            },
            keys: Vec::with_capacity(64),
        };
        reader.skip_whitespace();
        if reader.peek() != Some(b'{') {
            return None;
        }
        reader.value(0, want)?;
        reader.skip_whitespace();
        let tape = reader.tape;
        (reader.pos == bytes.len() && !tape.ambiguous()).then_some(tape)
    }

    /// Whether `Event.UserData` holds several elements: [`JsonEvent`](crate::JsonEvent) reads
    /// the first, which for a value depends on whether serde_json keeps keys in order (a
    /// feature some other crate may turn on) or sorts them.
    fn ambiguous(&self) -> bool {
        let user_data = self.root().get("Event").and_then(|e| e.get("UserData"));
        user_data.is_some_and(|u| u.children().filter(|c| c.is_object()).count() > 1)
    }

    /// The top-level object.
    pub fn root(&self) -> TapeNode<'_> {
        TapeNode { tape: self, at: 0 }
    }

    /// The text of string node `i`.
    fn str(&self, i: usize) -> &str {
        self.node_str(self.nodes[i])
    }

    /// The text of a string node.
    fn node_str(&self, Node { kind, a, b }: Node) -> &str {
        let range = a as usize..b as usize;
        if kind == Kind::Unescaped {
            &self.unescaped[range]
        } else {
            &self.text[range]
        }
    }

    /// The index of the node after node `i` and its descendants.
    fn next(&self, i: usize) -> usize {
        match self.nodes[i].kind {
            Kind::Array | Kind::Object => self.nodes[i].a as usize,
            _ => i + 1,
        }
    }
}

/// A node of a [`Tape`].
#[derive(Clone, Copy, Debug)]
pub struct TapeNode<'a> {
    tape: &'a Tape<'a>,
    at: usize,
}

impl<'a> TapeNode<'a> {
    fn kind(self) -> Kind {
        self.tape.nodes[self.at].kind
    }

    /// The indices of an object's keys (each followed by its value), or of an array's elements;
    /// nothing for a scalar.
    fn members(self) -> impl Iterator<Item = usize> + 'a {
        let (tape, end) = (self.tape, self.tape.next(self.at));
        let step = usize::from(self.kind() == Kind::Object);
        let mut i = self.at + 1;
        std::iter::from_fn(move || {
            (i < end).then(|| {
                let here = i;
                i = tape.next(i + step);
                here
            })
        })
    }

    fn node(self, at: usize) -> Self {
        TapeNode { at, ..self }
    }
}

impl<'a> JsonNode<'a> for TapeNode<'a> {
    fn get(self, key: &str) -> Option<Self> {
        if self.kind() != Kind::Object {
            return None;
        }
        let tape = self.tape;
        self.members()
            .find(|&k| {
                let Node { a, b, .. } = tape.nodes[k];
                (b - a) as usize == key.len() && tape.str(k) == key
            })
            .map(|k| self.node(k + 1))
    }

    fn is_object(self) -> bool {
        self.kind() == Kind::Object
    }

    fn shape(self) -> Shape<'a> {
        let tape = self.tape;
        Shape::Scalar(match self.kind() {
            Kind::Null => FieldValue::Null,
            Kind::True => FieldValue::Bool(true),
            Kind::False => FieldValue::Bool(false),
            Kind::Number => number(tape.str(self.at)),
            Kind::Str | Kind::Unescaped => FieldValue::Str(tape.str(self.at)),
            Kind::Array => return Shape::Array,
            Kind::Object => return Shape::Object,
        })
    }

    fn children(self) -> impl Iterator<Item = Self> {
        let step = usize::from(self.kind() == Kind::Object);
        self.members().map(move |i| self.node(i + step))
    }

    fn keys(self) -> impl Iterator<Item = &'a str> {
        let tape = self.tape;
        let object = self.kind() == Kind::Object;
        self.members().filter(move |_| object).map(|k| tape.str(k))
    }
}

/// A number's value, as `serde_json` reads it.
fn number(text: &str) -> FieldValue<'static> {
    if text.len() <= SHORT_INTEGER
        && text.bytes().all(|c| c.is_ascii_digit())
        && let Ok(i) = text.parse()
    {
        return FieldValue::Int(i);
    }
    // The tape holds only numbers that serde_json reads (see `Reader::number`).
    serde_json::from_str::<Number>(text).map_or(FieldValue::Float(f64::NAN), |n| number_value(&n))
}

/// The parser writing a tape.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    tape: Tape<'a>,
    /// The keys of the objects being read, innermost last, kept or not: to find repeated ones.
    keys: Vec<Node>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `c` after optional whitespace.
    fn expect(&mut self, c: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == c).then(|| self.pos += 1)
    }

    fn push(&mut self, kind: Kind, a: usize, b: usize) {
        self.tape.nodes.push(Node {
            kind,
            a: a as u32,
            b: b as u32,
        });
    }

    /// One value at nesting `depth`, starting at the next non-blank byte, kept as `want` says.
    fn value(&mut self, depth: u32, want: Want<'_>) -> Option<()> {
        self.skip_whitespace();
        let keep = want.kept();
        match self.peek()? {
            b'{' | b'[' if depth >= MAX_DEPTH => None,
            b'{' => self.container(depth, Kind::Object, b'}', want),
            b'[' => self.container(depth, Kind::Array, b']', want),
            b'"' => {
                let node = self.string(keep)?;
                if keep {
                    self.tape.nodes.push(node);
                }
                Some(())
            }
            b't' => self.word(b"true", Kind::True, keep),
            b'f' => self.word(b"false", Kind::False, keep),
            b'n' => self.word(b"null", Kind::Null, keep),
            b'-' | b'0'..=b'9' => self.number(keep),
            _ => None,
        }
    }

    fn word(&mut self, word: &[u8], kind: Kind, keep: bool) -> Option<()> {
        self.bytes[self.pos..].starts_with(word).then(|| {
            self.pos += word.len();
            if keep {
                self.push(kind, 0, 0);
            }
        })
    }

    /// An object or an array, its opening byte next; its members kept as `want` says.
    fn container(&mut self, depth: u32, kind: Kind, close: u8, want: Want<'_>) -> Option<()> {
        let at = self.tape.nodes.len();
        if want.kept() {
            self.push(kind, 0, 0);
        }
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            self.pos += 1;
        } else {
            let first_key = self.keys.len();
            // The keys' hashes, so that most keys are not compared with the others.
            let mut seen = KeyBits::default();
            loop {
                let child = if kind == Kind::Object {
                    self.key(first_key, &mut seen, want)?
                } else {
                    want.element()
                };
                self.value(depth + 1, child)?;
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    c if c == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            self.keys.truncate(first_key);
        }
        if want.kept() {
            self.tape.nodes[at].a = self.tape.nodes.len() as u32;
        }
        Some(())
    }

    /// A member's key and its colon, in an object read as `want` whose keys start at
    /// [`keys`](Self::keys)`[first..]`, their hashes in `seen`: what is read of the member's
    /// value (its key kept with it). A repeated key is refused.
    fn key<'p>(&mut self, first: usize, seen: &mut KeyBits, want: Want<'p>) -> Option<Want<'p>> {
        self.skip_whitespace();
        if self.peek()? != b'"' {
            return None;
        }
        let key = self.string(true)?;
        let name = self.tape.node_str(key);
        if !seen.insert(name) && self.is_repeated(first, key) {
            return None;
        }
        let child = want.member(name);
        self.keys.push(key);
        if child.kept() {
            self.tape.nodes.push(key);
        }
        self.expect(b':')?;
        Some(child)
    }

    /// Whether `key` repeats a key of the object being read, whose keys start at `first`.
    fn is_repeated(&self, first: usize, key: Node) -> bool {
        let name = self.tape.node_str(key);
        self.keys[first..]
            .iter()
            .any(|&k| self.tape.node_str(k) == name)
    }

    /// A string, its opening quote next: its node, whose text is unescaped only if `keep`.
    fn string(&mut self, keep: bool) -> Option<Node> {
        self.pos += 1;
        let start = self.pos;
        let end = start + string_stop(&self.bytes[start..])?;
        self.pos = end + 1;
        match self.bytes[end] {
            b'"' => {
                return Some(Node {
                    kind: Kind::Str,
                    a: start as u32,
                    b: end as u32,
                });
            }
            b'\\' => {}
            _control => return None,
        }
        let from = self.tape.unescaped.len();
        if keep {
            if from == 0 {
                // Unescaped text is never longer than what is left to read: one allocation.
                self.tape.unescaped.reserve(self.bytes.len() - start);
            }
            self.tape.unescaped.push_str(&self.tape.text[start..end]);
        }
        self.pos = end;
        loop {
            // At a backslash.
            let escaped = *self.bytes.get(self.pos + 1)?;
            self.pos += 2;
            let c = match escaped {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hex = std::str::from_utf8(self.bytes.get(self.pos..self.pos + 4)?).ok()?;
                    self.pos += 4;
                    if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                        return None;
                    }
                    // Surrogates (pairs or lone) are left to serde_json.
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            };
            let n = string_stop(&self.bytes[self.pos..])?;
            if keep {
                self.tape.unescaped.push(c);
                let plain = &self.tape.text[self.pos..self.pos + n];
                self.tape.unescaped.push_str(plain);
            }
            self.pos += n;
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Some(Node {
                        kind: Kind::Unescaped,
                        a: from as u32,
                        b: self.tape.unescaped.len() as u32,
                    });
                }
                b'\\' => {}
                _control => return None,
            }
        }
    }

    /// A number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, which serde_json must also
    /// read unless it is a short integer; kept if `keep`.
    fn number(&mut self, keep: bool) -> Option<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        self.pos += usize::from(negative);
        let digits = self.digits();
        if digits == 0 || (digits > 1 && self.bytes[self.pos - digits] == b'0') {
            return None;
        }
        let mut plain = !negative && digits <= SHORT_INTEGER;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
            plain = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
            plain = false;
        }
        if !plain {
            serde_json::from_str::<Number>(&self.tape.text[start..self.pos]).ok()?;
        }
        if keep {
            self.push(Kind::Number, start, self.pos);
        }
        Some(())
    }

    /// Consumes ASCII digits; how many.
    fn digits(&mut self) -> usize {
        let n = self.bytes[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        self.pos += n;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, JsonEvent};
    use serde_json::Value;

    /// Every field the Value-based reader finds, read from the tape: the same values.
    fn same_as_serde(text: &str, fields: &[&str]) {
        let tape = Tape::parse(text.as_bytes()).unwrap_or_else(|| panic!("refused: {text}"));
        let value: Value = serde_json::from_str(text).expect("valid JSON");
        let (fast, slow) = (JsonEvent::new(tape.root()), JsonEvent::new(&value));
        for field in fields {
            assert_eq!(fast.field(field), slow.field(field), "{field} in {text}");
        }
        let scalars = |e: &dyn Event| {
            let mut seen = Vec::new();
            e.any_scalar(&mut |v| {
                seen.push(format!("{v:?}"));
                false
            });
            seen.sort();
            seen
        };
        assert_eq!(scalars(&fast), scalars(&slow), "{text}");
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them() {
        let event = crate::event::tests::sysmon_event().to_string();
        same_as_serde(
            &event,
            &[
                "Image",
                "EventID",
                "Channel",
                "Event.EventData.ProcessId",
                "EventData.IntegrityLevel",
                "System.Computer",
                "Correlation",
                "TimeCreated",
                "System.Provider.#attributes.Name",
                "NoSuchField",
            ],
        );
        same_as_serde(
            r##" {"a": [1, -2, 3.5, 1e2, -0, 12345678901234567890, true, null, {"#text": "t"}],
                "s": "C:\\x\u00e9\"\/\n\t\b\f\r end", "u": "Ärger", "e": {}, "l": [],
                "Event": {"UserData": {"n": 1, "X": {"k": "v"}}, "System": {"EventID": {"#text": "4688"}}}} "##,
            &["a", "s", "u", "e", "l", "k", "EventID", "Event.UserData.n"],
        );
    }

    #[test]
    fn what_serde_json_might_read_otherwise_is_refused() {
        let two_elements = r#"{"Event": {"UserData": {"B": {"k": 1}, "A": {"k": 2}}}}"#;
        let nested = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        let refused = [
            "",
            "[1]",
            "\"x\"",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1} x",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":-}",
            "{\"a\":1e400}",
            "{\"a\":\"\\ud83d\\ude00\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"tab\there\"}",
            "{\"a\":tru}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:1}",
            "{\"a\":\"open}",
            nested.as_str(),
            two_elements,
        ];
        for text in refused {
            assert!(Tape::parse(text.as_bytes()).is_none(), "{text}");
        }
        assert!(Tape::parse(b"{\"a\":\"\xff\"}").is_none());
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(99), "]".repeat(99));
        assert!(Tape::parse(deep.as_bytes()).is_some());
    }
}
