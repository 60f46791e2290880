//! The token table: everything that differs between text query languages only as data.

use sigc_compiler::ir::{CmpOp, Number};
use std::fmt;

/// A boolean operator, for precedence decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Not,
    Or,
    And,
}

/// How string values are written: quotes, escaping and wildcards.
#[derive(Clone, Copy, Debug)]
pub struct StringStyle {
    /// The quote put around every string value.
    pub quote: char,
    /// A second quote used instead when the value contains `quote` and there is no escape
    /// character (LogPoint's `'…'`).
    pub alt_quote: Option<char>,
    /// The escape character; `None` when the language has none.
    pub escape: Option<char>,
    /// Literal characters escaped besides the quote and the escape character itself.
    pub escaped: &'static [char],
    /// How a Sigma `*` is written.
    pub wildcard_multi: &'static str,
    /// How a Sigma `?` is written.
    pub wildcard_single: &'static str,
}

/// How a disjunction over one field is written as a list (`field IN ("a", "b")`).
#[derive(Clone, Copy, Debug)]
pub struct InList {
    /// Between the field and the list, with its spaces: `" IN ("`.
    pub open: &'static str,
    /// After the list: `")"`.
    pub close: &'static str,
    /// Between elements: `", "`.
    pub separator: &'static str,
}

/// The static description of a text query language.
#[derive(Clone, Copy, Debug)]
pub struct Tokens {
    /// Operators from the tightest binding to the loosest.
    pub precedence: [Op; 3],
    /// Joins conjuncts, with its spaces (`" "` for an implicit AND).
    pub and: &'static str,
    /// Joins disjuncts, with its spaces (`" OR "`).
    pub or: &'static str,
    /// Put before a negated expression, with its trailing space if any (`"NOT "`, `"-"`).
    pub not: &'static str,
    /// Wraps a grouped expression.
    pub group: (&'static str, &'static str),
    /// Between a field and its value.
    pub eq: &'static str,
    /// After a field, to test that it exists (`a=*`, CAR's `a exists`); the NOT token before the
    /// field tests that it does not.
    pub exists: &'static str,
    /// After a field, to test for a null value (LogPoint's `a!=*`, CAR's `a=null`); `None` when
    /// null is written as a field that does not exist.
    pub null: Option<&'static str>,
    /// Around a comparison operator (`a>=5`, LogPoint's `a >= 5`).
    pub compare_space: &'static str,
    /// The quote put around field names that need one.
    pub field_quote: char,
    /// Lower-case field names that must be quoted even though they are plain words.
    pub field_keywords: &'static [&'static str],
    /// Literal strings.
    pub string: StringStyle,
    /// OR over one field as a list, when the language has one.
    pub in_list: Option<InList>,
}

impl InList {
    /// `field IN ("a", "b")`.
    pub const PARENTHESES: InList = InList {
        open: " IN (",
        close: ")",
        separator: ", ",
    };
    /// `field IN ["a", "b"]`.
    pub const BRACKETS: InList = InList {
        open: " IN [",
        close: "]",
        separator: ", ",
    };
}

impl Tokens {
    /// What a target's table starts from, overriding only where it differs: `NOT` binds
    /// tightest, then `AND`, then `OR`; `(…)` groups; `field="value"` with `\` escaping `\` and
    /// `"`; `*` and `?` wildcards; `field IN ("a", "b")`.
    pub const COMMON: Tokens = Tokens {
        precedence: [Op::Not, Op::And, Op::Or],
        and: " AND ",
        or: " OR ",
        not: "NOT ",
        group: ("(", ")"),
        eq: "=",
        exists: "=*",
        null: None,
        compare_space: "",
        field_quote: '"',
        field_keywords: &[],
        string: StringStyle {
            quote: '"',
            alt_quote: None,
            escape: Some('\\'),
            escaped: &[],
            wildcard_multi: "*",
            wildcard_single: "?",
        },
        in_list: Some(InList::PARENTHESES),
    };

    /// `field=value`, for a value written as it is (a number, a boolean).
    pub fn equals(&self, field: &str, value: impl fmt::Display) -> String {
        format!("{field}{}{value}", self.eq)
    }

    /// `field=*` when `exists`, else `NOT field=*`.
    pub fn exists(&self, field: &str, exists: bool) -> String {
        let not = if exists { "" } else { self.not };
        format!("{not}{field}{}", self.exists)
    }

    /// The test for a null value.
    pub fn null(&self, field: &str) -> String {
        match self.null {
            Some(null) => format!("{field}{null}"),
            None => self.exists(field, false),
        }
    }

    /// `field>=5`.
    pub fn compare(&self, field: &str, op: CmpOp, value: &Number) -> String {
        let space = self.compare_space;
        format!("{field}{space}{}{space}{value}", op.symbol())
    }

    /// The rank of an operator: lower binds tighter.
    pub fn rank(&self, op: Op) -> usize {
        self.precedence
            .iter()
            .position(|&o| o == op)
            .expect("every operator has a precedence")
    }
}
