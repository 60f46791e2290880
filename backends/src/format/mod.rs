//! Output formats: the converted rules of a run rendered with a minijinja template, built in
//! (`backends/templates/<target>/*.j2`, listed by `sigc list formats TARGET`) or the user's own
//! (`--template FILE.j2`, same context; see `docs/templates.md`).
//!
//! The context is `target`, `format` and `rules`, one [`RuleContext`] per converted rule. Filters
//! added to minijinja's built-ins: `tojson` (JSON text of any value), `conf` (a Splunk `.conf`
//! value: line ends continued with ` \`) and `data_set` (`Model.Set` → `Set`).

mod car;
mod context;

pub use context::{QueryParts, RuleContext};

use minijinja::{Environment, Error, ErrorKind, Value};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Rule;
use sigc_compiler::pipeline::State;

/// One rule after pipelines and conversion, ready to be rendered.
pub struct Converted {
    pub rule: Rule,
    /// One query per condition of the rule, in parts.
    pub queries: Vec<crate::Query>,
    /// The pipeline state left for this rule.
    pub state: State,
}

/// A built-in output format.
pub struct Format {
    pub name: &'static str,
    pub description: &'static str,
    /// Targets offering it; empty for every target.
    pub targets: &'static [&'static str],
    /// The extension of a file in this format; `None` when it is a file of the target's queries.
    pub extension: Option<&'static str>,
    template: &'static str,
    /// Pipeline state keys the format needs, with the error when one is missing.
    requires: &'static [(&'static str, &'static str)],
    /// Values computed in Rust for each rule, seen by the template as `rule.extra`.
    extra: Option<fn(&Converted) -> serde_json::Value>,
}

const FORMATS: &[Format] = &[
    Format {
        name: "default",
        description: "the queries, one per line",
        targets: &[],
        extension: None,
        template: include_str!("../../templates/common/default.j2"),
        requires: &[],
        extra: None,
    },
    Format {
        name: "savedsearches",
        description: "a Splunk savedsearches.conf with one stanza per query",
        targets: &["splunk"],
        extension: Some("conf"),
        template: include_str!("../../templates/splunk/savedsearches.j2"),
        requires: &[],
        extra: None,
    },
    Format {
        name: "data_model",
        description: "tstats searches over the CIM data model chosen by the splunk_cim pipeline",
        targets: &["splunk"],
        extension: None,
        template: include_str!("../../templates/splunk/data_model.j2"),
        requires: &[
            (
                "data_model_set",
                "No data model specified by processing pipeline",
            ),
            ("fields", "No fields specified by processing pipeline"),
        ],
        extra: None,
    },
    Format {
        name: "json",
        description: "a JSON array: id, title, level, status, tags, path and queries of each rule",
        targets: &[],
        extension: Some("json"),
        template: include_str!("../../templates/common/json.j2"),
        requires: &[],
        extra: None,
    },
    Format {
        name: "car-analytic",
        description: "a CAR analytic YAML (car repository schema) with pseudocode, Splunk and LogPoint implementations",
        targets: &["car"],
        extension: Some("yaml"),
        template: include_str!("../../templates/car/analytic.j2"),
        requires: &[],
        extra: Some(car::extra),
    },
    Format {
        name: "car-page",
        description: "a CAR analytic page in Markdown, as on car.mitre.org",
        targets: &["car"],
        extension: Some("md"),
        template: include_str!("../../templates/car/page.j2"),
        requires: &[],
        extra: Some(car::extra),
    },
];

/// The formats `target` offers, in the order they are listed.
pub fn formats(target: &str) -> Vec<&'static Format> {
    FORMATS
        .iter()
        .filter(|f| f.targets.is_empty() || f.targets.contains(&target))
        .collect()
}

/// The format called `name` for `target`.
pub fn format(target: &str, name: &str) -> Option<&'static Format> {
    formats(target).into_iter().find(|f| f.name == name)
}

impl Format {
    /// The template text.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Checks that the pipelines left what this format needs for `rule`.
    pub fn check(&self, rule: &Rule, state: &State) -> Result<(), Diagnostic> {
        for (key, message) in self.requires {
            if !state.contains_key(*key) {
                return Err(Diagnostic::error(
                    "unsupported-format",
                    format!("{message} (format `{}`)", self.name),
                    &rule.source,
                    rule.span,
                )
                .with_help("the splunk_cim pipeline chooses a data model: add `-p splunk_cim`"));
            }
        }
        Ok(())
    }
}

/// Renders `rules` with `template` (named `name` in errors) for `target` and `format`.
pub fn render(
    template: &str,
    name: &str,
    target: &str,
    format: &str,
    rules: &[Converted],
) -> Result<String, String> {
    let mut env = Environment::new();
    env.add_filter("tojson", tojson);
    env.add_filter("conf", |v: String| v.replace('\n', " \\\n"));
    env.add_filter("data_set", |v: String| {
        v.rsplit_once('.')
            .map_or(v.clone(), |(_, set)| set.to_string())
    });
    env.add_template(name, template).map_err(|e| describe(&e))?;
    let extra = self::format(target, format).and_then(|f| f.extra);
    let rules: Vec<RuleContext> = rules
        .iter()
        .map(|c| RuleContext {
            extra: extra.map(|f| f(c)),
            ..RuleContext::new(c)
        })
        .collect();
    let ctx = minijinja::context! { target => target, format => format, rules => rules };
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| describe(&e))
}

fn tojson(value: Value) -> Result<String, Error> {
    serde_json::to_string(&value)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
}

/// A template error with its location and cause.
fn describe(e: &Error) -> String {
    let mut out = match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("{name}:{line}: {}", e.kind()),
        _ => e.kind().to_string(),
    };
    if let Some(detail) = e.detail() {
        out.push_str(": ");
        out.push_str(detail);
    }
    out
}
