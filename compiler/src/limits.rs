//! Every budget that bounds the work and memory a rule file may cause, in one place.
//!
//! Rule text comes from strangers, so whatever it can multiply is counted and refused past a
//! limit with a located `limit_exceeded` error (unless noted), before the work is done or while
//! it is being done, never after. Each limit is far above what real rules need: the SigmaHQ
//! corpus (3,141 rules) is measured in each limit's documentation. A refused rule fails; the
//! other files of a batch, and the rules of its file that came before it, are still converted.
//!
//! The IR built from one file is counted as a [`Size`]: nodes and bytes of text. A [`Budget`]
//! holds what one file has left: reading each rule's detection charges it, and so does lowering
//! its conditions (which copies identifiers), so the IR in memory for one file never exceeds
//! [`MAX_IR_NODES`] and [`MAX_IR_BYTES`], however many rules it holds. A rule past the budget
//! fails, and so does each later rule of the same file (an error at its start); other files are
//! unaffected.

use crate::ir::{Expr, Match, Part, Pattern, Value};

/// Largest rule file, in bytes: 4 MiB, fourteen times SigmaHQ's largest rule
/// (`driver_load_win_vuln_drivers.yml`, 295 KB). The command line reads no more than this from
/// a rule file, template, configuration or standard input; the front end refuses a larger text
/// (`file_too_large`) before parsing it.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// Most YAML documents read from one file: 5,000 (SigmaHQ's files hold one; a collection a few).
/// Exceeding it is a `too_many_documents` error at the `---` of document 5,001; the file is
/// refused whole. Everything done per document is linear (2,000 documents check in about 0.1 s),
/// so this bounds the findings and memory of one file, not its time.
pub const MAX_DOCUMENTS: usize = 5_000;

/// Most documents one reference error names: 8. A correlation cycle through more documents, or
/// an id or name shared by more, is shown as its first eight and the count of the others, so a
/// message stays short however the inputs are shaped (each reference gives at most one error).
pub const MAX_NAMED_DOCUMENTS: usize = 8;

/// Deepest chain of correlations of correlations a target writes: 8 (pySigma sets none; real
/// content nests one or two). A correlation's query embeds the query of a correlation it
/// references, so a chain of n writes O(n²) text; past the limit, a `limit_exceeded` error at
/// the reference that crosses it.
pub const MAX_CORRELATION_DEPTH: usize = 8;

/// Deepest nesting of YAML collections: 64 (rules need about six levels). A `yaml_too_deep`
/// error at the collection that crosses it.
pub const MAX_YAML_DEPTH: usize = 64;

/// Most YAML nodes one file may expand to, an alias counted as the node it stands for: 1,000,000
/// (SigmaHQ's largest rule has about 9,000). Bounds what serde_yaml builds, so that a few aliases
/// cannot make a small file take gigabytes ("billion laughs"). A `yaml_too_large` error at the
/// node or alias that crosses it, before anything is expanded. What merging a legacy collection's
/// documents builds (`collection.rs`) is charged against it again, file-wide: past it, the
/// document being merged is a `yaml_too_large` error.
pub const MAX_YAML_EXPANDED_NODES: usize = 1_000_000;

/// Most bytes of scalar text one file may expand to, aliases counted as above: 16 MiB (four
/// times the largest file read). A `yaml_too_large` error, like [`MAX_YAML_EXPANDED_NODES`].
pub const MAX_YAML_EXPANDED_BYTES: usize = 16 << 20;

/// Most IR nodes the filters of one run may add to its rules, all rules together: 2,000,000. A
/// filter is copied into every rule it applies to, so a large `rules: any` filter over many rules
/// would multiply; real filters add a handful of nodes to each rule. A rule the next copy would
/// take past it gets a `limit_exceeded` error at the filter's `filter` key, and is not converted.
pub const MAX_FILTERED_NODES: usize = 2_000_000;

/// Longest `condition` string, in bytes: 64 KiB (SigmaHQ's longest is 346 bytes).
/// Exceeding it is an `invalid_condition` error at the condition's start.
pub const MAX_CONDITION_BYTES: usize = 64 << 10;

/// Deepest nesting of parentheses and `not`s in a condition: 128 (SigmaHQ nests parentheses
/// two deep at most). Exceeding it is an `invalid_condition` error at the first parenthesis or
/// `not` too deep.
pub const MAX_CONDITION_DEPTH: usize = 128;

/// Most IR nodes the rules of one file may build, reading and lowering together (`and`, `or`,
/// `not`, and each match, counting every alternative of an expanded value): 400,000. The whole
/// SigmaHQ corpus (3,141 rules) lowers to 50,393 nodes, its largest rule
/// (`driver_load_win_vuln_drivers.yml`) to 4,433. Charged while the detection is read (at the
/// value that crosses it; the rest of the detection is not read), while the conditions are
/// lowered (at the identifier or `x of` selector that crosses it: `1 of sel*` copies every
/// selected identifier), and, per rule, when a pipeline expands placeholders (a `pipeline_error`
/// at the value).
pub const MAX_IR_NODES: usize = 400_000;

/// Most bytes of text (field names, values, regexes) the IR of one file may hold: 16 MiB. The
/// whole SigmaHQ corpus lowers to 1.2 MB, its largest rule to 254,621 bytes. Charged like
/// [`MAX_IR_NODES`].
pub const MAX_IR_BYTES: usize = 16 << 20;

/// Most identifier names the `x of` selectors of one file's rules may test: 1,000,000 (a selector
/// tests every identifier of its rule; SigmaHQ's rules need at most about 100 each). Exceeding it
/// is an error at the selector.
pub const MAX_NAME_TESTS: usize = 1_000_000;

/// Most alternatives one value may expand into (`windash`, `base64offset`, and a pipeline's
/// `value_placeholders`, which multiply): 3,125, i.e. `windash` on five option dashes. SigmaHQ
/// needs at most 25. Exceeding it is an error at the modifier (for a pipeline, at the value).
pub const MAX_ALTERNATIVES: usize = 3_125;

/// Most bytes a modifier may grow one value to, all its alternatives together: 1 MiB. SigmaHQ's
/// largest modified value is 535 bytes. `wide|base64` grows a value 8/3 times, so a chain of
/// them is refused here, at the modifier that crosses the limit; a pipeline's placeholder
/// expansion is held to the same limit.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// Longest `|re` pattern, in bytes: 32 KiB (SigmaHQ's longest is 130). An `invalid_regex` error.
pub const MAX_REGEX_BYTES: usize = 32 << 10;

/// Deepest nesting of groups, repetitions and classes in a `|re` pattern: 100 (the `regex`
/// crate's default is 250). Applies to checking and to the evaluator; an `invalid_regex` error.
pub const REGEX_NEST_LIMIT: u32 = 100;

/// Most heap each of the two NFAs compiled for one `|re` pattern (forward and reverse) may take,
/// as the `regex` crate counts it: 10 MiB, the crate's own default. Counted repetitions multiply
/// (`\w{100}` alone takes about 5 MB), so this, not the pattern's length, bounds the compiled
/// size. SigmaHQ's largest (`-k\s\w{1,64}…`) takes 3.6 MB for both NFAs together. The rule
/// checker and the evaluator compile with this same limit, so a rule that passes the check can
/// be evaluated. An `invalid_regex` error.
pub const REGEX_SIZE_LIMIT: usize = 10 << 20;

/// Most heap the compiled `|re` patterns of one file may take together: 32 MiB (SigmaHQ's
/// largest rule: 3.6 MB). Each pattern is charged its size or an upper bound of it (5.4 MB for
/// that rule). Compiling takes time in proportion, so this bounds the time spent on one file's
/// regexes. An `invalid_regex` error at the pattern that crosses it; the rest of the file is
/// not read.
pub const MAX_FILE_REGEX_BYTES: usize = 32 << 20;

/// The size of some IR: nodes and bytes of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    pub nodes: usize,
    pub bytes: usize,
}

impl Size {
    /// The size of an expression: every node, and the text of every leaf.
    pub fn of_expr(expr: &Expr) -> Size {
        let mut size = Size::default();
        add_expr(expr, &mut size);
        size
    }

    /// The size of one value: its alternatives (as nodes) and its text.
    pub fn of_value(value: &Value) -> Size {
        match value {
            Value::Str(p) => Size {
                nodes: 1,
                bytes: pattern_bytes(p),
            },
            Value::Expansion(ps) => Size {
                nodes: ps.len(),
                bytes: ps.iter().map(pattern_bytes).sum(),
            },
            Value::Regex { pattern, .. } => Size {
                nodes: 1,
                bytes: pattern.len(),
            },
            Value::FieldRef { field, .. } => Size {
                nodes: 1,
                bytes: field.len(),
            },
            _ => Size { nodes: 1, bytes: 0 },
        }
    }

    /// The size of a leaf: its value and its field name.
    pub fn of_match(m: &Match) -> Size {
        let value = Size::of_value(&m.value);
        Size {
            nodes: value.nodes,
            bytes: value
                .bytes
                .saturating_add(m.field.as_deref().map_or(0, str::len)),
        }
    }

    /// Both sizes together.
    pub fn plus(self, other: Size) -> Size {
        Size {
            nodes: self.nodes.saturating_add(other.nodes),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }
}

fn add_expr(expr: &Expr, size: &mut Size) {
    match expr {
        Expr::And(xs) | Expr::Or(xs) => {
            size.nodes = size.nodes.saturating_add(1);
            xs.iter().for_each(|x| add_expr(x, size));
        }
        Expr::Not(x) => {
            size.nodes = size.nodes.saturating_add(1);
            add_expr(x, size);
        }
        Expr::Match(m) => *size = size.plus(Size::of_match(m)),
    }
}

/// The text of a pattern: its literals' bytes, one per wildcard, a placeholder's name and `%%`.
pub fn pattern_bytes(p: &Pattern) -> usize {
    p.parts
        .iter()
        .map(|part| match part {
            Part::Lit(s) => s.len(),
            Part::AnyRun | Part::AnyChar => 1,
            Part::Placeholder(name) => name.len() + 2,
        })
        .sum()
}

/// What one file's rules may still build, in IR and compiled regexes.
#[derive(Clone, Debug, Default)]
pub struct Budget {
    used: Size,
    name_tests: usize,
    regex_bytes: usize,
}

impl Budget {
    /// A fresh budget for one file.
    pub fn new() -> Self {
        Self::default()
    }

    /// A budget of which `size` is already spent (by IR built before).
    pub fn spent(size: Size) -> Self {
        Budget {
            used: size,
            ..Self::default()
        }
    }

    /// Charges `size` of IR; the error message when the file's IR would exceed
    /// [`MAX_IR_NODES`] or [`MAX_IR_BYTES`].
    pub fn charge(&mut self, size: Size) -> Result<(), String> {
        self.used = self.used.plus(size);
        if self.used.nodes > MAX_IR_NODES {
            return Err(format!(
                "the rules of this file grow past {MAX_IR_NODES} expression nodes, the limit per file"
            ));
        }
        if self.used.bytes > MAX_IR_BYTES {
            return Err(format!(
                "the rules of this file grow past {} MiB of values, the limit per file",
                MAX_IR_BYTES >> 20
            ));
        }
        Ok(())
    }

    /// Whether a limit was already exceeded (and reported): building more is pointless.
    pub fn exhausted(&self) -> bool {
        self.used.nodes > MAX_IR_NODES
            || self.used.bytes > MAX_IR_BYTES
            || self.name_tests > MAX_NAME_TESTS
            || self.regex_bytes > MAX_FILE_REGEX_BYTES
    }

    /// Charges `count` identifier-name tests of `x of` selectors ([`MAX_NAME_TESTS`]).
    pub fn charge_name_tests(&mut self, count: usize) -> Result<(), String> {
        self.name_tests = self.name_tests.saturating_add(count);
        if self.name_tests > MAX_NAME_TESTS {
            return Err(format!(
                "the `x of` selectors of this file test over {MAX_NAME_TESTS} identifier names, the limit per file"
            ));
        }
        Ok(())
    }

    /// The heap the next compiled regex may take: [`REGEX_SIZE_LIMIT`], or less when the
    /// file's regexes have nearly used up [`MAX_FILE_REGEX_BYTES`].
    pub fn regex_allowance(&self) -> usize {
        REGEX_SIZE_LIMIT.min(MAX_FILE_REGEX_BYTES.saturating_sub(self.regex_bytes))
    }

    /// Records `bytes` of compiled regex.
    pub fn charge_regex(&mut self, bytes: usize) {
        self.regex_bytes = self.regex_bytes.saturating_add(bytes);
    }
}

/// Checks what a modifier made of a value: at most [`MAX_ALTERNATIVES`] alternatives, and,
/// when the value grew, at most [`MAX_VALUE_BYTES`] bytes.
pub fn check_value(before: Size, after: Size) -> Result<(), String> {
    if after.nodes > MAX_ALTERNATIVES {
        return Err(format!(
            "the value would expand into {} alternatives; the limit is {MAX_ALTERNATIVES}",
            after.nodes
        ));
    }
    if after.bytes > before.bytes && after.bytes > MAX_VALUE_BYTES {
        return Err(format!(
            "the value would grow to {} bytes; the limit is {} MiB",
            after.bytes,
            MAX_VALUE_BYTES >> 20
        ));
    }
    Ok(())
}
