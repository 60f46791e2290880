//! The hostile-input suite: rule text, file names, file systems and event streams from strangers.
//! Each case asserts a located error or a correct output, a truthful exit status, no panic, no
//! hang, and that the rest of the batch still converts.

mod budgets;
mod entry_points;
mod files;
mod formats;
mod frontend;
mod pipelines;
mod queries;
mod streams;
