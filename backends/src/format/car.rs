//! The CAR formats (`car-analytic`, `car-page`), and what their templates see as `rule.extra`:
//! the rule as a CAR analytic (the repository's `analytics/*.yaml` schema), with names for the
//! page.
//!
//! From the Sigma rule: `id` is the CAR id of a `car.YYYY-MM-NNN` tag (else the rule's id),
//! `coverage` comes from the `attack.tNNNN[.NNN]` tags grouped by parent technique, with the
//! rule's tactic tags (or the technique's own tactics) as `TA….` ids (tactics without a known
//! id, such as ATT&CK v19's `stealth`, are left out); `data_model_references`
//! from the fields the pseudocode filters on. Implementations: the pseudocode, then Splunk and
//! LogPoint converted from the original rule by their targets' default plans (built once per run;
//! a target that fails is listed in `skipped`).
//!
//! Sigma has no coverage level, analytic type or D3FEND mapping: `coverage` is `Unknown`,
//! `analytic_types` is `[TTP]`, and D3FEND is left out.

use super::{Format, md};
use crate::car::{self, Search};
use crate::{Converted, Plan, Subject, Target, logpoint, splunk};
use serde::Serialize;
use sigc_compiler::ir::Rule;
use sigc_compiler::model::attack::attack;
use std::sync::{Arc, OnceLock};

/// A CAR analytic YAML.
pub const ANALYTIC: Format = Format {
    name: "car-analytic",
    description: "a CAR analytic YAML (car repository schema) with pseudocode, Splunk and LogPoint implementations",
    extension: Some("yaml"),
    template: include_str!("../../templates/car/analytic.j2"),
    requires: &[],
    extra: Some(extra),
    refusing: false,
    correlations: false,
};

/// A CAR analytic page in Markdown.
pub const PAGE: Format = Format {
    name: "car-page",
    description: "a CAR analytic page in Markdown, as on car.mitre.org",
    extension: Some("md"),
    template: include_str!("../../templates/car/page.j2"),
    requires: &[],
    extra: Some(extra),
    refusing: true,
    correlations: false,
};

/// Another target a CAR analytic carries an implementation for.
struct Other {
    target: &'static dyn Target,
    /// The implementation's type.
    kind: &'static str,
    /// The CAR `data_model` label of the target's default pipelines.
    data_model: &'static str,
}

const OTHER_TARGETS: [Other; 2] = [
    Other {
        target: &splunk::Splunk,
        kind: "Splunk",
        data_model: "Sysmon native",
    },
    Other {
        target: &logpoint::LogPoint,
        kind: "LogPoint",
        data_model: "LogPoint native",
    },
];

/// The `rule.extra` value of the CAR formats.
/// Null for a correlation, which these formats refuse before rendering ([`Format::check`]).
pub fn extra(c: &Converted) -> serde_json::Value {
    match &c.subject {
        Subject::Rule { rule, original } => {
            serde_json::to_value(analytic(c, rule, original)).expect("plain data serialises")
        }
        Subject::Correlation(_) => serde_json::Value::Null,
    }
}

#[derive(Serialize)]
struct Analytic {
    id: String,
    title: String,
    /// `YYYY/MM/DD`, when the rule has a date of that shape.
    submission_date: Option<String>,
    update_date: Option<String>,
    information_domain: &'static str,
    platforms: Vec<&'static str>,
    subtypes: Vec<String>,
    analytic_types: Vec<&'static str>,
    contributors: Vec<String>,
    /// Trimmed.
    description: String,
    references: Vec<String>,
    coverage: Vec<Coverage>,
    implementations: Vec<Implementation>,
    data_model_references: Vec<Reference>,
    /// Targets whose conversion failed: `{target, error}`.
    skipped: Vec<Skipped>,
}

#[derive(Serialize)]
struct Named {
    id: String,
    name: String,
}

impl Named {
    /// An ATT&CK technique, or a tactic by its tag form, with its name from the shipped list.
    fn attack(id: &str, key: &str) -> Named {
        Named {
            id: id.to_string(),
            name: attack()
                .get(key)
                .map_or_else(|| id.to_string(), |e| e.name.to_string()),
        }
    }
}

#[derive(Serialize)]
struct Coverage {
    technique: Named,
    subtechniques: Vec<Named>,
    tactics: Vec<Named>,
    coverage: &'static str,
}

#[derive(Serialize)]
struct Implementation {
    name: String,
    description: String,
    /// `description` in Markdown.
    description_md: String,
    /// Trimmed.
    code: String,
    data_model: Option<&'static str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Reference {
    /// `process/create/exe`.
    path: String,
    object: String,
    action: String,
    field: String,
}

#[derive(Serialize)]
struct Skipped {
    target: &'static str,
    error: String,
}

fn analytic(c: &Converted, rule: &Rule, original: &Arc<Rule>) -> Analytic {
    let meta = &rule.meta;
    let car_id = meta.tags.iter().find_map(|t| {
        t.strip_prefix("car.")
            .map(|rest| format!("CAR-{}", rest.to_ascii_uppercase()))
    });
    let mapped = car::mapped(rule).ok();
    let search = mapped.as_deref().and_then(|r| Search::of(r).ok());
    let mut implementations = Vec::new();
    for (i, code) in c.queries.iter().enumerate() {
        implementations.push(Implementation {
            name: numbered(format!("Pseudocode - {}", meta.title), i, c.queries.len()),
            description: generated(
                meta.id.as_deref(),
                "with the `car` pipeline",
                str::to_string,
            ),
            description_md: generated(meta.id.as_deref(), "with the `car` pipeline", md::inline),
            code: code.to_string().trim().to_string(),
            data_model: Some("CAR native"),
            kind: "Pseudocode",
        });
    }
    let mut skipped = Vec::new();
    for (other, plan) in OTHER_TARGETS.iter().zip(other_plans()) {
        let queries = plan.as_ref().map_err(Clone::clone).and_then(|plan| {
            plan.convert(original)
                .map(|converted| converted.queries)
                .map_err(|e| first(&e))
        });
        let queries = match queries {
            Ok(queries) => queries,
            Err(error) => {
                skipped.push(Skipped {
                    target: other.target.name(),
                    error,
                });
                continue;
            }
        };
        let with = match other.target.default_pipelines() {
            [] => "without a pipeline".to_string(),
            names => format!("with the `{}` pipeline", names.join("`, `")),
        };
        for (i, code) in queries.iter().enumerate() {
            implementations.push(Implementation {
                name: numbered(
                    format!("{} Search - {}", other.kind, meta.title),
                    i,
                    queries.len(),
                ),
                description: generated(meta.id.as_deref(), &with, str::to_string),
                description_md: generated(meta.id.as_deref(), &with, md::inline),
                code: code.to_string().trim().to_string(),
                data_model: Some(other.data_model),
                kind: other.kind,
            });
        }
    }
    let data_model_references = match (&mapped, &search) {
        (Some(rule), Some(search)) => car::data_model_references(rule, search)
            .into_iter()
            .map(|path| {
                let mut parts = path.splitn(3, '/').map(str::to_string);
                let (object, action, field) = (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                );
                Reference {
                    path,
                    object,
                    action,
                    field,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    Analytic {
        id: car_id
            .or_else(|| meta.id.clone())
            .unwrap_or_else(|| meta.title.clone()),
        title: meta.title.clone(),
        submission_date: meta.date.as_deref().and_then(car_date),
        update_date: meta.modified.as_deref().and_then(car_date),
        information_domain: "Host",
        platforms: platform(rule.logsource.product.as_deref())
            .into_iter()
            .collect(),
        subtypes: search
            .as_ref()
            .map(|s| crate::car::model::title_case(s.object.name))
            .into_iter()
            .collect(),
        analytic_types: vec!["TTP"],
        contributors: meta.author.iter().cloned().collect(),
        description: meta
            .description
            .as_deref()
            .unwrap_or(&meta.title)
            .trim()
            .to_string(),
        references: meta.references.clone(),
        coverage: coverage(&meta.tags),
        implementations,
        data_model_references,
        skipped,
    }
}

/// "Generated by sigc from the Sigma rule ID WITH.", the rule's id written by `text`.
fn generated(id: Option<&str>, with: &str, text: fn(&str) -> String) -> String {
    match id {
        Some(id) => format!("Generated by sigc from the Sigma rule {} {with}.", text(id)),
        None => format!("Generated by sigc from the Sigma rule {with}."),
    }
}

/// `name`, or `name (condition n)` when the rule has several conditions.
fn numbered(name: String, i: usize, count: usize) -> String {
    if count > 1 {
        format!("{name} (condition {})", i + 1)
    } else {
        name
    }
}

/// The default plans of the other targets, as [`OTHER_TARGETS`] lists them: made once per run,
/// not once per rule.
fn other_plans() -> &'static [Result<Plan, String>] {
    static PLANS: OnceLock<Vec<Result<Plan, String>>> = OnceLock::new();
    PLANS.get_or_init(|| {
        OTHER_TARGETS
            .iter()
            .map(|other| Plan::defaults(other.target).map_err(|e| first(&e)))
            .collect()
    })
}

fn first(errors: &[sigc_compiler::Diagnostic]) -> String {
    errors
        .first()
        .map_or_else(|| "failed".to_string(), |e| e.message.clone())
}

/// `2020-11-30` (Sigma) as `2020/11/30` (CAR).
fn car_date(date: &str) -> Option<String> {
    let out = date.replace('-', "/");
    let shape = out.len() == 10
        && out.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '/'
            } else {
                c.is_ascii_digit()
            }
        });
    shape.then_some(out)
}

fn platform(product: Option<&str>) -> Option<&'static str> {
    match product? {
        "windows" => Some("Windows"),
        "linux" => Some("Linux"),
        "macos" => Some("macOS"),
        _ => None,
    }
}

/// ATT&CK tactic tags and their ids (Enterprise).
const TACTIC_IDS: &[(&str, &str)] = &[
    ("reconnaissance", "TA0043"),
    ("resource-development", "TA0042"),
    ("initial-access", "TA0001"),
    ("execution", "TA0002"),
    ("persistence", "TA0003"),
    ("privilege-escalation", "TA0004"),
    ("defense-evasion", "TA0005"),
    ("credential-access", "TA0006"),
    ("discovery", "TA0007"),
    ("lateral-movement", "TA0008"),
    ("collection", "TA0009"),
    ("exfiltration", "TA0010"),
    ("command-and-control", "TA0011"),
    ("impact", "TA0040"),
];

fn tactic(tag: &str) -> Option<Named> {
    TACTIC_IDS
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(t, id)| Named::attack(id, t))
}

/// One coverage item per parent technique of the rule's `attack.t…` tags.
fn coverage(tags: &[String]) -> Vec<Coverage> {
    let attack_tags: Vec<String> = tags
        .iter()
        .filter_map(|t| t.strip_prefix("attack."))
        .map(str::to_ascii_lowercase)
        .collect();
    let rule_tactics: Vec<&str> = attack_tags
        .iter()
        .filter(|t| tactic(t).is_some())
        .map(String::as_str)
        .collect();
    let mut out: Vec<Coverage> = Vec::new();
    for tag in &attack_tags {
        let Some(number) = tag.strip_prefix('t') else {
            continue;
        };
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        let parent = number.split('.').next().unwrap_or(number);
        let parent_id = format!("T{parent}");
        let index = match out.iter().position(|c| c.technique.id == parent_id) {
            Some(i) => i,
            None => {
                let key = format!("t{parent}");
                let own: Vec<&str> = attack()
                    .get(&key)
                    .map(|e| e.tactics.split(',').filter(|t| !t.is_empty()).collect())
                    .unwrap_or_default();
                // The rule's tactics that the technique has; else the rule's own (the ATT&CK
                // list may be newer than the rule); else the technique's.
                let both: Vec<&str> = own
                    .iter()
                    .copied()
                    .filter(|t| rule_tactics.contains(t))
                    .collect();
                let chosen = match (both.is_empty(), rule_tactics.is_empty()) {
                    (false, _) => both,
                    (true, false) => rule_tactics.clone(),
                    (true, true) => own,
                };
                out.push(Coverage {
                    technique: Named::attack(&parent_id, &key),
                    subtechniques: Vec::new(),
                    tactics: chosen.into_iter().filter_map(tactic).collect(),
                    coverage: "Unknown",
                });
                out.len() - 1
            }
        };
        if number.contains('.') {
            let id = format!("T{number}");
            if out[index].subtechniques.iter().all(|s| s.id != id) {
                out[index].subtechniques.push(Named::attack(&id, tag));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_groups_subtechniques_under_their_technique() {
        let tags = ["attack.defense-evasion", "attack.t1070.005", "attack.t1070"]
            .map(String::from)
            .to_vec();
        let c = coverage(&tags);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].technique.id, "T1070");
        assert_eq!(c[0].technique.name, "Indicator Removal");
        assert_eq!(c[0].subtechniques[0].id, "T1070.005");
        assert_eq!(
            c[0].subtechniques[0].name,
            "Network Share Connection Removal"
        );
        assert_eq!(c[0].tactics[0].id, "TA0005");
        assert_eq!(c[0].tactics[0].name, "Defense Evasion");
    }

    #[test]
    fn technique_tactics_are_used_when_the_rule_names_none() {
        let c = coverage(&["attack.t1059.001".to_string()]);
        assert_eq!(c[0].tactics[0].id, "TA0002");
    }

    #[test]
    fn dates_and_generated_descriptions() {
        assert_eq!(car_date("2020-11-30").as_deref(), Some("2020/11/30"));
        assert_eq!(car_date("2020-1-30"), None);
        assert_eq!(
            generated(Some("<i>"), "with `x`", md::inline),
            "Generated by sigc from the Sigma rule &lt;i&gt; with `x`."
        );
    }
}
