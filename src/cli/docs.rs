//! Documentation generated from the code, so that it cannot drift: `docs/cli.md` from the clap
//! definitions ([`markdown`]), and `docs/check.md`'s validator table and reference from the
//! validator registry and each validator's own doc comment ([`validator_table`],
//! [`validator_reference`]). The integration tests compare the committed files with these and
//! rewrite them under `SIGC_BLESS=1`.

use clap::{Arg, Command, CommandFactory};
use std::fmt::Write as _;

/// How to regenerate every generated document.
pub const REGENERATE: &str = "SIGC_BLESS=1 cargo test --test integration docs";

/// `docs/cli.md`: every command, its usage, arguments and options, with their help.
pub fn markdown() -> String {
    let mut cli = super::Cli::command().disable_help_subcommand(true);
    cli.build();
    let mut out = format!(
        "# Command-line reference\n\n<!-- Generated from sigc's clap definitions by \
         `sigc::cli::docs::markdown()`: do not edit. Regenerate with `{REGENERATE}`. -->\n"
    );
    command(&mut out, &cli, cli.get_name());
    out
}

/// One command's section, then its subcommands' sections; `path` is how it is called.
fn command(out: &mut String, cmd: &Command, path: &str) {
    let _ = write!(out, "\n## `{path}`\n\n");
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        let _ = write!(out, "{}\n\n", about.to_string().trim_end());
    }
    let usage = cmd.clone().render_usage().to_string();
    let _ = write!(out, "```text\n{}\n```\n", usage.trim_end());
    let top = path == cmd.get_name();
    let shown = |a: &&Arg| !a.is_hide_set() && (top || !a.is_global_set());
    let positionals: Vec<&Arg> = cmd.get_positionals().filter(shown).collect();
    let options: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .filter(shown)
        .collect();
    list(out, "Arguments", &positionals);
    list(out, "Options", &options);
    if !top && cmd.get_arguments().any(Arg::is_global_set) {
        out.push_str("\nThe global options of `sigc` apply too.\n");
    }
    let subcommands: Vec<&Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    if !subcommands.is_empty() {
        out.push_str("\nCommands:\n\n");
        for sub in &subcommands {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            let _ = writeln!(out, "- `{}`: {about}", sub.get_name());
        }
    }
    if let Some(after) = cmd.get_after_long_help().or(cmd.get_after_help()) {
        let _ = write!(out, "\n```text\n{}\n```\n", after.to_string().trim_end());
    }
    for sub in subcommands {
        command(out, sub, &format!("{path} {}", sub.get_name()));
    }
}

/// A titled list of arguments: spelling, help, possible values, default.
fn list(out: &mut String, title: &str, args: &[&Arg]) {
    if args.is_empty() {
        return;
    }
    let _ = write!(out, "\n{title}:\n\n");
    for arg in args {
        let _ = write!(out, "- `{}`", spelling(arg));
        let aliases = arg.get_visible_aliases().unwrap_or_default();
        if !aliases.is_empty() {
            let names: Vec<String> = aliases.iter().map(|a| format!("`--{a}`")).collect();
            let _ = write!(out, " (also {})", names.join(", "));
        }
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            let _ = write!(out, ": {}", indent(&help.to_string()));
        }
        out.push('\n');
        if arg.get_action().takes_values() {
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| format!("`{}`", v.to_string_lossy()))
                .collect();
            if !defaults.is_empty() {
                let _ = writeln!(out, "  - default: {}", defaults.join(", "));
            }
            for value in arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
            {
                let _ = write!(out, "  - `{}`", value.get_name());
                if let Some(help) = value.get_help() {
                    let _ = write!(out, ": {}", indent(&help.to_string()));
                }
                out.push('\n');
            }
        }
    }
}

/// How an argument is written on the command line: `<PATH>...`, `-t, --target <TARGET>`.
fn spelling(arg: &Arg) -> String {
    let names: Vec<String> = arg
        .get_value_names()
        .map(|v| v.iter().map(|n| format!("<{n}>")).collect())
        .unwrap_or_else(|| vec![format!("<{}>", arg.get_id().as_str().to_uppercase())]);
    let mut value = names.join(" ");
    if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
        value.push_str("...");
    }
    if arg.is_positional() {
        return value;
    }
    let mut spelled: Vec<String> = Vec::new();
    if let Some(short) = arg.get_short() {
        spelled.push(format!("-{short}"));
    }
    if let Some(long) = arg.get_long() {
        spelled.push(format!("--{long}"));
    }
    let mut text = spelled.join(", ");
    if arg.get_action().takes_values() {
        text.push(' ');
        text.push_str(&value);
    }
    text
}

/// Help text as the continuation of a list item: later lines indented, and a `*` outside
/// backticks escaped (`*.yml and *.yaml` is no emphasis).
fn indent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut code = false;
    for c in text.trim_end().chars() {
        match c {
            '`' => code = !code,
            '*' if !code => out.push('\\'),
            '\n' => {
                out.push_str("\n  ");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out.replace("\n  \n", "\n\n")
}

/// `docs/check.md`'s validator table: id (linked to its reference), severity, what it reports.
pub fn validator_table() -> String {
    let mut out = String::from("| id | severity | what it reports |\n|---|---|---|\n");
    for v in sigc_lint::VALIDATORS {
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} |",
            v.severity.as_str(),
            v.description.replace('|', "\\|"),
            id = v.id
        );
    }
    out
}

/// `docs/check.md`'s validator reference: each validator's own documentation under its id.
pub fn validator_reference() -> String {
    let mut out = String::new();
    for v in sigc_lint::VALIDATORS {
        let doc = v.doc().replace("\n## ", "\n#### ");
        let doc = doc
            .strip_prefix("## ")
            .map_or(doc.clone(), |d| format!("#### {d}"));
        let _ = write!(
            out,
            "### `{}`\n\nSeverity: {}.\n\n{doc}\n\n",
            v.id,
            v.severity.as_str()
        );
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `document` with the text between the markers `<!-- begin generated: NAME -->` and
/// `<!-- end generated: NAME -->` replaced by `content`; an error when a marker is missing.
pub fn splice(document: &str, name: &str, content: &str) -> Result<String, String> {
    let begin = format!("<!-- begin generated: {name} -->\n");
    let end = format!("<!-- end generated: {name} -->");
    let start = document
        .find(&begin)
        .ok_or_else(|| format!("no `{}` marker", begin.trim_end()))?
        + begin.len();
    let stop = document[start..]
        .find(&end)
        .ok_or_else(|| format!("no `{end}` marker after the begin marker"))?
        + start;
    Ok(format!(
        "{}{content}{}",
        &document[..start],
        &document[stop..]
    ))
}
