//! The inputs every stage runs on, read once, before anything is measured: rule files, and the
//! events of SigmaHQ's regression data.

use serde_json::Value;
use sigc_compiler::Source;
use sigc_compiler::ir::Rule;
use sigc_compiler::limits::Budget;
use sigc_compiler::model::Errors;
use sigc_compiler::model::detection::{Detections, read_detection};
use sigc_compiler::yaml;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file in this many of SigmaHQ's rules makes the sample (about 315 of 3,141).
const SAMPLE_EVERY: usize = 10;

/// A named set of rule files.
pub struct Corpus {
    pub name: &'static str,
    pub sources: Vec<Arc<Source>>,
}

impl Corpus {
    /// The rules that compile, in file order (a collection gives several).
    pub fn rules(&self) -> Vec<Rule> {
        self.sources
            .iter()
            .flat_map(|s| sigc_compiler::compile_rules(s, "the benchmarks"))
            .filter_map(Result::ok)
            .collect()
    }

    /// The `detection` section of every document that has one, read but not lowered.
    pub fn detections(&self) -> Vec<Detections> {
        let mut out = Vec::new();
        for source in &self.sources {
            let Ok(docs) = yaml::load(source) else {
                continue;
            };
            for doc in &docs {
                let mut budget = Budget::new();
                let mut errors = Errors::new(source, &mut budget);
                out.push(read_detection(doc.root(), &mut errors));
            }
        }
        out
    }
}

/// `../shared/corpus/sigmahq` beside the checkout, when it is there.
fn sigmahq() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/sigmahq");
    dir.is_dir().then_some(dir)
}

/// The rules shipped in the repository's `rules/`.
pub fn shipped() -> Corpus {
    Corpus {
        name: "shipped",
        sources: read(&yaml_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        )),
    }
}

/// Every tenth SigmaHQ rule file (in path order), or the shipped rules without `../shared`.
pub fn sample() -> Corpus {
    match sigmahq() {
        Some(dir) => {
            let files = yaml_files(&dir.join("rules"));
            let picked: Vec<PathBuf> = files.into_iter().step_by(SAMPLE_EVERY).collect();
            Corpus {
                name: "sigmahq-sample",
                sources: read(&picked),
            }
        }
        None => shipped(),
    }
}

/// The corpora the front end is measured on: the shipped rules, and the SigmaHQ sample when
/// `../shared` is there.
pub fn front_end() -> Vec<Corpus> {
    let mut all = vec![shipped()];
    if sigmahq().is_some() {
        all.push(sample());
    }
    all
}

/// Every SigmaHQ rule file, when `../shared` is there.
pub fn sigmahq_all() -> Option<Corpus> {
    let dir = sigmahq()?;
    Some(Corpus {
        name: "sigmahq-all",
        sources: read(&yaml_files(&dir.join("rules"))),
    })
}

/// The recorded events of SigmaHQ's process-creation regression cases (each `.json` file may
/// hold several), and the ids of the rules they were recorded for, as `scripts/bench-test.sh`
/// uses them; `None` without `../shared`.
pub fn regression_events() -> Option<(Vec<Value>, Vec<String>)> {
    let dir = sigmahq()?.join("regression_data/rules/windows/process_creation");
    let mut files: Vec<PathBuf> = Vec::new();
    for case in entries(&dir) {
        files.extend(entries(&case).filter(|p| p.extension().is_some_and(|e| e == "json")));
    }
    files.sort();
    let mut events = Vec::new();
    let mut ids = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable regression recording");
        for event in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
            events.push(event.expect("a JSON regression recording"));
        }
        // Each recording is named after the rule it was made for.
        let stem = file.file_stem().and_then(|s| s.to_str());
        ids.extend(stem.map(str::to_owned));
    }
    Some((events, ids))
}

fn read(files: &[PathBuf]) -> Vec<Arc<Source>> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("a readable rule file");
            Source::new(f.display().to_string(), text)
        })
        .collect()
}

/// The `.yml` files under `dir`, sorted by path.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for path in entries(&dir) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn entries(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a readable directory entry").path())
}
