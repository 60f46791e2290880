//! The integration tests: one binary, one module per area.

mod car;
mod check;
mod common;
mod formats;
mod pipelines;
