//! Lifecycle rules; a failed expectation panics, as tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};

use super::*;
use crate::account::Roles;
use crate::actor::Actor;

fn actor() -> Actor {
    Actor::new(Id::generate(), Roles::citizen())
}

#[test]
fn replies_nest_three_levels_then_join_the_deepest_thread() {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let on = CommentOn::Proposal(Id::generate());
    let body = || CommentBody::parse("좋은 의견입니다").unwrap();
    let (root, _) = Comment::post(&actor(), on, None, body(), None, false, now);
    let (l1, _) = Comment::post(&actor(), on, Some(&root), body(), None, false, now);
    let (l2, _) = Comment::post(&actor(), on, Some(&l1), body(), None, false, now);
    let (l3, _) = Comment::post(&actor(), on, Some(&l2), body(), None, false, now);
    assert_eq!((l1.record().depth, l2.record().depth), (1, 2));
    assert_eq!(l3.record().depth, 2);
    assert_eq!(l3.parent_id(), Some(l1.id()));
    assert_eq!(l3.record().in_reply_to, Some(l2.id()));
}

#[test]
fn only_the_author_edits_and_deletes_and_a_delete_is_soft() {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let author = actor();
    let (mut c, _) = Comment::post(
        &author,
        CommentOn::Topic(Id::generate()),
        None,
        CommentBody::parse("첫 의견").unwrap(),
        None,
        false,
        now,
    );
    let other = actor();
    assert_eq!(
        c.edit(other.user_id, CommentBody::parse("x").unwrap(), now)
            .unwrap_err(),
        CommentError::NotAuthor
    );
    c.edit(
        author.user_id,
        CommentBody::parse("고친 의견").unwrap(),
        now,
    )
    .unwrap();
    assert_eq!(c.record().edited_at, Some(now));
    assert_eq!(
        c.check_like(author.user_id).unwrap_err(),
        CommentError::OwnComment
    );
    assert!(c.delete(author.user_id, now).unwrap().is_some());
    assert!(c.delete(author.user_id, now).unwrap().is_none());
    assert!(c.deleted());
    assert_eq!(
        c.check_like(other.user_id).unwrap_err(),
        CommentError::Deleted
    );
}
