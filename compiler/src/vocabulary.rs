//! Sigma's closed vocabularies of rule metadata: a rule's [`Status`] and its [`Level`], each
//! declared once with its names, in the order the specification (v2.1, top-level fields) lists
//! them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a vocabulary: an enum whose variants are written in lower case.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every value, in the specification's order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The name as the specification writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = String;

            /// The value named exactly `text`; the error lists the names.
            fn from_str(text: &str) -> Result<Self, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    names.join(", ")
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// How mature a rule is (`status`).
    Status {
        Stable = "stable",
        Test = "test",
        Experimental = "experimental",
        Deprecated = "deprecated",
        Unsupported = "unsupported",
    }
}

vocabulary! {
    /// How severe a rule's match is (`level`).
    Level {
        Informational = "informational",
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_and_writes_the_same() {
        for status in Status::ALL {
            assert_eq!(status.to_string().parse::<Status>(), Ok(*status));
            let json = serde_json::to_string(status).expect("serialises");
            assert_eq!(json, format!("\"{status}\""));
            assert_eq!(serde_json::from_str::<Status>(&json).ok(), Some(*status));
        }
        for level in Level::ALL {
            assert_eq!(level.to_string().parse::<Level>(), Ok(*level));
            let json = serde_json::to_string(level).expect("serialises");
            assert_eq!(json, format!("\"{level}\""));
            assert_eq!(serde_json::from_str::<Level>(&json).ok(), Some(*level));
        }
    }

    #[test]
    fn unknown_names_and_other_cases_are_refused() {
        assert_eq!(
            "High".parse::<Level>(),
            Err("informational, low, medium, high, critical".to_string())
        );
        assert_eq!(
            "production".parse::<Status>(),
            Err("stable, test, experimental, deprecated, unsupported".to_string())
        );
        assert!("".parse::<Status>().is_err());
    }
}
