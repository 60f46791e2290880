//! The integration tests: one binary, one module per area.

mod agreement;
mod browser;
mod car;
mod check;
mod cli;
mod collections;
mod common;
mod compat;
mod conformance;
mod conformance_logpoint;
mod conformance_splunk;
mod corpus;
mod correlation_eval;
mod correlations;
mod docs;
mod export;
mod filters;
mod flags;
mod formats;
mod hostile;
mod json;
mod pipelines;
mod regression;
mod serve;
mod shell;
mod snapshots;
