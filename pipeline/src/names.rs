//! Names read from pipeline files, declared once: [`named!`] turns one list of variants and their
//! names into an enum with `ALL`, `name()`, `Display` and `FromStr`, so that the names a reader
//! accepts, the names a message lists and the variants code handles cannot disagree.

/// A name that no variant of the enum has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownName;

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unknown name")
    }
}

impl std::error::Error for UnknownName {}

/// Declares a fieldless enum whose variants each have one name in pipeline files.
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            $($(#[$vmeta:meta])* $variant:ident = $name:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $ty {
            $($(#[$vmeta])* $variant,)+
        }

        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The name in pipeline files.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }

            /// Every name, in declaration order, joined by `, ` (for messages).
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::names::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == s)
                    .ok_or($crate::names::UnknownName)
            }
        }
    };
}

pub(crate) use named;

/// Checks that every variant's name reads back as that variant, and that names are distinct.
#[cfg(test)]
pub(crate) fn assert_round_trip<T>(all: &[T])
where
    T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
    T::Err: std::fmt::Debug,
{
    let mut seen = std::collections::BTreeSet::new();
    for &v in all {
        let name = v.to_string();
        assert!(seen.insert(name.clone()), "`{name}` named twice");
        assert_eq!(name.parse::<T>().ok(), Some(v), "`{name}`");
    }
    assert!("no such name".parse::<T>().is_err());
}

/// `a, b or c`, for messages.
pub fn or_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
