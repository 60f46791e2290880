//! The integration tests: one binary, one module per area.

mod car;
mod check;
mod common;
mod conformance_logpoint;
mod formats;
mod pipelines;
