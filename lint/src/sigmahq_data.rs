//! SigmaHQ's reference data, compiled in from `lint/data/` (see its README for sources and
//! licences): the known log sources with their field names, the file name prefix of each log
//! source, the Windows providers a log source category already implies and the categories in
//! which an EventID is redundant.

use foldhash::{HashMap, HashMapExt, HashSet};
use serde_json::Value;
use std::sync::LazyLock;

/// A log source as (product, category, service); `None` where the rule leaves it out.
pub type Logsource<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

type Key = (Option<String>, Option<String>, Option<String>);

fn key(ls: Logsource<'_>) -> Key {
    (
        ls.0.map(str::to_string),
        ls.1.map(str::to_string),
        ls.2.map(str::to_string),
    )
}

/// Every known log source with its field names (empty: no list to check against).
static TAXONOMY: LazyLock<HashMap<Key, Vec<String>>> = LazyLock::new(|| {
    let data: Value = serde_json::from_str(include_str!("../data/sigmahq_logsource.json"))
        .expect("lint/data/sigmahq_logsource.json is valid JSON");
    let names = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = HashMap::new();
    for (product, p) in data["legit"].as_object().into_iter().flatten() {
        let product_key = (product != "empty").then(|| product.clone());
        if product_key.is_some() {
            out.insert((product_key.clone(), None, None), Vec::new());
        }
        let common = names(p.get("common"));
        for kind in ["category", "service"] {
            for (name, own) in p[kind].as_object().into_iter().flatten() {
                let mut fields = names(Some(own));
                if !fields.is_empty() {
                    fields.extend(common.iter().cloned());
                    fields.extend(names(data["addon"][product.as_str()][kind].get(name)));
                }
                let name = Some(name.clone());
                let key = if kind == "category" {
                    (product_key.clone(), name, None)
                } else {
                    (product_key.clone(), None, name)
                };
                out.insert(key, fields);
            }
        }
    }
    out
});

/// Lines of a tab-separated data file, without comments; `-` stands for an absent value.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<Option<&'static str>>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(|c| (c != "-").then_some(c)).collect())
}

static PREFIXES: LazyLock<HashMap<Key, &'static str>> = LazyLock::new(|| {
    rows(include_str!("../data/sigmahq_filename_prefix.tsv"))
        .filter_map(|r| Some((key((r[0], r[1], r[2])), (*r.get(3)?)?)))
        .collect()
});

static PROVIDERS: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    rows(include_str!("../data/sigmahq_windows_provider.tsv"))
        .filter_map(|r| Some((r[0]?, r[1..].iter().flatten().copied().collect())))
        .collect()
});

/// Is this log source in SigmaHQ's taxonomy?
pub fn known_logsource(ls: Logsource<'_>) -> bool {
    TAXONOMY.contains_key(&key(ls))
}

/// Every log source in SigmaHQ's taxonomy (for completion in an editor).
pub fn logsources() -> impl Iterator<Item = Logsource<'static>> {
    TAXONOMY
        .keys()
        .map(|(p, c, s)| (p.as_deref(), c.as_deref(), s.as_deref()))
}

/// The field names SigmaHQ lists for this log source, when it lists any.
pub fn fields(ls: Logsource<'_>) -> Option<&'static [String]> {
    TAXONOMY
        .get(&key(ls))
        .filter(|f| !f.is_empty())
        .map(Vec::as_slice)
}

/// The prefix SigmaHQ expects in the file name of a rule for this log source: the log source's
/// own, or else its product's.
pub fn filename_prefix(ls: Logsource<'_>) -> Option<&'static str> {
    if let Some(prefix) = PREFIXES.get(&key(ls)) {
        return Some(prefix);
    }
    PREFIXES.get(&key((Some(ls.0?), None, None))).copied()
}

/// The Windows log source categories in which an EventID field is redundant.
static NO_EVENT_ID: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/sigmahq_category_no_eventid.txt")
        .lines()
        .collect()
});

/// Is an EventID field redundant in this Windows log source category?
pub fn category_without_event_id(category: &str) -> bool {
    NO_EVENT_ID.contains(category)
}

/// The `Provider_Name` values that a Windows log source category already implies.
pub fn implied_providers(category: &str) -> &'static [&'static str] {
    PROVIDERS.get(category).map_or(&[], Vec::as_slice)
}
