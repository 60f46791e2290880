//! `sigc analyze attack`: an ATT&CK Navigator layer (layer format 4.4) with one score per
//! technique, from the rules that tag it, by sigma-cli's score functions (pySigma's
//! `sigma.analyze.attack`): `count` (rules), `max` (highest level, informational 1 to critical
//! 5, none 0) and `level` (summed: none and informational 1, low 2, medium 4, high 8, critical 12).
//!
//! As in sigma-cli: rules and correlations count (filters do not); a document without a level or
//! status passes the `--min-level` and `--min-status` filters; each `attack.*` tag counts, upper
//! cased, cut to its technique without sub-techniques under `--no-subtechniques`; a technique gets
//! one entry per tactic of the shipped ATT&CK catalogue (none when the catalogue does not list it
//! as active), in order of first appearance; the gradient's maximum is `--max-score` (when not 0)
//! or the highest score of any tag.

use super::{emit, load};
use clap::Args;
use serde::Serialize;
use sigc_compiler::ir::{Document, Meta};
use sigc_compiler::model::attack::{ATTACK_VERSION, attack};
use sigc_compiler::vocabulary::{Level, Status};
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AttackArgs {
    /// Score function: `count` (rules), `max` (highest level) or `level` (summed level scores).
    #[arg(value_enum, value_name = "FUNCTION")]
    pub function: Score,
    /// Where to write the layer JSON (`-` for standard output).
    #[arg(value_name = "OUTPUT")]
    pub output: PathBuf,
    #[command(flatten)]
    pub rules: super::Rules,
    /// Leave out rules below this level (informational, low, medium, high, critical).
    #[arg(short = 'L', long, value_name = "LEVEL", default_value = "informational",
          value_parser = |s: &str| s.to_ascii_lowercase().parse::<Level>())]
    pub min_level: Level,
    /// Leave out rules below this status (unsupported, deprecated, experimental, test, stable).
    #[arg(short = 'T', long, value_name = "STATUS", default_value = "unsupported",
          value_parser = |s: &str| s.to_ascii_lowercase().parse::<Status>())]
    pub min_status: Status,
    /// Score sub-techniques on their own (the default).
    #[arg(short = 's', long, overrides_with = "no_subtechniques")]
    pub subtechniques: bool,
    /// Count a sub-technique for its technique.
    #[arg(short = 'S', long, overrides_with = "subtechniques")]
    pub no_subtechniques: bool,
    /// Colour of the maximum score.
    #[arg(short = 'c', long, value_name = "COLOR", default_value = "#ff0000")]
    pub max_color: String,
    /// Colour of a zero score.
    #[arg(short = 'C', long, value_name = "COLOR", default_value = "#ffffff00")]
    pub min_color: String,
    /// A fixed maximum score: higher scores get the maximum colour.
    #[arg(short = 'm', long, value_name = "N")]
    pub max_score: Option<i64>,
    /// The minimum score of the colour scale.
    #[arg(short = 'M', long, value_name = "N", default_value_t = 0)]
    pub min_score: i64,
}

/// sigma-cli's score functions.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    Count,
    Max,
    Level,
}

impl Score {
    fn of(self, rules: &[&Meta]) -> i64 {
        match self {
            Score::Count => rules.len() as i64,
            Score::Max => rules
                .iter()
                .map(|m| m.level.map_or(0, rank))
                .max()
                .unwrap_or(0),
            Score::Level => rules.iter().map(|m| weight(m.level)).sum(),
        }
    }
}

/// pySigma's `SigmaLevel` value: informational 1 to critical 5.
fn rank(level: Level) -> i64 {
    Level::ALL
        .iter()
        .position(|l| *l == level)
        .map_or(0, |i| i as i64 + 1)
}

/// pySigma's `SigmaStatus` order: unsupported lowest, stable highest (the reverse of the
/// specification's list).
fn status_rank(status: Status) -> usize {
    Status::ALL.len() - Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

/// The `level` function's weight of a rule.
fn weight(level: Option<Level>) -> i64 {
    match level {
        None | Some(Level::Informational) => 1,
        Some(Level::Low) => 2,
        Some(Level::Medium) => 4,
        Some(Level::High) => 8,
        Some(Level::Critical) => 12,
    }
}

#[derive(Serialize)]
struct Layer {
    name: &'static str,
    versions: Versions,
    domain: &'static str,
    description: String,
    gradient: Gradient,
    techniques: Vec<Technique>,
}

#[derive(Serialize)]
struct Versions {
    attack: &'static str,
    navigator: &'static str,
    layer: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Gradient {
    colors: [String; 2],
    min_value: i64,
    max_value: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Technique {
    #[serde(rename = "techniqueID")]
    technique_id: String,
    tactic: &'static str,
    score: i64,
    color: &'static str,
    comment: &'static str,
    enabled: bool,
    metadata: [(); 0],
    links: [(); 0],
    show_subtechniques: bool,
}

pub fn run(args: AttackArgs) -> i32 {
    let (set, status) = load(&args.rules);
    let subtechniques = !args.no_subtechniques;
    let metas = set.documents().filter_map(|(_, doc)| match doc {
        Document::Rule(_) | Document::Correlation(_) => Some(doc.meta()),
        Document::Filter(_) => None,
    });
    let scores = scores(metas, &args, subtechniques);
    let max = scores.iter().map(|(_, s)| *s).max().unwrap_or(0);
    let catalogue = attack();
    let techniques = scores
        .iter()
        .filter_map(|(id, score)| {
            let entry = catalogue
                .get(&id.to_ascii_lowercase())
                .filter(|e| e.status == "active")?;
            Some(
                entry
                    .tactics
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(|tactic| Technique {
                        technique_id: id.clone(),
                        tactic,
                        score: *score,
                        color: "",
                        comment: "",
                        enabled: true,
                        metadata: [],
                        links: [],
                        show_subtechniques: false,
                    }),
            )
        })
        .flatten()
        .collect();
    let layer = Layer {
        name: "Sigma Analytics Coverage",
        versions: Versions {
            attack: ATTACK_VERSION,
            navigator: "4.8.1",
            layer: "4.4",
        },
        domain: "enterprise-attack",
        description: format!(
            "Sigma coverage heatmap generated by sigc with score function {}",
            match args.function {
                Score::Count => "count",
                Score::Max => "max",
                Score::Level => "level",
            }
        ),
        gradient: Gradient {
            colors: [args.min_color.clone(), args.max_color.clone()],
            min_value: args.min_score,
            max_value: args.max_score.filter(|&m| m != 0).unwrap_or(max),
        },
        techniques,
    };
    let json = serde_json::to_string_pretty(&layer).expect("plain data serializes");
    emit(&args.output, &json, status)
}

/// The score of each `attack.*` tag, in order of first appearance.
fn scores<'a>(
    metas: impl Iterator<Item = &'a Meta>,
    args: &AttackArgs,
    subtechniques: bool,
) -> Vec<(String, i64)> {
    let mut tagged: Vec<(String, Vec<&Meta>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for meta in metas {
        let level_ok = meta.level.is_none_or(|l| rank(l) >= rank(args.min_level));
        let status_ok = meta
            .status
            .is_none_or(|s| status_rank(s) >= status_rank(args.min_status));
        if !(level_ok && status_ok) {
            continue;
        }
        for tag in &meta.tags {
            let Some(("attack", name)) = tag.split_once('.') else {
                continue;
            };
            let mut technique = name.to_uppercase();
            if !subtechniques {
                technique.truncate(technique.find('.').unwrap_or(technique.len()));
            }
            let i = *index.entry(technique.clone()).or_insert_with(|| {
                tagged.push((technique, Vec::new()));
                tagged.len() - 1
            });
            tagged[i].1.push(meta);
        }
    }
    tagged
        .into_iter()
        .map(|(id, rules)| {
            let score = args.function.of(&rules);
            (id, score)
        })
        .collect()
}
