//! `invalid_regex`
//!
//! ## What it does
//! Checks every `|re` value with the compiler's own syntax check and reports one that is not a
//! valid regular expression, pointing at the column inside the pattern where it breaks. Lookaround and backreferences are left to
//! `sigmahq_unsupported_regex_group_construct`.
//!
//! ## Why is this bad?
//! A pattern that does not compile fails the whole query in the SIEM, or worse, is accepted by a
//! lenient backend and matches something else.
//!
//! ## Example
//! ```yaml
//! CommandLine|re: 'cmd(\.exe'      # unclosed group
//! ```

use crate::{Ctx, Out};
use sigc_compiler::ir::RegexFlags;
use sigc_compiler::model::regex_check;
use sigc_compiler::modifier::Modifier;

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    for item in cx.items.iter().filter(|i| i.starts_with(Modifier::Re)) {
        let flags = RegexFlags {
            ignore_case: item.has(Modifier::IgnoreCase),
            multi_line: item.has(Modifier::MultiLine),
            dot_all: item.has(Modifier::DotAll),
        };
        for node in item.scalars() {
            let Some(pattern) = node.as_str() else {
                continue;
            };
            if let Err((range, why)) = regex_check::syntax(pattern, flags) {
                let at = cx.value_span(node, range.start, range.end);
                out.report(at, format!("invalid regular expression: {why}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, check_file};
    use sigc_compiler::diagnostic::Source;

    /// The compiler refuses a pattern exactly when `invalid_regex` reports it, at the same place.
    #[test]
    fn the_linter_and_the_compiler_agree_on_regex_validity() {
        let patterns = [
            (r"cmd(\.exe", "re", false),
            (r"a{2,1}", "re", false),
            (r"[z-a]", "re", false),
            (r"\p{NotAClass}", "re", false),
            (r"(?-u)\xFF", "re", false),
            (r"(?P<n>a)(?P<n>b)", "re", false),
            (r"*x", "re", false),
            (r"x**", "re", true),
            (r"(?<!legit)\.exe", "re", true),
            (r"(a)\1", "re", true),
            (r"(?i)straße", "re", true),
            (r"\s-e(nc)?\s+[A-Za-z0-9+/=]{20,}", "re|i", true),
            (r"^.*$", "re|m|s", true),
        ];
        for (pattern, chain, valid) in patterns {
            let text = format!(
                "title: Regex Check\nlogsource: {{product: windows}}\ndetection:\n    selection:\n        CommandLine|{chain}: '{pattern}'\n    condition: selection\n"
            );
            let source = Source::new("regex_rule.yml", text);
            let compiled = sigc_compiler::compile(&source);
            let compiler: Vec<_> = compiled
                .into_iter()
                .filter_map(Result::err)
                .flatten()
                .filter(|d| d.code == "invalid_regex")
                .map(|d| d.span)
                .collect();
            let report = check_file(&source, &Config::default());
            let linter: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.diag.code == "invalid_regex")
                .map(|f| f.diag.span)
                .collect();
            assert_eq!(compiler, linter, "{pattern}");
            assert_eq!(linter.is_empty(), valid, "{pattern}");
        }
    }
}
