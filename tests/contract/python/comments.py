"""Comments: on a live forum (with its agenda item and stream offset), replies, likes, editing and deleting
one's own, and reports and moderation (hide, unhide)."""

from __future__ import annotations

import uuid

import ops
from accounts import Person
from common import check, expect, expect_problem
from ocf_client.models.comment_sort import CommentSort
from ocf_client.models.comment_view import CommentView
from ocf_client.models.create_comment_request import CreateCommentRequest
from ocf_client.models.forum_view import ForumView
from ocf_client.models.moderation_request import ModerationRequest
from ocf_client.models.paginated_comment_view import PaginatedCommentView
from ocf_client.models.report_request import ReportRequest
from ocf_client.models.report_view import ReportView
from ocf_client.models.update_comment_request import UpdateCommentRequest

NO_COMMENT = "00000000-0000-0000-0000-000000000000"


def post_and_reply(forum: ForumView, author: Person, replier: Person) -> tuple[CommentView, CommentView]:
    """A comment on the live forum marked with the agenda item and the stream offset, and a reply to it."""
    body = CreateCommentRequest(body="The lane should not end at the market crossing.", agenda_item=0, stream_offset=95)
    comment = expect(
        ops.post_forum_comment.sync_detailed(forum.id, client=author.client(), body=body),
        201,
        "comment on the live forum",
        CommentView,
    )
    check(comment.subject_type == "forum" and comment.subject_id == forum.id, "comment: subject")
    check(comment.agenda_item == 0 and comment.stream_offset == 95, f"comment: {comment.agenda_item}/{comment.stream_offset}")
    check(comment.depth == 0 and comment.parent_id is None, "comment: depth / parent_id")
    check(comment.author_role == "citizen" and comment.is_mine is True, "comment: author_role / is_mine")

    answer = CreateCommentRequest(body="Yes, the market crossing is where the buses turn.", parent_id=uuid.UUID(comment.id))
    reply = expect(
        ops.post_forum_comment.sync_detailed(forum.id, client=replier.client(), body=answer), 201, "reply", CommentView
    )
    check(reply.parent_id == comment.id and reply.depth == 1, "reply: parent_id / depth")
    check(reply.agenda_item is None and reply.stream_offset is None, "reply: no live marks")

    top = expect(
        ops.list_forum_comments.sync_detailed(forum.id, client=replier.client(), sort=CommentSort.OLDEST),
        200,
        "list top-level comments",
        PaginatedCommentView,
    )
    listed = next((c for c in top.items if c.id == comment.id), None)
    check(listed is not None, "list: the comment is missing")
    assert listed is not None
    check(listed.reply_count == 1, f"list: reply_count {listed.reply_count}")
    check(listed.is_mine is False, "list: is_mine for another person")
    check(all(c.id != reply.id for c in top.items), "list: the reply is on the top level")
    replies = expect(
        ops.list_forum_comments.sync_detailed(forum.id, client=author.client(), parent_id=uuid.UUID(comment.id)),
        200,
        "list replies",
        PaginatedCommentView,
    )
    check([c.id for c in replies.items] == [reply.id], "list replies: not exactly the reply")
    return comment, reply


def like(comment: CommentView, author: Person, liker: Person) -> None:
    """Another person likes it (204, idempotent); its author may not (403 own_comment)."""
    own = ops.like_comment.sync_detailed(comment.id, client=author.client())
    expect_problem(own, 403, "own_comment", "liking one's own comment")
    for attempt in (1, 2):
        result = ops.like_comment.sync_detailed(comment.id, client=liker.client())
        check(result.status_code == 204, f"like #{attempt} (idempotent): HTTP {result.status_code}")
    read = expect(ops.get_comment.sync_detailed(comment.id, client=liker.client()), 200, "read comment", CommentView)
    check(read.like_count == 1 and read.liked_by_me is True, f"liked: {read.like_count}/{read.liked_by_me}")
    missing = ops.get_comment.sync_detailed(NO_COMMENT, client=liker.client())
    expect_problem(missing, 404, "not_found", "no such comment")


def report_and_moderate(comment: CommentView, author: Person, reporter: Person, admin: Person) -> None:
    """A report (once), then a moderator hides it (gone for others, kept for its author) and shows it again."""
    body = ReportRequest(reason="It names a shopkeeper by name.")
    own = ops.report_comment.sync_detailed(comment.id, client=author.client(), body=body)
    expect_problem(own, 403, "own_comment", "reporting one's own comment")
    report = expect(
        ops.report_comment.sync_detailed(comment.id, client=reporter.client(), body=body), 201, "report", ReportView
    )
    check(report.target_type == "comment" and report.target_id == comment.id, "report: target")
    check(report.status == "open", f"report: status {report.status}")
    again = ops.report_comment.sync_detailed(comment.id, client=reporter.client(), body=body)
    expect_problem(again, 409, "already_exists", "reporting twice")

    decision = ModerationRequest(reason="Names a person; hidden until edited.")
    refused = ops.hide_comment.sync_detailed(comment.id, client=reporter.client(), body=decision)
    expect_problem(refused, 403, "forbidden", "a citizen hiding a comment")
    hidden = expect(
        ops.hide_comment.sync_detailed(comment.id, client=admin.client(), body=decision), 200, "hide", CommentView
    )
    check(hidden.hidden is True, "hide: hidden")
    gone = ops.get_comment.sync_detailed(comment.id, client=reporter.client())
    expect_problem(gone, 404, "not_found", "a hidden comment read by another person")
    kept = expect(ops.get_comment.sync_detailed(comment.id, client=author.client()), 200, "read own", CommentView)
    check(kept.hidden is True, "a hidden comment read by its author")

    shown = expect(
        ops.unhide_comment.sync_detailed(
            comment.id, client=admin.client(), body=ModerationRequest(reason="The name was a public official's.")
        ),
        200,
        "unhide",
        CommentView,
    )
    check(shown.hidden is False, "unhide: hidden")
    twice = ops.unhide_comment.sync_detailed(comment.id, client=admin.client(), body=decision)
    expect_problem(twice, 409, "not_hidden", "unhiding a visible comment")


def edit_and_delete(comment: CommentView, author: Person, other: Person) -> None:
    """Its author edits it (edited_at) and deletes it (a placeholder without text); nobody else may."""
    body = UpdateCommentRequest(body="Yes: the market crossing is where the buses turn left.")
    refused = ops.update_comment.sync_detailed(comment.id, client=other.client(), body=body)
    expect_problem(refused, 403, "not_author", "editing another person's comment")
    edited = expect(
        ops.update_comment.sync_detailed(comment.id, client=author.client(), body=body), 200, "edit", CommentView
    )
    check(edited.body == body.body and edited.edited_at is not None, "edit: body / edited_at")
    expect_problem(
        ops.delete_comment.sync_detailed(comment.id, client=other.client()), 403, "not_author", "deleting another's"
    )
    for attempt in (1, 2):
        result = ops.delete_comment.sync_detailed(comment.id, client=author.client())
        check(result.status_code == 204, f"delete #{attempt} (idempotent): HTTP {result.status_code}")
    # Gone as a resource; its placeholder without text stays in the thread's lists.
    expect_problem(ops.get_comment.sync_detailed(comment.id, client=other.client()), 404, "not_found", "reading a deleted comment")
