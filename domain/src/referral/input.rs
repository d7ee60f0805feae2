//! Each step's fields as sent, checked together (every invalid field reported at once), and what they
//! become.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Decision, SubjectKind};
use crate::account::UserId;
use crate::organization::OrganizationId;
use crate::text;
use crate::values::HttpsUrl;
use crate::{Id, ValidationErrors};

use super::deadline;

/// Cover notes, reasonings, planned measures and summaries: 1-5,000 characters.
pub const MAX_LONG_TEXT: usize = 5_000;

pub(super) fn date(errors: &mut ValidationErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    errors.check(
        field,
        NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map_err(|_| "must be a date such as 2026-12-31"),
    )
}

pub(super) fn long_text(errors: &mut ValidationErrors, field: &str, raw: &str) -> Option<String> {
    errors.check(field, text::multi_line(raw, 1, MAX_LONG_TEXT))
}

pub(super) fn line(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    max: usize,
) -> Option<String> {
    errors.check(field, text::single_line(raw, 1, max))
}

fn organization(errors: &mut ValidationErrors, raw: &str) -> Option<OrganizationId> {
    errors.check(
        "organization_id",
        Id::parse(raw).map_err(|_| "is not an organization id; see GET /api/v1/organizations"),
    )
}

/// `POST /referrals` as sent.
#[derive(Debug, Clone)]
pub struct NewReferralInput<'a> {
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub organization_id: &'a str,
    pub cover_note: &'a str,
    /// `None`: 30 days on.
    pub due_on: Option<&'a str>,
}

/// A referral to send, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub subject_kind: SubjectKind,
    pub subject_id: String,
    pub organization_id: OrganizationId,
    pub cover_note: String,
    pub due_at: DateTime<Utc>,
}

impl NewReferralInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewReferral, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let subject_kind = e.check("subject_kind", self.subject_kind.parse::<SubjectKind>());
        let subject_id = e.check(
            "subject_id",
            Id::<()>::parse(self.subject_id)
                .map(|id| id.to_string())
                .map_err(|_| "is not an id of a proposal or forum"),
        );
        let organization_id = organization(&mut e, self.organization_id);
        let cover_note = long_text(&mut e, "cover_note", self.cover_note);
        let due_at = match self.due_on {
            None => Some(deadline::default_due(now)),
            Some(raw) => date(&mut e, "due_on", raw)
                .and_then(|d| e.check("due_on", deadline::check_requested(d, now))),
        };
        if !e.is_empty() {
            return Err(e);
        }
        match (
            subject_kind,
            subject_id,
            organization_id,
            cover_note,
            due_at,
        ) {
            (
                Some(subject_kind),
                Some(subject_id),
                Some(organization_id),
                Some(cover_note),
                Some(due_at),
            ) => Ok(NewReferral {
                subject_kind,
                subject_id,
                organization_id,
                cover_note,
                due_at,
            }),
            _ => Err(e),
        }
    }
}

/// The receipt: the division assigned and, for staff only, an internal contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub division: String,
    /// Who to call inside the organization: never public.
    pub contact: Option<String>,
    pub acknowledged_at: DateTime<Utc>,
    pub acknowledged_by: UserId,
}

/// `/acknowledge` as sent.
#[derive(Debug, Clone)]
pub struct AcknowledgeInput<'a> {
    pub division: &'a str,
    pub contact: Option<&'a str>,
}

impl AcknowledgeInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(
        &self,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<Acknowledgement, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let division = line(&mut e, "division", self.division, 200);
        let contact = self.contact.and_then(|c| line(&mut e, "contact", c, 200));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Acknowledgement {
            division: division.unwrap_or_default(),
            contact,
            acknowledged_at: now,
            acknowledged_by: by,
        })
    }
}

/// The organization's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub decision: Decision,
    pub reasoning: String,
    pub planned_measures: Option<String>,
    /// A national policy task number or similar reference.
    pub policy_task: Option<String>,
    pub expected_completion_on: Option<NaiveDate>,
    pub answered_at: DateTime<Utc>,
    pub answered_by: UserId,
}

/// `/answer` as sent.
#[derive(Debug, Clone)]
pub struct AnswerInput<'a> {
    pub decision: &'a str,
    pub reasoning: &'a str,
    pub planned_measures: Option<&'a str>,
    pub policy_task: Option<&'a str>,
    pub expected_completion_on: Option<&'a str>,
}

impl AnswerInput<'_> {
    /// An accepted (or partially accepted) answer needs its planned measures and an expected completion
    /// date that is not in the past (Asia/Seoul).
    ///
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self, by: UserId, now: DateTime<Utc>) -> Result<Answer, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let decision = e.check("decision", self.decision.parse::<Decision>());
        let reasoning = long_text(&mut e, "reasoning", self.reasoning);
        let planned_measures = self
            .planned_measures
            .and_then(|p| long_text(&mut e, "planned_measures", p));
        let policy_task = self
            .policy_task
            .and_then(|p| line(&mut e, "policy_task", p, 100));
        let expected = self
            .expected_completion_on
            .and_then(|d| date(&mut e, "expected_completion_on", d));
        if let Some(d) = expected
            && d < deadline::seoul_date(now)
        {
            e.push("expected_completion_on", "must not be in the past");
        }
        if matches!(
            decision,
            Some(Decision::Accepted | Decision::PartiallyAccepted)
        ) {
            if self.planned_measures.is_none() {
                e.push(
                    "planned_measures",
                    "is required when the proposal is accepted",
                );
            }
            if self.expected_completion_on.is_none() {
                e.push(
                    "expected_completion_on",
                    "is required when the proposal is accepted",
                );
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Answer {
            decision: decision.ok_or(e)?,
            reasoning: reasoning.unwrap_or_default(),
            planned_measures,
            policy_task,
            expected_completion_on: expected,
            answered_at: now,
            answered_by: by,
        })
    }
}

/// `/extend` as sent.
#[derive(Debug, Clone)]
pub struct ExtensionInput<'a> {
    pub reason: &'a str,
    pub due_on: &'a str,
}

impl ExtensionInput<'_> {
    /// The reason and the new due date (checked against the current one by the lifecycle).
    ///
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self) -> Result<(String, NaiveDate), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let reason = long_text(&mut e, "reason", self.reason);
        let due_on = date(&mut e, "due_on", self.due_on);
        if !e.is_empty() {
            return Err(e);
        }
        match (reason, due_on) {
            (Some(r), Some(d)) => Ok((r, d)),
            _ => Err(e),
        }
    }
}

/// `/transfer` as sent.
#[derive(Debug, Clone)]
pub struct TransferInput<'a> {
    pub organization_id: &'a str,
    pub reason: &'a str,
}

impl TransferInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self) -> Result<(OrganizationId, String), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let to = organization(&mut e, self.organization_id);
        let reason = long_text(&mut e, "reason", self.reason);
        if !e.is_empty() {
            return Err(e);
        }
        match (to, reason) {
            (Some(t), Some(r)) => Ok((t, r)),
            _ => Err(e),
        }
    }
}

/// The proof that an accepted proposal was carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub evidence_url: String,
    pub summary: String,
    pub completed_at: DateTime<Utc>,
    pub completed_by: UserId,
}

/// `/complete` as sent.
#[derive(Debug, Clone)]
pub struct CompletionInput<'a> {
    pub evidence_url: &'a str,
    pub summary: &'a str,
}

impl CompletionInput<'_> {
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self, by: UserId, now: DateTime<Utc>) -> Result<Completion, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let url = e.check("evidence_url", HttpsUrl::parse(self.evidence_url));
        let summary = long_text(&mut e, "summary", self.summary);
        if !e.is_empty() {
            return Err(e);
        }
        match (url, summary) {
            (Some(u), Some(s)) => Ok(Completion {
                evidence_url: u.as_str().to_owned(),
                summary: s,
                completed_at: now,
                completed_by: by,
            }),
            _ => Err(e),
        }
    }
}
