//! Output formats: the converted rules of a run rendered with a minijinja template, built in
//! (`backends/templates/<target>/*.j2`, listed by `sigc list formats TARGET`) or the user's own
//! (`--template FILE.j2`, same context; see `docs/templates.md`).
//!
//! The context is `target`, `format`, `options` (the plan's backend options, [`Options`]) and
//! `rules`, one [`RuleContext`] per converted rule. Every
//! text from a rule reaches an output through one escaping function per channel, offered to
//! templates as a filter: `conf`/`conf_stanza` ([`conf`]), `yaml` ([`yaml`]),
//! `md`/`md_inline`/`md_link`/`md_code` ([`md`]) and `tojson` (serde_json); minijinja's `escape`
//! does HTML. A user's template is also escaped automatically by its extension (before `.j2`):
//! `.html`/`.htm`/`.xml`, `.md`, `.yaml`/`.yml`, `.json` and `.conf`.

pub mod car;
pub mod conf;
mod context;
pub mod md;
mod names;
pub mod splunk;
pub mod yaml;

pub use context::{QueryParts, RuleContext};
use names::OutputNames;

use crate::{Converted, Options, Subject};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value};
use sigc_compiler::Diagnostic;
use sigc_compiler::ir::Correlation;
use sigc_compiler::span::Span;
use sigc_compiler::vocabulary::{Level, Status};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::sync::Arc;

/// A built-in output format. A target lists the formats it offers ([`crate::Target::formats`]).
pub struct Format {
    pub name: &'static str,
    pub description: &'static str,
    /// The extension of a file in this format; `None` when it is a file of the target's queries.
    pub extension: Option<&'static str>,
    template: &'static str,
    /// Pipeline state keys the format needs, with the error when one is missing.
    requires: &'static [(&'static str, &'static str)],
    /// Values computed in Rust for each rule, seen by the template as `rule.extra`.
    extra: Option<fn(&Converted) -> serde_json::Value>,
    /// Whether its filters may refuse a rule's text (`conf`, `md_code`): [`Format::check`] then renders
    /// each rule alone, so that such a rule fails by itself, located, and the others are written.
    refusing: bool,
    /// Whether it carries correlations; when not, [`Format::check`] refuses each at its
    /// `correlation` key.
    correlations: bool,
}

/// The queries, a blank line between two: every target's first format.
pub const DEFAULT: Format = Format {
    name: "default",
    description: "the queries, a blank line between two",
    extension: None,
    template: include_str!("../../templates/common/default.j2"),
    requires: &[],
    extra: None,
    refusing: false,
    correlations: true,
};

/// A JSON array of the rules and their queries.
pub const JSON: Format = Format {
    name: "json",
    description: "a JSON array: id, title, level, status, tags, path and queries of each rule",
    extension: Some("json"),
    template: include_str!("../../templates/common/json.j2"),
    requires: &[],
    extra: Some(summary),
    refusing: false,
    correlations: true,
};

/// The formats every target offers, unless it lists its own.
pub const COMMON: &[&Format] = &[&DEFAULT, &JSON];

/// What the converted rules of a run are rendered with.
pub enum Layout {
    /// A built-in format.
    Builtin(&'static Format),
    /// The user's template (`--template FILE.j2`): its name as given, and its text.
    User { name: String, text: String },
}

impl Layout {
    /// The format's name, or `template` for a user's template.
    pub fn format_name(&self) -> &'static str {
        match self {
            Layout::Builtin(f) => f.name,
            Layout::User { .. } => "template",
        }
    }

    /// Compiles the template, with sigc's filters and escaping, for every render of a run; the
    /// template's error, described, when it does not compile.
    pub fn compile(&self) -> Result<Compiled, String> {
        let name = self.name();
        let mut env = Environment::new();
        env.set_auto_escape_callback(escape_for);
        env.set_formatter(formatter);
        env.add_filter("tojson", tojson);
        env.add_filter("conf", refuse(conf::value));
        env.add_filter("conf_search", |q: Value| {
            conf::search(&search_parts(&q)?).map(safe).map_err(refused)
        });
        env.add_filter("conf_stanza", refuse(conf::stanza));
        env.add_filter("yaml", |v: &str, indent: Option<usize>| {
            safe(indent.map_or_else(|| yaml::quoted(v), |n| yaml::scalar(v, n)))
        });
        env.add_filter("md", |v: &str| safe(md::text(v)));
        env.add_filter("md_inline", |v: &str| safe(md::inline(v)));
        env.add_filter("md_link", |v: &str| safe(md::link(v)));
        env.add_filter("md_code", refuse(md::code_block));
        env.add_filter("data_set", |v: String| {
            v.rsplit_once('.')
                .map_or(v.clone(), |(_, set)| set.to_string())
        });
        env.add_template_owned(name.clone(), self.text().to_string())
            .map_err(|e| describe(&e))?;
        Ok(Compiled { env, name })
    }

    /// Renders `rules` converted for `target` with its backend `options`, with `compiled`, this
    /// layout's template ([`Layout::compile`]).
    pub fn render<C: Borrow<Converted>>(
        &self,
        compiled: &Compiled,
        target: &str,
        options: &Options,
        rules: &[C],
    ) -> Result<String, String> {
        render_rules(self, compiled, target, options, rules).map_err(|f| describe(&f.error))
    }

    /// The template's name in errors, which also chooses its automatic escaping.
    fn name(&self) -> String {
        match self {
            Layout::Builtin(f) => format!("{}.j2", f.name),
            Layout::User { name, .. } => name.clone(),
        }
    }

    fn text(&self) -> &str {
        match self {
            Layout::Builtin(f) => f.template,
            Layout::User { text, .. } => text,
        }
    }

    fn extra(&self) -> Option<fn(&Converted) -> serde_json::Value> {
        match self {
            Layout::Builtin(f) => f.extra,
            Layout::User { .. } => None,
        }
    }
}

impl Format {
    /// The template text.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Refuses correlation `c`, at its `correlation` key, when this format carries rules only.
    pub fn check_correlation(&self, c: &Correlation) -> Result<(), Diagnostic> {
        if self.correlations {
            return Ok(());
        }
        Err(Diagnostic::error(
            "unsupported_format",
            format!(
                "format `{}` carries rules only, not correlations",
                self.name
            ),
            &c.source,
            c.keyword,
        )
        .with_help("convert correlations with the `default`, `json` or `savedsearches` formats"))
    }

    /// Checks that this format can carry `c` for `target` with its backend `options`: the
    /// pipelines left what it needs, and its filters accept the rule's text.
    pub fn check(
        &'static self,
        compiled: Result<&Compiled, &str>,
        target: &str,
        options: &Options,
        c: &Converted,
    ) -> Result<(), Diagnostic> {
        let error = |message: String| {
            Diagnostic::error("unsupported_format", message, c.source(), c.span())
        };
        if let Subject::Correlation(correlation) = &c.subject {
            self.check_correlation(correlation)?;
        }
        for (key, message) in self.requires {
            if !c.state.contains_key(*key) {
                return Err(
                    error(format!("{message} (format `{}`)", self.name)).with_help(
                        "the splunk_cim pipeline chooses a data model: add `-p splunk_cim`",
                    ),
                );
            }
        }
        if self.refusing {
            let cannot = |why: &str, span: Option<Span>| {
                Diagnostic::error(
                    "unsupported_format",
                    format!("format `{}` cannot carry this rule: {why}", self.name),
                    c.source(),
                    span.unwrap_or(c.span()),
                )
            };
            let compiled = compiled.map_err(|e| cannot(e, None))?;
            let one = std::slice::from_ref(c);
            render_rules(&Layout::Builtin(self), compiled, target, options, one).map_err(|f| {
                let span = f.refused.and_then(|text| c.meta().locate(&text));
                cannot(f.error.detail().unwrap_or("its template failed"), span)
            })?;
        }
        Ok(())
    }
}

/// A template that failed, and the text a filter refused, if that was the cause.
struct Failure {
    error: Error,
    refused: Option<String>,
}

fn render_rules<C: Borrow<Converted>>(
    layout: &Layout,
    compiled: &Compiled,
    target: &str,
    options: &Options,
    rules: &[C],
) -> Result<String, Failure> {
    let extra = layout.extra();
    let names = Arc::new(OutputNames::new(
        rules
            .iter()
            .map(|c| {
                let c = c.borrow();
                (c.meta().title.clone(), c.queries.len())
            })
            .collect(),
    ));
    let rules: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let c = c.borrow();
            let named = (Arc::clone(&names), i);
            Value::from_object(RuleContext::new(c, named, extra.map(|f| f(c))))
        })
        .collect();
    let ctx = minijinja::context! {
        target => target,
        format => layout.format_name(),
        options => Value::from_serialize(options),
        rules => rules,
    };
    REFUSED.with_borrow_mut(Option::take);
    compiled
        .env
        .get_template(&compiled.name)
        .and_then(|t| t.render(ctx))
        .map_err(|error| Failure {
            error,
            refused: REFUSED.with_borrow_mut(Option::take),
        })
}

/// A layout's template compiled with sigc's filters ([`Layout::compile`]).
pub struct Compiled {
    env: Environment<'static>,
    name: String,
}

thread_local! {
    /// The text a refusing filter turned down in the render running on this thread (a render
    /// runs on one thread, and the compiled template is shared by every thread's renders).
    static REFUSED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A filter that writes `check`'s text, or refuses the value, keeping it for the message.
fn refuse(
    check: fn(&str) -> Result<String, String>,
) -> impl Fn(&str) -> Result<Value, Error> + Send + Sync + 'static {
    move |v: &str| {
        check(v).map(safe).map_err(|reason| {
            REFUSED.with_borrow_mut(|refused| *refused = Some(v.to_string()));
            refused(reason)
        })
    }
}

/// A query's parts as the lines of a search: the search, each `| command`, and `| table …`
/// (a correlation's own lines).
fn search_parts(q: &Value) -> Result<Vec<String>, Error> {
    let text = |v: Value| v.as_str().map(str::to_string).unwrap_or_default();
    let mut parts = Vec::new();
    for line in q.get_attr("lines")?.try_iter()? {
        parts.push(text(line));
    }
    if !parts.is_empty() {
        return Ok(parts);
    }
    parts.push(text(q.get_attr("main")?));
    for command in q.get_attr("commands")?.try_iter()? {
        parts.push(format!("| {}", text(command)));
    }
    let table = text(q.get_attr("table")?);
    if !table.is_empty() {
        parts.push(format!("| table {table}"));
    }
    Ok(parts)
}

/// A filter's output, not escaped again.
fn safe(text: String) -> Value {
    Value::from_safe_string(text)
}

fn refused(reason: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, reason)
}

/// The automatic escaping of a template named `name`, by its extension before `.j2`.
fn escape_for(name: &str) -> AutoEscape {
    let name = name.strip_suffix(".j2").unwrap_or(name);
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html" | "htm" | "xml") => AutoEscape::Html,
        Some("md") => AutoEscape::Custom("md"),
        Some("yaml" | "yml") => AutoEscape::Custom("yaml"),
        Some("json") => AutoEscape::Custom("json"),
        Some("conf") => AutoEscape::Custom("conf"),
        _ => AutoEscape::None,
    }
}

/// Writes a value with the template's automatic escaping (minijinja's for HTML).
fn formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let AutoEscape::Custom(kind) = state.auto_escape() else {
        return minijinja::escape_formatter(out, state, value);
    };
    if value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = || value.to_string();
    let escaped = match kind {
        "md" => md::text(&text()),
        "json" => tojson(value.clone(), None)?,
        "conf" => conf::value(&text()).map_err(refused)?,
        _ if value.as_str().is_some() => yaml::quoted(&text()),
        _ if value.is_none() || value.is_undefined() => "null".to_string(),
        _ if value.is_number() || value.kind() == minijinja::value::ValueKind::Bool => text(),
        _ => yaml::quoted(&text()),
    };
    out.write_str(&escaped).map_err(Error::from)
}

/// The `rule.extra` of the `json` format: a rule's identity and queries.
fn summary(c: &Converted) -> serde_json::Value {
    #[derive(serde::Serialize)]
    struct Summary<'a> {
        id: &'a Option<String>,
        title: &'a str,
        level: &'a Option<Level>,
        status: &'a Option<Status>,
        tags: &'a [String],
        path: &'a str,
        queries: Vec<String>,
    }
    let m = c.meta();
    serde_json::to_value(Summary {
        id: &m.id,
        title: &m.title,
        level: &m.level,
        status: &m.status,
        tags: &m.tags,
        path: &c.source().name,
        queries: c.queries.iter().map(ToString::to_string).collect(),
    })
    .expect("plain data serialises")
}

/// `tojson`: JSON text; `tojson(true)` indents it by two spaces.
fn tojson(value: Value, indent: Option<bool>) -> Result<String, Error> {
    let text = if indent == Some(true) {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    text.map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
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
