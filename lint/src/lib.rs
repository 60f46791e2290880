//! sigc-lint: the rule linter behind `sigc check`: every parse error and every validator
//! finding, located.
//!
//! It owns the validators (one per file under [`validators`], listed in [`VALIDATORS`]), their
//! sigma-cli-style configuration ([`Config`]) and the fixes some of them suggest ([`Edit`]). It
//! builds on sigc-compiler (findings are located on the rule's YAML tree) and on sigc-eval, which
//! runs the test cases a rule carries (`rule_test_case`).
//!
//! [`check_file`] compiles each document of a file (the compiler's errors are findings too), then
//! runs every enabled per-rule validator over the document's YAML tree, which keeps positions.
//! [`check_collection`] runs the validators that compare rules across the whole input (duplicate
//! ids, titles, file names). Validators are listed once, in [`VALIDATORS`]; their ids and
//! configuration follow sigma-cli's validation file ([`Config`]).
//! Each validator's documentation is the `//!` comment of its file, which `build.rs` collects
//! ([`Validator::doc`]) for `docs/check.md` and SARIF's rule help.

mod config;
mod context;
mod fix;
pub mod sigmahq_data;
pub mod validators;

pub use config::{Config, ConfigError};
pub use context::{Condition, Ctx, Ident, Item, Part, file_name};
pub use fix::{Edit, apply_edits};

use foldhash::HashSet;
use rayon::prelude::*;
use sigc_compiler::diagnostic::{Diagnostic, Severity, Source};
use sigc_compiler::ir::{Document, Rule};
use sigc_compiler::span::Span;
use sigc_compiler::yaml;
use sigc_compiler::{DocId, RuleSet};
use std::sync::Arc;
use validators as v;

/// How a validator looks at rules.
#[derive(Clone, Copy)]
pub enum Check {
    /// One rule or correlation document at a time (as in pySigma, each validator decides which
    /// of the two it looks at: [`Ctx::rule`], [`Ctx::correlation`]).
    Rule(fn(&Ctx<'_>, &mut Out<'_>)),
    /// One filter document at a time (as in pySigma, the rule validators do not look at filters).
    Filter(fn(&Ctx<'_>, &mut Out<'_>)),
    /// Every rule of the input at once (uniqueness across files).
    Collection(fn(&[RuleFacts], &mut Vec<Finding>)),
}

/// One entry of the validator table.
pub struct Validator {
    /// Stable id, as in sigma-cli's configuration (`validators: [all, -id]`).
    pub id: &'static str,
    pub severity: Severity,
    /// One line, for `sigc list validators` and SARIF rule descriptions.
    pub description: &'static str,
    pub check: Check,
}

include!(concat!(env!("OUT_DIR"), "/validator_docs.rs"));

impl Validator {
    /// The documentation in the validator's file (`validators/<id>.rs`, its `//!` comment
    /// without the title line): what it does, why it matters, an example, in Markdown.
    pub fn doc(&self) -> &'static str {
        VALIDATOR_DOCS
            .binary_search_by_key(&self.id, |(id, _)| id)
            .map_or("", |i| VALIDATOR_DOCS[i].1)
    }
}

const fn rule(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    f: fn(&Ctx<'_>, &mut Out<'_>),
) -> Validator {
    Validator {
        id,
        severity,
        description,
        check: Check::Rule(f),
    }
}

const fn filter(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    f: fn(&Ctx<'_>, &mut Out<'_>),
) -> Validator {
    Validator {
        id,
        severity,
        description,
        check: Check::Filter(f),
    }
}

const fn all(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    f: fn(&[RuleFacts], &mut Vec<Finding>),
) -> Validator {
    Validator {
        id,
        severity,
        description,
        check: Check::Collection(f),
    }
}

use Severity::{Error, High, Low, Medium};

/// Every validator: id, severity, what it reports.
#[rustfmt::skip]
pub static VALIDATORS: &[Validator] = &[
    // pySigma core
    rule("dangling_detection", High, "a search identifier is never used by the condition", v::dangling_detection::check),
    rule("dangling_condition", Error, "the condition names a search identifier that does not exist", v::dangling_condition::check),
    rule("them_condition_with_single_detection", Low, "`of them` with a single search identifier", v::them_condition_with_single_detection::check),
    rule("all_of_them_condition", Medium, "`all of them` is discouraged: it breaks when a filter is added", v::all_of_them_condition::check),
    rule("fieldname_logsource", High, "a `logsource` key other than category, product, service, definition", v::fieldname_logsource::check),
    rule("specific_instead_of_generic_logsource", High, "a Windows EventID that a generic log source category covers", v::specific_instead_of_generic_logsource::check),
    rule("identifier_existence", Medium, "the rule has no `id`", v::identifier_existence::check),
    all("identifier_uniqueness", High, "two rules share an `id`", v::identifier_uniqueness::check),
    all("duplicate_title", High, "two rules share a title", v::duplicate_title::check),
    rule("duplicate_references", Medium, "a reference is listed twice", v::duplicate_references::check),
    all("duplicate_filename", High, "two rule files share a file name", v::duplicate_filename::check),
    rule("filename_length", High, "the file name is shorter than 10 or longer than 90 characters", v::filename_length::check),
    rule("custom_attributes", Medium, "a top-level key looks like a misspelt standard field", v::custom_attributes::check),
    rule("invalid_modifier_combinations", High, "modifiers that contradict or repeat each other", v::invalid_modifier_combinations::check),
    rule("tag_format", Medium, "a tag with characters outside `[a-z0-9_-]` or no namespace", v::tag_format::check),
    rule("namespace_tag", Medium, "a tag in an unknown namespace", v::namespace_tag::check),
    rule("attacktag", Medium, "an ATT&CK tag that names no known technique, tactic, group, software or mitigation", v::attacktag::check),
    rule("d3_fendtag", Medium, "a malformed D3FEND tag", v::d3_fendtag::check),
    rule("tlptag", Medium, "a TLP tag that is neither TLP 1.0 nor TLP 2.0", v::tlptag::check),
    rule("tlpv1_tag", Medium, "a TLP tag that is not TLP 1.0", v::tlpv1_tag::check),
    rule("tlpv2_tag", Medium, "a TLP tag that is not TLP 2.0", v::tlpv2_tag::check),
    rule("cartag", Medium, "a CAR tag that is not `car.YYYY-MM-NNN`", v::cartag::check),
    rule("cvetag", Medium, "a CVE tag that is not `cve.YYYY-NNNN…`", v::cvetag::check),
    rule("detection_tag", Medium, "a `detection.` tag other than dfir, emerging-threats, threat-hunting", v::detection_tag::check),
    rule("stptag", Medium, "an STP tag that is not `stp.N` or `stp.N[auk]`", v::stptag::check),
    rule("duplicate_tag", Medium, "a tag is listed twice", v::duplicate_tag::check),
    rule("double_wildcard", Low, "`**` in a value", v::double_wildcard::check),
    rule("number_as_string", Low, "a number written as a quoted string", v::number_as_string::check),
    rule("control_character", High, "a control character in a value (usually a lost backslash) or in a field name", v::control_character::check),
    rule("wildcards_instead_of_modifiers", Low, "`*x*`, `x*` or `*x` where contains/startswith/endswith says it", v::wildcards_instead_of_modifiers::check),
    filter("filter_condition_without_not", Medium, "a filter whose condition is not negated: it narrows the rules instead of excluding events", v::filter_condition_without_not::check),
    rule("escaped_wildcard", Low, "`\\*` or `\\?` in a value: a literal, not a wildcard", v::escaped_wildcard::check),
    // what only a compiler knows
    rule("invalid_regex", Error, "a `|re` value that is not a valid regular expression", v::invalid_regex::check),
    rule("invalid_cidr", Error, "a `|cidr` value that is not an IPv4 or IPv6 network", v::invalid_cidr::check),
    rule("rule_test_case", Error, "an event of the rule's `tests` attribute that the rule matches (`no_match`) or misses (`match`)", v::rule_test_case::check),
    // SigmaHQ conventions
    rule("sigmahq_author_existence", Medium, "the rule has no `author`", v::sigmahq_author_existence::check),
    rule("sigmahq_ofthem_condition", Medium, "`1 of them`/`all of them` with a single search identifier", v::sigmahq_ofthem_condition::check),
    rule("sigmahq_ofselection_condition", Medium, "`x of sel_*` where the pattern selects fewer than two identifiers", v::sigmahq_ofselection_condition::check),
    rule("sigmahq_missing_asterisk_condition", Medium, "`1 of`/`all of` a name without `*`", v::sigmahq_missing_asterisk_condition::check),
    rule("sigmahq_date_existence", Medium, "the rule has no `date`", v::sigmahq_date_existence::check),
    rule("sigmahq_modified_date_order", Medium, "`modified` is before `date`", v::sigmahq_modified_date_order::check),
    rule("sigmahq_modified_without_date", Medium, "`modified` without `date`", v::sigmahq_modified_without_date::check),
    rule("sigmahq_redundant_modified", Medium, "`modified` equals `date`", v::sigmahq_redundant_modified::check),
    rule("sigmahq_description_existence", Medium, "the rule has no `description`", v::sigmahq_description_existence::check),
    rule("sigmahq_description_length", Medium, "the description is shorter than 16 characters", v::sigmahq_description_length::check),
    rule("sigmahq_link_in_description", Medium, "a link in the description belongs in `references`", v::sigmahq_link_in_description::check),
    rule("sigmahq_category_windows_provider_name", Medium, "a `Provider_Name` that the Windows log source category already implies", v::sigmahq_category_windows_provider_name::check),
    rule("sigmahq_category_event_id", Medium, "an EventID under a Windows log source category that already selects its events", v::sigmahq_category_event_id::check),
    rule("sigmahq_unsupported_regex_group_construct", Medium, "lookaround, atomic or backreference constructs in `|re`", v::sigmahq_unsupported_regex_group_construct::check),
    rule("sigmahq_falsepositives_capital", Medium, "a false positive entry starts in lower case", v::sigmahq_falsepositives_capital::check),
    rule("sigmahq_falsepositives_banned_word", Medium, "a false positive entry says `none`, `pentest` or similar", v::sigmahq_falsepositives_banned_word::check),
    rule("sigmahq_falsepositives_typo_word", Medium, "a common misspelling in a false positive entry", v::sigmahq_falsepositives_typo_word::check),
    rule("sigmahq_space_field_name", Medium, "a field name with a space", v::sigmahq_space_field_name::check),
    rule("sigmahq_fieldname_cast", Medium, "a field name in unusual case (lower-case first letter)", v::sigmahq_fieldname_cast::check),
    rule("sigmahq_field_duplicate_value", Medium, "a value listed twice for one field", v::sigmahq_field_duplicate_value::check),
    rule("sigmahq_invalid_all_modifier", Medium, "`|all` on a single value", v::sigmahq_invalid_all_modifier::check),
    rule("sigmahq_field_user", Medium, "a localised account name (`AUTORITE NT`, `NT-AUTORITÄT`) in a User field", v::sigmahq_field_user::check),
    rule("sigmahq_invalid_hash_kv", Medium, "a `Hashes`/`Hash` value that is not `ALGO=hex`", v::sigmahq_invalid_hash_kv::check),
    rule("sigmahq_redundant_field", Medium, "a field matched twice with the same modifiers in one selection", v::sigmahq_redundant_field::check),
    rule("sigmahq_invalid_fieldname", High, "a field that SigmaHQ's taxonomy does not list for the log source", v::sigmahq_invalid_fieldname::check),
    rule("sigmahq_unknown_field", Medium, "a top-level key outside the specification and SigmaHQ's own", v::sigmahq_unknown_field::check),
    rule("sigmahq_logsource_unknown", High, "a log source that SigmaHQ's taxonomy does not list", v::sigmahq_logsource_unknown::check),
    rule("sigmahq_fields_existence", Medium, "the deprecated `fields` section", v::sigmahq_fields_existence::check),
    rule("sigmahq_filename_convention", Medium, "the file name is not `[a-z0-9_]{10,90}.yml`", v::sigmahq_filename_convention::check),
    rule("sigmahq_filename_prefix", Medium, "the file name lacks SigmaHQ's prefix for the log source", v::sigmahq_filename_prefix::check),
    rule("sigmahq_correlation_filename_prefix", Medium, "a correlation whose file name does not start with `correlation_`", v::sigmahq_correlation_filename_prefix::check),
    rule("sigmahq_correlation_rules_minimum", High, "a `temporal` or `temporal_ordered` correlation over fewer than two rules", v::sigmahq_correlation_rules_minimum::check),
    rule("sigmahq_correlation_group_by_existence", High, "an `event_count`, `value_count` or temporal correlation without `group-by`", v::sigmahq_correlation_group_by_existence::check),
    rule("sigmahq_level_existence", Medium, "the rule has no `level`", v::sigmahq_level_existence::check),
    rule("sigmahq_sysmon_missing_eventid", Medium, "a `service: sysmon` rule without EventID", v::sigmahq_sysmon_missing_eventid::check),
    rule("sigmahq_github_link", Medium, "a GitHub link to a branch instead of a commit", v::sigmahq_github_link::check),
    rule("sigmahq_mitre_link", Medium, "an attack.mitre.org link in `references` (use a tag)", v::sigmahq_mitre_link::check),
    rule("sigmahq_status_existence", Medium, "the rule has no `status`", v::sigmahq_status_existence::check),
    rule("sigmahq_status_to_high", Medium, "a status above `experimental` (`test` with regression data) for a rule under 60 days old", v::sigmahq_status_to_high::check),
    rule("sigmahq_status", Medium, "a deprecated or unsupported rule outside its folder", v::sigmahq_status::check),
    rule("sigmahq_tags_unique_detection", Medium, "more than one `detection.` tag", v::sigmahq_tags_unique_detection::check),
    rule("sigmahq_tags_detection", Medium, "a rule under rules-threat-hunting/emerging-threats without the matching `detection.` tag", v::sigmahq_tags_detection::check),
    rule("sigmahq_tags_unique_tlp", Medium, "more than one `tlp.` tag", v::sigmahq_tags_unique_tlp::check),
    rule("sigmahq_tags_tlp", Medium, "a `tlp.` tag other than `tlp.clear` in a public rule", v::sigmahq_tags_tlp::check),
    rule("sigmahq_tags_techniques_without_tactics", Medium, "an ATT&CK technique tag without a tag for its tactic", v::sigmahq_tags_techniques_without_tactics::check),
    rule("sigmahq_title_length", Medium, "the title is longer than 120 characters", v::sigmahq_title_length::check),
    rule("sigmahq_title_start", Medium, "the title starts with `Detect`/`Detects`", v::sigmahq_title_start::check),
    rule("sigmahq_title_end", Medium, "the title ends with a full stop", v::sigmahq_title_end::check),
    rule("sigmahq_title_case", Medium, "a title word that is not capitalised", v::sigmahq_title_case::check),
];

/// The validators SigmaHQ switches off in its own CI (`tests/sigma_cli_conf.yml`), among ours.
pub const SIGMAHQ_DISABLED: &[&str] = &[
    "tlptag",
    "tlpv1_tag",
    "sigmahq_fieldname_cast",
    "sigmahq_filename_prefix",
    "sigmahq_logsource_unknown",
    "sigmahq_ofselection_condition",
    "sigmahq_sysmon_missing_eventid",
];

/// The validator with this id.
pub fn validator(id: &str) -> Option<&'static Validator> {
    VALIDATORS.iter().find(|v| v.id == id)
}

/// One finding, with the id of the rule it is in (for exclusions) and its fix, if mechanical.
#[derive(Clone, Debug)]
pub struct Finding {
    pub diag: Diagnostic,
    /// The rule's `id`, when it has one.
    pub rule_id: Option<String>,
    /// Edits that fix it (empty when there is no unambiguous fix).
    pub fix: Vec<Edit>,
}

impl Finding {
    /// Adds a hint.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.diag.help = Some(help.into());
        self
    }

    /// Attaches the edits that fix this finding.
    pub fn fix(&mut self, edits: Vec<Edit>) -> &mut Self {
        self.fix = edits;
        self
    }
}

/// Where a validator writes its findings: it knows the validator's id and severity.
pub struct Out<'a> {
    validator: &'static Validator,
    source: &'a Arc<Source>,
    rule_id: Option<&'a str>,
    findings: &'a mut Vec<Finding>,
}

impl Out<'_> {
    /// Reports a finding at `span`; returns it so that a help text or a fix can be added.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            diag: Diagnostic {
                code: self.validator.id,
                severity: self.validator.severity,
                message: message.into(),
                source: Some(self.source.clone()),
                span: Some(span),
                help: None,
            },
            rule_id: self.rule_id.map(str::to_string),
            fix: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }
}

/// What cross-file validators need to know about one rule document.
#[derive(Clone, Debug)]
pub struct RuleFacts {
    pub source: Arc<Source>,
    /// `id` with its span.
    pub id: Option<(String, Span)>,
    /// `title` with its span.
    pub title: Option<(String, Span)>,
    /// The span of the whole document (where a file-level finding points).
    pub span: Span,
}

/// Everything found in one file.
pub struct FileReport {
    pub source: Arc<Source>,
    pub findings: Vec<Finding>,
    pub facts: Vec<RuleFacts>,
    /// The documents that compiled, for [`check_documents`].
    pub documents: Vec<Document>,
}

impl FileReport {
    /// The report for a file that is not text: that one error, located in the file.
    pub fn unreadable(diag: Diagnostic) -> Self {
        let source = diag
            .source
            .clone()
            .unwrap_or_else(|| Source::new("<unknown>", ""));
        FileReport {
            source,
            findings: vec![plain(diag, None)],
            facts: Vec::new(),
            documents: Vec::new(),
        }
    }
}

/// Checks every document of `source`, after its legacy collection actions (a document merged
/// with its collection's template is checked as merged).
pub fn check_file(source: &Arc<Source>, config: &Config) -> FileReport {
    let mut report = FileReport {
        source: source.clone(),
        findings: Vec::new(),
        facts: Vec::new(),
        documents: Vec::new(),
    };
    let docs = match yaml::load(source) {
        Ok(docs) => docs,
        Err(e) => {
            report.findings.push(plain(e, None));
            return report;
        }
    };
    if docs.is_empty() {
        let d = Diagnostic::error(
            "empty_file",
            "file holds no YAML document",
            source,
            Span::new(0, 0),
        );
        report.findings.push(plain(d, None));
    }
    let mut budget = sigc_compiler::limits::Budget::new();
    let docs = sigc_compiler::collection::resolve(source, docs);
    let combined = docs.len() > 1
        && docs
            .iter()
            .flatten()
            .any(|d| d.root().get("correlation").is_some());
    let file = FileCtx {
        source,
        config,
        combined,
    };
    for doc in docs {
        match doc {
            Ok(doc) => check_document(&file, &doc, &mut budget, &mut report),
            Err(e) => report.findings.push(plain(e, None)),
        }
    }
    report
}

/// What every document of a file shares.
struct FileCtx<'a> {
    source: &'a Arc<Source>,
    config: &'a Config,
    /// Several documents, one of them a correlation.
    combined: bool,
}

fn check_document(
    file: &FileCtx<'_>,
    doc: &yaml::Document,
    budget: &mut sigc_compiler::limits::Budget,
    report: &mut FileReport,
) {
    let FileCtx {
        source,
        config,
        combined,
    } = *file;
    let compiled = sigc_compiler::compile::compile_document(source, doc, budget);
    let root = doc.root();
    let rule_id = root.get("id").and_then(|n| n.as_str()).map(str::to_string);
    let mut found = Vec::new();
    if root.is_map() {
        let cx = Ctx::new(source, root, compiled.as_ref().ok(), config, combined);
        let is_filter = root.get("filter").is_some();
        for (i, validator) in VALIDATORS.iter().enumerate() {
            let f = match validator.check {
                Check::Rule(f) if !is_filter => f,
                Check::Filter(f) if is_filter => f,
                Check::Rule(_) | Check::Filter(_) | Check::Collection(_) => continue,
            };
            if !config.applies_at(i, rule_id.as_deref()) {
                continue;
            }
            let mut out = Out {
                validator,
                source,
                rule_id: rule_id.as_deref(),
                findings: &mut found,
            };
            f(&cx, &mut out);
        }
        report.facts.push(RuleFacts {
            source: source.clone(),
            id: cx.string("id").map(|(s, n)| (s.to_string(), n.span())),
            title: cx.string("title").map(|(s, n)| (s.to_string(), n.span())),
            span: root.span(),
        });
    }
    if let Err(errors) = &compiled {
        let error_spans: HashSet<Option<Span>> = found
            .iter()
            .filter(|f| f.diag.severity == Severity::Error)
            .map(|f| f.diag.span)
            .collect();
        report.findings.extend(
            errors
                .iter()
                .filter(|e| !restated(e, &error_spans, config, rule_id.as_deref()))
                .map(|e| plain(e.clone(), rule_id.clone())),
        )
    }
    if let Ok(document) = &compiled {
        let warnings = document.meta().warnings.iter();
        report
            .findings
            .extend(warnings.map(|w| plain(w.clone(), rule_id.clone())));
    }
    report.findings.extend(found);
    report.documents.extend(compiled.ok());
}

/// The errors of the documents of every file once their references are resolved and the
/// filters applied ([`RuleSet::resolve`]): a reference that does not resolve is an error.
/// `target` is then asked about each rule, as filtered (a backend that cannot express it
/// answers with diagnostics).
pub fn check_documents(
    set: &RuleSet,
    target: &(dyn Fn(&Rule) -> Vec<Diagnostic> + Sync),
) -> Vec<Finding> {
    let ids: Vec<DocId> = set.documents().map(|(id, _)| id).collect();
    ids.into_par_iter()
        .flat_map_iter(|id| {
            let doc = set.get(id);
            let errors = match (set.errors(id), doc) {
                ([], Document::Rule(rule)) => target(rule)
                    .into_iter()
                    .map(|d| d.with_severity(Severity::Error))
                    .collect(),
                ([], Document::Correlation(_) | Document::Filter(_)) => Vec::new(),
                (errors, _) => errors.to_vec(),
            };
            errors.into_iter().map(|d| plain(d, doc.meta().id.clone()))
        })
        .collect()
}

/// Is this compiler error also reported at the same place by a validator? The validator's
/// finding is kept: its id is the one a configuration can name.
/// Unresolved identifiers are `dangling_condition`'s whenever it runs: it looks at the YAML, so
/// it does not repeat the compiler's follow-on errors for identifiers that failed to compile.
/// `error_spans` are the spans of the validators' error findings.
fn restated(
    error: &Diagnostic,
    error_spans: &HashSet<Option<Span>>,
    config: &Config,
    rule_id: Option<&str>,
) -> bool {
    if error.code == "undefined_identifier" && config.applies("dangling_condition", rule_id) {
        return true;
    }
    error_spans.contains(&error.span)
}

fn plain(diag: Diagnostic, rule_id: Option<String>) -> Finding {
    Finding {
        diag,
        rule_id,
        fix: Vec::new(),
    }
}

/// Runs the cross-file validators over every rule of the input.
pub fn check_collection(facts: &[RuleFacts], config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    for validator in VALIDATORS {
        if let Check::Collection(f) = validator.check
            && config.enabled(validator.id)
        {
            let mut found = Vec::new();
            f(facts, &mut found);
            out.extend(
                found
                    .into_iter()
                    .filter(|x| config.applies(validator.id, x.rule_id.as_deref())),
            );
        }
    }
    out
}

/// A finding from a cross-file validator (used by those validators).
pub fn collection_finding(
    id: &'static str,
    facts: &RuleFacts,
    span: Span,
    message: String,
) -> Finding {
    let validator = validator(id).expect("a registered validator");
    Finding {
        diag: Diagnostic {
            code: validator.id,
            severity: validator.severity,
            message,
            source: Some(facts.source.clone()),
            span: Some(span),
            help: None,
        },
        rule_id: facts.id.as_ref().map(|(id, _)| id.clone()),
        fix: Vec::new(),
    }
}
