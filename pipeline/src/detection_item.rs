//! `drop_detection_item`: removes the leaves the item's conditions select. A group left empty
//! disappears with them; a condition left with nothing is an error when the rule is finished.

use super::tree::Leaf;
use super::{At, Context};

/// Drops every leaf matching the item's detection-item and field-name conditions.
pub fn drop(cx: &mut Context<'_>, at: At<'_>) {
    let mut trees = std::mem::take(&mut cx.trees);
    for tree in &mut trees {
        let result: Result<(), ()> = tree.rewrite(&mut |leaf: &mut Leaf| {
            Ok(at.item.conditions.item_matches(cx, leaf).then(Vec::new))
        });
        debug_assert!(result.is_ok());
    }
    cx.trees = trees;
}
