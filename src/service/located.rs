//! A diagnostic as the playground and the language server carry it: 1-based line and column
//! (in characters) of its start and end, severity, code, message, hint and fixes.

use serde::Serialize;
use sigc_compiler::Diagnostic;

/// `(line, col, end line, end col)` of a located diagnostic, 1-based, columns in characters.
pub fn region(d: &Diagnostic) -> Option<(usize, usize, usize, usize)> {
    let (source, span) = (d.source.as_ref()?, d.span?);
    let a = source.line_col(span.start);
    let b = source.line_col(span.end);
    Some((a.line, a.col, b.line, b.col))
}

/// A diagnostic, serializable; the position fields are `null` for one that is not located.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// Edits that fix it (`sigc check --fix`'s), empty when there is none.
    pub fixes: Vec<Fix>,
}

/// One edit of a fix: the range to replace and its new text.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub text: String,
}

impl Located {
    /// `d`, placed in its source.
    pub fn new(d: &Diagnostic) -> Located {
        let r = region(d);
        Located {
            line: r.map(|r| r.0),
            column: r.map(|r| r.1),
            end_line: r.map(|r| r.2),
            end_column: r.map(|r| r.3),
            severity: d.severity.as_str(),
            code: d.code,
            message: d.message.clone(),
            help: d.help.clone(),
            fixes: Vec::new(),
        }
    }

    /// A finding and its fix.
    pub fn finding(f: &sigc_lint::Finding) -> Located {
        let mut located = Located::new(&f.diag);
        if let Some(source) = &f.diag.source {
            located.fixes = f
                .fix
                .iter()
                .map(|e| {
                    let (a, b) = (source.line_col(e.span.start), source.line_col(e.span.end));
                    Fix {
                        line: a.line,
                        column: a.col,
                        end_line: b.line,
                        end_column: b.col,
                        text: e.text.clone(),
                    }
                })
                .collect();
        }
        located
    }

    /// Every diagnostic of `ds`.
    pub fn all<'a>(ds: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<Located> {
        ds.into_iter().map(Located::new).collect()
    }
}
