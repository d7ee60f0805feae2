//! Comments in storage: `write` is what a unit of work stores (`CommentStore`), and the read side pages one
//! level of a thread at a time on the partial index of its level and sort (`comments_top*`,
//! `comments_replies*`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::actor::Visibility;
use ocf_domain::comment::query::{
    CommentFilter, CommentQueries, CommentSort, QuestionFilter, QuestionSort,
};
use ocf_domain::comment::{
    Comment, CommentBody, CommentId, CommentOn, CommentRecord, LiveMark, Question,
};
use ocf_domain::page::SortKey;
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{comment_likes, comments};
use crate::time::from_db;

mod question;
mod write;

#[derive(Queryable, Selectable)]
#[diesel(table_name = comments)]
pub(super) struct CommentRow {
    seq: i64,
    id: String,
    subject_type: String,
    subject_id: String,
    parent_id: Option<String>,
    in_reply_to: Option<String>,
    depth: i32,
    author_id: String,
    author_role: String,
    body: String,
    like_count: i64,
    reply_count: i64,
    hidden: bool,
    deleted: bool,
    edited_at: Option<NaiveDateTime>,
    agenda_item: Option<i32>,
    stream_offset: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
    question_status: Option<String>,
    vote_count: i64,
}

pub(super) fn id<T>(raw: &str, what: &'static str) -> Result<Id<T>, TxError> {
    Id::parse(raw).map_err(|e| corrupt(what, e))
}

pub(super) fn to_comment(r: CommentRow) -> Result<(i64, Comment), TxError> {
    let live = (r.agenda_item.is_some() || r.stream_offset.is_some()).then_some(LiveMark {
        agenda_item: r.agenda_item,
        stream_offset: r.stream_offset,
    });
    Ok((
        r.seq,
        Comment::restore(CommentRecord {
            id: id(&r.id, "comment id")?,
            on: CommentOn::parse(&r.subject_type, &r.subject_id)
                .map_err(|e| corrupt("comment subject", e))?,
            parent_id: r
                .parent_id
                .as_deref()
                .map(|p| id(p, "comment parent"))
                .transpose()?,
            in_reply_to: r
                .in_reply_to
                .as_deref()
                .map(|p| id(p, "comment reply"))
                .transpose()?,
            depth: r.depth,
            author_id: id(&r.author_id, "comment author")?,
            author_role: r
                .author_role
                .parse()
                .map_err(|e: String| corrupt("comment author role", e))?,
            body: CommentBody::parse(&r.body).map_err(|e| corrupt("comment body", e))?,
            like_count: r.like_count,
            reply_count: r.reply_count,
            hidden: r.hidden,
            deleted: r.deleted,
            edited_at: r.edited_at.map(from_db),
            live,
            question: r
                .question_status
                .as_deref()
                .map(|s| {
                    s.parse().map(|status| Question {
                        status,
                        votes: r.vote_count,
                    })
                })
                .transpose()
                .map_err(|e: String| corrupt("question status", e))?,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
            version: r.version,
        }),
    ))
}

fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Comment>, TxError> {
    comments::table
        .filter(comments::id.eq(id))
        .select(CommentRow::as_select())
        .first(conn)
        .optional()?
        .map(|r| to_comment(r).map(|(_, c)| c))
        .transpose()
}

fn list(
    conn: &mut DbConnection,
    f: &CommentFilter,
    sort: CommentSort,
    page: &PageRequest<SortKey>,
) -> Result<Page<Comment, SortKey>, TxError> {
    let mut q = comments::table
        .select(CommentRow::as_select())
        .filter(comments::subject_type.eq(f.on.kind().as_str()))
        .filter(comments::subject_id.eq(f.on.id()))
        .into_boxed();
    q = match f.parent {
        None => q.filter(comments::parent_id.is_null()),
        Some(p) => q.filter(comments::parent_id.eq(p.to_string())),
    };
    q = match f.visibility {
        Visibility::Public => q.filter(comments::hidden.eq(false)),
        Visibility::PublicAndOwn(me) => q.filter(
            comments::hidden
                .eq(false)
                .or(comments::author_id.eq(me.to_string())),
        ),
        Visibility::Everything => q,
    };
    if let Some(after) = &page.after {
        let (v, seq) = (after.value, after.position);
        q = match sort {
            CommentSort::Oldest => q.filter(comments::seq.gt(seq)),
            CommentSort::Newest => q.filter(comments::seq.lt(seq)),
            CommentSort::MostLiked => q.filter(
                comments::like_count
                    .lt(v)
                    .or(comments::like_count.eq(v).and(comments::seq.lt(seq))),
            ),
        };
    }
    q = match sort {
        CommentSort::Oldest => q.order(comments::seq.asc()),
        CommentSort::Newest => q.order(comments::seq.desc()),
        CommentSort::MostLiked => q.order((comments::like_count.desc(), comments::seq.desc())),
    };
    let rows: Vec<CommentRow> = q.limit(page.fetch_limit()).load(conn)?;
    keyed_page(rows, page, |c| match sort {
        CommentSort::MostLiked => c.record().like_count,
        _ => 0,
    })
}

/// A page of comment rows keyed by `value` (the sort's count, 0 for a sort by position) and position.
pub(super) fn keyed_page(
    rows: Vec<CommentRow>,
    page: &PageRequest<SortKey>,
    value: impl Fn(&Comment) -> i64,
) -> Result<Page<Comment, SortKey>, TxError> {
    let keyed = rows
        .into_iter()
        .map(|r| {
            let (seq, c) = to_comment(r)?;
            let key = SortKey {
                value: value(&c),
                position: seq,
            };
            Ok((key, c))
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok(Page::from_rows(keyed, page, |(k, _)| k.clone()).map(|(_, c)| c))
}

impl CommentQueries for Database {
    fn list_comments(
        &self,
        filter: &CommentFilter,
        sort: CommentSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Comment, SortKey>, RepoError> {
        self.read(|conn| list(conn, filter, sort, page))
    }

    fn comment(&self, id: CommentId) -> Result<Option<Comment>, RepoError> {
        self.read(|conn| load(conn, &id.to_string()))
    }

    fn liked(&self, user: UserId, ids: &[CommentId]) -> Result<Vec<CommentId>, RepoError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read(|conn| {
            let raw: Vec<String> = comment_likes::table
                .filter(comment_likes::user_id.eq(user.to_string()))
                .filter(comment_likes::comment_id.eq_any(ids.iter().map(ToString::to_string)))
                .select(comment_likes::comment_id)
                .load(conn)?;
            raw.iter().map(|r| id(r, "liked comment")).collect()
        })
    }

    fn questions(
        &self,
        filter: &QuestionFilter,
        sort: QuestionSort,
        page: &PageRequest<SortKey>,
    ) -> Result<Page<Comment, SortKey>, RepoError> {
        self.read(|conn| question::list(conn, filter, sort, page))
    }

    fn voted_questions(
        &self,
        user: UserId,
        ids: &[CommentId],
    ) -> Result<Vec<CommentId>, RepoError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read(|conn| question::voted(conn, user, ids))
    }
}
