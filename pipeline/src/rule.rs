//! Rule-level transformations: `change_logsource`, `set_state` and `set_custom_attribute`.

use super::{Context, Transformation};
use sigc_compiler::ir::LogSource;

/// Applies a rule-level transformation (other transformations are left alone).
pub fn apply(cx: &mut Context<'_>, t: &Transformation) {
    match t {
        // pySigma replaces the whole log source: unset fields become unset.
        Transformation::ChangeLogsource {
            category,
            product,
            service,
        } => {
            cx.rule.logsource = LogSource {
                category: category.clone(),
                product: product.clone(),
                service: service.clone(),
                ..LogSource::default()
            };
        }
        Transformation::SetState { key, val } => {
            cx.state.insert(key.clone(), val.clone());
        }
        Transformation::SetCustomAttribute { attribute, value } => {
            cx.rule.meta.custom.insert(attribute.clone(), value.clone());
        }
        _ => {}
    }
}
