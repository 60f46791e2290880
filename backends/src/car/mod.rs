//! MITRE CAR pseudocode (car.mitre.org): one program per condition, in the canonical form of
//! docs/backends.md §3.4:
//!
//! ```text
//! processes = search Process:Create
//! target_processes = filter processes where (
//!   (image_path="C:\\Windows\\System32\\net.exe" AND command_line="*delete*") OR
//!   command_line="*Remove-SmbShare*"
//! )
//! output target_processes
//! ```
//!
//! Conventions (CAR's own analytics mix several; sigc writes one):
//! - `AND`, `OR`, `NOT` in upper case; `NOT` binds tightest, then `AND`, then `OR`. The top-level
//!   operands go one per line, and a group directly under the top-level `OR` is parenthesised.
//! - `field="value"` with `=` (never `==`): a whole-value glob match without case, where a bare `*`
//!   is any run and a bare `?` one character. Inside the quotes `\` escapes the next character,
//!   and `\`, `"`, a literal `*` and a literal `?` are always escaped (`C:\\Windows`, as in the
//!   CAR-2020-11-007 seed).
//! - `field match "re"` for a regex (same string escaping; flags as a `(?ims)` prefix),
//!   `field IN ["a", "b"]` for a list, `field IN [10.0.0.0/8]` for a network, `field exists`,
//!   `field=null`, `field>=5`, `field=other_field` for a field reference.
//! - Search and field names come from the CAR data model ([`model`]): the rule must carry the
//!   custom attributes `car_object` and `car_action` and use only that object's fields. A rule
//!   without them is first run through the built-in `car` pipeline, which maps Sigma log sources
//!   and Sysmon fields (as pySigma backends apply their own processing pipeline). What is still
//!   unmapped afterwards is a located error naming the log source or field.
//!
//! Keywords, `|cased`, `|fieldref` other than equality and timestamp parts have no pseudocode
//! form and are per-rule errors.

mod correlation;
mod leaf;
pub mod model;
pub mod tokens;

use crate::correlation::{Method, Referenced};
use crate::format::{self, Format};
use crate::text::{Renderer, in_list, unsupported};
use crate::{Limitation, Query, Target};
use leaf::CarLeaves;
use model::Object;
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::{Correlation, Expr, Rule, Value};
use sigc_pipeline::{Pipeline, Vars};
use std::borrow::Cow;
use std::sync::OnceLock;
use tokens::CAR;

/// The MITRE CAR pseudocode target.
pub struct Car;

impl Target for Car {
    fn name(&self) -> &'static str {
        "car"
    }

    fn description(&self) -> &'static str {
        "MITRE CAR pseudocode over the CAR data model (search, filter, output)"
    }

    fn extension(&self) -> &'static str {
        "car"
    }

    fn default_pipelines(&self) -> &'static [&'static str] {
        &["car"]
    }

    fn formats(&self) -> &'static [&'static Format] {
        &[
            &format::DEFAULT,
            &format::JSON,
            &format::car::ANALYTIC,
            &format::car::PAGE,
        ]
    }

    fn limitations(&self) -> &'static [Limitation] {
        &[
            Limitation {
                what: "a log source without an object in the CAR data model (DNS, named pipes, WMI, scripts)",
                example: "logsource: {product: windows, category: dns_query}\ndetection: {sel: {QueryName: x}, condition: sel}",
            },
            Limitation {
                what: "a field outside the CAR object the log source maps to",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {sel: {NoSuchField: x}, condition: sel}",
            },
            Limitation {
                what: "keywords (values without a field): CAR filters data-model fields only",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {keywords: [x], condition: keywords}",
            },
            Limitation {
                what: "case-sensitive matching (`|cased`): CAR's `=` compares without case",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {sel: {Image|cased: x}, condition: sel}",
            },
            Limitation {
                what: "`|fieldref` with `|startswith`, `|endswith` or `|contains`",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {sel: {Image|fieldref|contains: ParentImage}, condition: sel}",
            },
            Limitation {
                what: "timestamp parts (`|minute` … `|year`)",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {sel: {Image|minute: 5}, condition: sel}",
            },
            Limitation {
                what: "a placeholder (`|expand`) that no pipeline replaced",
                example: "logsource: {product: windows, category: process_creation}\ndetection: {sel: {Image|expand: '%admins%'}, condition: sel}",
            },
            Limitation {
                what: "a correlation of correlations, `aliases`, or a `temporal_ordered` condition other than every rule",
                example: "name: base\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {Image: x}, condition: sel}\n---\ntitle: inner\nname: inner\ncorrelation: {type: event_count, rules: [base], timespan: 1h, condition: {gte: 2}}\n---\ntitle: outer\ncorrelation: {type: event_count, rules: [inner], timespan: 1d, condition: {gte: 2}}",
            },
        ]
    }

    fn queries(&self, rule: &Rule) -> Result<Vec<Query>, Diagnostic> {
        let rule = mapped(rule)?;
        let search = Search::of(&rule)?;
        check_fields(&rule, search.object)?;
        rule.conditions
            .iter()
            .map(|condition| program(&rule, &search, condition).map(Query::search_only))
            .collect()
    }

    fn correlation_methods(&self) -> &'static [Method] {
        &[Method {
            name: "group",
            description: "`group … by bin(time, …)`, `from … select`, `filter` (a `join` for `temporal_ordered`)",
        }]
    }

    /// `group` is the only method.
    fn correlation(
        &self,
        c: &Correlation,
        _method: Option<&Method>,
        referenced: &[Referenced<'_>],
    ) -> Result<Vec<Query>, Diagnostic> {
        Ok(vec![correlation::program(c, referenced)?])
    }
}

/// The custom attribute naming the rule's data-model object.
pub const OBJECT_ATTRIBUTE: &str = "car_object";
/// The custom attribute naming its action (or list of actions).
pub const ACTION_ATTRIBUTE: &str = "car_action";

/// `rule` over the CAR data model: as is when a pipeline already chose its object, otherwise
/// after the built-in `car` pipeline.
pub fn mapped(rule: &Rule) -> Result<Cow<'_, Rule>, Diagnostic> {
    if rule.meta.custom.contains_key(OBJECT_ATTRIBUTE) {
        return Ok(Cow::Borrowed(rule));
    }
    let mut out = rule.clone();
    sigc_pipeline::apply(std::slice::from_ref(car_pipeline()), &Vars::new(), &mut out).map_err(
        |mut errors| {
            errors.truncate(1);
            errors.pop().unwrap_or_else(|| {
                Diagnostic::unlocated("pipeline_error", "the `car` pipeline failed")
            })
        },
    )?;
    Ok(Cow::Owned(out))
}

fn car_pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        sigc_pipeline::builtins::builtin("car")
            .expect("the car pipeline is built in")
            .load()
            .expect("the built-in car pipeline parses")
    })
}

/// What a rule searches: one data-model object and one or more of its actions.
#[derive(Debug)]
pub struct Search {
    pub object: &'static Object,
    pub actions: Vec<&'static str>,
}

impl Search {
    /// The object and actions named by the rule's `car_object` and `car_action` attributes.
    pub fn of(rule: &Rule) -> Result<Search, Diagnostic> {
        let custom = &rule.meta.custom;
        let Some(name) = custom.get(OBJECT_ATTRIBUTE) else {
            return Err(logsource_error(
                rule,
                format!(
                    "log source `{}` has no equivalent in the CAR data model",
                    describe_logsource(rule)
                ),
            )
            .with_help("the `car` pipeline maps process_creation, process_termination, process_access, file_event, file_delete, file_change, file_access, registry_*, network_connection, image_load, driver_load, create_remote_thread, Windows security 4624 and system 7045; CAR has no DNS, named pipe, WMI or script object"));
        };
        let object = name.as_str().and_then(model::object).ok_or_else(|| {
            logsource_error(
                rule,
                format!("`{OBJECT_ATTRIBUTE}: {name}` is not an object of the CAR data model"),
            )
        })?;
        let names: Vec<&serde_json::Value> = match custom.get(ACTION_ATTRIBUTE) {
            Some(serde_json::Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        let mut actions = Vec::with_capacity(names.len());
        for n in &names {
            let action = n
                .as_str()
                .and_then(|a| object.actions.iter().find(|x| **x == a))
                .ok_or_else(|| {
                    logsource_error(
                        rule,
                        format!(
                            "`{ACTION_ATTRIBUTE}: {n}` is not an action of the CAR object `{}` (actions: {})",
                            object.name,
                            object.actions.join(", ")
                        ),
                    )
                })?;
            actions.push(*action);
        }
        if actions.is_empty() {
            return Err(logsource_error(
                rule,
                format!(
                    "no `{ACTION_ATTRIBUTE}` for the CAR object `{}`",
                    object.name
                ),
            ));
        }
        Ok(Search { object, actions })
    }

    /// `Process:Create`, or `Registry:Add OR Registry:Remove` for several actions.
    pub fn text(&self) -> String {
        let object = model::title_case(self.object.name);
        self.actions
            .iter()
            .map(|a| format!("{object}:{}", model::title_case(a)))
            .collect::<Vec<_>>()
            .join(CAR.or)
    }
}

/// `category: x, product: y, service: z` (the keys that are set).
fn describe_logsource(rule: &Rule) -> String {
    let ls = &rule.logsource;
    let parts: Vec<String> = [
        ("category", &ls.category),
        ("product", &ls.product),
        ("service", &ls.service),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
    .collect();
    if parts.is_empty() {
        "(empty)".to_string()
    } else {
        parts.join(", ")
    }
}

/// An error at the rule's `logsource` node (or the whole rule when it cannot be found).
fn logsource_error(rule: &Rule, message: String) -> Diagnostic {
    let span = rule.logsource_span();
    Diagnostic::error(crate::text::UNSUPPORTED, message, &rule.source, span)
}

/// Every field (and referenced field) of the rule belongs to `object`; keywords are refused.
fn check_fields(rule: &Rule, object: &Object) -> Result<(), Diagnostic> {
    for condition in &rule.conditions {
        for m in condition.leaves() {
            let Some(field) = m.field.as_deref() else {
                return Err(unsupported(
                    rule,
                    m,
                    "a keyword (a value without a field) cannot be expressed in CAR pseudocode, which only filters data-model fields",
                ));
            };
            for f in std::iter::once(field).chain(referenced(&m.value)) {
                if !object.has_field(f) {
                    return Err(unsupported(
                        rule,
                        m,
                        format!(
                            "field `{f}` has no equivalent in the CAR data model object `{}`",
                            object.name
                        ),
                    )
                    .with_help(format!(
                        "fields of `{}`: {}",
                        object.name,
                        object.fields.join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The field a `|fieldref` value compares with.
fn referenced(value: &Value) -> Option<&str> {
    match value {
        Value::FieldRef { field, .. } => Some(field),
        Value::Str(_)
        | Value::Expansion(_)
        | Value::Num(_)
        | Value::Bool(_)
        | Value::Null
        | Value::Regex { .. }
        | Value::Cidr(_)
        | Value::Compare { .. }
        | Value::Exists(_)
        | Value::TimePart { .. } => None,
    }
}

/// The `object/action/field` references of a mapped rule, in order of first use.
pub fn data_model_references(rule: &Rule, search: &Search) -> Vec<String> {
    let mut fields: Vec<&str> = Vec::new();
    for condition in &rule.conditions {
        condition.visit(&mut |m| {
            for f in m.field.as_deref().into_iter().chain(referenced(&m.value)) {
                if !fields.contains(&f) {
                    fields.push(f);
                }
            }
        });
    }
    search
        .actions
        .iter()
        .flat_map(|a| {
            fields
                .iter()
                .map(move |f| format!("{}/{a}/{f}", search.object.name))
        })
        .collect()
}

/// One condition as a complete program.
fn program(rule: &Rule, search: &Search, condition: &Expr) -> Result<String, Diagnostic> {
    let collection = search.object.collection;
    let name = format!("target_{collection}");
    let filter = condition_lines(rule, condition)?;
    Ok(format!(
        "{collection} = search {}\n{name} = filter {collection} where (\n  {filter}\n)\noutput {name}",
        search.text()
    ))
}

/// Between top-level operands: each on its own line.
const LINE: &str = "\n  ";

/// The condition text, one top-level operand per line.
fn condition_lines(rule: &Rule, condition: &Expr) -> Result<String, Diagnostic> {
    let mut leaves = CarLeaves { rule };
    let mut renderer = Renderer::new(&CAR, &mut leaves);
    let parts: Vec<String> = match condition {
        Expr::Or(children) if in_list::candidates(children).is_none() => {
            let mut parts = Vec::with_capacity(children.len());
            for child in children {
                let text = renderer.render(child)?.unwrap_or_default();
                parts.push(if matches!(child, Expr::And(_)) {
                    format!("({text})")
                } else {
                    text
                });
            }
            return Ok(parts.join(&format!("{}{LINE}", CAR.or.trim_end())));
        }
        Expr::And(_) => renderer
            .conjuncts(condition)?
            .into_iter()
            .filter_map(|(_, text)| text)
            .collect(),
        Expr::Or(_) | Expr::Not(_) | Expr::Match(_) => {
            renderer.render(condition)?.into_iter().collect()
        }
    };
    Ok(parts.join(&format!("{}{LINE}", CAR.and.trim_end())))
}

#[cfg(test)]
mod tests;
