//! `CommentStore`: what a unit of work stores for comments, inside its transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ocf_domain::RepoError;
use ocf_domain::account::UserId;
use ocf_domain::comment::{Comment, CommentId, CommentStore};
use ocf_domain::forum::ForumId;

use super::load;
use crate::error::dangling;
use crate::schema::{comment_likes, comments, question_votes};
use crate::time::to_db;
use crate::uow::Tx;

impl CommentStore for Tx<'_> {
    fn insert(&mut self, c: &Comment) -> Result<(), RepoError> {
        let r = c.record();
        self.run(|conn, _| {
            diesel::insert_into(comments::table)
                .values((
                    comments::id.eq(r.id.to_string()),
                    comments::subject_type.eq(r.on.kind().as_str()),
                    comments::subject_id.eq(r.on.id()),
                    comments::parent_id.eq(r.parent_id.map(|p| p.to_string())),
                    comments::in_reply_to.eq(r.in_reply_to.map(|p| p.to_string())),
                    comments::depth.eq(r.depth),
                    comments::author_id.eq(r.author_id.to_string()),
                    comments::author_role.eq(r.author_role.as_str()),
                    comments::body.eq(r.body.as_str()),
                    comments::hidden.eq(r.hidden),
                    comments::deleted.eq(r.deleted),
                    comments::agenda_item.eq(r.live.and_then(|l| l.agenda_item)),
                    comments::stream_offset.eq(r.live.and_then(|l| l.stream_offset)),
                    comments::question_status.eq(r.question.map(|q| q.status.as_str())),
                    comments::created_at.eq(to_db(r.created_at)),
                    comments::updated_at.eq(to_db(r.updated_at)),
                    comments::version.eq(r.version),
                ))
                .execute(conn)
                .map_err(dangling("author or parent"))?;
            if let Some(p) = r.parent_id {
                diesel::update(comments::table.filter(comments::id.eq(p.to_string())))
                    .set(comments::reply_count.eq(comments::reply_count + 1))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    fn get(&mut self, id: CommentId) -> Result<Option<Comment>, RepoError> {
        self.run(|conn, _| load(conn, &id.to_string()))
    }

    fn update(&mut self, c: &Comment) -> Result<(), RepoError> {
        let r = c.record();
        self.run(|conn, _| {
            let changed = diesel::update(
                comments::table
                    .filter(comments::id.eq(r.id.to_string()))
                    .filter(comments::version.eq(r.version - 1)),
            )
            .set((
                comments::body.eq(r.body.as_str()),
                comments::hidden.eq(r.hidden),
                comments::deleted.eq(r.deleted),
                comments::edited_at.eq(r.edited_at.map(to_db)),
                comments::question_status.eq(r.question.map(|q| q.status.as_str())),
                comments::updated_at.eq(to_db(r.updated_at)),
                comments::version.eq(r.version),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(RepoError::Conflict("comment").into());
            }
            Ok(())
        })
    }

    fn add_like(
        &mut self,
        id: CommentId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.run(|conn, _| {
            // `$n` placeholders work on both backends (see `crate::endorsement`).
            let added = diesel::sql_query(
                "INSERT INTO comment_likes (comment_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind::<diesel::sql_types::Text, _>(id.to_string())
            .bind::<diesel::sql_types::Text, _>(user.to_string())
            .bind::<diesel::sql_types::Timestamp, _>(to_db(now))
            .execute(conn)?;
            if added > 0 {
                diesel::update(comments::table.filter(comments::id.eq(id.to_string())))
                    .set(comments::like_count.eq(comments::like_count + 1))
                    .execute(conn)?;
            }
            Ok(added > 0)
        })
    }

    fn remove_like(&mut self, id: CommentId, user: UserId) -> Result<bool, RepoError> {
        self.run(|conn, _| {
            let removed = diesel::delete(
                comment_likes::table
                    .filter(comment_likes::comment_id.eq(id.to_string()))
                    .filter(comment_likes::user_id.eq(user.to_string())),
            )
            .execute(conn)?;
            if removed > 0 {
                diesel::update(comments::table.filter(comments::id.eq(id.to_string())))
                    .set(comments::like_count.eq(comments::like_count - 1))
                    .execute(conn)?;
            }
            Ok(removed > 0)
        })
    }

    fn add_vote(
        &mut self,
        id: CommentId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, RepoError> {
        self.run(|conn, _| {
            let added = diesel::sql_query(
                "INSERT INTO question_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind::<diesel::sql_types::Text, _>(id.to_string())
            .bind::<diesel::sql_types::Text, _>(user.to_string())
            .bind::<diesel::sql_types::Timestamp, _>(to_db(now))
            .execute(conn)?;
            if added == 0 {
                return Ok(None);
            }
            count_vote(conn, id, 1).map(Some)
        })
    }

    fn remove_vote(&mut self, id: CommentId, user: UserId) -> Result<Option<i64>, RepoError> {
        self.run(|conn, _| {
            let removed = diesel::delete(
                question_votes::table
                    .filter(question_votes::comment_id.eq(id.to_string()))
                    .filter(question_votes::user_id.eq(user.to_string())),
            )
            .execute(conn)?;
            if removed == 0 {
                return Ok(None);
            }
            count_vote(conn, id, -1).map(Some)
        })
    }

    fn on_stage(&mut self, forum: ForumId) -> Result<Option<CommentId>, RepoError> {
        self.run(|conn, _| {
            let raw: Option<String> = comments::table
                .filter(comments::subject_type.eq("forum"))
                .filter(comments::subject_id.eq(forum.to_string()))
                .filter(comments::question_status.eq("on_stage"))
                .select(comments::id)
                .first(conn)
                .optional()?;
            raw.map(|r| super::id(&r, "question on stage")).transpose()
        })
    }
}

/// Moves a question's vote count by `by` (the row stays locked to this transaction until it commits, so
/// concurrent votes count one after another) and returns the count after it.
fn count_vote(
    conn: &mut crate::db::DbConnection,
    id: CommentId,
    by: i64,
) -> Result<i64, crate::error::TxError> {
    let target = comments::table.filter(comments::id.eq(id.to_string()));
    diesel::update(target.clone())
        .set(comments::vote_count.eq(comments::vote_count + by))
        .execute(conn)?;
    Ok(target.select(comments::vote_count).first(conn)?)
}
