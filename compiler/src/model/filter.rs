//! A filter document's `filter` section (Sigma filters; pySigma `sigma/filters.py`): `rules`,
//! then search identifiers and one `condition`, read and lowered like a rule's detection.

use super::correlation::references;
use super::{Errors, detection};
use crate::ir::{Filter, FilterRules, LogSource, Meta};
use crate::lower::lower_conditions;
use crate::yaml::Node;

/// Reads the filter document `root` (its metadata and log source already read); `None` when it
/// has errors, all of them in `errors`.
pub fn read_filter(
    root: Node<'_>,
    meta: Meta,
    logsource: LogSource,
    errors: &mut Errors<'_>,
) -> Option<Filter> {
    let before = errors.list.len();
    let keyword = root.key_span("filter");
    let node = root.get("filter")?;
    let rules = match node.get("rules") {
        None if node.is_map() => {
            errors.add_help(
                "missing_field",
                "`filter` has no `rules`",
                node.span(),
                "list the ids or names of the rules it applies to, or write `rules: any`",
            );
            None
        }
        None => None,
        Some(n) if n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("any")) => {
            Some(FilterRules::Any)
        }
        Some(n) if n.items().is_some_and(|i| i.is_empty()) => Some(FilterRules::Any),
        Some(n) => Some(FilterRules::Listed(references(n, "filter.rules", errors))),
    };
    let detections = detection::read_section(node, "filter", &["rules"], errors);
    if let [_, second, ..] = detections.conditions.as_slice() {
        errors.add(
            "invalid_condition",
            "a filter has one `condition`, not a list of them",
            second.span,
        );
    }
    let condition = lower_conditions(detections, errors).into_iter().next();
    if errors.list.len() > before {
        return None;
    }
    Some(Filter {
        meta,
        logsource,
        rules: rules?,
        condition: condition?,
        source: errors.source.clone(),
        span: root.span(),
        keyword,
    })
}

#[cfg(test)]
mod tests {
    use crate::compile;
    use crate::diagnostic::Source;
    use crate::ir::{Document, Expr, Filter, FilterRules};

    fn read(rules: &str, rest: &str) -> Result<Filter, Vec<String>> {
        let text = format!(
            "title: f\nlogsource: {{product: windows, category: process_creation}}\nfilter:\n  rules{rules}\n{rest}"
        );
        match compile(&Source::new("f.yml", &text)).remove(0) {
            Ok(Document::Filter(f)) => Ok(*f),
            Ok(other) => panic!("a {} document", other.kind()),
            Err(errors) => Err(errors.into_iter().map(|d| d.message).collect()),
        }
    }

    const DETECTION: &str = "  sel: {User: admin}\n  condition: not sel";

    #[test]
    fn rules_are_a_list_one_reference_or_any() {
        let listed = |f: Filter| match f.rules {
            FilterRules::Listed(refs) => refs.into_iter().map(|r| r.reference).collect(),
            FilterRules::Any => vec!["<any>".to_string()],
        };
        let r = |rules| listed(read(rules, DETECTION).expect("reads"));
        assert_eq!(r(": [a, b]"), ["a", "b"]);
        assert_eq!(r(": a"), ["a"]);
        assert_eq!(r(": any"), ["<any>"]);
        assert_eq!(r(": ANY"), ["<any>"], "pySigma lower-cases `any`");
        assert_eq!(r(": []"), ["<any>"]);
    }

    #[test]
    fn the_detection_is_lowered_like_a_rule() {
        let f = read(": any", DETECTION).expect("reads");
        assert!(matches!(f.condition, Expr::Not(_)));
        assert_eq!(f.logsource.product.as_deref(), Some("windows"));
        assert_eq!(
            read(": any", "  sel: {User: admin}\n  condition: not other").expect_err("fails"),
            ["`other` is not a search identifier of this rule"]
        );
        assert_eq!(
            read(": any", "  sel: {User: admin}\n  condition: [sel, not sel]").expect_err("fails"),
            ["a filter has one `condition`, not a list of them"]
        );
        assert_eq!(
            read("_not: x", "  sel: {User: admin}\n  condition: sel").expect_err("fails"),
            ["`filter` has no `rules`"]
        );
    }

    #[test]
    fn consumers_of_rules_refuse_a_filter_at_its_keyword() {
        let text = "title: f\nlogsource: {product: windows}\nfilter:\n  rules: any\n  sel: {User: x}\n  condition: not sel\n";
        let doc = compile(&Source::new("f.yml", text))
            .remove(0)
            .expect("reads");
        let error = doc.into_rule("`sigc test`").expect_err("not a rule");
        assert_eq!(
            error[0].message,
            "filters are not supported yet by `sigc test`"
        );
        let at = error[0].span.expect("located");
        assert_eq!(&text[at.start..at.end], "filter");
        let both = format!("{text}correlation: {{type: temporal}}\n");
        let errors = compile(&Source::new("f.yml", &both))
            .remove(0)
            .expect_err("refused");
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["a document is a correlation or a filter, not both"]
        );
    }
}
