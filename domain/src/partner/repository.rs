//! What is stored for channels. Channel administration and credentials are reference data, outside any
//! unit of work (like organizations); partner records change with their proposals, inside one.

use chrono::{DateTime, Utc};

use super::credential::CredentialId;
use super::record::{ChannelPresence, ChannelRecord, ExternalId};
use super::{ChannelId, ChannelStatus, Credential, CredentialSecrets, PartnerChannel};
use crate::proposal::ProposalId;
use crate::{Page, PageRequest, RepoError};

pub trait ChannelRepository {
    /// Stores a new channel and its service account (which cannot sign in).
    ///
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "code" }`.
    fn create_channel(&self, channel: &PartnerChannel) -> Result<(), RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn channel(&self, id: ChannelId) -> Result<Option<PartnerChannel>, RepoError>;

    /// Saves every changeable field (and renames the service account after the channel).
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("channel")`.
    fn update_channel(&self, channel: &PartnerChannel) -> Result<(), RepoError>;

    /// Channels ordered by code.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn list_channels(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<PartnerChannel, String>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn create_credential(
        &self,
        credential: &Credential,
        secret_hash: &str,
    ) -> Result<(), RepoError>;

    /// A channel's credentials, newest first (a short list: no paging).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn credentials(&self, channel: ChannelId) -> Result<Vec<Credential>, RepoError>;

    /// # Errors
    /// Only [`RepoError::Backend`].
    fn credential(&self, id: CredentialId) -> Result<Option<Credential>, RepoError>;

    /// The credential a client id names, its secrets, and its channel's status, for client
    /// authentication.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn credential_for_client(
        &self,
        client_id: &str,
    ) -> Result<Option<(Credential, CredentialSecrets, ChannelStatus)>, RepoError>;

    /// Replaces the secret; the one it replaces keeps working until `previous_until`.
    ///
    /// # Errors
    /// [`RepoError::NotFound`] `("credential")` when it does not exist or is revoked.
    fn rotate_credential(
        &self,
        id: CredentialId,
        new_hash: &str,
        previous_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Credential, RepoError>;

    /// Revokes for good; returns the credential, or `None` when there is none.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn revoke_credential(
        &self,
        id: CredentialId,
        now: DateTime<Utc>,
    ) -> Result<Option<Credential>, RepoError>;

    /// Notes that the credential was just used to obtain a token.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn touch_credential(&self, id: CredentialId, now: DateTime<Utc>) -> Result<(), RepoError>;

    /// Whether a machine token issued to `credential` still works: its channel's status, and whether the
    /// credential is revoked. `None` when either is gone.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn token_standing(
        &self,
        credential: CredentialId,
    ) -> Result<Option<(ChannelStatus, bool)>, RepoError>;

    /// A partner record, for reading.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn record(
        &self,
        channel: ChannelId,
        external_id: &ExternalId,
    ) -> Result<Option<ChannelRecord>, RepoError>;

    /// Every record of a proposal, with its channel's code, oldest first.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn presence(&self, proposal: ProposalId) -> Result<Vec<ChannelPresence>, RepoError>;
}

/// Partner records, inside a unit of work.
pub trait ChannelRecordStore {
    /// The record, held until the unit of work ends (`FOR UPDATE` on PostgreSQL), so two writes of the
    /// same record take turns.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock(
        &mut self,
        channel: ChannelId,
        external_id: &ExternalId,
    ) -> Result<Option<ChannelRecord>, RepoError>;

    /// The records of `external_ids` that exist, each held like [`ChannelRecordStore::lock`].
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn lock_many(
        &mut self,
        channel: ChannelId,
        external_ids: &[ExternalId],
    ) -> Result<Vec<ChannelRecord>, RepoError>;

    /// Stores many new records (an adapter may write them in fewer statements).
    ///
    /// # Errors
    /// As [`ChannelRecordStore::insert`].
    fn insert_many(&mut self, records: &[ChannelRecord]) -> Result<(), RepoError> {
        records.iter().try_for_each(|r| self.insert(r))
    }

    /// Stores a new record.
    ///
    /// # Errors
    /// [`RepoError::Duplicate`] `{ field: "external_id" }` when a concurrent write stored it first.
    fn insert(&mut self, record: &ChannelRecord) -> Result<(), RepoError>;

    /// Saves a record's provenance, fingerprint and `updated_at`.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn update(&mut self, record: &ChannelRecord) -> Result<(), RepoError>;
}

/// What a partner's `Idempotency-Key` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// New (or expired): this request runs, and stores its response under the key.
    Claimed,
    /// A request with this key is still running.
    InFlight,
    /// A request with this key finished: its request hash and stored response.
    Done(StoredResponse),
}

/// A response stored under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub request_hash: Option<String>,
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// Per-channel quotas and idempotency keys, held in the database so they hold across instances.
pub trait PartnerGate {
    /// Counts one request of `channel` in the window that starts at `window_start`, and returns the count
    /// so far; windows older than `forget_before` are forgotten.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn count_request(
        &self,
        channel: ChannelId,
        window_start: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<i64, RepoError>;

    /// Claims `key` for a request (atomically, so two requests with one key cannot both run). A key
    /// older than `expired_before`, or left in flight since before `stale_before` (its request died), is
    /// claimed afresh.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn claim_key(
        &self,
        channel: ChannelId,
        key: &str,
        request_hash: Option<&str>,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<KeyClaim, RepoError>;

    /// Stores the response of a claimed key.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn complete_key(
        &self,
        channel: ChannelId,
        key: &str,
        response: &StoredResponse,
    ) -> Result<(), RepoError>;

    /// Gives a claimed key back (its request failed on the server's side, or never finished).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn release_key(&self, channel: ChannelId, key: &str) -> Result<(), RepoError>;
}

/// A partner intake that looks like an existing proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeFlag {
    pub seq: i64,
    pub proposal_id: ProposalId,
    pub candidate_id: ProposalId,
    /// 0.0-1.0, as the similar check scores.
    pub score: f64,
    pub created_at: DateTime<Utc>,
}

/// The intake-similar reader's storage.
pub trait IntakeFlags {
    /// Stores the flags of the events from `from` to `to` and moves the reader's cursor there, if it is
    /// still at `from`; `false` when another instance did it.
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn record_flags(
        &self,
        flags: &[(ProposalId, ProposalId, f64)],
        from: crate::event::LogCursor,
        to: crate::event::LogCursor,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError>;

    /// Flags, newest first (keyed by `seq`).
    ///
    /// # Errors
    /// Only [`RepoError::Backend`].
    fn flags(&self, page: &PageRequest<i64>) -> Result<Page<IntakeFlag, i64>, RepoError>;
}

/// The name of the reader that flags look-alike intakes.
pub const INTAKE_SIMILAR_READER: &str = "intake-similar";
/// How alike an intake and a proposal must be to be flagged.
pub const FLAG_SCORE: f64 = 0.5;
