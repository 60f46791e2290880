//! `sigc analyze logsource`: how many rules each log source category has, overall and per
//! level, as sigma-cli's table (rows sorted by a column, highest first, ties in order of first
//! appearance) or as JSON.

use super::{Format, emit, load};
use clap::Args;
use serde::Serialize;
use sigc_compiler::ir::Document;
use sigc_compiler::vocabulary::Level;
use std::path::PathBuf;

/// The table's columns, as sigma-cli names them.
const COLUMNS: [&str; 8] = [
    "Logsource",
    "Overall",
    "Critical",
    "High",
    "Medium",
    "Low",
    "Informational",
    "None",
];

#[derive(Args, Debug)]
pub struct LogsourceArgs {
    /// Sort the rows by this column, highest first.
    #[arg(short = 'k', long, value_name = "COLUMN", default_value = "Overall",
          value_parser = clap::builder::PossibleValuesParser::new(COLUMNS))]
    pub sort_by: String,
    /// `text`: sigma-cli's table; `json`: one object per category.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Where to write it (`-` for standard output).
    #[arg(value_name = "OUTPUT")]
    pub output: PathBuf,
    #[command(flatten)]
    pub rules: super::Rules,
}

/// One log source category's counts (a rule without `category` counts under `null`).
#[derive(Serialize)]
struct Row {
    logsource: Option<String>,
    overall: usize,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    informational: usize,
    none: usize,
}

impl Row {
    /// The counts in [`COLUMNS`] order, after the name.
    fn counts(&self) -> [usize; 7] {
        [
            self.overall,
            self.critical,
            self.high,
            self.medium,
            self.low,
            self.informational,
            self.none,
        ]
    }

    /// The name as sigma-cli prints it.
    fn name(&self) -> &str {
        self.logsource.as_deref().unwrap_or("None")
    }
}

pub fn run(args: LogsourceArgs) -> i32 {
    let (set, status) = load(&args.rules);
    let mut rows: Vec<Row> = Vec::new();
    for rule in set.documents().filter_map(|(_, d)| match d {
        Document::Rule(r) => Some(r),
        Document::Correlation(_) | Document::Filter(_) => None,
    }) {
        let category = &rule.logsource.category;
        let i = match rows.iter().position(|r| r.logsource == *category) {
            Some(i) => i,
            None => {
                rows.push(Row {
                    logsource: category.clone(),
                    overall: 0,
                    critical: 0,
                    high: 0,
                    medium: 0,
                    low: 0,
                    informational: 0,
                    none: 0,
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[i];
        row.overall += 1;
        *match rule.meta.level {
            Some(Level::Critical) => &mut row.critical,
            Some(Level::High) => &mut row.high,
            Some(Level::Medium) => &mut row.medium,
            Some(Level::Low) => &mut row.low,
            Some(Level::Informational) => &mut row.informational,
            None => &mut row.none,
        } += 1;
    }
    let column = COLUMNS.iter().position(|c| *c == args.sort_by).unwrap_or(1);
    // A stable sort, highest first, as Python's `sort(reverse=True)`.
    if column == 0 {
        rows.sort_by(|a, b| b.name().cmp(a.name()));
    } else {
        rows.sort_by(|a, b| b.counts()[column - 1].cmp(&a.counts()[column - 1]));
    }
    let text = match args.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&rows).expect("plain data serializes");
            format!("{json}\n")
        }
        Format::Text => table(&rows),
    };
    emit(&args.output, &text, status)
}

/// sigma-cli's table: columns as wide as their widest cell, left aligned, ` | ` between them, a
/// `-+-` rule above and below the header. Category names are escaped for the terminal.
fn table(rows: &[Row]) -> String {
    let cells: Vec<Vec<String>> = std::iter::once(COLUMNS.map(str::to_string).to_vec())
        .chain(rows.iter().map(|r| {
            std::iter::once(super::super::terminal::escape(r.name()).into_owned())
                .chain(r.counts().iter().map(ToString::to_string))
                .collect()
        }))
        .collect();
    let widths: Vec<usize> = (0..COLUMNS.len())
        .map(|c| {
            cells
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let rule = rule.join("-+-");
    let line = |row: &Vec<String>| {
        let padded: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        padded.join(" | ")
    };
    let mut out = format!("{rule}\n{}\n{rule}\n", line(&cells[0]));
    for row in &cells[1..] {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}
