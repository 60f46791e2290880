//! Field-name transformations: `field_name_mapping`, `field_name_prefix_mapping`,
//! `field_name_prefix`, `field_name_suffix`, `field_name_transform` (on detection items, on field
//! references in values and on the rule's `fields` list), and `add_field` for that list.

use super::names::named;
use super::reader::Reader;
use super::tree::{Leaf, Node};
use super::{At, Context};
use sigc_compiler::diagnostic::Diagnostic;
use sigc_compiler::ir::Value;
use sigc_compiler::yaml::Node as YamlNode;
use std::borrow::Cow;
use std::collections::HashMap;

named! {
    /// The functions `field_name_transform` can apply. pySigma takes any Python callable there
    /// (`transform_func`), which a YAML file cannot hold; sigc names the ones its pipelines need.
    pub enum NameFunc {
        /// `lower`: lower-cased.
        Lower = "lower",
        /// `upper`: upper-cased.
        Upper = "upper",
        /// `snake_case_words`: pySigma-backend-logpoint's snake_case. The name's words (runs of
        /// ASCII lower-case letters and digits, a capital followed by such a run, or runs of
        /// capitals and digits, leftmost first) lower-cased and joined by `_`; other characters
        /// are dropped (`CommandLine` gives `command_line`, `EventID` `event_id`, `LDAPDisplay`
        /// `ldapd_isplay`). A name without such words is lower-cased whole (`ÄÖ` gives `äö`).
        SnakeCaseWords = "snake_case_words",
    }
}

impl NameFunc {
    pub fn read(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<NameFunc> {
        let name = r.string(n)?;
        let func = name.parse().ok();
        if func.is_none() {
            r.error_help(
                n.span(),
                format!("unknown `transform_func` `{name}`"),
                format!(
                    "pySigma's Python functions cannot be named in YAML; sigc has: {}",
                    NameFunc::names()
                ),
            );
        }
        func
    }

    pub fn apply(self, field: &str) -> String {
        match self {
            NameFunc::Lower => field.to_lowercase(),
            NameFunc::Upper => field.to_uppercase(),
            NameFunc::SnakeCaseWords => snake_case_words(field),
        }
    }
}

/// Field names and the names each becomes, looked up by name: a pipeline maps hundreds of
/// names, and every field of every rule is looked up in each mapping.
#[derive(Debug, Default)]
pub struct NameMap(HashMap<String, Vec<String>>);

impl NameMap {
    /// The map of `entries`; a name listed twice keeps its first entry.
    pub fn new(entries: Vec<(String, Vec<String>)>) -> Self {
        let mut map = HashMap::with_capacity(entries.len());
        for (name, names) in entries {
            map.entry(name).or_insert(names);
        }
        NameMap(map)
    }

    fn get(&self, field: &str) -> Option<&Vec<String>> {
        self.0.get(field)
    }
}

/// [`NameFunc::SnakeCaseWords`]: the words of `field` (the leftmost matches of
/// `[a-z0-9]+|[A-Z][a-z0-9]+|[A-Z0-9]+`, found by a scan rather than a regex: every field of a
/// LogPoint conversion goes through it) lower-cased and joined by `_`; without words, `field`
/// lower-cased.
fn snake_case_words(field: &str) -> String {
    let lower_or_digit = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let upper_or_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let bytes = field.as_bytes();
    let run = |from: usize, class: &dyn Fn(u8) -> bool| {
        from + bytes[from..].iter().take_while(|&&b| class(b)).count()
    };
    let mut out = String::with_capacity(field.len() + 4);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end = if lower_or_digit(b) {
            run(i, &lower_or_digit)
        } else if b.is_ascii_uppercase() && bytes.get(i + 1).is_some_and(|&n| lower_or_digit(n)) {
            run(i + 1, &lower_or_digit)
        } else if b.is_ascii_uppercase() {
            run(i, &upper_or_digit)
        } else {
            i += 1;
            continue;
        };
        if !out.is_empty() {
            out.push('_');
        }
        // the words are ASCII: slicing at their ends stays on character boundaries
        out.push_str(&field[i..end].to_ascii_lowercase());
        i = end;
    }
    if out.is_empty() {
        field.to_lowercase()
    } else {
        out
    }
}

/// The field-name transformations.
#[derive(Debug)]
pub enum Rename {
    /// `field_name_mapping`: one field to one or several (several give an OR).
    Mapping(NameMap),
    /// `field_name_prefix_mapping`: the first matching prefix is replaced.
    PrefixMapping(Vec<(String, String)>),
    /// `field_name_prefix`.
    Prefix(String),
    /// `field_name_suffix`.
    Suffix(String),
    /// `field_name_transform`: a named function of the field name, unless `mapping` names it.
    Transform { func: NameFunc, mapping: NameMap },
}

impl Rename {
    /// `field_name_prefix_mapping`: each prefix maps to exactly one.
    pub fn read_prefix_mapping(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<Rename> {
        let map = r.req_string_lists(n, "mapping")?;
        let mut out = Vec::new();
        for (k, v) in map {
            match <[String; 1]>::try_from(v) {
                Ok([one]) => out.push((k, one)),
                Err(_) => {
                    r.error(n.span(), format!("prefix `{k}` must map to one prefix"));
                    return None;
                }
            }
        }
        Some(Rename::PrefixMapping(out))
    }

    /// `field_name_transform`: a function and an optional mapping that overrides it.
    pub fn read_transform(r: &mut Reader<'_>, n: YamlNode<'_>) -> Option<Rename> {
        if let Some(b) = n.get("apply_keyword")
            && r.boolean(b)?
        {
            r.error(
                b.span(),
                "`apply_keyword` is not supported: sigc's functions transform field names, and a keyword has none",
            );
            return None;
        }
        let node = r.required(n, "transform_func")?;
        Some(Rename::Transform {
            func: NameFunc::read(r, node)?,
            mapping: match n.get("mapping") {
                Some(m) => NameMap::new(r.string_lists(m)?),
                None => NameMap::default(),
            },
        })
    }

    /// The new names for `field`, or `None` when this rename leaves it alone; a mapping's names
    /// are borrowed.
    pub fn map(&self, field: &str) -> Option<Cow<'_, [String]>> {
        let one = |name: String| Some(Cow::Owned(vec![name]));
        match self {
            Rename::Mapping(map) => map.get(field).map(|names| Cow::Borrowed(&names[..])),
            Rename::PrefixMapping(map) => map.iter().find_map(|(prefix, repl)| {
                field
                    .strip_prefix(prefix.as_str())
                    .and_then(|rest| one(format!("{repl}{rest}")))
            }),
            Rename::Prefix(prefix) => one(format!("{prefix}{field}")),
            Rename::Suffix(suffix) => one(format!("{field}{suffix}")),
            Rename::Transform { func, mapping } => match mapping.get(field) {
                Some(names) => Some(Cow::Borrowed(&names[..])),
                None => one(func.apply(field)),
            },
        }
    }
}

/// Records that `id` renamed `from` into `to`, for field-name `processing_item_applied`.
fn track(cx: &mut Context<'_>, from: &str, to: &[String], id: Option<&String>) {
    if !cx.marks || to.len() == 1 && to[0] == from {
        return;
    }
    let mut ids = cx.field_applied.remove(from).unwrap_or_default();
    if let Some(id) = id {
        ids.insert(id.clone());
    }
    for name in to {
        cx.field_applied.insert(name.clone(), ids.clone());
    }
}

/// The names `t` renames `field` to, if it does and the item's field-name conditions hold; the
/// rename is tracked. `None` leaves the name as it is.
pub fn rename_name(
    cx: &mut Context<'_>,
    at: At<'_>,
    t: &Rename,
    field: &str,
) -> Option<Vec<String>> {
    let names = t
        .map(field)
        .filter(|_| at.item.conditions.field_matches(cx, Some(field)))?
        .into_owned();
    track(cx, field, &names, at.item.id.as_ref());
    Some(names)
}

/// Renames fields of the detection items, of field references and of the `fields` list.
pub fn rename(cx: &mut Context<'_>, at: At<'_>, t: &Rename) -> Result<(), Vec<Diagnostic>> {
    let item = at.item;

    let mut fields = Vec::new();
    for f in std::mem::take(&mut cx.rule.meta.fields) {
        match rename_name(cx, at, t, &f) {
            Some(names) => fields.extend(names),
            None => fields.push(f),
        }
    }
    cx.rule.meta.fields = fields;

    let mut trees = std::mem::take(&mut cx.trees);
    // what was renamed, for `track`, which records it only when marks are read
    let mut renames: Vec<(String, Vec<String>)> = Vec::new();
    let id = cx.mark_id(item);
    let result = trees.iter_mut().try_for_each(|tree| {
        tree.rewrite(&mut |leaf: &mut Leaf| {
            if !item.conditions.item_matches(cx, leaf) {
                return Ok(None);
            }
            let renamed = |name: &str| {
                t.map(name)
                    .filter(|_| item.conditions.field_matches(cx, Some(name)))
            };
            let referenced = if let Value::FieldRef { field, kind } = &leaf.m.value {
                renamed(field).map(|names| (names.into_owned(), *kind))
            } else {
                None
            };
            let field = leaf
                .m
                .field
                .as_deref()
                .and_then(|f| renamed(f).map(|names| (cx.marks.then(|| f.to_string()), names)));
            let (referenced, field) = match (referenced, field) {
                (None, None) => return Ok::<_, Diagnostic>(None),
                // one field to one name, the common case: renamed in place, not copied
                (None, Some((from, names))) if names.len() == 1 => {
                    if let Some(from) = from {
                        renames.push((from, names.to_vec()));
                    }
                    leaf.m.field = match names {
                        Cow::Borrowed(names) => names.first().cloned(),
                        Cow::Owned(mut names) => names.pop(),
                    };
                    leaf.mark(id);
                    return Ok(None);
                }
                other => other,
            };
            let mut out = match referenced {
                Some((names, kind)) => names
                    .into_iter()
                    .map(|name| {
                        let mut l = leaf.clone();
                        l.m.value = Value::FieldRef { field: name, kind };
                        l
                    })
                    .collect(),
                None => vec![leaf.clone()],
            };
            if let Some((from, names)) = field {
                out = out
                    .into_iter()
                    .flat_map(|l| {
                        names.iter().map(move |name| {
                            let mut l = l.clone();
                            l.m.field = Some(name.clone());
                            l
                        })
                    })
                    .collect();
                if let Some(from) = from {
                    renames.push((from, names.into_owned()));
                }
            }
            Ok(Some(
                out.into_iter()
                    .map(|mut l| {
                        l.mark(id);
                        Node::Leaf(l)
                    })
                    .collect(),
            ))
        })
    });
    cx.trees = trees;
    for (from, to) in renames {
        track(cx, &from, &to, item.id.as_ref());
    }
    result.map_err(|e| vec![e])
}

/// `add_field`: names appended to the rule's `fields`, skipping those already there.
pub fn add(cx: &mut Context<'_>, names: &[String]) {
    for n in names {
        if !cx.rule.meta.fields.contains(n) {
            cx.rule.meta.fields.push(n.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NameFunc;
    use crate::names::assert_round_trip;

    #[test]
    fn names_round_trip() {
        assert_round_trip(NameFunc::ALL);
    }

    #[test]
    fn snake_case_words_splits_as_logpoint_does() {
        let f = |name| NameFunc::SnakeCaseWords.apply(name);
        assert_eq!(f("CommandLine"), "command_line");
        assert_eq!(f("EventID"), "event_id");
        assert_eq!(f("AttributeLDAPDisplayName"), "attribute_ldapd_isplay_name");
        assert_eq!(f("System_Channel"), "system_channel");
        assert_eq!(f("cs-uri.query"), "cs_uri_query");
        assert_eq!(f("hash_sha256"), "hash_sha256");
        assert_eq!(f("SHA512"), "sha512");
        assert_eq!(f("--"), "--");
        assert_eq!(f("ÄÖ"), "äö");
        assert_eq!(f("Straße"), "stra_e");
    }

    proptest::proptest! {
        /// The scan finds the words the pattern that defines them finds.
        #[test]
        fn snake_case_words_are_the_pattern_s_matches(field in "[a-zA-Z0-9_.ßÄ -]{0,24}") {
            let word = regex::Regex::new("[a-z0-9]+|[A-Z][a-z0-9]+|[A-Z0-9]+").unwrap();
            let words: Vec<&str> = word.find_iter(&field).map(|m| m.as_str()).collect();
            let expected = if words.is_empty() {
                field.to_lowercase()
            } else {
                words.join("_").to_lowercase()
            };
            proptest::prop_assert_eq!(NameFunc::SnakeCaseWords.apply(&field), expected);
        }
    }
}
