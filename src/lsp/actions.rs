//! Code actions: each `--fix` edit that sigc-lint offers for a finding, as a quick fix.

use super::diagnostics::diagnostic;
use super::position;
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};
use sigc_compiler::Source;
use sigc_lint::Finding;
use std::collections::HashMap;

/// The quick fixes of the findings of `source` whose range meets `range`.
pub fn actions(uri: &Uri, source: &Source, findings: &[Finding], range: Range) -> Vec<CodeAction> {
    findings
        .iter()
        .filter(|f| !f.fix.is_empty())
        .map(|f| (f, diagnostic(f)))
        .filter(|(_, d)| d.range.start <= range.end && range.start <= d.range.end)
        .map(|(f, d)| {
            let edits = f
                .fix
                .iter()
                .map(|e| TextEdit::new(position::range(source, e.span), e.text.clone()))
                .collect();
            CodeAction {
                title: format!("Fix {}: {}", f.diag.code, f.diag.message),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d]),
                edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))),
                is_preferred: Some(true),
                ..CodeAction::default()
            }
        })
        .collect()
}
