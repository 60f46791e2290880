//! Multi-target export: `sigc convert -t A -t B … -o DIR` writes one file per rule file and
//! target, and a manifest that accounts for every rule and target.

use crate::common;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

#[test]
fn shipped_rules_export_to_every_target_with_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let targets: Vec<&str> = sigc_backends::targets().iter().map(|b| b.name()).collect();
    let mut args = vec!["convert"];
    for t in &targets {
        args.extend(["-t", t]);
    }
    args.extend(["-o", out.to_str().unwrap(), "rules/"]);
    let run = common::sigc(&args);
    let stderr = common::stderr(&run);

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    let rule_files = common::yaml_files(&common::root().join("rules"));
    assert_eq!(
        entries.len(),
        rule_files.len() * targets.len(),
        "one entry per rule and target"
    );

    let mut failed = 0;
    for entry in entries {
        let source = common::root().join(entry["source"].as_str().unwrap());
        let target = entry["target"].as_str().unwrap();
        match entry["status"].as_str().unwrap() {
            "converted" => {
                // The exported file holds exactly what a single-target conversion prints.
                let written = std::fs::read_to_string(entry["output"].as_str().unwrap()).unwrap();
                let single = common::sigc(&["convert", "-t", target, source.to_str().unwrap()]);
                assert_eq!(written, common::stdout(&single), "{entry}");
                let relative = entry["output"].as_str().unwrap();
                assert!(relative.contains(&format!("/{target}/windows/")), "{entry}");
            }
            "failed" => {
                failed += 1;
                assert!(entry["output"].is_null());
                let errors = entry["errors"].as_array().unwrap();
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(
                        e.as_str().unwrap().starts_with("rules/windows/"),
                        "located: {e}"
                    );
                }
            }
            other => panic!("unknown status {other}"),
        }
    }
    assert_eq!(
        run.status.code(),
        Some(if failed > 0 { 1 } else { 0 }),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{failed} conversions failed")),
        "summary line: {stderr}"
    );
    // The Splunk target converts every shipped rule.
    let splunk_ok = entries
        .iter()
        .filter(|e| e["target"] == "splunk" && e["status"] == "converted")
        .count();
    assert_eq!(splunk_ok, rule_files.len());
}

#[test]
fn several_targets_need_an_output_directory() {
    let run = common::sigc(&["convert", "-t", "splunk", "-t", "car", "rules/"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("-o DIR"));
}

/// A rule whose Splunk query names `tool{n}.exe`.
fn rule(n: usize) -> String {
    format!(
        "title: Rule {n}\nlogsource: {{product: windows}}\ndetection:\n  sel:\n    Image|endswith: '\\tool{n}.exe'\n  condition: sel\n"
    )
}

/// Exports `rules` below `dir` to `targets` in `out/`, successfully.
fn export(dir: &Path, targets: &[&str]) {
    let run = run_export(dir, targets);
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
}

/// `sigc convert -t T… -o out/ rules` in `dir`, whatever its outcome.
fn run_export(dir: &Path, targets: &[&str]) -> std::process::Output {
    let mut args = vec!["convert"];
    for t in targets {
        args.extend(["-t", t]);
    }
    args.extend(["-o", "out/", "rules"]);
    let cmd = common::sigc_command(dir, &args);
    common::run_command(cmd, None, common::HANG_GUARD)
}

/// A file's identity and last change: the same for a file left in place, different for one
/// written again (a new inode, renamed over the old one).
fn version(path: &Path) -> (u64, i64, i64) {
    let meta = std::fs::metadata(path).unwrap();
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

#[test]
fn a_re_export_keeps_unchanged_files_and_replaces_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for n in 1..=3 {
        std::fs::write(rules.join(format!("r{n}.yml")), rule(n)).unwrap();
    }
    export(dir.path(), &["splunk", "logpoint"]);
    let out = dir.path().join("out");
    let (r1, r2, r3, manifest) = (
        out.join("splunk/r1.spl"),
        out.join("splunk/r2.spl"),
        out.join("logpoint/r3.lp"),
        out.join("manifest.json"),
    );
    std::fs::set_permissions(&r2, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Spoiled with as many bytes as it holds: its text is compared, not only its size.
    let kept = std::fs::read(&r3).unwrap();
    std::fs::write(&r3, vec![b'x'; kept.len()]).unwrap();
    let before: Vec<_> = [&r1, &r2, &r3, &manifest]
        .iter()
        .map(|p| version(p))
        .collect();

    export(dir.path(), &["splunk", "logpoint"]);
    assert_eq!(version(&r1), before[0], "unchanged: left in place");
    assert_eq!(version(&r2), before[1], "unchanged: left in place");
    assert_eq!(version(&manifest), before[3], "unchanged: left in place");
    assert_ne!(version(&r3), before[2], "spoiled: written again");
    assert_eq!(std::fs::read(&r3).unwrap(), kept);

    std::fs::write(rules.join("r2.yml"), rule(4)).unwrap();
    export(dir.path(), &["splunk", "logpoint"]);
    assert_eq!(version(&r1), before[0], "unchanged: left in place");
    assert_ne!(version(&r2), before[1], "changed: replaced");
    let text = std::fs::read_to_string(&r2).unwrap();
    assert!(text.contains("tool4.exe"), "{text}");
    assert_eq!(
        std::fs::metadata(&r2).unwrap().mode() & 0o777,
        0o640,
        "a replaced file keeps its permissions"
    );
    assert_ne!(version(&manifest), before[3], "its title changed");
}

#[test]
fn a_correlation_exports_with_rules_of_files_far_before_it() {
    // More files than the export converts at a time: the first and the last are converted apart.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for n in 0..600 {
        let text = rule(n).replace("title:", &format!("name: rule_{n}\ntitle:"));
        std::fs::write(rules.join(format!("r{n:03}.yml")), text).unwrap();
    }
    std::fs::write(
        rules.join("z.yml"),
        "title: Both Tools\ncorrelation:\n  type: temporal\n  rules: [rule_0, rule_599]\n  \
         group-by: [Computer]\n  timespan: 5m\n",
    )
    .unwrap();
    export(dir.path(), &["splunk"]);
    let out = dir.path().join("out");
    let correlation = std::fs::read_to_string(out.join("splunk/z.spl")).unwrap();
    for n in [0, 599] {
        assert_eq!(count(&correlation, n), 1, "{correlation}");
    }
    // Written only as part of the correlation (no `generate: true`).
    assert!(!out.join("splunk/r000.spl").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 601);
    let referenced = entries
        .iter()
        .filter(|e| e["status"] == "referenced")
        .count();
    assert_eq!(referenced, 2, "rule_0 and rule_599");
}

/// How many times `tool{n}.exe` appears in `text`.
fn count(text: &str, n: usize) -> usize {
    text.matches(&format!("tool{n}.exe")).count()
}

#[test]
fn a_manifest_that_is_not_one_owns_nothing_and_one_that_is_not_json_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("r1.yml"), rule(1)).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("splunk")).unwrap();
    let stranger = out.join("splunk/stranger.spl");
    std::fs::write(&stranger, "not sigc's\n").unwrap();
    // JSON, but no manifest: nothing is sigc's, and the export goes on.
    std::fs::write(out.join("manifest.json"), "[\"splunk/stranger.spl\"]").unwrap();
    export(dir.path(), &["splunk", "logpoint"]);
    assert!(stranger.is_file());
    // Not JSON: said, and what an earlier export wrote is left.
    std::fs::write(out.join("manifest.json"), "{\"files\": [").unwrap();
    let run = run_export(dir.path(), &["splunk", "logpoint"]);
    let stderr = common::stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the files an earlier export wrote are left as they are"),
        "{stderr}"
    );
    assert!(stranger.is_file());
    assert!(out.join("splunk/r1.spl").is_file());
}

#[test]
fn the_placeholder_notes_come_before_what_is_said_about_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("a.yml"), BAD).unwrap();
    std::fs::write(rules.join("b.yml"), rule(1)).unwrap();
    let run = run_export(dir.path(), &["splunk", "logpoint"]);
    let stderr = common::stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let note = stderr.find("note: ").expect("a placeholder note");
    let error = stderr.find("rules/a.yml:").expect("a's error");
    let summary = stderr.find("exported 2 rules").expect("the summary");
    assert!(note < error && error < summary, "{stderr}");
}

/// A rule that no target converts.
const BAD: &str = "title: Bad\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endswit: x\n  condition: sel\n";

/// Copies every file below `from` to the same place below `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An export holds 8 MiB of rule files compiled whole and sets the rules of the others aside,
/// compiling them again when they convert. Three copies of SigmaHQ's rules (4.7 MB each) on one
/// thread, which compiles the files in the order it was given them or in the reverse order: the
/// first copy and the last cannot both be held, and one of them is held whole; every file of the
/// one is the file of the other.
#[test]
fn rules_set_aside_export_as_rules_held_whole() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for copy in ["a", "b", "c"] {
        let to = corpus.join(copy);
        std::fs::create_dir_all(&to).unwrap();
        copy_tree(&shared.join("corpus/sigmahq/rules"), &to);
    }
    let args = [
        "convert", "-t", "splunk", "-t", "logpoint", "-t", "car", "-o", "out/", "corpus",
    ];
    let mut cmd = common::sigc_command(dir.path(), &args);
    cmd.env("RAYON_NUM_THREADS", "1");
    let run = common::run_command(cmd, None, std::time::Duration::from_secs(600));
    assert_eq!(run.status.code(), Some(1), "{}", common::stderr(&run));
    let out = dir.path().join("out");
    let mut compared = 0;
    for target in ["splunk", "logpoint", "car"] {
        let last = out.join(target).join("c");
        for held in common::files_with_extension(&last, &["spl", "lp", "car"]) {
            let relative = held.strip_prefix(&last).unwrap();
            let aside = out.join(target).join("a").join(relative);
            assert!(
                std::fs::read(&aside).ok() == Some(std::fs::read(&held).unwrap()),
                "{}: the copy set aside differs from the copy held",
                aside.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 5000, "{compared} files compared");
}
