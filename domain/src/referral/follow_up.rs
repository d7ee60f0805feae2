//! A follow-up as sent: the meeting, who took part, its minutes and the commitments made there, checked
//! together.

use chrono::{DateTime, NaiveDate, Utc};

use super::input::{date, line};
use super::{CommitmentStatus, MAX_COMMITMENTS, MAX_PARTICIPANTS, Participant, deadline};
use crate::{ValidationErrors, text};

/// Minutes of a meeting: 1-20,000 characters.
pub const MAX_MINUTES: usize = 20_000;

/// A participant as sent.
#[derive(Debug, Clone)]
pub struct ParticipantInput<'a> {
    pub role: &'a str,
    pub organization: &'a str,
}

/// A commitment as sent.
#[derive(Debug, Clone)]
pub struct CommitmentInput<'a> {
    pub description: &'a str,
    pub due_on: &'a str,
    /// `None`: `planned`.
    pub status: Option<&'a str>,
}

/// `/follow-ups` as sent: a meeting and the commitments made there.
#[derive(Debug, Clone)]
pub struct FollowUpInput<'a> {
    pub held_on: &'a str,
    pub participants: &'a [ParticipantInput<'a>],
    pub minutes: &'a str,
    pub commitments: &'a [CommitmentInput<'a>],
}

/// A follow-up, checked: the meeting and its commitments' `(description, due_on, status)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDraft {
    pub held_on: NaiveDate,
    pub participants: Vec<Participant>,
    pub minutes: String,
    pub commitments: Vec<(String, NaiveDate, CommitmentStatus)>,
}

impl FollowUpInput<'_> {
    /// A meeting already held (not after today in Asia/Seoul), 1-50 participants, its minutes, and up to
    /// 20 commitments.
    ///
    /// # Errors
    /// Every invalid field.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<FollowUpDraft, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let held_on = date(&mut e, "held_on", self.held_on);
        if let Some(d) = held_on
            && d > deadline::seoul_date(now)
        {
            e.push(
                "held_on",
                "must not be in the future (a meeting already held)",
            );
        }
        if self.participants.is_empty() || self.participants.len() > MAX_PARTICIPANTS {
            e.push(
                "participants",
                format!("must list 1-{MAX_PARTICIPANTS} participants"),
            );
        }
        let participants: Vec<Participant> = self
            .participants
            .iter()
            .take(MAX_PARTICIPANTS)
            .enumerate()
            .filter_map(|(i, p)| {
                let role = line(&mut e, &format!("participants[{i}].role"), p.role, 100);
                let org = line(
                    &mut e,
                    &format!("participants[{i}].organization"),
                    p.organization,
                    200,
                );
                Some(Participant {
                    role: role?,
                    organization: org?,
                })
            })
            .collect();
        let minutes = e.check("minutes", text::multi_line(self.minutes, 1, MAX_MINUTES));
        if self.commitments.len() > MAX_COMMITMENTS {
            e.push(
                "commitments",
                format!("at most {MAX_COMMITMENTS} commitments"),
            );
        }
        let commitments: Vec<_> = self
            .commitments
            .iter()
            .take(MAX_COMMITMENTS)
            .enumerate()
            .filter_map(|(i, c)| {
                let d = line(
                    &mut e,
                    &format!("commitments[{i}].description"),
                    c.description,
                    1_000,
                );
                let due = date(&mut e, &format!("commitments[{i}].due_on"), c.due_on);
                let status = match c.status {
                    None => Some(CommitmentStatus::Planned),
                    Some(s) => e.check(&format!("commitments[{i}].status"), s.parse()),
                };
                Some((d?, due?, status?))
            })
            .collect();
        if !e.is_empty() {
            return Err(e);
        }
        match (held_on, minutes) {
            (Some(held_on), Some(minutes)) => Ok(FollowUpDraft {
                held_on,
                participants,
                minutes,
                commitments,
            }),
            _ => Err(e),
        }
    }
}
