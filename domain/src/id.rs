//! Opaque identifiers. Stored and sent as UUIDv7 text: unique without coordination between API instances
//! and ordered by creation time, so "newest first" is an index walk on the primary key.

use std::fmt;
use std::marker::PhantomData;

/// A typed identifier: `Id<User>` and `Id<Organization>` cannot be mixed up.
pub struct Id<T> {
    value: uuid::Uuid,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// A fresh, time-ordered identifier.
    pub fn generate() -> Self {
        Self::from_uuid(uuid::Uuid::now_v7())
    }

    pub fn from_uuid(value: uuid::Uuid) -> Self {
        Self {
            value,
            _kind: PhantomData,
        }
    }

    /// Parses an identifier received from a client or read from storage.
    ///
    /// # Errors
    /// [`InvalidId`] when the text is not an identifier this system could have issued.
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        uuid::Uuid::try_parse(text)
            .map(Self::from_uuid)
            .map_err(|_| InvalidId)
    }

    pub fn as_uuid(&self) -> uuid::Uuid {
        self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier")]
pub struct InvalidId;

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T> Eq for Id<T> {}
impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.value)
    }
}
impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.as_hyphenated().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Thing;

    #[test]
    fn generated_ids_round_trip_through_text() {
        let id = Id::<Thing>::generate();
        assert_eq!(Id::<Thing>::parse(&id.to_string()), Ok(id));
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = Id::<Thing>::generate();
        let b = Id::<Thing>::generate();
        assert!(b > a);
        assert!(b.to_string() > a.to_string());
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert_eq!(Id::<Thing>::parse("1 OR 1=1"), Err(InvalidId));
        assert_eq!(Id::<Thing>::parse(""), Err(InvalidId));
    }
}
