//! Hostile input: each module feeds rules built to exhaust, confuse or escape one part of sigc.

mod budgets;
