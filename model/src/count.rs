//! Counts as public figures show them.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// No published count is smaller than this: under it a count shows as `"<10"`, so no
/// figure (and no difference of two figures) points at the few people behind it.
pub const SMALLEST_PUBLISHED_COUNT: u32 = 10;

/// A count in public results: exact from [`SMALLEST_PUBLISHED_COUNT`] up, else only
/// "fewer than that". On the wire a number, or the string `"<10"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PublicCount {
    FewerThanSmallest,
    Exact(u32),
}

impl PublicCount {
    pub fn of(n: u32) -> Self {
        if n < SMALLEST_PUBLISHED_COUNT {
            Self::FewerThanSmallest
        } else {
            Self::Exact(n)
        }
    }

    /// The exact figure, when it may be shown.
    pub fn exact(self) -> Option<u32> {
        match self {
            Self::Exact(n) => Some(n),
            Self::FewerThanSmallest => None,
        }
    }
}

const FEWER: &str = "<10";

impl fmt::Display for PublicCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(n) => write!(f, "{n}"),
            Self::FewerThanSmallest => f.write_str(FEWER),
        }
    }
}

impl Serialize for PublicCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Exact(n) => serializer.serialize_u32(*n),
            Self::FewerThanSmallest => serializer.serialize_str(FEWER),
        }
    }
}

impl<'de> Deserialize<'de> for PublicCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = PublicCount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count or \"<10\"")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<PublicCount, E> {
                u32::try_from(n)
                    .map(PublicCount::of)
                    .map_err(|_| E::custom("count out of range"))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PublicCount, E> {
                if s == FEWER {
                    Ok(PublicCount::FewerThanSmallest)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_never_published_exactly() {
        assert_eq!(PublicCount::of(0), PublicCount::FewerThanSmallest);
        assert_eq!(PublicCount::of(9), PublicCount::FewerThanSmallest);
        assert_eq!(PublicCount::of(10), PublicCount::Exact(10));
        assert_eq!(PublicCount::of(9).to_string(), "<10");
        assert_eq!(PublicCount::of(9).exact(), None);
    }

    #[test]
    fn the_wire_form_is_a_number_or_the_string() {
        let json = serde_json::to_string(&[PublicCount::of(3), PublicCount::of(12)]).unwrap();
        assert_eq!(json, r#"["<10",12]"#);
        let back: Vec<PublicCount> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back,
            [PublicCount::FewerThanSmallest, PublicCount::Exact(12)]
        );
        // A small exact number on the wire still reads as "fewer".
        assert_eq!(
            serde_json::from_str::<PublicCount>("4").unwrap(),
            PublicCount::FewerThanSmallest
        );
        assert!(serde_json::from_str::<PublicCount>(r#""<5""#).is_err());
    }
}
