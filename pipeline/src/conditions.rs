//! The conditions that gate a processing item, at pySigma's three levels: the rule
//! (`rule_conditions`), each detection item (`detection_item_conditions`) and each field name
//! (`field_name_conditions`). A level's conditions are linked by `*_cond_op` (`and`, the
//! default, or `or`) or by a boolean expression over named conditions (`*_cond_expr`), and
//! negated by `*_cond_not`. The levels are AND-ed.

use super::Context;
use super::parse::Reader;
use super::tree::Leaf;
use regex::Regex;
use serde_json::Value as Json;
use sigc_compiler::ir::{Number, Value};
use sigc_compiler::yaml::Node as Yaml;

/// The three condition levels of one item.
#[derive(Debug, Default)]
pub struct Conditions {
    pub rule: Set<RuleCond>,
    pub item: Set<ItemCond>,
    pub field: Set<FieldCond>,
}

/// The conditions of one level and how they combine.
#[derive(Debug)]
pub struct Set<C> {
    pub list: Vec<C>,
    pub link: Link,
    pub negate: bool,
}

impl<C> Default for Set<C> {
    fn default() -> Self {
        Set {
            list: Vec::new(),
            link: Link::All,
            negate: false,
        }
    }
}

/// How the conditions of a level combine.
#[derive(Debug)]
pub enum Link {
    All,
    Any,
    /// A boolean expression whose operands index the list.
    Expr(BoolExpr),
}

/// `cond1 and not (cond2 or cond3)`.
#[derive(Debug)]
pub enum BoolExpr {
    Cond(usize),
    Not(Box<BoolExpr>),
    And(Vec<BoolExpr>),
    Or(Vec<BoolExpr>),
}

impl BoolExpr {
    fn eval(&self, f: &dyn Fn(usize) -> bool) -> bool {
        match self {
            BoolExpr::Cond(i) => f(*i),
            BoolExpr::Not(x) => !x.eval(f),
            BoolExpr::And(xs) => xs.iter().all(|x| x.eval(f)),
            BoolExpr::Or(xs) => xs.iter().any(|x| x.eval(f)),
        }
    }
}

impl<C> Set<C> {
    /// The linked result, negated if asked (pySigma: an empty `and` is true, an empty `or` false).
    fn eval(&self, f: impl Fn(&C) -> bool) -> bool {
        let result = match &self.link {
            Link::All => self.list.iter().all(&f),
            Link::Any => self.list.iter().any(&f),
            Link::Expr(e) => e.eval(&|i| f(&self.list[i])),
        };
        result != self.negate
    }
}

/// A condition on the whole rule.
#[derive(Debug)]
pub enum RuleCond {
    /// `logsource`: every given field equals the rule's.
    Logsource {
        category: Option<String>,
        product: Option<String>,
        service: Option<String>,
    },
    /// `contains_detection_item`: some leaf has this field and value.
    ContainsDetectionItem { field: Option<String>, value: Value },
    /// `contains_field`.
    ContainsField(Option<String>),
    /// `processing_item_applied`: an item with this id matched the rule.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
    /// `is_sigma_rule` (true) and `is_sigma_correlation_rule` (false).
    IsSigmaRule(bool),
    /// `rule_attribute`.
    Attribute {
        attribute: String,
        value: Json,
        op: String,
    },
    /// `tag`.
    Tag(String),
}

/// A condition on one detection item (a leaf).
#[derive(Debug)]
pub enum ItemCond {
    /// `match_string`: the string value (Sigma notation) matches the regex at its start.
    MatchString { regex: Regex, negate: bool },
    /// `match_value`.
    MatchValue(Value),
    /// `contains_wildcard`.
    ContainsWildcard,
    /// `is_null`.
    IsNull,
    /// `processing_item_applied`: an item with this id transformed the leaf.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
}

/// A condition on a field name.
#[derive(Debug)]
pub enum FieldCond {
    /// `include_fields` (`exclude: false`) and `exclude_fields`: by name, or by regexes
    /// matched at the start of the name (`type: re`).
    Fields {
        names: Vec<String>,
        regexes: Option<Vec<Regex>>,
        exclude: bool,
    },
    /// `processing_item_applied`: an item with this id renamed the field.
    Applied(String),
    /// `processing_state`.
    State(StateCond),
}

/// `processing_state`: the pipeline state at `key` compared with `val`.
#[derive(Debug)]
pub struct StateCond {
    pub key: String,
    pub val: Json,
    pub op: String,
}

impl StateCond {
    fn matches(&self, cx: &Context<'_>) -> bool {
        let Some(state) = cx.state.get(&self.key) else {
            return false;
        };
        compare(state, &self.val, &self.op)
    }
}

/// Compares two JSON values with `eq ne gte gt lte lt` (numbers numerically, strings by text).
fn compare(a: &Json, b: &Json, op: &str) -> bool {
    use std::cmp::Ordering::*;
    let ord = match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
        (Json::String(x), Json::String(y)) => Some(x.cmp(y)),
        _ => None,
    };
    match op {
        "eq" => a == b || ord == Some(Equal),
        "ne" => !(a == b || ord == Some(Equal)),
        "gte" => matches!(ord, Some(Greater | Equal)),
        "gt" => ord == Some(Greater),
        "lte" => matches!(ord, Some(Less | Equal)),
        "lt" => ord == Some(Less),
        _ => false,
    }
}

impl Conditions {
    /// Do the rule conditions hold? (No rule condition always holds.)
    pub fn rule_matches(&self, cx: &Context<'_>) -> bool {
        self.rule.list.is_empty() || self.rule.eval(|c| c.matches(cx))
    }

    /// Do the detection-item and field-name conditions hold for `leaf`?
    pub fn item_matches(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        self.item.eval(|c| c.matches(cx, leaf)) && self.field.eval(|c| c.matches_leaf(cx, leaf))
    }

    /// Do the field-name conditions hold for `field`?
    pub fn field_matches(&self, cx: &Context<'_>, field: Option<&str>) -> bool {
        self.field.eval(|c| c.matches_name(cx, field))
    }
}

impl RuleCond {
    fn matches(&self, cx: &Context<'_>) -> bool {
        let rule = &*cx.rule;
        match self {
            RuleCond::Logsource {
                category,
                product,
                service,
            } => {
                let ls = &rule.logsource;
                let same =
                    |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
                same(category, &ls.category)
                    && same(product, &ls.product)
                    && same(service, &ls.service)
            }
            RuleCond::ContainsDetectionItem { field, value } => cx.trees.iter().any(|t| {
                t.leaves()
                    .iter()
                    .any(|l| l.m.field.is_some() && l.m.field == *field && l.m.value == *value)
            }),
            RuleCond::ContainsField(field) => cx.trees.iter().any(|t| {
                t.leaves()
                    .iter()
                    .any(|l| l.m.field.is_some() && l.m.field == *field)
            }),
            RuleCond::Applied(id) => cx.applied.contains(id),
            RuleCond::State(s) => s.matches(cx),
            RuleCond::IsSigmaRule(want) => *want,
            RuleCond::Attribute {
                attribute,
                value,
                op,
            } => attribute_matches(cx, attribute, value, op),
            RuleCond::Tag(tag) => rule.meta.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
        }
    }
}

/// `rule_attribute`: strings compare for equality, lists by membership, levels and dates by order.
fn attribute_matches(cx: &Context<'_>, attribute: &str, value: &Json, op: &str) -> bool {
    const LEVELS: &[&str] = &["informational", "low", "medium", "high", "critical"];
    const STATUSES: &[&str] = &[
        "unsupported",
        "deprecated",
        "experimental",
        "test",
        "stable",
    ];
    let meta = &cx.rule.meta;
    let text = |s: &Option<String>| s.clone().map(Json::String);
    let have = match attribute {
        "title" => Some(Json::String(meta.title.clone())),
        "id" => text(&meta.id),
        "name" => text(&meta.name),
        "status" => meta.status.map(|s| Json::String(s.to_string())),
        "description" => text(&meta.description),
        "author" => text(&meta.author),
        "license" => text(&meta.license),
        "date" => text(&meta.date),
        "modified" => text(&meta.modified),
        "level" => meta.level.map(|l| Json::String(l.to_string())),
        "tags" => Some(Json::from(meta.tags.clone())),
        "references" => Some(Json::from(meta.references.clone())),
        "falsepositives" => Some(Json::from(meta.falsepositives.clone())),
        "fields" => Some(Json::from(meta.fields.clone())),
        other => meta.custom.get(other).cloned(),
    };
    let Some(have) = have else { return false };
    if let Json::Array(list) = &have {
        return match op {
            "in" => list.contains(value),
            "not_in" => !list.contains(value),
            "ne" => true,
            _ => false,
        };
    }
    let rank = |table: &[&str], v: &Json| {
        v.as_str()
            .and_then(|s| table.iter().position(|t| t.eq_ignore_ascii_case(s)))
            .map(|i| Json::from(i as u64))
    };
    let (have, value) = match attribute {
        "level" => (rank(LEVELS, &have), rank(LEVELS, value)),
        "status" => (rank(STATUSES, &have), rank(STATUSES, value)),
        "date" | "modified" => (
            have.as_str().map(|s| Json::String(s.replace('/', "-"))),
            value.as_str().map(|s| Json::String(s.replace('/', "-"))),
        ),
        _ => (Some(have), Some(value.clone())),
    };
    match (have, value) {
        (Some(h), Some(v)) => compare(&h, &v, op),
        _ => false,
    }
}

impl ItemCond {
    fn matches(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        let value = &leaf.m.value;
        match self {
            ItemCond::MatchString { regex, negate } => {
                let hit = match value {
                    Value::Str(p) => regex.find(&p.to_string()).is_some_and(|m| m.start() == 0),
                    _ => false,
                };
                hit != *negate
            }
            ItemCond::MatchValue(v) => value == v,
            ItemCond::ContainsWildcard => match value {
                Value::Str(p) => !p.is_plain(),
                _ => false,
            },
            ItemCond::IsNull => *value == Value::Null,
            ItemCond::Applied(id) => leaf.applied.contains(id),
            ItemCond::State(s) => s.matches(cx),
        }
    }
}

impl FieldCond {
    /// pySigma's `match_detection_item`: the leaf's field, or a field it references, matches.
    fn matches_leaf(&self, cx: &Context<'_>, leaf: &Leaf) -> bool {
        match self {
            FieldCond::Fields { exclude, .. } => {
                let referenced = match &leaf.m.value {
                    Value::FieldRef { field, .. } => Some(field.as_str()),
                    _ => None,
                };
                if *exclude {
                    self.matches_name(cx, leaf.m.field.as_deref())
                } else {
                    self.matches_name(cx, leaf.m.field.as_deref())
                        || referenced.is_some_and(|f| self.matches_name(cx, Some(f)))
                }
            }
            FieldCond::Applied(id) => leaf.applied.contains(id),
            FieldCond::State(s) => s.matches(cx),
        }
    }

    /// pySigma's `match_field_name`.
    pub fn matches_name(&self, cx: &Context<'_>, field: Option<&str>) -> bool {
        match self {
            FieldCond::Fields {
                names,
                regexes,
                exclude,
            } => {
                let included = field.is_some_and(|f| match regexes {
                    Some(res) => res.iter().any(|r| r.is_match(f)),
                    None => names.iter().any(|n| n == f),
                });
                included != *exclude
            }
            FieldCond::Applied(id) => {
                field.is_some_and(|f| cx.field_applied.get(f).is_some_and(|s| s.contains(id)))
            }
            FieldCond::State(s) => s.matches(cx),
        }
    }
}

/// The condition types of each level, for messages.
pub const RULE_TYPES: &[&str] = &[
    "logsource",
    "contains_detection_item",
    "contains_field",
    "processing_item_applied",
    "processing_state",
    "is_sigma_rule",
    "is_sigma_correlation_rule",
    "rule_attribute",
    "tag",
];
pub const ITEM_TYPES: &[&str] = &[
    "match_string",
    "match_value",
    "contains_wildcard",
    "is_null",
    "processing_item_applied",
    "processing_state",
];
pub const FIELD_TYPES: &[&str] = &[
    "include_fields",
    "exclude_fields",
    "processing_item_applied",
    "processing_state",
];

/// Reads the three levels of conditions of an item map.
pub fn read(r: &mut Reader<'_>, item: Yaml<'_>) -> Conditions {
    Conditions {
        rule: read_level(r, item, "rule_conditions", "rule_cond", rule_cond),
        item: read_level(
            r,
            item,
            "detection_item_conditions",
            "detection_item_cond",
            item_cond,
        ),
        field: read_level(
            r,
            item,
            "field_name_conditions",
            "field_name_cond",
            field_cond,
        ),
    }
}

fn read_level<C>(
    r: &mut Reader<'_>,
    item: Yaml<'_>,
    key: &str,
    prefix: &str,
    one: fn(&mut Reader<'_>, &str, Yaml<'_>) -> Option<C>,
) -> Set<C> {
    let mut set = Set::default();
    let mut names = Vec::new();
    if let Some(node) = item.get(key) {
        if let Some(items) = node.items() {
            for c in items {
                if let Some(cond) = one(r, "", c) {
                    set.list.push(cond);
                }
            }
        } else if let Some(entries) = node.entries() {
            for (name, _, c) in entries {
                if let Some(cond) = one(r, &name, c) {
                    set.list.push(cond);
                    names.push(name);
                }
            }
        } else {
            r.error(
                node.span(),
                format!(
                    "`{key}` must be a list or a map of conditions, not {}",
                    node.kind()
                ),
            );
        }
    }
    let op = item.get(&format!("{prefix}_op"));
    let expr = item.get(&format!("{prefix}_expr"));
    if let Some(op) = op {
        match op.as_str() {
            Some("and") => set.link = Link::All,
            Some("or") => set.link = Link::Any,
            _ => r.error(op.span(), format!("`{prefix}_op` must be `and` or `or`")),
        }
    }
    if let Some(expr) = expr {
        if op.is_some() {
            r.error(
                expr.span(),
                format!("`{prefix}_expr` and `{prefix}_op` exclude each other"),
            );
        } else if let Some(text) = r.string(expr) {
            match parse_expr(&text, &names) {
                Ok(e) => set.link = Link::Expr(e),
                Err(message) => r.error(expr.span(), message),
            }
        }
    }
    if let Some(not) = item.get(&format!("{prefix}_not")) {
        set.negate = r.boolean(not).unwrap_or(false);
    }
    set
}

/// Checks the keys of a condition map and returns its type.
fn head<'a>(
    r: &mut Reader<'_>,
    c: Yaml<'a>,
    types: &[&str],
    level: &str,
) -> Option<(String, Yaml<'a>)> {
    let Some(ty) = c.get("type") else {
        r.error(c.span(), format!("{level} condition has no `type`"));
        return None;
    };
    let name = r.string(ty)?;
    if !types.contains(&name.as_str()) {
        r.error_help(
            ty.span(),
            format!("unknown {level} condition type `{name}`"),
            format!("{level} conditions: {}", types.join(", ")),
        );
        return None;
    }
    Some((name, c))
}

fn rule_cond(r: &mut Reader<'_>, _name: &str, c: Yaml<'_>) -> Option<RuleCond> {
    let (ty, c) = head(r, c, RULE_TYPES, "rule")?;
    let keys: &[&str] = match ty.as_str() {
        "logsource" => &["category", "product", "service"],
        "contains_detection_item" => &["field", "value"],
        "contains_field" => &["field"],
        "processing_item_applied" => &["processing_item_id"],
        "processing_state" => &["key", "val", "op"],
        "rule_attribute" => &["attribute", "value", "op"],
        "tag" => &["tag"],
        _ => &[],
    };
    r.check_keys(c, "type", keys, &format!("`{ty}` condition"))?;
    Some(match ty.as_str() {
        "logsource" => RuleCond::Logsource {
            category: r.opt_string(c, "category"),
            product: r.opt_string(c, "product"),
            service: r.opt_string(c, "service"),
        },
        "contains_detection_item" => RuleCond::ContainsDetectionItem {
            field: r.opt_string(c, "field"),
            value: r.req_value(c, "value")?,
        },
        "contains_field" => RuleCond::ContainsField(r.opt_string(c, "field")),
        "processing_item_applied" => RuleCond::Applied(r.req_string(c, "processing_item_id")?),
        "processing_state" => RuleCond::State(state_cond(r, c)?),
        "is_sigma_rule" => RuleCond::IsSigmaRule(true),
        "is_sigma_correlation_rule" => RuleCond::IsSigmaRule(false),
        "rule_attribute" => RuleCond::Attribute {
            attribute: r.req_string(c, "attribute")?,
            value: r.req_json(c, "value")?,
            op: op(
                r,
                c,
                &["eq", "ne", "gte", "gt", "lte", "lt", "in", "not_in"],
            )?,
        },
        _ => RuleCond::Tag(r.req_string(c, "tag")?),
    })
}

fn item_cond(r: &mut Reader<'_>, _name: &str, c: Yaml<'_>) -> Option<ItemCond> {
    let (ty, c) = head(r, c, ITEM_TYPES, "detection item")?;
    let keys: &[&str] = match ty.as_str() {
        "match_string" => &["pattern", "negate", "cond"],
        "match_value" => &["value", "cond"],
        "contains_wildcard" | "is_null" => &["cond"],
        "processing_item_applied" => &["processing_item_id"],
        _ => &["key", "val", "op"],
    };
    r.check_keys(c, "type", keys, &format!("`{ty}` condition"))?;
    if let Some(cond) = c.get("cond")
        && !matches!(cond.as_str(), Some("any" | "all"))
    {
        r.error(cond.span(), "`cond` must be `any` or `all`");
    }
    Some(match ty.as_str() {
        "match_string" => {
            let node = r.required(c, "pattern")?;
            ItemCond::MatchString {
                regex: r.regex(node)?,
                negate: c.get("negate").and_then(|n| r.boolean(n)).unwrap_or(false),
            }
        }
        "match_value" => ItemCond::MatchValue(r.req_value(c, "value")?),
        "contains_wildcard" => ItemCond::ContainsWildcard,
        "is_null" => ItemCond::IsNull,
        "processing_item_applied" => ItemCond::Applied(r.req_string(c, "processing_item_id")?),
        _ => ItemCond::State(state_cond(r, c)?),
    })
}

fn field_cond(r: &mut Reader<'_>, _name: &str, c: Yaml<'_>) -> Option<FieldCond> {
    let (ty, c) = head(r, c, FIELD_TYPES, "field name")?;
    let keys: &[&str] = match ty.as_str() {
        "include_fields" | "exclude_fields" => &["fields", "mode"],
        "processing_item_applied" => &["processing_item_id"],
        _ => &["key", "val", "op"],
    };
    r.check_keys(c, "type", keys, &format!("`{ty}` condition"))?;
    Some(match ty.as_str() {
        "include_fields" | "exclude_fields" => {
            let node = r.required(c, "fields")?;
            let names = r.strings(node)?;
            let mode = c
                .get("mode")
                .map_or(Some("plain".to_string()), |m| r.string(m))?;
            let regexes = match mode.as_str() {
                "plain" => None,
                "re" => {
                    let mut out = Vec::new();
                    for n in &names {
                        match Regex::new(&format!("^(?:{n})")) {
                            Ok(re) => out.push(re),
                            Err(e) => {
                                r.error(
                                    node.span(),
                                    format!(
                                        "invalid regular expression `{n}`: {}",
                                        super::parse::regex_error(&e)
                                    ),
                                );
                                return None;
                            }
                        }
                    }
                    Some(out)
                }
                _ => {
                    let span = c.get("mode").map_or(c.span(), |m| m.span());
                    r.error(span, "`mode` must be `plain` or `re`");
                    return None;
                }
            };
            FieldCond::Fields {
                names,
                regexes,
                exclude: ty == "exclude_fields",
            }
        }
        "processing_item_applied" => FieldCond::Applied(r.req_string(c, "processing_item_id")?),
        _ => FieldCond::State(state_cond(r, c)?),
    })
}

fn state_cond(r: &mut Reader<'_>, c: Yaml<'_>) -> Option<StateCond> {
    Some(StateCond {
        key: r.req_string(c, "key")?,
        val: r.req_json(c, "val")?,
        op: op(r, c, &["eq", "ne", "gte", "gt", "lte", "lt"])?,
    })
}

fn op(r: &mut Reader<'_>, c: Yaml<'_>, allowed: &[&str]) -> Option<String> {
    let Some(node) = c.get("op") else {
        return Some("eq".to_string());
    };
    let op = r.string(node)?;
    if allowed.contains(&op.as_str()) {
        Some(op)
    } else {
        r.error(
            node.span(),
            format!("`op` must be one of {}", allowed.join(", ")),
        );
        None
    }
}

/// Parses `a and not (b or c)` over the condition `names` (`not` > `and` > `or`).
pub fn parse_expr(text: &str, names: &[String]) -> Result<BoolExpr, String> {
    let tokens: Vec<String> = text
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut p = ExprParser {
        tokens: &tokens,
        pos: 0,
        names,
    };
    let e = p.or()?;
    match p.tokens.get(p.pos) {
        None => Ok(e),
        Some(t) => Err(format!("unexpected `{t}` in the condition expression")),
    }
}

struct ExprParser<'a> {
    tokens: &'a [String],
    pos: usize,
    names: &'a [String],
}

impl ExprParser<'_> {
    fn peek_is(&self, word: &str) -> bool {
        self.tokens
            .get(self.pos)
            .is_some_and(|t| t.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<BoolExpr, String> {
        let mut xs = vec![self.and()?];
        while self.peek_is("or") {
            self.pos += 1;
            xs.push(self.and()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            BoolExpr::Or(xs)
        })
    }

    fn and(&mut self) -> Result<BoolExpr, String> {
        let mut xs = vec![self.not()?];
        while self.peek_is("and") {
            self.pos += 1;
            xs.push(self.not()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            BoolExpr::And(xs)
        })
    }

    fn not(&mut self) -> Result<BoolExpr, String> {
        if self.peek_is("not") {
            self.pos += 1;
            return Ok(BoolExpr::Not(Box::new(self.not()?)));
        }
        let Some(t) = self.tokens.get(self.pos) else {
            return Err("the condition expression ends too early".into());
        };
        self.pos += 1;
        if t == "(" {
            let e = self.or()?;
            if self.tokens.get(self.pos).map(String::as_str) != Some(")") {
                return Err("missing `)` in the condition expression".into());
            }
            self.pos += 1;
            return Ok(e);
        }
        match self.names.iter().position(|n| n == t) {
            Some(i) => Ok(BoolExpr::Cond(i)),
            None => Err(format!(
                "the condition expression names `{t}`, which is not one of the named conditions ({})",
                self.names.join(", ")
            )),
        }
    }
}

/// Span-less helper for values of conditions: a YAML number as an IR number.
pub fn number(n: &serde_yaml::Number) -> Number {
    match n.as_i64() {
        Some(i) => Number::Int(i),
        None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}
