//! Reading a pipeline file in pySigma's YAML format, with every error located in the file.
//!
//! Unknown keys, unknown or unsupported transformation and condition types, bad regexes and
//! wrongly typed values are all errors: a pipeline that sigc would apply differently from pySigma
//! must not be accepted silently.

use super::{Item, Pipeline, Transformation, Vars, conditions, values};
use regex::Regex;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use sigc_compiler::diagnostic::{Diagnostic, Source};
use sigc_compiler::ir::Value;
use sigc_compiler::model::sigma_string;
use sigc_compiler::span::Span;
use sigc_compiler::yaml::{self, Node};
use std::sync::Arc;

/// Keys of the pipeline document.
const TOP_KEYS: &[&str] = &[
    "name",
    "priority",
    "allowed_backends",
    "vars",
    "transformations",
    "postprocessing",
    "finalizers",
];

/// Keys every processing item may have.
const ITEM_KEYS: &[&str] = &[
    "id",
    "type",
    "rule_conditions",
    "rule_cond_op",
    "rule_cond_not",
    "rule_cond_expr",
    "detection_item_conditions",
    "detection_item_cond_op",
    "detection_item_cond_not",
    "detection_item_cond_expr",
    "field_name_conditions",
    "field_name_cond_op",
    "field_name_cond_not",
    "field_name_cond_expr",
];

/// The transformation types sigc implements and the parameters each takes.
pub const TRANSFORMATIONS: &[(&str, &[&str])] = &[
    ("field_name_mapping", &["mapping"]),
    ("field_name_prefix_mapping", &["mapping"]),
    ("field_name_prefix", &["prefix"]),
    ("field_name_suffix", &["suffix"]),
    (
        "field_name_transform",
        &["transform_func", "mapping", "apply_keyword"],
    ),
    (
        "hashes_fields",
        &[
            "valid_hash_algos",
            "field_prefix",
            "drop_algo_prefix",
            "field_to_parse",
        ],
    ),
    ("add_field", &["field"]),
    ("remove_field", &["field"]),
    ("set_field", &["fields"]),
    ("drop_detection_item", &[]),
    (
        "add_condition",
        &["conditions", "template", "negated", "name"],
    ),
    ("change_logsource", &["category", "product", "service"]),
    ("set_state", &["key", "val"]),
    ("set_custom_attribute", &["attribute", "value"]),
    (
        "replace_string",
        &["regex", "replacement", "skip_special", "interpret_special"],
    ),
    ("map_string", &["mapping"]),
    ("set_value", &["value", "force_type"]),
    ("convert_type", &["target_type"]),
    ("case", &["method"]),
    ("value_placeholders", &["include", "exclude"]),
    ("wildcard_placeholders", &["include", "exclude"]),
    ("rule_failure", &["message"]),
    ("detection_item_failure", &["message"]),
];

/// pySigma transformation types sigc does not implement (an error, never ignored).
const UNSUPPORTED: &[(&str, &str)] = &[
    ("regex", "it is not implemented yet"),
    (
        "query_expression_placeholders",
        "placeholders become IR values, not query text",
    ),
    ("file_placeholders", "sigc reads no external sources"),
    ("http_placeholders", "sigc reads no external sources"),
    ("command_placeholders", "sigc runs no commands"),
    ("nest", "nested processing items are not implemented yet"),
    ("strict_field_mapping_failure", "it is not implemented yet"),
    ("extract_fields", "it is not implemented yet"),
];

/// Reads a pipeline file. `source.name` names the pipeline when the file has no `name:`.
pub fn parse(source: &Arc<Source>) -> Result<Pipeline, Vec<Diagnostic>> {
    let docs = yaml::load(source).map_err(|e| vec![e])?;
    let mut r = Reader::new(source);
    let Some(doc) = docs.first() else {
        r.error(Span::new(0, 0), "pipeline file holds no YAML document");
        return Err(r.errors);
    };
    if let Some(extra) = docs.get(1) {
        r.error(
            extra.root().span(),
            "a pipeline file holds one YAML document",
        );
    }
    let root = doc.root();
    let Some(entries) = root.entries() else {
        r.error(
            root.span(),
            format!("a pipeline must be a YAML map, not {}", root.kind()),
        );
        return Err(r.errors);
    };
    for (key, span, _) in &entries {
        if !TOP_KEYS.contains(&key.as_str()) {
            r.error_help(
                *span,
                format!("unknown pipeline key `{key}`"),
                format!("pipeline keys: {}", TOP_KEYS.join(", ")),
            );
        }
    }
    let name = match root.get("name") {
        Some(n) => r.string(n).unwrap_or_default(),
        None => stem(&source.name),
    };
    let priority = match root.get("priority") {
        Some(n) => match n.value.as_i64() {
            Some(p) => p,
            None => {
                r.error(
                    n.span(),
                    format!("`priority` must be an integer, not {}", n.kind()),
                );
                0
            }
        },
        None => 0,
    };
    let allowed_backends = match root.get("allowed_backends") {
        Some(n) => r.strings(n).unwrap_or_default(),
        None => Vec::new(),
    };
    let vars = root
        .get("vars")
        .map(|n| read_vars(&mut r, n))
        .unwrap_or_default();
    for stage in ["postprocessing", "finalizers"] {
        if let Some(n) = root.get(stage)
            && n.items().is_none_or(|items| !items.is_empty())
        {
            r.error_help(
                root.key_span(stage),
                format!("pipeline `{stage}` is not supported"),
                "sigc shapes the output with `-f FORMAT` or `--template FILE.j2` instead",
            );
        }
    }
    let mut items = Vec::new();
    if let Some(list) = root.get("transformations") {
        match list.items() {
            Some(nodes) => {
                for node in nodes {
                    if let Some(item) = read_item(&mut r, node) {
                        items.push(item);
                    }
                }
            }
            None => r.error(
                list.span(),
                format!("`transformations` must be a list, not {}", list.kind()),
            ),
        }
    }
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Pipeline {
        name,
        priority,
        allowed_backends,
        vars,
        items,
        source: source.clone(),
    })
}

/// The file name without directories and extension.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

fn read_vars(r: &mut Reader<'_>, node: Node<'_>) -> Vars {
    let mut vars = Vars::new();
    let Some(entries) = node.entries() else {
        r.error(
            node.span(),
            format!("`vars` must be a map, not {}", node.kind()),
        );
        return vars;
    };
    for (name, _, value) in entries {
        let items = value.items().unwrap_or_else(|| vec![value]);
        let mut list = Vec::new();
        for item in items {
            match scalar_text(item.value) {
                Some(text) => list.push(text),
                None => r.error(
                    item.span(),
                    format!(
                        "variable `{name}` must hold strings or numbers, not {}",
                        item.kind()
                    ),
                ),
            }
        }
        vars.insert(name, list);
    }
    vars
}

/// A string, number or boolean as text.
fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_item(r: &mut Reader<'_>, node: Node<'_>) -> Option<Item> {
    if node.entries().is_none() {
        r.error(
            node.span(),
            format!("a processing item must be a map, not {}", node.kind()),
        );
        return None;
    }
    let Some(ty_node) = node.get("type") else {
        r.error(node.span(), "processing item has no `type`");
        return None;
    };
    let ty = r.string(ty_node)?;
    let Some((_, keys)) = TRANSFORMATIONS.iter().find(|(name, _)| *name == ty) else {
        match UNSUPPORTED.iter().find(|(name, _)| *name == ty) {
            Some((_, why)) => r.error(
                ty_node.span(),
                format!("transformation type `{ty}` is not supported by sigc: {why}"),
            ),
            None => r.error_help(
                ty_node.span(),
                format!("unknown transformation type `{ty}`"),
                format!(
                    "transformation types: {}",
                    TRANSFORMATIONS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        return None;
    };
    let before = r.errors.len();
    let mut allowed: Vec<&str> = ITEM_KEYS.to_vec();
    allowed.extend_from_slice(keys);
    for (key, span, _) in node.entries().unwrap_or_default() {
        if !allowed.contains(&key.as_str()) {
            r.error_help(
                span,
                format!("unknown key `{key}` in a `{ty}` item"),
                format!("`{ty}` takes: {}", keys.join(", ")),
            );
        }
    }
    let id = node.get("id").and_then(|n| r.string(n));
    let conditions = conditions::read(r, node);
    let transformation = read_transformation(r, &ty, node);
    if r.errors.len() != before {
        return None;
    }
    Some(Item {
        id,
        transformation: transformation?,
        conditions,
        span: node.span(),
    })
}

fn read_transformation(r: &mut Reader<'_>, ty: &str, n: Node<'_>) -> Option<Transformation> {
    use Transformation as T;
    Some(match ty {
        "field_name_mapping" => T::FieldNameMapping(r.req_string_lists(n, "mapping")?),
        "field_name_prefix_mapping" => {
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
            T::FieldNamePrefixMapping(out)
        }
        "field_name_prefix" => T::FieldNamePrefix(r.req_string(n, "prefix")?),
        "field_name_suffix" => T::FieldNameSuffix(r.req_string(n, "suffix")?),
        "field_name_transform" => {
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
            T::FieldNameTransform {
                func: super::fields::NameFunc::read(r, node)?,
                mapping: match n.get("mapping") {
                    Some(m) => r.string_lists(m)?,
                    None => Vec::new(),
                },
            }
        }
        "hashes_fields" => T::HashesFields(super::hashes::HashesFields::read(r, n)?),
        "add_field" => T::AddField(r.req_strings(n, "field")?),
        "remove_field" => T::RemoveField(r.req_strings(n, "field")?),
        "set_field" => T::SetField(r.req_strings(n, "fields")?),
        "drop_detection_item" => T::DropDetectionItem,
        "add_condition" => T::AddCondition(super::condition::AddCondition::read(r, n)?),
        "change_logsource" => T::ChangeLogsource {
            category: r.opt_string(n, "category"),
            product: r.opt_string(n, "product"),
            service: r.opt_string(n, "service"),
        },
        "set_state" => T::SetState {
            key: r.req_string(n, "key")?,
            val: r.req_json(n, "val")?,
        },
        "set_custom_attribute" => T::SetCustomAttribute {
            attribute: r.req_string(n, "attribute")?,
            value: r.req_json(n, "value")?,
        },
        "replace_string" => T::ReplaceString(values::ReplaceString::read(r, n)?),
        "map_string" => T::MapString(r.req_string_lists(n, "mapping")?),
        "set_value" => T::SetValue(values::read_set_value(r, n)?),
        "convert_type" => T::ConvertType({
            let node = r.required(n, "target_type")?;
            values::TargetType::read(r, node)?
        }),
        "case" => T::Case(values::CaseMethod::read(r, n.get("method"))?),
        "value_placeholders" => T::ValuePlaceholders(super::placeholders::Selection::read(r, n)?),
        "wildcard_placeholders" => {
            T::WildcardPlaceholders(super::placeholders::Selection::read(r, n)?)
        }
        "rule_failure" => T::RuleFailure(r.req_string(n, "message")?),
        _ => T::DetectionItemFailure(r.req_string(n, "message")?),
    })
}

/// The last line of a `regex` error ("unclosed group"), without its `error: ` prefix.
pub fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or(&text).trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// Reads YAML nodes of one pipeline file, collecting located errors.
pub struct Reader<'s> {
    pub source: &'s Arc<Source>,
    pub errors: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s Arc<Source>) -> Self {
        Reader {
            source,
            errors: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(
            "invalid-pipeline",
            message,
            self.source,
            span,
        ));
    }

    pub fn error_help(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(
            Diagnostic::error("invalid-pipeline", message, self.source, span).with_help(help),
        );
    }

    /// `key` of map `n`, or an error at the map.
    pub fn required<'a>(&mut self, n: Node<'a>, key: &str) -> Option<Node<'a>> {
        let found = n.get(key);
        if found.is_none() {
            self.error(n.span(), format!("missing `{key}`"));
        }
        found
    }

    pub fn string(&mut self, n: Node<'_>) -> Option<String> {
        match n.value {
            Yaml::String(s) => Some(s.clone()),
            Yaml::Number(x) => Some(x.to_string()),
            _ => {
                self.error(n.span(), format!("expected a string, not {}", n.kind()));
                None
            }
        }
    }

    pub fn req_string(&mut self, n: Node<'_>, key: &str) -> Option<String> {
        let node = self.required(n, key)?;
        self.string(node)
    }

    pub fn opt_string(&mut self, n: Node<'_>, key: &str) -> Option<String> {
        let node = n.get(key)?;
        if node.value.is_null() {
            return None;
        }
        self.string(node)
    }

    pub fn boolean(&mut self, n: Node<'_>) -> Option<bool> {
        match n.value {
            Yaml::Bool(b) => Some(*b),
            _ => {
                self.error(
                    n.span(),
                    format!("expected true or false, not {}", n.kind()),
                );
                None
            }
        }
    }

    /// A string or a list of strings.
    pub fn strings(&mut self, n: Node<'_>) -> Option<Vec<String>> {
        match n.items() {
            Some(items) => items.into_iter().map(|i| self.string(i)).collect(),
            None => self.string(n).map(|s| vec![s]),
        }
    }

    /// A map from strings to a string or a list of strings, in document order.
    pub fn string_lists(&mut self, n: Node<'_>) -> Option<Vec<(String, Vec<String>)>> {
        let Some(entries) = n.entries() else {
            self.error(n.span(), format!("expected a map, not {}", n.kind()));
            return None;
        };
        let mut out = Vec::new();
        for (k, _, v) in entries {
            out.push((k, self.strings(v)?));
        }
        Some(out)
    }

    /// A regular expression (Python `re` syntax, as far as Rust's `regex` shares it).
    pub fn regex(&mut self, n: Node<'_>) -> Option<Regex> {
        let text = self.string(n)?;
        match Regex::new(&text) {
            Ok(re) => Some(re),
            Err(e) => {
                let why = regex_error(&e);
                self.error(
                    n.span(),
                    format!("invalid regular expression `{text}`: {why}"),
                );
                None
            }
        }
    }

    /// A scalar as an IR value (strings in Sigma notation, with wildcards).
    pub fn value(&mut self, n: Node<'_>) -> Option<Value> {
        match n.value {
            Yaml::String(s) => Some(Value::Str(sigma_string::parse(s))),
            Yaml::Number(x) => Some(Value::Num(conditions::number(x))),
            Yaml::Bool(b) => Some(Value::Bool(*b)),
            Yaml::Null => Some(Value::Null),
            _ => {
                self.error(
                    n.span(),
                    format!(
                        "expected a string, number, boolean or null, not {}",
                        n.kind()
                    ),
                );
                None
            }
        }
    }

    /// Any YAML value as JSON (for state and attributes).
    pub fn json(n: Node<'_>) -> Json {
        serde_json::to_value(n.value).unwrap_or(Json::Null)
    }

    pub fn req_json(&mut self, n: Node<'_>, key: &str) -> Option<Json> {
        self.required(n, key).map(Reader::json)
    }

    pub fn req_value(&mut self, n: Node<'_>, key: &str) -> Option<Value> {
        let node = self.required(n, key)?;
        self.value(node)
    }

    pub fn req_strings(&mut self, n: Node<'_>, key: &str) -> Option<Vec<String>> {
        let node = self.required(n, key)?;
        self.strings(node)
    }

    pub fn req_string_lists(
        &mut self,
        n: Node<'_>,
        key: &str,
    ) -> Option<Vec<(String, Vec<String>)>> {
        let node = self.required(n, key)?;
        self.string_lists(node)
    }

    /// Checks that a condition map has only `extra` and `keys`.
    pub fn check_keys(
        &mut self,
        n: Node<'_>,
        extra: &str,
        keys: &[&str],
        what: &str,
    ) -> Option<()> {
        let mut ok = true;
        for (key, span, _) in n.entries().unwrap_or_default() {
            if key != extra && !keys.contains(&key.as_str()) {
                ok = false;
                let takes = if keys.is_empty() {
                    "no parameters".to_string()
                } else {
                    keys.join(", ")
                };
                self.error_help(
                    span,
                    format!("unknown key `{key}` in a {what}"),
                    format!("it takes: {takes}"),
                );
            }
        }
        ok.then_some(())
    }
}
