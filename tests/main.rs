//! The integration tests: one binary, one module per area.

mod agreement;
mod car;
mod check;
mod common;
mod conformance_logpoint;
mod formats;
mod pipelines;
mod regression;
