//! Moderation: reports from signed-in people, automatic hiding after enough distinct reports, moderators'
//! decisions, and the public log of every decision.

use chrono::{DateTime, Utc};

use crate::Id;
use crate::account::UserId;
use crate::proposal::{ActorRole, ProposalId};
use crate::text::{self, TextError};

/// How many distinct open reports hide a proposal until a moderator decides (Decidim's default).
pub const AUTO_HIDE_REPORTS: i64 = 3;

pub type ReportId = Id<Report>;

/// Why something was reported: 1-1,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReason(String);

impl ReportReason {
    /// # Errors
    /// [`TextError`] when empty, longer than 1,000 characters, or with control characters.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        text::multi_line(raw, 1, 1_000).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportDecision {
    /// The report is right: the content stays (or becomes) hidden.
    Uphold,
    /// The report is wrong: the content stays (or becomes) visible.
    Dismiss,
}

impl ReportDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uphold => "uphold",
            Self::Dismiss => "dismiss",
        }
    }

    /// # Errors
    /// A message for anything but `uphold` or `dismiss`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "uphold" => Ok(Self::Uphold),
            "dismiss" => Ok(Self::Dismiss),
            other => Err(format!(
                "unknown decision '{other}'; expected uphold or dismiss"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub proposal_id: ProposalId,
    pub reporter_id: UserId,
    pub reason: ReportReason,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub decision: Option<ReportDecision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationAction {
    Hide,
    Unhide,
    AutoHide,
    ReportUpheld,
    ReportDismissed,
}

impl ModerationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Unhide => "unhide",
            Self::AutoHide => "auto_hide",
            Self::ReportUpheld => "report_upheld",
            Self::ReportDismissed => "report_dismissed",
        }
    }

    /// # Errors
    /// A message for an unknown action name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [
            Self::Hide,
            Self::Unhide,
            Self::AutoHide,
            Self::ReportUpheld,
            Self::ReportDismissed,
        ]
        .into_iter()
        .find(|a| a.as_str() == raw)
        .ok_or_else(|| format!("unknown moderation action '{raw}'"))
    }
}

/// One public record of a moderation decision. The moderator is shown by role only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: Id<LogEntry>,
    pub action: ModerationAction,
    pub proposal_id: ProposalId,
    pub reason: Option<String>,
    pub actor_role: ActorRole,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    #[error("authors cannot report their own proposal")]
    OwnProposal,
    #[error("this report was already resolved")]
    AlreadyResolved,
    #[error("the proposal is already hidden")]
    AlreadyHidden,
    #[error("the proposal is not hidden")]
    NotHidden,
}
