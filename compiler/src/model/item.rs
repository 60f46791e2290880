//! One detection item, read once from its YAML node: `Field|modifier|…: value(s)`, or keywords
//! (a list of plain values, or a `null` key). The compiler lowers it, the linter inspects it and
//! a pipeline's `add_condition` builds the detection it adds from it.

use crate::diagnostic::Source;
use crate::modifier::Modifier;
use crate::span::Span;
use crate::yaml::Node;
use serde_yaml::Value as Yaml;

/// A detection item with the span of every part.
pub struct DetectionItem<'a> {
    /// The key as written (`Image|endswith`); `None` for keywords.
    pub key: Option<String>,
    /// Where the key is; for a keyword list, where the list is.
    pub key_span: Span,
    /// Is the key written as its own text (plain, or quoted without escapes), so that the spans
    /// inside it are exact?
    pub key_verbatim: bool,
    /// The field; `None` for keywords and for a key with no field name (`|all`).
    pub field: Option<Field>,
    /// The modifier chain, in order, aliases unified.
    pub modifiers: Vec<ModifierUse>,
    /// The value node as written: a scalar or a list.
    pub node: Node<'a>,
    /// The values, one node each (a scalar value is a list of one).
    pub values: Vec<Node<'a>>,
}

/// A field name and where it is written.
pub struct Field {
    pub name: String,
    pub span: Span,
}

/// One modifier of a chain: what it is, the name it is written with, where.
pub struct ModifierUse {
    pub modifier: Modifier,
    pub name: String,
    pub span: Span,
}

/// Why a detection item cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ItemError {
    /// A modifier name that no modifier has.
    UnknownModifier { name: String, span: Span },
    /// `re`, `cidr` or `exists` after another modifier.
    NotFirst { name: String, span: Span },
    /// `exists` or `fieldref` with no field before it.
    NeedsField { name: String, span: Span },
    /// `Field: []`.
    EmptyList { span: Span },
}

impl ItemError {
    /// The diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ItemError::UnknownModifier { .. } => "unknown_modifier",
            ItemError::NotFirst { .. } | ItemError::NeedsField { .. } => "invalid_modifier",
            ItemError::EmptyList { .. } => "invalid_detection",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ItemError::UnknownModifier { name, .. } => format!("unknown modifier `{name}`"),
            ItemError::NotFirst { name, .. } => {
                format!("modifier `{name}` must come first in the chain")
            }
            ItemError::NeedsField { name, .. } => format!("`{name}` needs a field name before it"),
            ItemError::EmptyList { .. } => "empty value list matches nothing".to_string(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            ItemError::UnknownModifier { span, .. }
            | ItemError::NotFirst { span, .. }
            | ItemError::NeedsField { span, .. }
            | ItemError::EmptyList { span } => *span,
        }
    }

    /// A hint on how to fix it.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            ItemError::UnknownModifier { .. } => {
                Some("`sigc list modifiers` lists the supported modifiers")
            }
            ItemError::NotFirst { .. }
            | ItemError::NeedsField { .. }
            | ItemError::EmptyList { .. } => None,
        }
    }
}

impl<'a> DetectionItem<'a> {
    /// The items of a map of detection items, in document order, when `node` is a map.
    pub fn read_map(source: &Source, node: Node<'a>) -> Option<Vec<Result<Self, Vec<ItemError>>>> {
        let map = node.value.as_mapping()?;
        let entries = node.entries()?;
        Some(
            entries
                .into_iter()
                .zip(map.keys())
                .map(|((key, key_span, value), raw_key)| match raw_key {
                    Yaml::Null => Self::values_of(value, None, key_span, false, None, Vec::new()),
                    _ => Self::read(source, key.into_owned(), key_span, value),
                })
                .collect(),
        )
    }

    /// Keywords: `values` (taken from `node`) with no field.
    pub fn keywords(node: Node<'a>, values: Vec<Node<'a>>) -> Self {
        DetectionItem {
            key: None,
            key_span: node.span(),
            key_verbatim: false,
            field: None,
            modifiers: Vec::new(),
            node,
            values,
        }
    }

    /// One `Field|modifiers: value(s)` entry.
    fn read(
        source: &Source,
        key: String,
        key_span: Span,
        value: Node<'a>,
    ) -> Result<Self, Vec<ItemError>> {
        let written = source.text.get(key_span.start..key_span.end).unwrap_or("");
        let quoted = matches!(written.as_bytes().first(), Some(b'\'' | b'"'));
        let start = key_span.start + usize::from(quoted);
        let key_verbatim = written == key
            || (quoted
                && written.len() == key.len() + 2
                && written.get(1..=key.len()) == Some(&key));
        let mut parts = key.split('|');
        let name = parts.next().unwrap_or_default();
        let field = (!name.is_empty()).then(|| Field {
            name: name.to_string(),
            span: Span::new(start, start + name.len()),
        });
        let mut offset = start + name.len() + 1;
        let mut modifiers: Vec<ModifierUse> = Vec::new();
        let mut errors = Vec::new();
        for name in parts {
            let span = Span::new(offset, offset + name.len());
            offset += name.len() + 1;
            let name = name.to_string();
            match Modifier::parse(&name) {
                Some(m) if m.must_be_first() && !modifiers.is_empty() => {
                    errors.push(ItemError::NotFirst { name, span });
                }
                Some(modifier) => modifiers.push(ModifierUse {
                    modifier,
                    name,
                    span,
                }),
                None => errors.push(ItemError::UnknownModifier { name, span }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if field.is_none()
            && let Some(m) = modifiers
                .iter()
                .find(|m| matches!(m.modifier, Modifier::Exists | Modifier::FieldRef))
        {
            return Err(vec![ItemError::NeedsField {
                name: m.name.clone(),
                span: m.span,
            }]);
        }
        Self::values_of(value, Some(key), key_span, key_verbatim, field, modifiers)
    }

    fn values_of(
        node: Node<'a>,
        key: Option<String>,
        key_span: Span,
        key_verbatim: bool,
        field: Option<Field>,
        modifiers: Vec<ModifierUse>,
    ) -> Result<Self, Vec<ItemError>> {
        let values = node.items().unwrap_or_else(|| vec![node]);
        if values.is_empty() {
            return Err(vec![ItemError::EmptyList { span: node.span() }]);
        }
        Ok(DetectionItem {
            key,
            key_span,
            key_verbatim,
            field,
            modifiers,
            node,
            values,
        })
    }

    /// The field's name; `None` for keywords.
    pub fn field_name(&self) -> Option<&str> {
        self.field.as_ref().map(|f| f.name.as_str())
    }

    /// Does the chain hold this modifier?
    pub fn has(&self, modifier: Modifier) -> bool {
        self.modifiers.iter().any(|m| m.modifier == modifier)
    }

    /// Is the first modifier of the chain this one?
    pub fn starts_with(&self, modifier: Modifier) -> bool {
        self.modifiers
            .first()
            .is_some_and(|m| m.modifier == modifier)
    }

    /// The values that are scalars (a list or a map in a value list is the compiler's error).
    pub fn scalars(&self) -> impl Iterator<Item = Node<'a>> + '_ {
        self.values.iter().copied().filter(|n| is_scalar(n.value))
    }
}

/// Is this YAML value a scalar (a string, number, boolean or null)?
pub fn is_scalar(v: &Yaml) -> bool {
    !matches!(v, Yaml::Mapping(_) | Yaml::Sequence(_) | Yaml::Tagged(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    /// The detection items of the map `text` (a whole document).
    fn read(text: &str, check: impl FnOnce(&str, Vec<Result<DetectionItem<'_>, Vec<ItemError>>>)) {
        let source = Source::new("t.yml", text);
        let docs = yaml::load(&source).expect("YAML");
        let items = DetectionItem::read_map(&source, docs[0].root()).expect("a map");
        check(text, items);
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn field_modifiers_and_values_are_located() {
        read(
            "'Image|endswith|i': ['\\\\a.exe', b]\nCommandLine: x\n",
            |text, items| {
                let item = items[0].as_ref().expect("valid");
                assert_eq!(item.key.as_deref(), Some("Image|endswith|i"));
                assert!(item.key_verbatim);
                let field = item.field.as_ref().expect("a field");
                assert_eq!(
                    (field.name.as_str(), at(text, field.span)),
                    ("Image", "Image")
                );
                let chain: Vec<_> = item
                    .modifiers
                    .iter()
                    .map(|m| (m.modifier, m.name.as_str(), at(text, m.span)))
                    .collect();
                assert_eq!(
                    chain,
                    [
                        (Modifier::EndsWith, "endswith", "endswith"),
                        (Modifier::IgnoreCase, "i", "i")
                    ]
                );
                let values: Vec<_> = item.values.iter().map(|v| at(text, v.span())).collect();
                assert_eq!(values, ["'\\\\a.exe'", "b"]);
                let single = items[1].as_ref().expect("valid");
                assert_eq!(single.values.len(), 1);
                assert!(single.modifiers.is_empty());
            },
        );
    }

    #[test]
    fn aliases_are_one_modifier() {
        read(
            "a|re|i: x\nb|re|ignorecase: x\nc|wide|base64: x\nd|utf16le|base64: x\n",
            |_, items| {
                let chain = |i: usize| -> Vec<Modifier> {
                    let item: &DetectionItem<'_> = items[i].as_ref().expect("valid");
                    item.modifiers.iter().map(|m| m.modifier).collect()
                };
                assert_eq!(chain(0), chain(1));
                assert_eq!(chain(2), chain(3));
                assert!(items[1].as_ref().is_ok_and(|i| i.has(Modifier::IgnoreCase)));
            },
        );
    }

    #[test]
    fn a_null_key_holds_keywords() {
        for (text, count) in [("null: [evil, bad]\n", 2), ("~: worse\nField: x\n", 1)] {
            read(text, |_, items| {
                let item = items[0].as_ref().expect("valid");
                assert!(item.key.is_none() && item.field.is_none() && item.modifiers.is_empty());
                assert_eq!(item.values.len(), count);
                assert_eq!(items[1..].iter().flatten().count(), items.len() - 1);
            });
        }
    }

    #[test]
    fn keywords_have_no_field() {
        let source = Source::new("t.yml", "- evil\n- bad\n");
        let docs = yaml::load(&source).expect("YAML");
        let root = docs[0].root();
        let item = DetectionItem::keywords(root, root.items().expect("a list"));
        assert!(item.field_name().is_none() && item.key.is_none());
        assert_eq!(item.key_span, root.span());
        assert_eq!(item.scalars().count(), 2);
    }

    #[test]
    fn a_broken_chain_is_every_error_located() {
        read(
            "a|contains|re|nope: x\n'|exists': true\nb: []\n",
            |text, items| {
                let errors = items[0].as_ref().err().expect("invalid");
                let found: Vec<_> = errors
                    .iter()
                    .map(|e| (e.code(), at(text, e.span())))
                    .collect();
                assert_eq!(
                    found,
                    [("invalid_modifier", "re"), ("unknown_modifier", "nope")]
                );
                let needs_field = &items[1].as_ref().err().expect("invalid")[0];
                assert_eq!(
                    needs_field.message(),
                    "`exists` needs a field name before it"
                );
                let empty = &items[2].as_ref().err().expect("invalid")[0];
                assert_eq!(empty.code(), "invalid_detection");
                assert_eq!(empty.span().start, text.find('[').expect("the list"));
            },
        );
    }
}
