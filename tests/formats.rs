//! Output formats (`-f`) and user templates (`--template`), run through the `sigc` binary.

use crate::common::{self, sigc, stderr, stdout};

const TEST1: &str = "tests/fixtures/formats/test1.yml";

/// backends.md §1.4: pySigma-backend-splunk's savedsearches test, byte for byte (sigma-cli adds
/// the final newline).
#[test]
fn savedsearches_matches_pysigma_with_continued_lines() {
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "-f",
        "savedsearches",
        TEST1,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\n[default]\ndispatch.earliest_time = -30d\ndispatch.latest_time = now\n\n[Test 1]\n\
         description = this is a description \\\nacross two lines\n\
         search = fieldB=\"foo\" fieldC=\"bar\" \\\n| regex fieldA=\"foo.*bar\" \\\n| table fieldA\n"
    );
}

/// pysigma-examples.md: `sigma convert -t splunk --without-pipeline -f savedsearches` and
/// `-p splunk_cim -f data_model` on proc_creation_win_net_share_unmount.yml.
#[test]
fn savedsearches_and_data_model_match_sigma_cli() {
    let Some(shared) = common::shared() else {
        return;
    };
    let rule = shared.join(
        "corpus/sigmahq/rules/windows/process_creation/proc_creation_win_net_share_unmount.yml",
    );
    let rule = rule.to_str().expect("UTF-8 path");
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "-f",
        "savedsearches",
        rule,
    ]);
    assert_eq!(
        stdout(&o),
        "\n[default]\ndispatch.earliest_time = -30d\ndispatch.latest_time = now\n\n\
         [Unmount Share Via Net.EXE]\n\
         description = Detects when when a mounted share is removed. Adversaries may remove share connections that are no longer useful in order to clean up traces of their operation\n\
         search = Image IN (\"*\\\\net.exe\", \"*\\\\net1.exe\") OR OriginalFileName IN (\"net.exe\", \"net1.exe\") CommandLine=\"*share*\" CommandLine=\"*/delete*\"\n"
    );
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "-p",
        "splunk_cim",
        "-f",
        "data_model",
        rule,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "| tstats summariesonly=false allow_old_summaries=true fillnull_value=\"null\" count min(_time) as firstTime max(_time) as lastTime \
         from datamodel=Endpoint.Processes where Processes.process_path IN (\"*\\\\net.exe\", \"*\\\\net1.exe\") OR Processes.original_file_name IN (\"net.exe\", \"net1.exe\") \
         Processes.process=\"*share*\" Processes.process=\"*/delete*\" by Processes.process Processes.dest Processes.process_current_directory Processes.process_path \
         Processes.process_integrity_level Processes.original_file_name Processes.parent_process Processes.parent_process_path Processes.parent_process_guid \
         Processes.parent_process_id Processes.process_guid Processes.process_id Processes.user | `drop_dm_object_name(Processes)` \
         | convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime) | convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(lastTime) \n"
    );
}

#[test]
fn data_model_without_splunk_cim_is_a_located_error() {
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "-p",
        "splunk_windows",
        "-f",
        "data_model",
        TEST1,
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&o), @r"
    tests/fixtures/formats/test1.yml:1:1: error[unsupported_format]: No data model specified by processing pipeline (format `data_model`)
      help: the splunk_cim pipeline chooses a data model: add `-p splunk_cim`
    0 of 1 rules converted; 1 failed
    ");
}

#[test]
fn splunk_cim_refuses_unmapped_fields_and_log_sources() {
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "-p",
        "splunk_cim",
        "tests/fixtures/pipelines/rules/process.yml",
        "rules/windows/powershell",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn json_lists_every_rule_with_its_queries() {
    let o = sigc(&["convert", "-t", "splunk", "-f", "json", "rules/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rules: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let rules = rules.as_array().expect("an array");
    assert!(!rules.is_empty());
    for r in rules {
        for key in ["id", "title", "level", "status", "tags", "path"] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
        assert!(r["queries"].as_array().is_some_and(|q| !q.is_empty()));
    }
    let net = rules
        .iter()
        .find(|r| r["title"] == "Network Share Connection Removal")
        .expect("the T1070.005 rule");
    assert!(
        net["queries"][0]
            .as_str()
            .unwrap()
            .starts_with("index=\"__your_sysmon_index__\" EventCode=1 ")
    );
}

#[test]
fn user_template_gets_the_documented_context() {
    let rule =
        "rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml";
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "-p",
        "splunk_cim",
        "--template",
        "tests/fixtures/formats/custom.j2",
        rule,
    ]);
    insta::assert_snapshot!(format!("{}{}", stdout(&o), stderr(&o)));
}

#[test]
fn savedsearches_written_with_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("savedsearches.conf");
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "--var",
        "sysmon_index=main",
        "-f",
        "savedsearches",
        "-o",
        out.to_str().unwrap(),
        "rules/",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let conf = std::fs::read_to_string(&out).expect("written");
    assert!(conf.starts_with("\n[default]\ndispatch.earliest_time = -30d\n"));
    assert!(conf.contains(
        "\n[Network Share Connection Removal]\ndescription = Detects network shares being removed"
    ));
    assert!(conf.contains("search = index=\"main\" EventCode=1 (Image="));
    assert!(stdout(&o).is_empty());
}

#[test]
fn formats_are_listed_per_target_and_unknown_ones_refused() {
    let o = sigc(&["list", "formats", "splunk"]);
    let names: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["default", "savedsearches", "data_model", "json"]);
    let o = sigc(&["convert", "-t", "splunk", "-f", "xml", TEST1]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown format `xml`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pipelines_are_listed_and_checked_on_the_command_line() {
    let o = sigc(&["list", "pipelines"]);
    for name in [
        "sysmon",
        "windows-logsources",
        "splunk_windows",
        "splunk_sysmon_acceleration",
        "splunk_cim",
        "splunk_sysmon_native",
    ] {
        assert!(
            stdout(&o).lines().any(|l| l.starts_with(name)),
            "{name} listed"
        );
    }
    let o = sigc(&["convert", "-t", "splunk", "-p", "no_such_pipeline", TEST1]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("pipeline `no_such_pipeline` is neither a built-in pipeline nor a file")
    );
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "-p",
        "tests/fixtures/pipelines/bad/unknown_type.yml",
        TEST1,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "tests/fixtures/pipelines/bad/unknown_type.yml:4:11: error[invalid_pipeline]"
        ),
        "{}",
        stderr(&o)
    );
    let o = sigc(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        "rules/windows/process_creation",
    ]);
    assert!(
        !stdout(&o).contains("index="),
        "--without-pipeline turns the default off"
    );
}
