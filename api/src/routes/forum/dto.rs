//! What forum endpoints answer with.

use chrono::{DateTime, Utc};
use ocf_domain::forum::Forum;
use ocf_domain::forum::outcome::ForumOutcome;
use ocf_domain::forum::registration::Registration;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct VenueView {
    /// The venue's name.
    #[schema(example = "광화문 1번가 열린소통포럼실")]
    pub name: String,
    /// Its street address.
    #[schema(example = "서울특별시 종로구 세종대로 172")]
    pub address: String,
    /// Its region.
    pub region: crate::vocab::Region,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpeakerView {
    /// The speaker's name.
    #[schema(example = "김민지")]
    pub name: String,
    /// `null` when not given.
    #[schema(example = "한국교통연구원", required = true)]
    pub affiliation: Option<String>,
    /// What they speak as.
    pub role: crate::vocab::SpeakerRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemView {
    /// What the item is about.
    #[schema(example = "섬 주민 교통 실태 발표")]
    pub title: String,
    /// Planned start (RFC 3339, UTC).
    #[schema(example = "2026-12-10T05:00:00Z")]
    pub starts_at: DateTime<Utc>,
    /// Planned end (RFC 3339, UTC).
    #[schema(example = "2026-12-10T05:30:00Z")]
    pub ends_at: DateTime<Utc>,
    /// The panel member who leads it; `null` if none.
    #[schema(example = "김민지", required = true)]
    pub speaker: Option<String>,
}

/// The seats, exact at the time of the answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatsView {
    /// Seats; `null` is no limit.
    #[schema(example = 120, required = true)]
    pub capacity: Option<i64>,
    /// People holding a seat.
    #[schema(example = 118, minimum = 0)]
    pub registered: i64,
    /// People waiting for a seat.
    #[schema(example = 0, minimum = 0)]
    pub waitlisted: i64,
    /// Marked present by staff.
    #[schema(example = 0, minimum = 0)]
    pub attended: i64,
    /// Free seats; `null` without a limit.
    #[schema(example = 2, required = true)]
    pub seats_left: Option<i64>,
}

/// A forum, in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForumView {
    /// The forum's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// What kind of forum it is.
    pub kind: crate::vocab::ForumKind,
    /// Where it takes place.
    pub mode: crate::vocab::ForumMode,
    /// Its place in the lifecycle.
    pub status: crate::vocab::ForumStatus,
    /// 5-150 characters, one line.
    #[schema(example = "섬 지역 교통 문제 지역 토론회")]
    pub title: String,
    /// 20-10,000 characters.
    #[schema(example = "섬 주민의 교통 불편을 시민, 전문가, 공무원이 함께 논의합니다.")]
    pub description: String,
    /// The hosting organization.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub organization_id: String,
    /// The policy area's code.
    #[schema(example = "transport-logistics")]
    pub policy_area: String,
    /// Linked topics, in the order they were linked.
    #[schema(example = json!([]))]
    pub topic_ids: Vec<String>,
    /// Offline and hybrid forums; `null` for online ones.
    #[schema(required = true)]
    pub venue: Option<VenueView>,
    /// RFC 3339, UTC (clients show Asia/Seoul).
    #[schema(example = "2026-12-10T05:00:00Z")]
    pub starts_at: DateTime<Utc>,
    /// When it ends (RFC 3339, UTC).
    #[schema(example = "2026-12-10T07:00:00Z")]
    pub ends_at: DateTime<Utc>,
    /// `null`: open as soon as the forum is scheduled.
    #[schema(example = "2026-12-01T00:00:00Z", required = true)]
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// When registration closes: the window's end, or the start of the forum.
    #[schema(example = "2026-12-10T05:00:00Z")]
    pub registration_closes_at: DateTime<Utc>,
    /// The stream; `null` when not set.
    #[schema(example = "https://tv.example.go.kr/live/island-2026", required = true)]
    pub livestream_url: Option<String>,
    /// The panel, in order.
    pub panel: Vec<SpeakerView>,
    /// The agenda, in order.
    pub agenda: Vec<AgendaItemView>,
    /// While live: the agenda item under way (0-based); `null` otherwise or without an agenda.
    #[schema(example = json!(null), required = true)]
    pub agenda_current: Option<i32>,
    /// When it went live (stream offsets count from here); `null` before.
    #[schema(example = json!(null), required = true)]
    pub live_at: Option<DateTime<Utc>>,
    /// Capacity and counts.
    pub seats: SeatsView,
    /// Why it was cancelled; `null` otherwise.
    #[schema(example = "태풍 예보로 취소합니다.", required = true)]
    pub cancel_reason: Option<String>,
    /// The outcome report's id, once published (`GET /forums/{id}/outcome`).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11", required = true)]
    pub outcome_id: Option<String>,
    /// Whether the caller manages it; `null` without a token.
    #[schema(example = false, required = true)]
    pub can_manage: Option<bool>,
    /// When it was planned.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

pub(super) fn view(f: Forum, area: String, can_manage: Option<bool>) -> ForumView {
    let seats_left = f.seats_left();
    let r = f.into_record();
    ForumView {
        id: r.id.to_string(),
        kind: r.kind.into(),
        mode: r.mode.into(),
        status: r.status.into(),
        title: r.title.as_str().to_owned(),
        description: r.description.as_str().to_owned(),
        organization_id: r.organization_id.to_string(),
        policy_area: area,
        topic_ids: r.topic_ids.iter().map(ToString::to_string).collect(),
        venue: r.venue.map(|v| VenueView {
            name: v.name,
            address: v.address,
            region: v.region.into(),
        }),
        starts_at: r.schedule.starts_at,
        ends_at: r.schedule.ends_at,
        registration_opens_at: r.schedule.registration_opens_at,
        registration_closes_at: r.schedule.registration_closes(),
        livestream_url: r.livestream_url.map(|u| u.as_str().to_owned()),
        panel: r
            .panel
            .into_iter()
            .map(|s| SpeakerView {
                name: s.name,
                affiliation: s.affiliation,
                role: s.role.into(),
            })
            .collect(),
        agenda: r
            .agenda
            .into_iter()
            .map(|a| AgendaItemView {
                title: a.title,
                starts_at: a.starts_at,
                ends_at: a.ends_at,
                speaker: a.speaker,
            })
            .collect(),
        agenda_current: r
            .agenda_current
            .filter(|_| r.status == ocf_domain::forum::ForumStatus::Live),
        live_at: r.live_at,
        seats: SeatsView {
            capacity: r.capacity,
            registered: r.seats.registered,
            waitlisted: r.seats.waitlisted,
            attended: r.seats.attended,
            seats_left,
        },
        cancel_reason: r.cancel_reason,
        outcome_id: r.outcome_id,
        can_manage,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// A registration: one's own, or any for those who manage the forum.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationView {
    /// The registration's id.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The forum.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub forum_id: String,
    /// Who registered (their own, or for the forum's managers).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub user_id: String,
    /// Where it stands.
    pub status: crate::vocab::RegistrationStatus,
    /// Place in line when waitlisted (1 is next); `null` otherwise.
    #[schema(example = 3, minimum = 1, required = true)]
    pub waitlist_position: Option<i64>,
    /// Whether staff marked the person present.
    #[schema(example = false)]
    pub attended: bool,
    /// When they registered (arrival order).
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub updated_at: DateTime<Utc>,
}

impl From<Registration> for RegistrationView {
    fn from(r: Registration) -> Self {
        Self {
            id: r.id.to_string(),
            forum_id: r.forum_id.to_string(),
            user_id: r.user_id.to_string(),
            status: r.status.into(),
            waitlist_position: r.waitlist_position,
            attended: r.attended,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A forum's outcome report: public, with a stable id (what a referral sends to a ministry).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    /// The outcome's stable id (a referral names it).
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub id: String,
    /// The forum it reports on.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub forum_id: String,
    /// What the forum concluded.
    #[schema(
        example = "섬 주민 이동권 보장을 위한 여객선 공영제 확대가 가장 많이 제안되었습니다."
    )]
    pub summary: String,
    /// What it recommends.
    #[schema(example = json!(["여객선 공영제 확대"]))]
    pub recommendations: Vec<String>,
    /// How many attended.
    #[schema(example = 87, minimum = 0)]
    pub attendee_count: i64,
    /// Proposals born at the forum.
    #[schema(example = json!([]))]
    pub proposal_ids: Vec<String>,
    /// When it was first published.
    #[schema(example = "2026-12-10T09:00:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it was last replaced.
    #[schema(example = "2026-12-10T09:00:00Z")]
    pub updated_at: DateTime<Utc>,
    /// The questions asked of the panel while live, most voted first (at most 500).
    pub questions: Vec<super::live_dto::OutcomeQuestionView>,
}

impl From<ForumOutcome> for OutcomeView {
    fn from(o: ForumOutcome) -> Self {
        Self {
            id: o.id.to_string(),
            forum_id: o.forum_id.to_string(),
            summary: o.summary.as_str().to_owned(),
            recommendations: o.recommendations,
            attendee_count: o.attendee_count,
            proposal_ids: o.proposal_ids.iter().map(ToString::to_string).collect(),
            created_at: o.created_at,
            updated_at: o.updated_at,
            questions: Vec::new(),
        }
    }
}
