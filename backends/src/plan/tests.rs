use super::*;
use crate::format::Layout;
use crate::{logpoint, splunk, text};
use sigc_compiler::Source;
use sigc_compiler::ir::Document;

const SEED: &str = include_str!(
    "../../../rules/windows/process_creation/proc_creation_win_network_share_connection_removal.yml"
);

fn compiled(name: &str, text: &str) -> Arc<Rule> {
    Arc::new(
        sigc_compiler::compile_rules(&Source::new(name, text), "this test")
            .pop()
            .expect("one rule")
            .expect("it compiles"),
    )
}

fn queries(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Ok(c) => c.queries.iter().map(ToString::to_string).collect(),
        Err(e) => panic!("{}", e[0]),
    }
}

/// `sigc convert -t splunk` and `-t logpoint` print these for the seed (tests/pipelines.rs and
/// tests/conformance_logpoint.rs pin them against the seed analytic).
#[test]
fn the_default_plan_gives_what_the_command_line_prints() {
    let rule = compiled("seed.yml", SEED);
    let splunk = Plan::defaults(&splunk::Splunk).expect("defaults load");
    assert_eq!(
        queries(&splunk.convert(&rule)),
        [
            r#"index="__your_sysmon_index__" EventCode=1 (Image="C:\\Windows\\System32\\net.exe" CommandLine="*delete*") OR CommandLine="*Remove-SmbShare*" OR CommandLine="*Remove-FileShare*""#
        ]
    );
    let logpoint = Plan::defaults(&logpoint::LogPoint).expect("defaults load");
    assert_eq!(
        queries(&logpoint.convert(&rule)),
        [
            r#"norm_id="WindowsSysmon" event_id=1 (image="C:\Windows\System32\net.exe" command="*delete*") OR command="*Remove-SmbShare*" OR command="*Remove-FileShare*""#
        ]
    );
}

#[test]
fn the_plan_is_the_steps_done_by_hand() {
    let rule = compiled("seed.yml", SEED);
    let plan = Plan::defaults(&splunk::Splunk).expect("defaults load");
    let mut by_hand = Rule::clone(&rule);
    let pipelines = default_pipelines(&splunk::Splunk).expect("defaults load");
    let vars = sigc_pipeline::merged_vars(&pipelines, &Vars::new());
    let state = sigc_pipeline::apply(&pipelines, &vars, &mut by_hand).expect("applies");
    let converted = plan.convert(&rule).expect("converts");
    assert_eq!(
        *converted.queries,
        splunk::Splunk.queries(&by_hand).unwrap()
    );
    assert_eq!(converted.state, state);
    let Subject::Rule { original, .. } = &converted.subject else {
        panic!("a rule converts to a rule")
    };
    assert!(Arc::ptr_eq(original, &rule));
}

#[test]
fn user_variables_override_the_pipelines() {
    let rule = compiled("seed.yml", SEED);
    let vars = Vars::from([("sysmon_index".to_string(), vec!["main".to_string()])]);
    let pipelines = default_pipelines(&splunk::Splunk).expect("defaults load");
    let plan = Plan::new(
        &splunk::Splunk,
        pipelines,
        &vars,
        Layout::Builtin(&crate::format::DEFAULT),
    );
    assert!(queries(&plan.convert(&rule))[0].starts_with(r#"index="main" EventCode=1 "#));
}

/// At the value the leaf came from.
#[test]
fn a_backend_refusal_is_located_at_the_leaf() {
    let text = "title: cased\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|cased: x\n  condition: sel\n";
    let rule = compiled("cased.yml", text);
    let plan = Plan::new(
        &splunk::Splunk,
        Vec::new(),
        &Vars::new(),
        Layout::Builtin(&crate::format::DEFAULT),
    );
    let errors = plan.convert(&rule).err().expect("refused");
    assert_eq!(errors.len(), 1, "{}", errors[0]);
    assert_eq!(errors[0].code, text::UNSUPPORTED);
    assert_eq!(
        errors[0].location().as_deref(),
        Some("cased.yml:5:18"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_format_refusal_is_an_outcome_and_the_other_rules_convert() {
    // A title with a line break cannot be a `savedsearches.conf` stanza name.
    let broken = compiled(
        "broken.yml",
        "title: \"a\\nb\"\nlogsource: {product: windows}\ndetection: {sel: {A: x}, condition: sel}\n",
    );
    let fine = compiled("seed.yml", SEED);
    let plan = Plan::new(
        &splunk::Splunk,
        Vec::new(),
        &Vars::new(),
        Layout::Builtin(&crate::format::splunk::SAVEDSEARCHES),
    );
    let documents = [&broken, &fine, &broken].map(|r| Document::Rule(Arc::new(Rule::clone(r))));
    let outcomes = convert(&RuleSet::resolve(documents.into()), &plan);
    assert_eq!(outcomes.len(), 3);
    let refused = outcomes[0].as_ref().err().expect("refused");
    assert_eq!(refused[0].code, "unsupported_format");
    assert!(
        refused[0]
            .location()
            .is_some_and(|l| l.starts_with("broken.yml:"))
    );
    assert!(outcomes[1].is_ok());
    assert!(outcomes[2].is_err());
}

#[test]
fn a_missing_pipeline_state_is_refused_by_the_format() {
    let rule = compiled("seed.yml", SEED);
    let plan = Plan::new(
        &splunk::Splunk,
        Vec::new(),
        &Vars::new(),
        Layout::Builtin(&crate::format::splunk::DATA_MODEL),
    );
    let errors = plan.convert(&rule).err().expect("refused");
    assert!(errors[0].message.contains("No data model"), "{}", errors[0]);
}

#[test]
fn file_extensions_come_from_the_format_then_the_target() {
    let plan = |layout| Plan::new(&splunk::Splunk, Vec::new(), &Vars::new(), layout);
    assert_eq!(
        plan(Layout::Builtin(&crate::format::DEFAULT)).extension(),
        "spl"
    );
    assert_eq!(
        plan(Layout::Builtin(&crate::format::JSON)).extension(),
        "json"
    );
    let user = Layout::User {
        name: "mine.j2".to_string(),
        text: String::new(),
    };
    assert_eq!(plan(user).extension(), "txt");
}

/// An outcome as text: the queries and whether it is written on its own, or the errors.
fn described(outcome: &Outcome) -> Result<(Vec<String>, bool), Vec<String>> {
    match outcome {
        Ok(c) => Ok((
            c.queries.iter().map(ToString::to_string).collect(),
            c.output,
        )),
        Err(errors) => Err(errors.iter().map(ToString::to_string).collect()),
    }
}

#[test]
fn each_document_converts_alone_as_it_does_with_the_whole_set() {
    let files = [
        (
            "chained.yml",
            include_str!("../../../tests/fixtures/correlations/chained.yml"),
        ),
        (
            "deferred.yml",
            include_str!("../../../tests/fixtures/correlations/deferred.yml"),
        ),
        (
            "aliases.yml",
            include_str!("../../../tests/fixtures/correlations/aliases.yml"),
        ),
    ];
    let compiled = files
        .iter()
        .map(|(name, text)| sigc_compiler::compile(&Source::new(*name, *text)))
        .collect();
    let (set, _) = RuleSet::from_files(compiled);
    let plan = Plan::defaults(&splunk::Splunk).expect("defaults load");
    let whole = convert(&set, &plan);
    let correlations = whole
        .iter()
        .filter(|o| matches!(o, Ok(c) if c.as_rule().is_none()))
        .count();
    assert!(correlations >= 4, "{correlations} correlations converted");
    let conversion = Conversion::new(&set);
    for ((id, _), outcome) in set.documents().zip(&whole) {
        let alone = conversion.convert(&set, &plan, &[id]);
        assert_eq!(described(&alone[0]), described(outcome), "{id:?}");
    }
}
