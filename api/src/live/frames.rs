//! How each logged event looks on a live stream, for the public and for moderation staff: serialised
//! once per audience, then shared by every viewer of that audience. The SSE `event:` is the log's event
//! type (`docs/EVENTS.md`), the `id:` its position; `viewers` and `reset` are the stream's own.

use std::sync::Arc;

use actix_web_lab::sse;
use ocf_domain::RepoError;
use ocf_domain::comment::query::CommentQueries;
use ocf_domain::comment::{Comment, CommentId};
use ocf_domain::event::{EventType, LoggedEvent};
use ocf_domain::forum::ForumId;
use ocf_persistence::Database;
use serde_json::{Value, json};

use super::Frame;
use crate::routes::comment::dto::view;

fn event(name: &str, id: i64, data: &Value) -> sse::Event {
    sse::Data::new(data.to_string())
        .event(name.to_owned())
        .id(id.to_string())
        .into()
}

/// The frame of one logged event; nothing for events a stream does not carry.
fn frame(db: &Database, e: &LoggedEvent) -> Result<Frame, RepoError> {
    use EventType as T;
    let (at, p, ev) = (e.position, &e.event.payload, &e.event);
    let name = ev.event_type.as_str();
    let base = |extra: Value| {
        let mut v = json!({
            "position": at,
            "type": name,
            "occurred_at": ev.occurred_at,
        });
        if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
            m.extend(x);
        }
        v
    };
    Ok(match ev.event_type {
        T::ForumStatusChanged => Frame::both(
            at,
            event(
                name,
                at,
                &base(json!({
                    "forum_id": ev.aggregate_id,
                    "from_status": p.from_status,
                    "to_status": p.to_status,
                })),
            ),
        ),
        T::ForumAgendaAdvanced => Frame::both(
            at,
            event(
                name,
                at,
                &base(json!({ "forum_id": ev.aggregate_id, "agenda_item": p.agenda_item })),
            ),
        ),
        T::CommentPosted
        | T::CommentEdited
        | T::CommentDeleted
        | T::CommentHidden
        | T::CommentUnhidden
        | T::CommentQuestionStatusChanged => {
            let Some(c) = comment(db, &ev.aggregate_id)? else {
                return Ok(Frame::default());
            };
            let hidden = c.hidden();
            let id = c.id().to_string();
            let staff = Arc::new(event(
                name,
                at,
                &base(json!({ "comment": view(c, None, None, None) })),
            ));
            let public = if !hidden {
                Some(staff.clone())
            } else if ev.event_type == T::CommentHidden {
                // The public learns only that it is gone, never what it said.
                Some(Arc::new(event(
                    name,
                    at,
                    &base(json!({ "comment_id": id })),
                )))
            } else {
                None
            };
            Frame {
                position: at,
                public,
                staff: Some(staff),
            }
        }
        T::CommentQuestionVoted | T::CommentQuestionUnvoted => {
            let Some(c) = comment(db, &ev.aggregate_id)? else {
                return Ok(Frame::default());
            };
            let e = Arc::new(event(
                name,
                at,
                &base(json!({ "comment_id": ev.aggregate_id, "votes": p.count })),
            ));
            Frame {
                position: at,
                public: (!c.hidden()).then(|| e.clone()),
                staff: Some(e),
            }
        }
        // Pending review, for moderators only: which comment was reported (never by whom or why).
        T::ReportFiled | T::ReportResolved => Frame {
            position: at,
            public: None,
            staff: Some(Arc::new(event(
                name,
                at,
                &base(json!({
                    "report_id": ev.aggregate_id,
                    "comment_id": p.related_id,
                    "decision": p.to_status,
                })),
            ))),
        },
        _ => Frame::default(),
    })
}

fn comment(db: &Database, raw: &str) -> Result<Option<Comment>, RepoError> {
    match CommentId::parse(raw) {
        Ok(id) => db.comment(id),
        Err(_) => Ok(None),
    }
}

/// The frames of `events`, in order. Blocking.
///
/// # Errors
/// Storage failures.
pub fn build(db: &Database, events: &[LoggedEvent]) -> Result<Vec<Frame>, RepoError> {
    events.iter().map(|e| frame(db, e)).collect()
}

/// How many watch `forum` across every instance, as of position `at`.
pub fn viewers(forum: ForumId, at: i64, count: i64) -> Frame {
    Frame::both(
        at,
        event(
            "viewers",
            at,
            &json!({ "forum_id": forum.to_string(), "viewers": count }),
        ),
    )
}

/// Tells a client that resumed from too far back (or from a position this stream never had) to reload
/// the forum and its comments, then follow from `head`.
pub fn reset(head: i64, reason: &str) -> sse::Event {
    event(
        "reset",
        head,
        &json!({ "position": head, "reason": reason }),
    )
}
