//! Keyset pagination. The domain speaks of "items after this key"; turning the key into an opaque cursor
//! is the API's business.

use crate::ValidationErrors;

pub const DEFAULT_LIMIT: u16 = 20;
pub const MAX_LIMIT: u16 = 100;

/// A request for one page: at most `limit` items strictly after `after` in the listing's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    limit: u16,
    pub after: Option<K>,
}

impl<K> PageRequest<K> {
    /// # Errors
    /// A `limit` field error when the limit is outside `1..=100`.
    pub fn new(limit: Option<u32>, after: Option<K>) -> Result<Self, ValidationErrors> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(l) if (1..=u32::from(MAX_LIMIT)).contains(&l) => l as u16,
            Some(_) => {
                return Err(ValidationErrors::single(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ));
            }
        };
        Ok(Self { limit, after })
    }

    pub fn limit(&self) -> u16 {
        self.limit
    }

    /// How many rows an adapter should fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// Where a page ends in a sorted listing: the sort value (a count, a trending score, or a time in
/// microseconds; 0 for newest) and the item's position in insertion order, which breaks ties. Positions
/// only grow, so a page boundary never moves when items are added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub value: i64,
    pub position: i64,
}

/// One page of results and the key to continue after, if more items follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, K> {
    pub items: Vec<T>,
    pub next_after: Option<K>,
}

impl<T, K> Page<T, K> {
    /// Builds a page from `fetch_limit()` rows: the extra row, if present, is dropped and signals a next page.
    pub fn from_rows(mut rows: Vec<T>, request: &PageRequest<K>, key: impl Fn(&T) -> K) -> Self {
        let limit = usize::from(request.limit());
        let next_after = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&key)
        } else {
            None
        };
        Self {
            items: rows,
            next_after,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U, K> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_after: self.next_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_to_twenty_and_is_capped() {
        assert_eq!(
            PageRequest::<u8>::new(None, None).map(|p| p.limit()),
            Ok(20)
        );
        assert!(PageRequest::<u8>::new(Some(0), None).is_err());
        assert!(PageRequest::<u8>::new(Some(101), None).is_err());
        assert_eq!(
            PageRequest::<u8>::new(Some(100), None).map(|p| p.limit()),
            Ok(100)
        );
    }

    #[test]
    fn an_extra_row_means_another_page() -> Result<(), ValidationErrors> {
        let req = PageRequest::new(Some(2), None)?;
        let page = Page::from_rows(vec![1, 2, 3], &req, |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_after, Some(2));
        let last = Page::from_rows(vec![1, 2], &req, |n| *n);
        assert_eq!(last.next_after, None);
        Ok(())
    }
}
