//! The integration tests: one binary, one module per area.

mod agreement;
mod car;
mod check;
mod cli;
mod collections;
mod common;
mod conformance;
mod conformance_logpoint;
mod conformance_splunk;
mod corpus;
mod correlation_eval;
mod correlations;
mod determinism;
mod docs;
mod export;
mod filters;
mod formats;
mod hostile;
mod pipelines;
mod regression;
mod shell;
mod snapshots;
