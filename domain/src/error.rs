//! Errors shared by every aggregate.

use std::fmt;

/// One invalid field of an input, named as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every invalid field of an input at once, so a client can fix a form in one round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records the error of a `parse` under `field` and returns the value when it parsed.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(field, e.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(())` when nothing was recorded.
    ///
    /// # Errors
    /// Returns `self` when at least one field is invalid.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// What a repository (port) can fail with. Adapters translate their storage errors into these.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A unique rule was broken; `field` names the client-facing field that collided.
    #[error("a record with this {field} already exists")]
    Duplicate { field: &'static str },
    /// A referenced record does not exist (e.g. an unknown organization id in a patch).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Someone else changed the record since it was read (optimistic concurrency); read again and retry.
    #[error("{0} was changed concurrently")]
    Conflict(&'static str),
    /// The storage is overloaded or unreachable (e.g. no pooled connection became free in time).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The storage failed; the cause is for the log, never for the client.
    #[error("storage failure: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why a use case did not happen: the rule it broke, what was missing, or the storage failing. The API
/// maps each to its status and code.
#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// Something the use case needs does not exist, or is hidden from the actor; the message names it.
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error(transparent)]
    Proposal(#[from] crate::proposal::ProposalError),
    #[error(transparent)]
    Topic(#[from] crate::topic::TopicError),
    #[error(transparent)]
    Moderation(#[from] crate::moderation::ModerationError),
    #[error(transparent)]
    Forum(#[from] crate::forum::ForumError),
    #[error(transparent)]
    Comment(#[from] crate::comment::CommentError),
    #[error(transparent)]
    Referral(#[from] crate::referral::ReferralError),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

impl UseCaseError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }
}
