//! A forum's questions to the panel, in keyset pages on their partial indexes (`comments_questions*`).

use diesel::prelude::*;
use ocf_domain::Page;
use ocf_domain::PageRequest;
use ocf_domain::account::UserId;
use ocf_domain::actor::Visibility;
use ocf_domain::comment::query::{QuestionFilter, QuestionSort};
use ocf_domain::comment::{Comment, CommentId};
use ocf_domain::page::SortKey;

use super::{CommentRow, id};
use crate::db::DbConnection;
use crate::error::TxError;
use crate::schema::{comments, question_votes};

pub(super) fn list(
    conn: &mut DbConnection,
    f: &QuestionFilter,
    sort: QuestionSort,
    page: &PageRequest<SortKey>,
) -> Result<Page<Comment, SortKey>, TxError> {
    let mut q = comments::table
        .select(CommentRow::as_select())
        .filter(comments::subject_type.eq("forum"))
        .filter(comments::subject_id.eq(f.forum.to_string()))
        .filter(comments::question_status.is_not_null())
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(comments::question_status.eq(s.as_str()));
    }
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
            QuestionSort::Newest => q.filter(comments::seq.lt(seq)),
            QuestionSort::Votes => q.filter(
                comments::vote_count
                    .lt(v)
                    .or(comments::vote_count.eq(v).and(comments::seq.lt(seq))),
            ),
        };
    }
    q = match sort {
        QuestionSort::Newest => q.order(comments::seq.desc()),
        QuestionSort::Votes => q.order((comments::vote_count.desc(), comments::seq.desc())),
    };
    let rows: Vec<CommentRow> = q.limit(page.fetch_limit()).load(conn)?;
    super::keyed_page(rows, page, |c| match sort {
        QuestionSort::Votes => c.question().map_or(0, |q| q.votes),
        QuestionSort::Newest => 0,
    })
}

pub(super) fn voted(
    conn: &mut DbConnection,
    user: UserId,
    ids: &[CommentId],
) -> Result<Vec<CommentId>, TxError> {
    let raw: Vec<String> = question_votes::table
        .filter(question_votes::user_id.eq(user.to_string()))
        .filter(question_votes::comment_id.eq_any(ids.iter().map(ToString::to_string)))
        .select(question_votes::comment_id)
        .load(conn)?;
    raw.iter().map(|r| id(r, "voted question")).collect()
}
