//! Bulk loading of forums (with their registrations) and comments, for the benchmark's 2,000 forums and
//! 2,000,000 comments: the same escaped multi-row statements as `crate::bulk`. Events are not written
//! for them: the benchmark reads threads and forums, not their timelines.

use ocf_domain::RepoError;
use ocf_domain::comment::Comment;
use ocf_domain::forum::Forum;
use ocf_domain::forum::registration::Registration;
use ocf_domain::search;

use crate::bulk::{insert_rows, lit, opt, ts};
use crate::db::Database;
use crate::error::TxError;
use crate::forum::{agenda_json, panel_json, venue_json};

fn bool_sql(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

fn int_or_null<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

impl Database {
    /// Stores forums (their seat counts as given) and their registrations in one transaction.
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_forums(
        &self,
        forums: &[Forum],
        registrations: &[Registration],
    ) -> Result<(), RepoError> {
        self.write(|conn| {
            let rows = forums
                .iter()
                .map(|f| {
                    let r = f.record();
                    Ok(format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                        lit(&r.id.to_string())?,
                        lit(&r.organization_id.to_string())?,
                        lit(&r.created_by.to_string())?,
                        lit(r.kind.as_str())?,
                        lit(r.mode.as_str())?,
                        lit(r.title.as_str())?,
                        lit(r.description.as_str())?,
                        lit(&r.policy_area_id.to_string())?,
                        opt(r.venue.as_ref().map(|v| v.region.as_str()))?,
                        opt(r.venue.as_ref().map(venue_json).as_deref())?,
                        ts(r.schedule.starts_at),
                        ts(r.schedule.ends_at),
                        r.schedule.registration_opens_at.map_or("NULL".to_owned(), ts),
                        r.schedule.registration_closes_at.map_or("NULL".to_owned(), ts),
                        int_or_null(r.capacity),
                        opt(r.livestream_url.as_ref().map(|u| u.as_str()))?,
                        lit(&panel_json(&r.panel))?,
                        lit(&agenda_json(&r.agenda))?,
                        lit(r.status.as_str())?,
                        r.seats.registered,
                        r.seats.waitlisted,
                        r.seats.attended,
                        lit(&search::index_text(r.title.as_str(), r.description.as_str()))?,
                        ts(r.created_at),
                        ts(r.updated_at),
                        r.version
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO forums (id, organization_id, created_by, kind, mode, title, description, \
                 policy_area_id, region, venue, starts_at, ends_at, registration_opens_at, \
                 registration_closes_at, capacity, livestream_url, panel, agenda, status, \
                 registered_count, waitlisted_count, attended_count, search_text, created_at, \
                 updated_at, version)",
                rows,
            )?;
            let rows = registrations
                .iter()
                .map(|r| {
                    Ok(format!(
                        "({}, {}, {}, {}, {}, {}, {})",
                        lit(&r.id.to_string())?,
                        lit(&r.forum_id.to_string())?,
                        lit(&r.user_id.to_string())?,
                        lit(r.status.as_str())?,
                        bool_sql(r.attended),
                        ts(r.created_at),
                        ts(r.updated_at)
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO forum_registrations (id, forum_id, user_id, status, attended, \
                 created_at, updated_at)",
                rows,
            )
        })
    }

    /// Stores top-level comments (or replies whose parents are stored already or earlier in the slice;
    /// their parents' `reply_count` is not recounted) in one transaction.
    ///
    /// # Errors
    /// [`RepoError::Backend`] on any failure; nothing is stored then.
    pub fn bulk_insert_comments(&self, comments: &[Comment]) -> Result<(), RepoError> {
        self.write(|conn| {
            let rows = comments
                .iter()
                .map(|c| {
                    let r = c.record();
                    Ok(format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                        lit(&r.id.to_string())?,
                        lit(r.on.kind().as_str())?,
                        lit(&r.on.id())?,
                        opt(r.parent_id.map(|p| p.to_string()).as_deref())?,
                        opt(r.in_reply_to.map(|p| p.to_string()).as_deref())?,
                        r.depth,
                        lit(&r.author_id.to_string())?,
                        lit(r.author_role.as_str())?,
                        lit(r.body.as_str())?,
                        r.like_count,
                        bool_sql(r.hidden),
                        bool_sql(r.deleted),
                        int_or_null(r.live.and_then(|l| l.agenda_item)),
                        int_or_null(r.live.and_then(|l| l.stream_offset)),
                        ts(r.created_at),
                        ts(r.updated_at),
                        r.version
                    ))
                })
                .collect::<Result<Vec<_>, TxError>>()?;
            insert_rows(
                conn,
                "INSERT INTO comments (id, subject_type, subject_id, parent_id, in_reply_to, depth, \
                 author_id, author_role, body, like_count, hidden, deleted, agenda_item, \
                 stream_offset, created_at, updated_at, version)",
                rows,
            )
        })
    }
}
