//! A short-lived cache of public responses ("micro-cache"), on `moka`.
//!
//! Anonymous list requests are identical for everyone who sends the same query, and at national scale the
//! same few pages (the newest proposals, the most supported in each policy area, a popular search) are
//! asked for thousands of times a second. Each instance keeps the serialised body of such a response for
//! `PUBLIC_CACHE_TTL_MS` (default one second) and answers repeats from memory.
//!
//! - When an entry is missing or expired, one caller builds it while the others asking for the same key
//!   wait for that result (moka's `try_get_with`), so an expiry never sends every reader to the database
//!   at once.
//! - The budget counts bytes (a weigher on key and body); past it moka evicts the entries least likely to
//!   be asked for again, never the whole cache.
//! - Time comes from an injectable clock, so tests move time instead of sleeping.
//!
//! What it costs: an anonymous reader may see a list up to one TTL old. Requests with an access token
//! never use it (their lists can include hidden proposals or `author=me`), so people always see their own
//! changes at once. Nothing is shared between instances, so there is nothing to invalidate across them:
//! each copy simply expires.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

use crate::error::ApiError;

/// Where the cache reads the time.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

#[derive(Clone)]
struct Entry {
    born: Instant,
    body: Bytes,
}

/// Serialised response bodies by key, each kept for `ttl`, within a budget of bytes.
pub struct PublicCache {
    ttl: Duration,
    clock: Clock,
    entries: moka::sync::Cache<String, Entry>,
}

impl std::fmt::Debug for PublicCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicCache")
            .field("ttl", &self.ttl)
            .field("entries", &self.entries.entry_count())
            .finish_non_exhaustive()
    }
}

impl PublicCache {
    /// Memory the cached bodies may take (keys and bookkeeping are small beside them).
    pub const DEFAULT_BUDGET_BYTES: u64 = 32 * 1024 * 1024;

    /// A cache keeping bodies for `ttl`; a zero `ttl` turns it off.
    pub fn new(ttl: Duration, budget_bytes: u64) -> Self {
        Self::with_clock(ttl, budget_bytes, Arc::new(Instant::now))
    }

    /// As [`PublicCache::new`], reading the time from `clock`.
    pub fn with_clock(ttl: Duration, budget_bytes: u64, clock: Clock) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(budget_bytes)
            .weigher(|key: &String, entry: &Entry| {
                u32::try_from(key.len() + entry.body.len()).unwrap_or(u32::MAX)
            })
            // Memory is given back soon after expiry; freshness itself is checked against `clock`.
            .time_to_live(ttl.max(Duration::from_millis(1)))
            .build();
        Self {
            ttl,
            clock,
            entries,
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    fn fresh(&self, entry: &Entry) -> bool {
        (self.clock)().saturating_duration_since(entry.born) < self.ttl
    }

    /// The body stored under `key`, if it is younger than the TTL. Never waits.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        if !self.enabled() {
            return None;
        }
        self.entries
            .get(key)
            .filter(|e| self.fresh(e))
            .map(|e| e.body)
    }

    /// The body under `key`, built by `build` when it is missing or expired. Concurrent callers for the same
    /// key wait for one build and share its result. Blocking (it may wait, and `build` reads the
    /// database): call it inside [`crate::state::blocking`].
    ///
    /// # Errors
    /// Whatever `build` fails with (a caller that waited on a failed build gets an equivalent error).
    pub fn get_or_build(
        &self,
        key: &str,
        build: impl FnOnce() -> Result<Bytes, ApiError>,
    ) -> Result<Bytes, ApiError> {
        if !self.enabled() {
            return build();
        }
        if let Some(entry) = self.entries.get(key) {
            if self.fresh(&entry) {
                return Ok(entry.body);
            }
            self.entries.invalidate(key);
        }
        let budget_share = self.entries.policy().max_capacity().unwrap_or(u64::MAX) / 16;
        let clock = self.clock.clone();
        let mut built_too_large = None;
        let entry = self.entries.try_get_with_by_ref(key, || {
            let body = build()?;
            if body.len() as u64 > budget_share {
                // Too large to keep: hand it back without caching.
                built_too_large = Some(body.clone());
                return Err(ApiError::Internal("not cached".into()));
            }
            Ok(Entry {
                born: clock(),
                body,
            })
        });
        match (entry, built_too_large) {
            (_, Some(body)) => Ok(body),
            (Ok(entry), None) => Ok(entry.body),
            (Err(shared), None) => Err(Arc::try_unwrap(shared).unwrap_or_else(|e| e.copy())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A clock that moves only when told to.
    fn manual_clock() -> (Clock, Arc<Mutex<Instant>>) {
        let now = Arc::new(Mutex::new(Instant::now()));
        let reader = now.clone();
        let clock: Clock = Arc::new(move || *reader.lock().unwrap_or_else(|p| p.into_inner()));
        (clock, now)
    }

    fn advance(now: &Mutex<Instant>, by: Duration) {
        let mut t = now.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }

    fn body(text: &'static str) -> Result<Bytes, ApiError> {
        Ok(Bytes::from_static(text.as_bytes()))
    }

    #[test]
    fn a_body_is_served_until_it_expires() -> Result<(), ApiError> {
        let (clock, now) = manual_clock();
        let cache = PublicCache::with_clock(Duration::from_secs(1), 1024, clock);
        assert_eq!(cache.get_or_build("a", || body("one"))?, "one");
        assert_eq!(cache.get("a").as_deref(), Some(&b"one"[..]));
        assert_eq!(cache.get_or_build("a", || body("two"))?, "one");
        assert_eq!(cache.get("b"), None);
        advance(&now, Duration::from_millis(999));
        assert_eq!(cache.get_or_build("a", || body("two"))?, "one");
        advance(&now, Duration::from_millis(1));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get_or_build("a", || body("two"))?, "two");
        Ok(())
    }

    #[test]
    fn a_zero_ttl_stores_nothing() -> Result<(), ApiError> {
        let cache = PublicCache::new(Duration::ZERO, 1024);
        assert_eq!(cache.get_or_build("a", || body("one"))?, "one");
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get_or_build("a", || body("two"))?, "two");
        Ok(())
    }

    #[test]
    fn errors_are_not_cached() {
        let cache = PublicCache::new(Duration::from_secs(60), 1024);
        let failed = cache.get_or_build("a", || Err(ApiError::Unavailable("busy".to_owned())));
        assert!(matches!(failed, Err(ApiError::Unavailable(_))));
        assert_eq!(
            cache.get_or_build("a", || body("one")).ok(),
            Some(Bytes::from("one"))
        );
    }

    #[test]
    fn a_body_too_large_for_the_budget_is_served_but_not_kept() -> Result<(), ApiError> {
        let cache = PublicCache::new(Duration::from_secs(60), 16 * 40);
        let big = Bytes::from(vec![b'x'; 100]);
        let served = cache.get_or_build("big", || Ok(big.clone()))?;
        assert_eq!(served, big);
        assert_eq!(cache.get("big"), None);
        Ok(())
    }

    #[test]
    fn the_budget_is_kept_by_evicting_some_entries_not_all() -> Result<(), ApiError> {
        let cache = PublicCache::new(Duration::from_secs(60), 16 * 40);
        for i in 0..100 {
            cache.get_or_build(&format!("k{i:03}"), || Ok(Bytes::from(vec![b'x'; 30])))?;
        }
        cache.entries.run_pending_tasks();
        assert!(cache.entries.weighted_size() <= 16 * 40);
        assert!(
            cache.entries.entry_count() > 1,
            "an overflow does not empty the cache"
        );
        Ok(())
    }

    #[test]
    fn concurrent_misses_build_once() -> Result<(), Box<dyn std::error::Error>> {
        let cache = Arc::new(PublicCache::new(Duration::from_secs(60), 1 << 20));
        let builds = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(std::sync::Barrier::new(16));
        let readers: Vec<_> = (0..16)
            .map(|_| {
                let (cache, builds, barrier) = (cache.clone(), builds.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    cache.get_or_build("page", || {
                        builds.fetch_add(1, Ordering::SeqCst);
                        // A slow build, so that the others arrive while it runs.
                        std::thread::sleep(Duration::from_millis(50));
                        body("built")
                    })
                })
            })
            .collect();
        for r in readers {
            assert_eq!(r.join().map_err(|_| "reader panicked")??, "built");
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        Ok(())
    }
}
