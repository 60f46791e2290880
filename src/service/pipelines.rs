//! Which processing pipelines a target's plan applies: the named ones meant for it, else the
//! target's defaults (so one request or command line can name pipelines for several targets).

use super::BadRequest;
use sigc_backends::Target;
use sigc_compiler::Diagnostic;
use sigc_pipeline::Pipeline;
use sigc_pipeline::builtins::{self, BUILTIN};

/// Whether `p` may be applied for the target called `target` (it names no backend, or this one).
pub fn allows(p: &Pipeline, target: &str) -> bool {
    p.allowed_backends.is_empty() || p.allowed_backends.iter().any(|b| b == target)
}

/// The error for pipeline `name` when it is meant for none of `targets`.
pub fn misfit(name: &str, p: &Pipeline, targets: &[&str]) -> Option<String> {
    (!targets.iter().any(|t| allows(p, t))).then(|| {
        format!(
            "pipeline `{name}` is meant for {}, not for target `{}`",
            p.allowed_backends.join(", "),
            targets.join("`, `")
        )
    })
}

/// The pipelines for `target`: those of `named` meant for it, else the target's defaults.
pub fn for_target(
    named: Vec<Pipeline>,
    target: &dyn Target,
) -> Result<Vec<Pipeline>, Vec<Diagnostic>> {
    let loaded: Vec<Pipeline> = named
        .into_iter()
        .filter(|p| allows(p, target.name()))
        .collect();
    if loaded.is_empty() {
        sigc_backends::plan::default_pipelines(target)
    } else {
        Ok(loaded)
    }
}

/// The built-in pipeline called `name`, loaded; a request never names a file.
pub fn builtin(name: &str) -> Result<Pipeline, BadRequest> {
    let Some(b) = builtins::builtin(name) else {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        return Err(BadRequest(format!(
            "unknown pipeline `{name}`; built-in pipelines: {}",
            names.join(", ")
        )));
    };
    b.load().map_err(|e| BadRequest::from(&e[..]))
}
