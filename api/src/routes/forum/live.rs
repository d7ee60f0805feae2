//! A forum's live stream (`GET /forums/{id}/events`, server-sent events) and its agenda item.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder, get, post, web};
use actix_web_lab::sse::{self, Sse};
use futures_util::StreamExt as _;
use ocf_domain::actor::Actor;
use ocf_domain::event::EventReader;
use ocf_domain::forum::{ForumId, live};
use ocf_domain::{ValidationErrors, clock};

use super::live_dto::{AgendaCurrentRequest, ForumEventsQuery};
use super::{ForumView, full_view, parse_id, visible};
use crate::auth::{Caller, MaybeCaller};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::live::{Audience, StreamSlot, Subscription, frames};
use crate::routes::common::act_then;
use crate::state::{AppState, blocking};

/// Live frames are all after the subscription's cursor; only a viewer ahead of this instance skips some.
const NO_FLOOR: i64 = -1;

/// Seconds a client refused at the stream limit is told to wait.
const RETRY_AFTER_FULL: u64 = 5;

fn resume_from(req: &HttpRequest, q: &ForumEventsQuery) -> Result<Option<i64>, ApiError> {
    let (field, raw) = match req.headers().get("last-event-id") {
        Some(h) => ("Last-Event-ID", h.to_str().unwrap_or("\u{fffd}").to_owned()),
        None => match &q.last_event_id {
            Some(v) => ("last_event_id", v.clone()),
            None => return Ok(None),
        },
    };
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map(Some)
        .ok_or_else(|| {
            ValidationErrors::single(
                field,
                "must be a position this stream sent (a whole number)",
            )
            .into()
        })
}

/// Joins the forum's stream here, and works out what comes before the live part: a replay of what the
/// viewer missed, a `reset`, or (a fresh viewer) the viewer count. Blocking.
fn join(
    state: &AppState,
    forum: ForumId,
    audience: Audience,
    resume: Option<i64>,
) -> Result<(Subscription, Vec<sse::Event>, i64), ApiError> {
    let hub = &state.live;
    let sub = loop {
        if hub.closing() {
            return Err(ApiError::Busy {
                detail: "this instance is stopping: connect to another".to_owned(),
                retry_after: RETRY_AFTER_FULL,
            });
        }
        let head = match hub.cursor(forum) {
            Some(_) => None,
            None => Some(state.db.forum_head(forum)?),
        };
        if let Some(s) = hub.subscribe(forum, audience, head) {
            break s;
        }
    };
    let cursor = sub.cursor;
    let pick = |f: crate::live::Frame| f.for_audience(audience).map(|e| (**e).clone());
    let (first, floor) = match resume {
        None => (
            pick(frames::viewers(forum, cursor, sub.viewers))
                .into_iter()
                .collect(),
            NO_FLOOR,
        ),
        // Ahead of this instance (it came from another that had delivered more): skip to where it was.
        Some(last) if last > cursor && last <= state.db.forum_head(forum)? => (Vec::new(), last),
        Some(last) if last > cursor => (
            vec![frames::reset(
                cursor,
                "this stream never had that position: reload the forum",
            )],
            NO_FLOOR,
        ),
        Some(last) => {
            let max = hub.settings.replay_max;
            let missed: Vec<_> = state
                .db
                .forum_events(forum, last, max + 1)?
                .into_iter()
                .take_while(|e| e.position <= cursor)
                .collect();
            if missed.len() as i64 > max {
                (
                    vec![frames::reset(
                        cursor,
                        &format!("more than {max} events were missed: reload the forum"),
                    )],
                    NO_FLOOR,
                )
            } else {
                let replay = frames::build(&state.db, &missed)?
                    .into_iter()
                    .filter_map(pick)
                    .collect();
                (replay, NO_FLOOR)
            }
        }
    };
    Ok((sub, first, floor))
}

/// Follow a forum live
///
/// Public, like the forum: a `text/event-stream` of everything that happens at it, as it happens, from
/// whichever instance it happens on. Each event's `id:` is its position in the event log, increasing
/// along the stream; its `event:` is the log's event type and its `data:` one JSON object:
///
/// - `comment.posted`, `comment.edited`, `comment.deleted`, `comment.unhidden`,
///   `comment.question_status_changed`: `{position, type, occurred_at, comment}` (the comment's view,
///   questions included);
/// - `comment.hidden`: the same for moderators; the public gets only `comment_id` (remove it);
/// - `comment.question_voted`, `comment.question_unvoted`: `{comment_id, votes}`;
/// - `forum.status_changed`: `{forum_id, from_status, to_status}`; `forum.agenda_advanced`:
///   `{forum_id, agenda_item}`;
/// - `report.filed`, `report.resolved` (moderators and admins only: what is pending review):
///   `{report_id, comment_id, decision}`;
/// - `viewers`: `{forum_id, viewers}` across every instance, first and then about every 5 s;
/// - `reset`: `{position, reason}`: reload the forum and its comments, then carry on from this stream.
///
/// Hidden content never reaches the public. To resume after a drop, reconnect with `Last-Event-ID` (or
/// `?last_event_id=`): what was missed is replayed in order, without duplicates, then the stream goes
/// live; more than `STREAM_REPLAY_MAX` missed events (1,000 by default) gets `reset` instead. The stream
/// sends `retry:` first and a heartbeat comment every 15 s. A viewer that stops reading falls behind
/// by at most `STREAM_BUFFER_BATCHES` deliveries (about 25 s at the default 100 ms window) and is then
/// dropped (it resumes with `Last-Event-ID`). A moderator's stream ends when the token it was opened
/// with expires (15 minutes at most): reconnect with a fresh token and `Last-Event-ID`. A stopping
/// instance answers `503` too.
///
/// The token is optional (moderators send one for the review events). A token that is sent is checked: a
/// stale, expired or invalid one is `401`.
#[utoipa::path(
    tag = "forums",
    operation_id = "follow_forum",
    security((), ("bearer" = [])),
    params(
        ("id" = String, Path, description = "The forum's id"),
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "The `id:` of the last event received: resume after it (the header wins over `last_event_id`)"),
        ForumEventsQuery,
    ),
    responses(
        (status = 200, description = "The stream (`text/event-stream`), open until the client leaves",
            content_type = "text/event-stream", body = String),
        (status = 400, description = "The query string is malformed"),
        (status = 401, description = "A token was sent but is invalid"),
        (status = 404, description = "No such forum, or a draft the caller does not manage"),
        (status = 422, description = "`Last-Event-ID` (or `last_event_id`) is not a position"),
        (status = 503, description = "This instance holds its limit of open streams (`STREAMS_MAX_OPEN`): retry after `Retry-After` seconds",
            headers(("Retry-After" = i64, description = "Seconds to wait"))),
    )
)]
#[get("/forums/{id}/events")]
pub async fn follow_forum(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<String>,
    query: web::Query<ForumEventsQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let forum = parse_id(&id)?;
    let resume = resume_from(&req, &query)?;
    if state.live.closing() {
        return Err(ApiError::Busy {
            detail: "this instance is stopping: connect to another".to_owned(),
            retry_after: RETRY_AFTER_FULL,
        });
    }
    let slot = state.live.reserve().ok_or_else(|| ApiError::Busy {
        detail: format!(
            "this instance holds its limit of {} live streams: retry, or connect to another instance",
            state.live.settings.max_open
        ),
        retry_after: RETRY_AFTER_FULL,
    })?;
    let audience = match &caller.0 {
        Some(c) if c.is_staff() => Audience::Staff,
        _ => Audience::Public,
    };
    let settings = state.live.settings;
    let (sub, first, floor) = blocking(move || {
        visible(&state, forum, caller.0.as_ref())?;
        join(&state, forum, audience, resume)
    })
    .await?;
    let until = (audience == Audience::Staff).then(|| {
        let ttl = crate::auth::ACCESS_TOKEN_TTL.to_std().unwrap_or_default();
        tokio::time::Instant::now() + ttl
    });
    let live = Live {
        rx: sub.events,
        batch: None,
        next: 0,
        _slot: slot,
        floor,
        until,
    };
    let live = futures_util::stream::unfold(live, live_part);
    let stream = futures_util::stream::iter(first).chain(live);
    let mut res = Sse::from_infallible_stream(stream)
        .with_keep_alive(settings.heartbeat)
        .with_retry_duration(settings.retry)
        .respond_to(&req)
        .map_into_boxed_body();
    // Proxies that buffer responses (nginx) would hold events back.
    res.headers_mut().insert(
        header::HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    Ok(res)
}

/// A viewer's live part: its queue, the delivery it is in and how far, its slot, the floor, and (for
/// staff) when to end it.
struct Live {
    rx: tokio::sync::mpsc::Receiver<crate::live::Queued>,
    batch: Option<crate::live::Queued>,
    next: usize,
    _slot: StreamSlot,
    floor: i64,
    until: Option<tokio::time::Instant>,
}

/// The next live event after `floor`; the stream ends when the hub drops the viewer, or (a staff
/// stream) when the token it opened with has expired: the client resumes with a fresh one, losing nothing.
async fn live_part(mut l: Live) -> Option<(sse::Event, Live)> {
    loop {
        if let Some(b) = &l.batch {
            while let Some((at, e)) = b.get(l.next) {
                l.next += 1;
                if *at > l.floor {
                    // The shared frame's parts are reference-counted: this clone copies no text.
                    let e = (**e).clone();
                    return Some((e, l));
                }
            }
        }
        let received = match l.until {
            Some(deadline) => tokio::time::timeout_at(deadline, l.rx.recv()).await.ok()?,
            None => l.rx.recv().await,
        };
        l.batch = Some(received?);
        l.next = 0;
    }
}

/// Move a live forum to an agenda item
///
/// Those who manage the forum, while it is live. Every viewer's stream gets `forum.agenda_advanced`, and
/// questions asked from now on record this item.
#[utoipa::path(
    tag = "forums",
    operation_id = "advance_forum_agenda",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The forum's id")),
    request_body = AgendaCurrentRequest,
    responses(
        (status = 200, description = "The forum, on the new item", body = ForumView),
        (status = 403, description = "The caller does not manage the forum (`not_forum_manager`)"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The forum is not live (`forum_not_live`), or a concurrent change"),
        (status = 422, description = "`agenda_item` is not an item of the agenda"),
    )
)]
#[post("/forums/{id}/agenda/current")]
pub async fn advance_agenda(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<AgendaCurrentRequest>,
) -> Result<web::Json<ForumView>, ApiError> {
    let id = parse_id(&id)?;
    let item = body.0.agenda_item.0;
    let act = move |s: &AppState, actor: &Actor| {
        s.transact(|uow| live::advance_agenda(uow, actor, id, item, clock::now()))
    };
    let view = act_then(state, caller, act, |s, f, caller| {
        full_view(s, f, Some(caller))
    })
    .await?;
    Ok(web::Json(view))
}
