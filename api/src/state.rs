//! What every handler can reach, and the one helper that moves blocking work off the async workers.

use std::sync::Arc;

use actix_web::web;
use ocf_persistence::Database;

use std::collections::HashMap;
use std::sync::RwLock;

use ocf_domain::UseCaseError;
use ocf_domain::policy_area::PolicyAreaId;
use ocf_domain::ports::PolicyAreaRepository;
use ocf_domain::proposal::query::ProposalQueries;
use ocf_domain::uow::UnitOfWork;

use crate::auth::{Passwords, TokenService};
use crate::error::ApiError;
use crate::settings::ThrottleSettings;

#[derive(Debug)]
pub struct AppState {
    pub policy_areas: PolicyAreaCache,
    pub term_counts: TermCountCache,
    pub public_cache: crate::cache::PublicCache,
    pub db: Arc<Database>,
    pub tokens: TokenService,
    pub passwords: Passwords,
    pub throttle: ThrottleSettings,
    pub trust_forwarded_for: bool,
    /// Webhook deliveries go out through it.
    pub webhooks: crate::webhook::Sender,
    /// Requests each partner channel may make per minute.
    pub partner_quota_per_minute: u32,
    /// Partner channels' standings, read at most once a second per credential.
    pub standings: crate::auth::StandingCache,
    /// This instance's live streams.
    pub live: Arc<crate::live::LiveHub>,
}

impl AppState {
    /// Runs one use case in one unit of work (one transaction). Blocking: call inside [`blocking`].
    ///
    /// # Errors
    /// The use case's error, as its problem.
    pub fn transact<T>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, UseCaseError>,
    ) -> Result<T, ApiError> {
        self.db.transact(f).map_err(ApiError::from)
    }

    /// Runs a small use case whose only write is one statement (a support, a vote) off the async
    /// workers, grouped with others of its kind (see `Database::transact_grouped`).
    ///
    /// # Errors
    /// The use case's error, as its problem.
    pub async fn transact_grouped<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, UseCaseError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        blocking(move || db.transact_grouped(f).map_err(ApiError::from)).await
    }

    /// Runs a small use case of a few statements that comes in bursts (a comment, a like): group commit
    /// on SQLite, its own transaction on PostgreSQL (see `Database::transact_batched`). Blocking, like
    /// [`AppState::transact`].
    ///
    /// # Errors
    /// The use case's error, as its problem.
    pub fn transact_batched<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn UnitOfWork) -> Result<T, UseCaseError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.db.transact_batched(f).map_err(ApiError::from)
    }
}

/// Runs diesel queries and argon2 on actix's blocking thread pool, never on an async worker.
///
/// # Errors
/// Whatever `f` returns, or an internal error if the blocking pool is gone.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    web::block(f)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking pool: {e}").into()))?
}

/// Policy-area ids and codes, read once and again on a miss. Areas are never renamed or deleted, so a
/// cached entry is never stale and a miss means "new since the last load" (or unknown).
#[derive(Debug, Default)]
pub struct PolicyAreaCache {
    by_id: RwLock<HashMap<String, String>>,
    by_code: RwLock<HashMap<String, PolicyAreaId>>,
}

impl PolicyAreaCache {
    fn reload(&self, db: &Database) -> Result<(), ApiError> {
        let areas = db.all_policy_areas()?;
        let mut by_id = self
            .by_id
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut by_code = self
            .by_code
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for a in areas {
            by_id.insert(a.id.to_string(), a.code.as_str().to_owned());
            by_code.insert(a.code.as_str().to_owned(), a.id);
        }
        Ok(())
    }

    /// The id of the area with `code`, if one exists. Blocking: call inside [`blocking`].
    ///
    /// # Errors
    /// Only a storage failure.
    pub fn id_of(&self, db: &Database, code: &str) -> Result<Option<PolicyAreaId>, ApiError> {
        let cached = self
            .by_code
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(code)
            .copied();
        if cached.is_some() {
            return Ok(cached);
        }
        self.reload(db)?;
        Ok(self
            .by_code
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(code)
            .copied())
    }

    /// The code of the area with `id`. Blocking: call inside [`blocking`].
    ///
    /// # Errors
    /// A storage failure, or an internal error for an id that no area has (a broken reference).
    pub fn code_of(&self, db: &Database, id: PolicyAreaId) -> Result<String, ApiError> {
        let key = id.to_string();
        if let Some(code) = self
            .by_id
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
        {
            return Ok(code.clone());
        }
        self.reload(db)?;
        self.by_id
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .cloned()
            .ok_or_else(|| {
                ApiError::Internal(format!("policy area {key} is referenced but missing").into())
            })
    }

    /// Codes for many ids at once (one reload at most).
    ///
    /// # Errors
    /// As [`PolicyAreaCache::code_of`].
    pub fn codes_of(
        &self,
        db: &Database,
        ids: impl IntoIterator<Item = PolicyAreaId>,
    ) -> Result<HashMap<PolicyAreaId, String>, ApiError> {
        let mut out = HashMap::new();
        for id in ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(id) {
                slot.insert(self.code_of(db, id)?);
            }
        }
        Ok(out)
    }
}

/// How common each search term is, for picking the distinctive terms of a draft in the similar check.
/// Counts drift slowly, so entries are kept for an hour; the cache is bounded (moka evicts the terms least
/// likely to be asked for again, never all of them).
pub struct TermCountCache {
    entries: moka::sync::Cache<String, i64>,
}

impl std::fmt::Debug for TermCountCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermCountCache")
            .field("entries", &self.entries.entry_count())
            .finish()
    }
}

impl Default for TermCountCache {
    fn default() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(Self::MAX_ENTRIES)
                .time_to_live(Self::TTL)
                .build(),
        }
    }
}

impl TermCountCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(3600);
    const MAX_ENTRIES: u64 = 200_000;
    /// Counting stops here: past it a term is simply "common". Rarity matters only among rare terms,
    /// and on PostgreSQL a count visits one heap row per match (500 rows: ~4 ms; 5,000: ~43 ms).
    pub const CAP: i64 = 500;

    /// The (capped) number of proposals containing each term. Blocking: call inside [`blocking`].
    ///
    /// # Errors
    /// Only a storage failure.
    pub fn counts(&self, db: &Database, terms: &[String]) -> Result<Vec<i64>, ApiError> {
        let mut counts: Vec<Option<i64>> = terms.iter().map(|t| self.entries.get(t)).collect();
        let missing: Vec<String> = terms
            .iter()
            .zip(&counts)
            .filter(|(_, c)| c.is_none())
            .map(|(t, _)| t.clone())
            .collect();
        if !missing.is_empty() {
            let fetched = db.term_counts(&missing, Self::CAP)?;
            let fetched: HashMap<&str, i64> =
                missing.iter().map(String::as_str).zip(fetched).collect();
            for (term, count) in terms.iter().zip(counts.iter_mut()) {
                if count.is_none() {
                    let n = fetched.get(term.as_str()).copied().unwrap_or(0);
                    self.entries.insert(term.clone(), n);
                    *count = Some(n);
                }
            }
        }
        Ok(counts.into_iter().map(|c| c.unwrap_or(0)).collect())
    }
}
