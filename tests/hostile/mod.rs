//! Hostile rule text, one module per hardening slice: located errors or correct output, never a changed structure, a panic or a hang.

mod queries;
