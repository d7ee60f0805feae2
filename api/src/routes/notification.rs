//! `/me/notifications`: what happened to what one follows, written off the request path by the
//! notification job (a reader of the event log, `jobs::notify`). Unread first, newest first.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use ocf_domain::follow::{MarkRead, Notification, NotificationKey, Notifications};
use ocf_domain::{ValidationErrors, clock};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::pagination::{PageQuery, Paginated, page_request};
use crate::state::{AppState, blocking};

/// At most this many ids are marked read in one request.
pub const MAX_MARK: usize = 100;

/// What happened, by its event type (`docs/EVENTS.md`).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum NotificationType {
    #[serde(rename = "proposal.status_changed")]
    ProposalStatusChanged,
    #[serde(rename = "proposal.withdrawn")]
    ProposalWithdrawn,
    #[serde(rename = "proposal.merged")]
    ProposalMerged,
    #[serde(rename = "topic.status_changed")]
    TopicStatusChanged,
    #[serde(rename = "referral.sent")]
    ReferralSent,
    #[serde(rename = "referral.answered")]
    ReferralAnswered,
    #[serde(rename = "referral.transferred")]
    ReferralTransferred,
    #[serde(rename = "referral.completed")]
    ReferralCompleted,
    #[serde(rename = "forum.status_changed")]
    ForumStatusChanged,
    #[serde(rename = "forum.rescheduled")]
    ForumRescheduled,
    #[serde(rename = "registration.promoted")]
    RegistrationPromoted,
    #[serde(rename = "comment.posted")]
    CommentPosted,
}

impl NotificationType {
    fn of(t: ocf_domain::event::EventType) -> Result<Self, ApiError> {
        use ocf_domain::event::EventType as T;
        Ok(match t {
            T::ProposalStatusChanged => Self::ProposalStatusChanged,
            T::ProposalWithdrawn => Self::ProposalWithdrawn,
            T::ProposalMerged => Self::ProposalMerged,
            T::TopicStatusChanged => Self::TopicStatusChanged,
            T::ReferralSent => Self::ReferralSent,
            T::ReferralAnswered => Self::ReferralAnswered,
            T::ReferralTransferred => Self::ReferralTransferred,
            T::ReferralCompleted => Self::ReferralCompleted,
            T::ForumStatusChanged => Self::ForumStatusChanged,
            T::ForumRescheduled => Self::ForumRescheduled,
            T::RegistrationPromoted => Self::RegistrationPromoted,
            T::CommentPosted => Self::CommentPosted,
            other => {
                return Err(ApiError::Internal(
                    format!("{other} does not notify").into(),
                ));
            }
        })
    }
}

/// What a notification points at.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationSubject {
    Proposal,
    Topic,
    Forum,
    /// A reply to one's comment: the reply.
    Comment,
}

/// One thing that happened to something one follows (or to one's registration or comment).
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    /// Pass to `POST /me/notifications/read`.
    #[schema(example = "1042")]
    pub id: String,
    /// What happened: the event type of the log (`docs/EVENTS.md`).
    #[serde(rename = "type")]
    pub event_type: NotificationType,
    /// What it is about.
    pub subject_kind: NotificationSubject,
    /// The proposal, topic, forum or comment it is about.
    #[schema(example = "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11")]
    pub subject_id: String,
    /// For `referral.*`: the referral (`GET /referrals/{id}`); `null` otherwise.
    #[schema(example = json!(null), required = true)]
    pub referral_id: Option<String>,
    /// The status before, for status changes; `null` otherwise.
    #[schema(example = "referred", required = true)]
    pub from_status: Option<String>,
    /// The status after (of the proposal, topic, forum, registration or referral); `null` if none.
    #[schema(example = "answered", required = true)]
    pub to_status: Option<String>,
    /// For `referral.answered`: the decision; `null` otherwise.
    #[schema(value_type = Option<crate::vocab::Decision>, required = true)]
    pub decision: Option<String>,
    /// When it happened.
    #[schema(example = "2026-12-20T05:00:00Z")]
    pub occurred_at: DateTime<Utc>,
    /// Whether it was marked read.
    pub read: bool,
    /// When it was marked read; `null` while unread.
    #[schema(example = json!(null), required = true)]
    pub read_at: Option<DateTime<Utc>>,
}

fn view(n: Notification) -> Result<NotificationView, ApiError> {
    use ocf_domain::event::AggregateKind as K;
    let subject_kind = match n.subject.0 {
        K::Proposal => NotificationSubject::Proposal,
        K::Topic => NotificationSubject::Topic,
        K::Forum => NotificationSubject::Forum,
        K::Comment => NotificationSubject::Comment,
        other => {
            return Err(ApiError::Internal(
                format!("a notification about a {other}").into(),
            ));
        }
    };
    Ok(NotificationView {
        id: n.id.to_string(),
        event_type: NotificationType::of(n.event_type)?,
        subject_kind,
        subject_id: n.subject.1,
        referral_id: n.referral_id,
        from_status: n.from_status,
        to_status: n.to_status,
        decision: n.decision,
        occurred_at: n.occurred_at,
        read: n.read_at.is_some(),
        read_at: n.read_at,
    })
}

/// The unread count.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadView {
    /// How many notifications are unread.
    #[schema(example = 3, minimum = 0)]
    pub unread: i64,
}

/// 1-100 notification ids: the `id`s of `GET /me/notifications`, positive whole numbers as strings.
fn notification_ids() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[1-9][0-9]{0,17}$")),
        )
        .min_items(Some(1))
        .max_items(Some(MAX_MARK))
        .description(Some(
            "1-100 ids from `GET /me/notifications`; others' ids and unknown ones are ignored.",
        ))
        .examples([serde_json::json!(["1042"])])
        .build()
}

/// Which notifications to mark read: `ids`, or `all`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadRequest {
    /// 1-100 ids from `GET /me/notifications`; others' ids and unknown ones are ignored.
    #[schema(schema_with = notification_ids)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub ids: Option<Vec<String>>,
    /// `true`: every unread notification.
    #[schema(value_type = bool, example = true)]
    #[serde(default, deserialize_with = "crate::extract::non_null")]
    pub all: Option<bool>,
}

/// How many were marked, and how many stay unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedView {
    /// How many were unread and are now read.
    #[schema(example = 1, minimum = 0)]
    pub marked: i64,
    /// How many stay unread.
    #[schema(example = 2, minimum = 0)]
    pub unread: i64,
}

/// My notifications
///
/// The caller's notifications: unread first, newest first within each. Made off the request path by
/// the notification job, usually within a second or two of the event. A notification marked read
/// while paging moves to the read part of the list.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_notifications",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "One page of notifications", body = Paginated<NotificationView>),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "No valid token"),
        (status = 422, description = "`limit` or `cursor` is invalid"),
    )
)]
#[get("/me/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Paginated<NotificationView>>, ApiError> {
    let page = page_request("notifications", query.limit, query.cursor.as_deref(), |k| {
        let (read, position) = k.split_once(':')?;
        Some(NotificationKey {
            read: read == "1",
            position: position.parse().ok()?,
        })
    })?;
    let page = blocking(move || {
        let page = state.db.notifications(caller.user_id, &page)?;
        let items = page.items.into_iter().map(view).collect::<Result<_, _>>()?;
        Ok(Paginated::new(
            "notifications",
            items,
            page.next_after,
            |k| format!("{}:{}", u8::from(k.read), k.position),
        ))
    })
    .await?;
    Ok(web::Json(page))
}

/// My unread count
///
/// How many of the caller's notifications are unread: for a badge, cheaper than reading a page.
#[utoipa::path(
    tag = "notifications",
    operation_id = "count_unread_notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many are unread", body = UnreadView),
        (status = 401, description = "No valid token"),
    )
)]
#[get("/me/notifications/unread-count")]
pub async fn unread_count(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<UnreadView>, ApiError> {
    let count = blocking(move || Ok(state.db.unread_count(caller.user_id)?)).await?;
    Ok(web::Json(UnreadView { unread: count }))
}

/// Mark notifications read
///
/// Either `ids` (at most 100) or `all: true`. Idempotent: marking a read one again changes nothing.
#[utoipa::path(
    tag = "notifications",
    operation_id = "mark_notifications_read",
    security(("bearer" = [])),
    request_body = MarkReadRequest,
    responses(
        (status = 200, description = "Marked", body = MarkedView),
        (status = 401, description = "No valid token"),
        (status = 422, description = "Neither or both of `ids` and `all`, too many ids, or an id that cannot be one"),
    )
)]
#[post("/me/notifications/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: Caller,
    body: crate::extract::ApiJson<MarkReadRequest>,
) -> Result<web::Json<MarkedView>, ApiError> {
    let b = body.0;
    let mut e = ValidationErrors::new();
    let which = match (b.ids, b.all) {
        (Some(ids), None | Some(false)) => {
            if ids.is_empty() || ids.len() > MAX_MARK {
                e.push("ids", format!("must list 1-{MAX_MARK} ids"));
            }
            let parsed: Vec<i64> = ids
                .iter()
                .enumerate()
                .filter_map(|(i, raw)| {
                    e.check(
                        &format!("ids[{i}]"),
                        raw.parse::<i64>()
                            .ok()
                            .filter(|n| *n > 0 && !raw.starts_with('+') && !raw.starts_with('0'))
                            .ok_or("is not a notification id"),
                    )
                })
                .collect();
            MarkRead::Ids(parsed)
        }
        (None, Some(true)) => MarkRead::All,
        _ => {
            e.push("body", "send either ids or all: true");
            MarkRead::All
        }
    };
    e.into_result()?;
    let v = blocking(move || {
        let marked = state.db.mark_read(caller.user_id, &which, clock::now())?;
        let unread = state.db.unread_count(caller.user_id)?;
        Ok(MarkedView { marked, unread })
    })
    .await?;
    Ok(web::Json(v))
}
