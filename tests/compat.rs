//! Old and in-house rules convert as pySigma converts them, with a located warning where the
//! specification disagrees (`tests/fixtures/compat/`: rules of SigmaHQ's `deprecated/` folder
//! and one in-house rule).

use crate::common::{root, sigc, text};

fn convert(file: &str) -> (Option<i32>, String, String) {
    let path = root().join("tests/fixtures/compat").join(file);
    let out = sigc(&[
        "convert",
        "-t",
        "splunk",
        "--without-pipeline",
        path.to_str().expect("UTF-8 path"),
    ]);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn slashed_dates_convert_with_a_warning_at_each_date() {
    let (code, stdout, stderr) = convert("proc_creation_win_apt_gallium.yml");
    assert_eq!(code, Some(0), "{stderr}");
    // pySigma 1.5.1 (sigma-cli 3.1, `--without-pipeline`) writes the same query.
    assert_eq!(
        stdout.trim_end(),
        r#"Hashes="*SHA1=e570585edc69f9074cb5e8a790708336bd45ca0f*" NOT (Image IN ("*:\\Program Files(x86)\\*", "*:\\Program Files\\*"))"#
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("[legacy_date]"))
        .collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        warnings[0].ends_with(
            "proc_creation_win_apt_gallium.yml:12:7: medium[legacy_date]: `date` is `2020/02/07`, read as 2020-02-07 as pySigma reads it; the specification writes dates as YYYY-MM-DD"
        ),
        "{stderr}"
    );
    assert!(warnings[1].contains(":13:11: medium[legacy_date]: `modified` is `2023/03/09`"));
    assert!(
        stderr.contains("help: write `modified: 2023-03-09`"),
        "{stderr}"
    );
}

#[test]
fn old_rules_convert_as_pysigma_converts_them() {
    for (file, query) in [
        (
            "powershell_suspicious_invocation_generic.yml",
            r#"" -enc " OR " -EncodedCommand " " -w hidden " OR " -window hidden " OR " -windowstyle hidden " " -noni " OR " -noninteractive ""#,
        ),
        (
            "proxy_ios_implant.yml",
            r#""c-uri"="*/list/suc?name=*" | table ClientIP,c-uri,c-useragent"#,
        ),
        ("in_house_letter_case.yml", r#"Image="*\\whoami.exe""#),
    ] {
        let (code, stdout, stderr) = convert(file);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        assert_eq!(stdout.trim_end(), query, "{file}");
        assert!(!stderr.contains("error"), "{file}: {stderr}");
    }
}

#[test]
fn status_and_level_in_another_case_are_read_with_a_warning() {
    let (_, _, stderr) = convert("in_house_letter_case.yml");
    for expected in [
        ":3:9: medium[letter_case]: `status` is `Experimental`, read as `experimental`",
        ":6:7: medium[legacy_date]: `date` is `2021/3/9`, read as 2021-03-09",
        ":7:8: medium[letter_case]: `level` is `High`, read as `high`",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

#[test]
fn sigma_1_aggregations_stay_refused_as_pysigma_refuses_them() {
    let (code, stdout, stderr) = convert("generic_brute_force.yml");
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(":14:26: error[invalid_condition]: aggregation expressions"),
        "{stderr}"
    );
    assert!(
        stderr.contains("0 of 1 rules converted; 1 failed"),
        "{stderr}"
    );
}

#[test]
fn check_reports_the_warnings_of_a_compiled_rule() {
    let path = root().join("tests/fixtures/compat/proxy_ios_implant.yml");
    let out = sigc(&[
        "check",
        "--select",
        "dangling_detection",
        path.to_str().expect("UTF-8 path"),
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("legacy_date"),
        "{stdout}{}",
        text(&out.stderr)
    );
}

#[test]
fn yaml_1_1_scalars_are_read_as_pysigma_reads_them() {
    let (code, stdout, stderr) = convert("in_house_yaml11.yml");
    assert_eq!(code, Some(0), "{stderr}");
    // sigma-cli 3.1 (pySigma 1.5.1, PyYAML) writes the same query.
    assert_eq!(
        stdout.trim_end(),
        r#"A=true B=true C=83 D=90 E=1000 F="0o17" G="1e3" H=31 I="0123""#
    );
    let warned: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("[yaml11_scalar]"))
        .map(|l| l.split(": ").nth(2).unwrap_or_default())
        .collect();
    assert_eq!(
        warned,
        [
            "`yes` is read as the boolean true, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
            "`0123` is read as the number 83, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
            "`1:30` is read as the number 90, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
            "`1_000` is read as the number 1000, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
            "`0o17` is read as the string `0o17`, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
            "`1e3` is read as the string `1e3`, as pySigma reads it (YAML 1.1); YAML 1.2 reads it otherwise",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("in_house_yaml11.yml:13:12: medium[yaml11_scalar]"),
        "{stderr}"
    );
}
