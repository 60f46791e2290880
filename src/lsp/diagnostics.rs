//! `sigc check` findings as LSP diagnostics: the finding's range, severity, code and help.

use super::position::range;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};
use sigc_compiler::Severity;
use sigc_lint::Finding;

/// The diagnostic of one finding (a finding without a place is at the start of the file).
pub fn diagnostic(finding: &Finding) -> Diagnostic {
    let d = &finding.diag;
    let at = match (&d.source, d.span) {
        (Some(source), Some(span)) => range(source, span),
        _ => Range::new(Position::new(0, 0), Position::new(0, 0)),
    };
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    Diagnostic {
        range: at,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("sigc".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// `sigc check`'s severities as an editor shows them (SARIF's levels, and a hint for info).
fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}
