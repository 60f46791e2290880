//! Multi-target export: `sigc convert -t A -t B … -o DIR` writes one file per rule file and
//! target, and a manifest that accounts for every rule and target.

use crate::common;

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
