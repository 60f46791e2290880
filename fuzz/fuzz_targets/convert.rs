//! Conversion: any rule text, through each target's default pipelines, backend and every format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigc_backends::format::{self, Converted};
use sigc_backends::pipelines;
use sigc_compiler::Source;
use sigc_compiler::pipeline::{self, Vars};

fuzz_target!(|text: &str| {
    let source = Source::new("fuzz.yml", text);
    let rules: Vec<_> = sigc_compiler::compile(&source)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    if rules.is_empty() {
        return;
    }
    for backend in sigc_backends::targets() {
        let mut loaded: Vec<_> = pipelines::defaults(backend.name())
            .iter()
            .map(|name| pipelines::resolve(name).expect("built-in pipeline"))
            .collect();
        pipeline::order(&mut loaded);
        let vars = pipeline::merged_vars(&loaded, &Vars::new());
        for with_pipelines in [false, true] {
            let used = if with_pipelines { &loaded[..] } else { &[] };
            let mut converted = Vec::new();
            for rule in &rules {
                let mut rule = rule.clone();
                let Ok(state) = pipeline::apply(used, &vars, &mut rule) else {
                    continue;
                };
                if let Ok(queries) = backend.convert(&rule) {
                    converted.push(Converted {
                        rule,
                        queries,
                        state,
                    });
                }
            }
            for f in format::formats(backend.name()) {
                let _ = format::render(
                    f.template(),
                    f.name,
                    backend.name(),
                    f.name,
                    &converted,
                );
            }
        }
    }
});
