//! Hostile inputs: every case ends in a located error or a correct output, never a panic or a hang.

mod files;
