//! A compiled rule: metadata, log source and condition expressions.

use super::expr::Expr;
use super::test_cases::TestCases;
use crate::diagnostic::{Diagnostic, Source};
use crate::span::Span;
use crate::vocabulary::{Level, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// A Sigma rule after compilation.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub meta: Meta,
    pub logsource: LogSource,
    /// One expression per `condition` entry; the rule matches when any of them does.
    /// Backends emit one query per entry, as pySigma does.
    pub conditions: Vec<Expr>,
    /// The rule's own test cases (custom attribute `tests`, also kept in `meta.custom`).
    #[serde(skip)]
    pub tests: Option<TestCases>,
    /// The file the rule came from.
    #[serde(skip)]
    pub source: Arc<Source>,
    /// The span of the whole rule document.
    #[serde(skip)]
    pub span: Span,
}

/// The rule's descriptive fields (Sigma specification v2.1).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Meta {
    pub title: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub related: Vec<Related>,
    pub taxonomy: Option<String>,
    pub status: Option<Status>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub author: Option<String>,
    pub references: Vec<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub fields: Vec<String>,
    pub falsepositives: Vec<String>,
    pub level: Option<Level>,
    pub tags: Vec<String>,
    pub scope: Vec<String>,
    /// Keys outside the specification, kept as written (converted to JSON values).
    pub custom: BTreeMap<String, serde_json::Value>,
    /// Where each attribute was written, so a later stage can locate what it refuses (shared:
    /// pipelines copy a rule, never its positions).
    #[serde(skip)]
    pub spans: Arc<MapSpans>,
    /// What the rule's text tolerates where the specification disagrees (a `YYYY/MM/DD` date,
    /// …): located warnings, given with the rule wherever it is used.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl Rule {
    /// What a rule set needs of a rule it does not hold whole ([`crate::RuleSet::set_aside`]):
    /// the title, id and name that references and filters name it by, the log source that
    /// filters select by, and as many conditions as the rule has (what filtering it costs), each
    /// empty; its source keeps only its name. Never converted: it stands for a rule compiled again
    /// when it is needed.
    pub fn outline(&self) -> Rule {
        let logsource = &self.logsource;
        Rule {
            meta: Meta {
                title: self.meta.title.clone(),
                id: self.meta.id.clone(),
                name: self.meta.name.clone(),
                ..Meta::default()
            },
            logsource: LogSource {
                category: logsource.category.clone(),
                product: logsource.product.clone(),
                service: logsource.service.clone(),
                ..LogSource::default()
            },
            conditions: vec![Expr::And(Vec::new()); self.conditions.len()],
            tests: None,
            source: Source::new(self.source.name.clone(), ""),
            span: self.span,
        }
    }

    /// Whether this is an outline ([`Rule::outline`]): a rule read from a file has its text.
    pub fn is_outline(&self) -> bool {
        self.source.is_empty()
    }

    /// Whether `self` is the [`Rule::outline`] of `rule`.
    pub fn outlines(&self, rule: &Rule) -> bool {
        let (a, b) = (&self.logsource, &rule.logsource);
        self.meta.title == rule.meta.title
            && self.meta.id == rule.meta.id
            && self.meta.name == rule.meta.name
            && (&a.category, &a.product, &a.service) == (&b.category, &b.product, &b.service)
            && self.conditions.len() == rule.conditions.len()
            && self.source.name == rule.source.name
            && self.span == rule.span
    }

    /// Where an error about the rule's log source points: its `logsource` value, or the whole
    /// rule when it has none.
    pub fn logsource_span(&self) -> Span {
        self.meta.spans.value("logsource").unwrap_or(self.span)
    }
}

impl Meta {
    /// Where the rule wrote `text` as the value of `key` or an entry of it; else the whole value
    /// of `key` (a pipeline may have renamed or added it); `None` when the rule has no `key`.
    pub fn span_of(&self, key: &str, text: &str) -> Option<Span> {
        self.spans.item(key, text).or_else(|| self.spans.value(key))
    }

    /// The attribute that holds `text`, as [`Meta::span_of`] places it: the first key, in
    /// document order, whose value or one of whose entries is `text`.
    pub fn locate(&self, text: &str) -> Option<Span> {
        self.keys_holding(text)
            .find_map(|k| self.spans.value(k))
            .or_else(|| self.spans.find_item(text))
    }

    /// The attributes of one text whose value is `text`, in document order.
    fn keys_holding<'s>(&'s self, text: &'s str) -> impl Iterator<Item = &'static str> + 's {
        [
            ("title", Some(&self.title)),
            ("description", self.description.as_ref()),
            ("author", self.author.as_ref()),
            ("id", self.id.as_ref()),
            ("name", self.name.as_ref()),
        ]
        .into_iter()
        .filter(move |(_, v)| v.is_some_and(|v| v == text))
        .map(|(k, _)| k)
    }
}

/// Where the entries of a YAML map were written (a rule's attributes, its `logsource`): each
/// key's value and, when it is a list, each of its string entries. Keys read as in a `BTreeMap`
/// filled in document order: of a key written twice (`1:` and `'1':` are both "1"), the last
/// value and the last list count, and lists are searched in key order. Kept in one text and
/// three vectors, in document order: they are searched only to place a message, so nothing is
/// sorted until then.
#[derive(Clone, Debug, Default)]
pub struct MapSpans {
    /// The keys' and entries' texts, end to end.
    text: String,
    /// Each key (its text) and its value's span.
    values: Vec<(Range<usize>, Span)>,
    /// Each key whose value is a list, and the list's range in `items`.
    lists: Vec<(Range<usize>, Range<usize>)>,
    /// Every list's string entries (their texts) and their spans, each list's together.
    items: Vec<(Range<usize>, Span)>,
}

impl MapSpans {
    /// The spans of a map's `entries`, in document order: each key, its value's span and, when
    /// the value is a list, its string entries. `entries` is walked twice, first to size the
    /// vectors.
    pub fn new<'a, L>(entries: impl Iterator<Item = (&'a str, Span, Option<L>)> + Clone) -> Self
    where
        L: Iterator<Item = (&'a str, Span)>,
    {
        let mut spans = MapSpans::default();
        let (mut keys, mut lists, mut items, mut text) = (0, 0, 0, 0);
        for (key, _, list) in entries.clone() {
            keys += 1;
            text += key.len();
            if let Some(list) = list {
                lists += 1;
                for (item, _) in list {
                    items += 1;
                    text += item.len();
                }
            }
        }
        spans.text.reserve_exact(text);
        spans.values.reserve_exact(keys);
        spans.lists.reserve_exact(lists);
        spans.items.reserve_exact(items);
        for (key, value, list) in entries {
            let key = spans.push(key);
            if let Some(list) = list {
                let start = spans.items.len();
                for (item, span) in list {
                    let item = spans.push(item);
                    spans.items.push((item, span));
                }
                spans.lists.push((key.clone(), start..spans.items.len()));
            }
            spans.values.push((key, value));
        }
        spans
    }

    /// The span of `key`'s value.
    pub fn value(&self, key: &str) -> Option<Span> {
        self.last(&self.values, key).copied()
    }

    /// The span of the first entry `text` of `key`'s list.
    pub fn item(&self, key: &str, text: &str) -> Option<Span> {
        first(self.list(self.last(&self.lists, key)?), text)
    }

    /// The span of the first entry `text` of any list, the lists taken in key order.
    pub fn find_item(&self, text: &str) -> Option<Span> {
        self.by_key(&self.lists)
            .into_iter()
            .find_map(|(_, list)| first(self.list(list), text))
    }

    /// Appends `text` to the texts.
    fn push(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
    }

    /// The value of the last of `entries` written with `key`.
    fn last<'s, T>(&'s self, entries: &'s [(Range<usize>, T)], key: &str) -> Option<&'s T> {
        self.entries(entries)
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// `entries` as a map filled in document order holds them: sorted by key, the last written
    /// of each key.
    fn by_key<'s, T>(&'s self, entries: &'s [(Range<usize>, T)]) -> Vec<(&'s str, &'s T)> {
        let mut sorted: Vec<_> = self.entries(entries).rev().collect();
        sorted.sort_by_key(|(key, _)| *key);
        sorted.dedup_by_key(|(key, _)| *key);
        sorted
    }

    /// The texts and spans of the entries of a list (its range in `items`).
    fn list(&self, range: &Range<usize>) -> impl Iterator<Item = (&str, &Span)> {
        self.entries(&self.items[range.clone()])
    }

    /// Each text of `entries` (ranges in `text`) with its value.
    fn entries<'s, T>(
        &'s self,
        entries: &'s [(Range<usize>, T)],
    ) -> impl DoubleEndedIterator<Item = (&'s str, &'s T)> {
        entries.iter().map(|(k, v)| (&self.text[k.clone()], v))
    }
}

/// Equal when they give the same spans for the same keys and entries, however they were built.
impl PartialEq for MapSpans {
    fn eq(&self, other: &Self) -> bool {
        let (lists, other_lists) = (self.by_key(&self.lists), other.by_key(&other.lists));
        self.by_key(&self.values) == other.by_key(&other.values)
            && lists.len() == other_lists.len()
            && lists
                .iter()
                .zip(&other_lists)
                .all(|((key, items), (other_key, other_items))| {
                    key == other_key && self.list(items).eq(other.list(other_items))
                })
    }
}

impl Eq for MapSpans {}

/// The span of the first of a list's `items` whose text is `text`.
fn first<'s>(mut items: impl Iterator<Item = (&'s str, &'s Span)>, text: &str) -> Option<Span> {
    items.find(|(t, _)| *t == text).map(|(_, span)| *span)
}

/// An entry of `related`.
#[derive(Clone, Debug, Serialize)]
pub struct Related {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Where the events come from (`logsource`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LogSource {
    pub category: Option<String>,
    pub product: Option<String>,
    pub service: Option<String>,
    pub definition: Option<String>,
    /// Any other keys.
    pub custom: BTreeMap<String, String>,
    /// Where the rule wrote it (empty when a pipeline replaced the log source).
    #[serde(skip)]
    pub spans: LogSourceSpans,
}

/// The source spans of a `logsource` map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSourceSpans {
    /// The whole map.
    pub node: Option<Span>,
    /// The value of each key (`category`, `product`, a custom key, …).
    pub values: MapSpans,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// One key as a rule writes it: the key, its value's span and, for a list, its entries (`None`
    /// for an entry that is not a string).
    type Written = (String, Span, Option<Vec<(Option<String>, Span)>>);

    /// The maps that [`MapSpans`] replaced, filled as `read_meta` filled them.
    #[derive(PartialEq)]
    struct Reference {
        values: BTreeMap<String, Span>,
        items: BTreeMap<String, Vec<(String, Span)>>,
    }

    impl Reference {
        fn new(written: &[Written]) -> Self {
            let (mut values, mut items) = (BTreeMap::new(), BTreeMap::new());
            for (key, span, list) in written {
                values.insert(key.clone(), *span);
                if let Some(list) = list {
                    let strings = list.iter().filter_map(|(t, s)| Some((t.clone()?, *s)));
                    items.insert(key.clone(), strings.collect());
                }
            }
            Reference { values, items }
        }

        /// `Meta::span_of` as it read the maps.
        fn span_of(&self, key: &str, text: &str) -> Option<Span> {
            self.items
                .get(key)
                .and_then(|items| items.iter().find(|(t, _)| t == text))
                .map(|(_, span)| *span)
                .or_else(|| self.values.get(key).copied())
        }

        /// `Meta::locate` as it read the maps.
        fn locate(&self, meta: &Meta, text: &str) -> Option<Span> {
            meta.keys_holding(text)
                .find_map(|k| self.values.get(k).copied())
                .or_else(|| {
                    self.items
                        .values()
                        .flatten()
                        .find(|(t, _)| t == text)
                        .map(|(_, span)| *span)
                })
        }
    }

    fn spans(written: &[Written]) -> MapSpans {
        MapSpans::new(written.iter().map(|(key, span, list)| {
            let strings = list
                .as_ref()
                .map(|list| list.iter().filter_map(|(t, s)| Some((t.as_deref()?, *s))));
            (key.as_str(), *span, strings)
        }))
    }

    const KEYS: &[&str] = &[
        "title",
        "description",
        "author",
        "id",
        "name",
        "fields",
        "1",
        "a",
    ];
    const TEXTS: &[&str] = &["", "1", "a", "b", "é"];

    fn text() -> impl Strategy<Value = String> {
        select(TEXTS).prop_map(String::from)
    }

    fn written() -> impl Strategy<Value = Vec<Written>> {
        let span = (0..3usize).prop_map(|s| Span::new(s, s + 1));
        let list = option::of(vec((option::of(text()), span.clone()), 0..4));
        vec((select(KEYS).prop_map(String::from), span, list), 0..10)
    }

    proptest! {
        /// Every key, entry and text reads as it read in the maps.
        #[test]
        fn reads_as_the_maps(written in written(), whole in vec(option::of(text()), 5)) {
            let reference = Reference::new(&written);
            let meta = Meta {
                title: whole[0].clone().unwrap_or_default(),
                description: whole[1].clone(),
                author: whole[2].clone(),
                id: whole[3].clone(),
                name: whole[4].clone(),
                spans: Arc::new(spans(&written)),
                ..Meta::default()
            };
            for key in KEYS.iter().chain(&["b"]) {
                prop_assert_eq!(meta.spans.value(key), reference.values.get(*key).copied());
                for text in TEXTS {
                    prop_assert_eq!(meta.span_of(key, text), reference.span_of(key, text));
                }
            }
            for text in TEXTS {
                prop_assert_eq!(meta.locate(text), reference.locate(&meta, text));
            }
        }

        /// Equal exactly when the maps are, whatever the order of the keys.
        #[test]
        fn equal_as_the_maps(
            (a, b) in written().prop_flat_map(|a| (Just(a.clone()), Just(a).prop_shuffle()))
        ) {
            let equal = Reference::new(&a) == Reference::new(&b);
            prop_assert_eq!(spans(&a) == spans(&b), equal);
        }
    }
}
