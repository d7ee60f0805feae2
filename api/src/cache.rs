//! A short-lived cache of public responses ("micro-cache").
//!
//! Anonymous list requests are identical for everyone who sends the same query, and at national scale the
//! same few pages (the newest proposals, the most supported in each policy area, a popular search) are
//! asked for thousands of times a second. Each instance keeps the serialised body of such a response for
//! `PUBLIC_CACHE_TTL_MS` (default one second) and answers repeats from memory.
//!
//! What it costs: an anonymous reader may see a list up to one TTL old. Requests with an access token
//! never use it (their lists can include hidden proposals or `author=me`), so people always see their own
//! changes at once. Nothing is shared between instances, so there is nothing to invalidate across them:
//! each copy simply expires.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

/// Serialised response bodies by key, each kept for `ttl`, within a budget of bytes.
#[derive(Debug)]
pub struct PublicCache {
    ttl: Duration,
    budget_bytes: usize,
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, (Instant, Bytes)>,
    bytes: usize,
}

impl PublicCache {
    /// Memory the cached bodies may take (keys and bookkeeping are small beside them).
    pub const DEFAULT_BUDGET_BYTES: usize = 32 * 1024 * 1024;

    /// A cache keeping bodies for `ttl`; a zero `ttl` turns it off.
    pub fn new(ttl: Duration, budget_bytes: usize) -> Self {
        Self {
            ttl,
            budget_bytes,
            inner: RwLock::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The body stored under `key`, if it is younger than the TTL.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        if !self.enabled() {
            return None;
        }
        let inner = self
            .inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (at, body) = inner.entries.get(key)?;
        (at.elapsed() < self.ttl).then(|| body.clone())
    }

    /// Stores `body` under `key`. When the budget would be exceeded, expired entries go first, then all.
    pub fn put(&self, key: &str, body: Bytes) {
        if !self.enabled() || body.len() > self.budget_bytes / 16 {
            return;
        }
        let mut inner = self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if inner.bytes + body.len() + key.len() > self.budget_bytes {
            let ttl = self.ttl;
            inner.entries.retain(|_, (at, _)| at.elapsed() < ttl);
            inner.bytes = inner
                .entries
                .iter()
                .map(|(k, (_, b))| k.len() + b.len())
                .sum();
            if inner.bytes + body.len() + key.len() > self.budget_bytes {
                inner.entries.clear();
                inner.bytes = 0;
            }
        }
        let added = key.len() + body.len();
        if let Some((_, old)) = inner.entries.insert(key.to_owned(), (Instant::now(), body)) {
            inner.bytes -= key.len() + old.len();
        }
        inner.bytes += added;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_served_until_it_expires() {
        let cache = PublicCache::new(Duration::from_millis(50), 1024);
        cache.put("a", Bytes::from_static(b"one"));
        assert_eq!(cache.get("a").as_deref(), Some(&b"one"[..]));
        assert_eq!(cache.get("b"), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("a"), None);
    }

    #[test]
    fn a_zero_ttl_stores_nothing() {
        let cache = PublicCache::new(Duration::ZERO, 1024);
        cache.put("a", Bytes::from_static(b"one"));
        assert_eq!(cache.get("a"), None);
    }

    #[test]
    fn the_budget_is_kept() {
        let cache = PublicCache::new(Duration::from_secs(60), 16 * 40);
        for i in 0..100 {
            cache.put(&format!("k{i:03}"), Bytes::from(vec![b'x'; 30]));
            let inner = cache
                .inner
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            assert!(inner.bytes <= 16 * 40, "{} bytes after {i}", inner.bytes);
            assert_eq!(
                inner.bytes,
                inner
                    .entries
                    .iter()
                    .map(|(k, (_, b))| k.len() + b.len())
                    .sum::<usize>()
            );
        }
        assert!(cache.get("k099").is_some());
        // Too large for the budget: not stored.
        cache.put("big", Bytes::from(vec![b'x'; 100]));
        assert_eq!(cache.get("big"), None);
    }

    #[test]
    fn replacing_a_key_counts_its_bytes_once() {
        let cache = PublicCache::new(Duration::from_secs(60), 1024);
        cache.put("a", Bytes::from_static(b"12345"));
        cache.put("a", Bytes::from_static(b"12"));
        let inner = cache
            .inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        assert_eq!(inner.bytes, 3);
    }
}
