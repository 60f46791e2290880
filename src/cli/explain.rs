//! `sigc explain`: one rule file's way to one target's query, printed ([`crate::explain`] builds
//! it): the detection as written, the IR, each processing item and what it did, each field's
//! fate, and the query.

use super::convert::{self, ConvertArgs};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, inputs, out, report, terminal};
use crate::explain::tree::Node;
use crate::explain::{self, Explanation, detection};
use clap::{Args, ValueEnum};
use sigc_backends::Plan;
use sigc_pipeline::trace::{Change, Outcome, Step};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// `text` for people; `json`: an array with one object per rule (see the README).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The rule file, or `-` for standard input.
    #[arg(value_name = "RULE")]
    pub rule: PathBuf,
}

/// A target and its pipelines, as `sigc convert` takes them (`sigc analyze fields` too).
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Target query language (`sigc list targets`).
    #[arg(short = 't', long = "target", value_name = "TARGET")]
    pub target: String,
    /// Processing pipeline, as for `sigc convert`. Repeatable.
    #[arg(short, long = "pipeline", value_name = "PIPELINE")]
    pub pipelines: Vec<String>,
    /// Use no pipeline at all, not even the target's default.
    #[arg(long, conflicts_with = "pipelines")]
    pub without_pipeline: bool,
    /// Set a pipeline variable (repeat a key to give it several values).
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = convert::parse_var)]
    pub vars: Vec<(String, String)>,
}

impl PlanArgs {
    /// The plan `sigc convert` makes of the same options, with the default format; `None`
    /// (after reporting) when it cannot be made.
    pub fn plan(&self) -> Option<Plan> {
        let args = ConvertArgs {
            targets: vec![self.target.clone()],
            pipelines: self.pipelines.clone(),
            without_pipeline: self.without_pipeline,
            vars: self.vars.clone(),
            backend_options: Vec::new(),
            correlation_method: None,
            format: "default".to_string(),
            template: None,
            output: None,
            filters: Vec::new(),
            follow: false,
            file_pattern: Default::default(),
            quiet: true,
            paths: Vec::new(),
        };
        convert::plan(&args, &self.target)
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: ExplainArgs) -> i32 {
    let Some(plan) = args.plan.plan() else {
        return EXIT_USAGE;
    };
    let mut collected = inputs::collect(std::slice::from_ref(&args.rule), false);
    for e in &collected.errors {
        report::error(e);
    }
    if !collected.errors.is_empty() {
        return EXIT_USAGE;
    }
    let Some(input) = collected
        .inputs
        .pop()
        .filter(|_| collected.inputs.is_empty())
    else {
        report::error("`sigc explain` takes one rule file, not a directory");
        return EXIT_USAGE;
    };
    let source = match inputs::read(&input) {
        Ok(source) => source,
        Err(inputs::ReadError::Io(e)) => {
            report::error(&e);
            return EXIT_USAGE;
        }
        Err(inputs::ReadError::Text(d)) => {
            report::diagnostics(&[d]);
            return EXIT_FAILED;
        }
    };
    let mut explained = Vec::new();
    let mut failed = false;
    for result in explain::explain(&source, &plan) {
        match result {
            Ok(e) => {
                failed |= e.query.is_none();
                explained.push(e);
            }
            Err(errors) => {
                failed = true;
                report::diagnostics(&errors);
            }
        }
    }
    match args.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&explained).expect("plain data serializes");
            out::stdout(&format!("{json}\n"));
        }
        Format::Text => {
            let text: Vec<String> = explained.iter().map(text).collect();
            out::stdout(&text.join("\n"));
        }
    }
    if failed { EXIT_FAILED } else { EXIT_OK }
}

/// Rule text, escaped for the terminal.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    terminal::escape(text)
}

/// A location, escaped, without the file name when it is in the rule's file `file`.
fn at<'a>(file: &str, at: &'a str) -> std::borrow::Cow<'a, str> {
    match at
        .strip_prefix(file)
        .and_then(|rest| rest.strip_prefix(':'))
    {
        Some(line_col) => esc(line_col),
        None => esc(at),
    }
}

/// One explanation for people.
fn text(e: &Explanation) -> String {
    let mut t = String::new();
    let id =
        e.id.as_deref()
            .map(|id| format!(" ({})", esc(id)))
            .unwrap_or_default();
    let _ = writeln!(t, "rule {}{id} at {}", esc(&e.title), terminal::path(&e.at));
    let _ = writeln!(t, "target {}", e.target);
    t.push_str("\ndetection\n");
    for ident in &e.detection {
        let _ = writeln!(t, "  {}  {}", esc(&ident.name), at(&e.file, &ident.at));
        for item in &ident.items {
            t.push_str(&item_line(&e.file, item));
        }
    }
    trees(&mut t, &e.file, "IR", &e.ir);
    t.push_str("\npipelines\n");
    if e.steps.is_empty() {
        t.push_str("  (none)\n");
    }
    for step in &e.steps {
        step_lines(&mut t, &e.file, step);
    }
    t.push_str("\nfields\n");
    for f in &e.fields {
        let _ = write!(t, "  {}", esc(&f.field));
        match f.becomes.as_slice() {
            [one] if *one == f.field => t.push_str(": kept\n"),
            [] => t.push_str(": no detection item left\n"),
            names => {
                let names: Vec<_> = names.iter().map(|n| esc(n)).collect();
                let _ = writeln!(t, " -> {}", names.join(", "));
            }
        }
        for by in &f.changed_by {
            let _ = writeln!(t, "    changed by {}", esc(by));
        }
        for l in &f.left_alone {
            let _ = writeln!(
                t,
                "    {} left {} alone: {}",
                esc(&l.by),
                esc(&l.name),
                esc(&l.why)
            );
        }
    }
    trees(&mut t, &e.file, "IR after the pipelines", &e.processed);
    match &e.query {
        Some(q) => {
            t.push_str("\nquery\n");
            t.push_str(&terminal::escape_lines(q));
            if !q.ends_with('\n') {
                t.push('\n');
            }
        }
        None => {
            t.push_str("\nnot converted\n");
            for err in &e.errors {
                let _ = writeln!(t, "  {}", esc(err));
            }
        }
    }
    t
}

/// `Field|mod: values  at`.
fn item_line(file: &str, item: &detection::Item) -> String {
    let mut key = item
        .field
        .clone()
        .unwrap_or_else(|| "(keywords)".to_string());
    for m in &item.modifiers {
        key.push('|');
        key.push_str(m);
    }
    let mut line = format!("    {}  {}\n", esc(&key), at(file, &item.at));
    for v in &item.values {
        let _ = writeln!(line, "      {}  {}", esc(&v.value), at(file, &v.at));
    }
    line
}

/// Each condition's tree under `title`.
fn trees(t: &mut String, file: &str, title: &str, trees: &[Node]) {
    for (i, tree) in trees.iter().enumerate() {
        let _ = writeln!(t, "\n{title}, condition {}", i + 1);
        node(t, file, tree, 1);
    }
}

fn node(t: &mut String, file: &str, n: &Node, depth: usize) {
    n.write_lines(t, depth, &|field, value, place| {
        format!("{} {}  {}", esc(field), esc(value), at(file, place))
    });
}

/// A processing item and what it did.
fn step_lines(t: &mut String, file: &str, s: &Step) {
    let _ = write!(
        t,
        "  pipeline `{}` {} ({})  {}: ",
        esc(&s.pipeline),
        esc(&s.item),
        s.transformation,
        esc(&s.at)
    );
    match &s.outcome {
        Outcome::Skipped { conditions } => {
            let checked: Vec<String> = conditions
                .iter()
                .map(|c| format!("{}: {}", esc(&c.condition), c.holds))
                .collect();
            let _ = writeln!(t, "skipped ({})", checked.join(", "));
        }
        Outcome::Applied { changes, untouched } => {
            if changes.is_empty() {
                t.push_str("ran, changed nothing\n");
            } else {
                t.push_str("ran\n");
            }
            for c in changes {
                t.push_str(&change_line(file, c));
            }
            for u in untouched {
                let _ = writeln!(t, "      left {} alone: {}", esc(&u.field), esc(&u.why));
            }
        }
        Outcome::Failed { errors } => {
            t.push_str("refused the rule\n");
            for e in errors {
                let _ = writeln!(t, "      {}", esc(e));
            }
        }
    }
}

fn change_line(file: &str, c: &Change) -> String {
    let side = |s: &Option<String>| match s {
        Some(s) => esc(s).into_owned(),
        None => "(nothing)".to_string(),
    };
    let place =
        c.at.as_deref()
            .map(|a| format!("  {}", at(file, a)))
            .unwrap_or_default();
    let what = serde_json::to_value(c.what).expect("a unit variant serializes");
    format!(
        "      {}: {} -> {}{place}\n",
        what.as_str().unwrap_or_default(),
        side(&c.before),
        side(&c.after)
    )
}
