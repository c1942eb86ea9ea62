//! Closed vocabularies: enums whose values each have one name, written once.
//!
//! A report's status, a text source, a severity, a diagnostic code, an event: each is a value
//! of an enum, never a string compared by hand. [`Named`] gives every such enum the list of
//! its values and their names, in one place; the tables' enum categories, `secreg schema`,
//! the parse cache (by name, in JSON) and the command line all read them from there.
//!
//! New vocabularies are declared with `named_enum!`. The vocabularies of the parsing core
//! (grammar, model, reading) keep their own `name()` methods; they are listed here, against
//! an exhaustive match, so that a value added there cannot be left out of its list.

use crate::grammar::{DccStatus, IdPrefix};
use crate::model::{AssessmentTable, AssessmentType, DccTable, EventKind, Severity};
use crate::reading::TextSource;

/// A closed vocabulary: every value, in order, and the one name of each.
pub trait Named: Copy + Eq + 'static {
    /// Every value, in the order the tables list them.
    const ALL: &'static [Self];

    /// The value's name, as the tables, the diagnostics and the command line spell it.
    fn name(self) -> &'static str;

    /// The value a name names.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Every name, in order: a table column's enum categories.
    #[cfg_attr(not(feature = "tables"), allow(dead_code))]
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }
}

/// Declares an enum with one name for each value: `Named`, `Display`, inherent `ALL` and
/// `name()`, and serde as the name (what the parse cache stores).
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value's one name.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl $crate::named::Named for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn name(self) -> &'static str {
                $name::name(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <String as ::serde::Deserialize>::deserialize(d)?;
                <$name as $crate::named::Named>::from_name(&name).ok_or_else(|| {
                    ::serde::de::Error::custom(format!(
                        "unknown {} {name:?}",
                        stringify!($name)
                    ))
                })
            }
        }
    };
}
pub(crate) use named_enum;

/// `Named` for an enum of the parsing core, whose names its own method gives: the list of
/// values is checked against an exhaustive match, so a new value breaks the build here.
macro_rules! named_by_method {
    ($ty:ident :: $method:ident, [$($variant:ident),+ $(,)?]) => {
        impl Named for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];

            fn name(self) -> &'static str {
                $ty::$method(self)
            }
        }

        const _: fn($ty) = |value| match value {
            $($ty::$variant)|+ => {}
        };
    };
}

impl Named for EventKind {
    const ALL: &'static [Self] = &EventKind::ALL;

    fn name(self) -> &'static str {
        EventKind::name(self)
    }
}

impl Named for DccStatus {
    const ALL: &'static [Self] = &DccStatus::ALL;

    fn name(self) -> &'static str {
        DccStatus::name(self)
    }
}

named_by_method!(Severity::name, [Info, Warning, Error]);
named_by_method!(TextSource::name, [PdfText, Txt, Ocr]);
named_by_method!(IdPrefix::as_str, [Dp, Mp, Secmp, None]);
named_by_method!(AssessmentTable::name, [Open, Returned]);
named_by_method!(AssessmentType::name, [Pa, Ia]);
named_by_method!(DccTable::name, [Delivery, NotRequested, NoFurther]);

/// Serde for an enum of the parsing core by its name (the parse cache stores names).
#[cfg(feature = "tables")]
pub(crate) mod by_name {
    use super::Named;

    /// Writes an optional value as its name.
    pub fn serialize<T: Named, S: serde::Serializer>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(v.name()),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional value from its name.
    pub fn deserialize<'de, T: Named, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        let name: Option<String> = serde::Deserialize::deserialize(d)?;
        name.map(|n| {
            T::from_name(&n).ok_or_else(|| serde::de::Error::custom(format!("unknown name {n:?}")))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    named_enum! {
        enum Colour {
            Red = "red",
            DarkBlue = "dark blue",
        }
    }

    #[test]
    fn a_named_enum_has_one_name_per_value_and_round_trips_as_it() {
        assert_eq!(Colour::names(), ["red", "dark blue"]);
        assert_eq!(Colour::from_name("dark blue"), Some(Colour::DarkBlue));
        assert_eq!(Colour::DarkBlue.to_string(), "dark blue");
        let json = serde_json::to_string(&Colour::DarkBlue).unwrap();
        assert_eq!(json, "\"dark blue\"");
        assert_eq!(
            serde_json::from_str::<Colour>(&json).unwrap(),
            Colour::DarkBlue
        );
        assert!(serde_json::from_str::<Colour>("\"green\"").is_err());
    }

    #[test]
    fn the_core_vocabularies_list_every_value_once() {
        assert_eq!(Severity::names(), ["info", "warning", "error"]);
        assert_eq!(TextSource::names(), ["pdf_text", "txt", "ocr"]);
        assert_eq!(IdPrefix::names(), ["DP", "MP", "SECMP", "none"]);
        assert_eq!(EventKind::names().len(), EventKind::ALL.len());
    }
}
