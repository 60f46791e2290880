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
            ItemError::UnknownModifier { .. } => "unknown-modifier",
            ItemError::NotFirst { .. } | ItemError::NeedsField { .. } => "invalid-modifier",
            ItemError::EmptyList { .. } => "invalid-detection",
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
                    _ => Self::read(source, key, key_span, value),
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
