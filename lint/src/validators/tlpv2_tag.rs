//! `tlpv2_tag`
//!
//! ## What it does
//! Reports a `tlp.` tag that is not a TLP 2.0 label (clear, green, amber, amber-strict, red).
//!
//! ## Why is this bad?
//! TLP labels tell people how far a rule may be shared; an unknown label is not a label.
//!
//! ## Example
//! ```yaml
//! tags:
//!   - tlp.yellow
//! ```

use super::tlp;
use crate::{Ctx, Out};

pub fn check(cx: &Ctx<'_>, out: &mut Out<'_>) {
    tlp(cx, out, ALLOWED, VERSION);
}

const ALLOWED: &[&str] = &["clear", "green", "amber", "amber-strict", "red"];
const VERSION: &str = "TLP 2.0";
