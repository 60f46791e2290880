//! The hostile-input suite: what a stranger's rule, file or event stream must not be able to do.

mod entry_points;
