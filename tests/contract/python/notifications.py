"""Follows and notifications: following and unfollowing (idempotent), and the notifications the proposal's
author gets as the notification job writes them off the request path: polled, counted, marked read."""

from __future__ import annotations

import time

import ops
from accounts import Person
from common import check, expect, expect_problem
from referrals import NO_ID
from ocf_client.models.forum_view import ForumView
from ocf_client.models.mark_read_request import MarkReadRequest
from ocf_client.models.marked_view import MarkedView
from ocf_client.models.notification_view import NotificationView
from ocf_client.models.paginated_notification_view import PaginatedNotificationView
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_view import ReferralView
from ocf_client.models.topic_view import TopicView
from ocf_client.models.unread_view import UnreadView


def follows(proposal: ProposalView, topic: TopicView, forum: ForumView, follower: Person) -> None:
    """Follows are idempotent both ways (204, twice); no such proposal is 404."""
    client = follower.client()
    for attempt in (1, 2):
        off = ops.unfollow_proposal.sync_detailed(proposal.id, client=client)
        check(off.status_code == 204, f"unfollow the proposal #{attempt}: HTTP {off.status_code}")
    for attempt in (1, 2):
        on = ops.follow_proposal.sync_detailed(proposal.id, client=client)
        check(on.status_code == 204, f"follow the proposal #{attempt}: HTTP {on.status_code}")
    for what, status in (
        ("follow the topic", ops.follow_topic.sync_detailed(topic.id, client=client).status_code),
        ("unfollow the topic", ops.unfollow_topic.sync_detailed(topic.id, client=client).status_code),
        ("follow the forum", ops.follow_forum_updates.sync_detailed(forum.id, client=client).status_code),
        ("unfollow the forum", ops.unfollow_forum_updates.sync_detailed(forum.id, client=client).status_code),
    ):
        check(status == 204, f"{what}: HTTP {status}")
    missing = ops.follow_proposal.sync_detailed(NO_ID, client=client)
    expect_problem(missing, 404, "not_found", "following no proposal")


def _notifications(person: Person) -> list[NotificationView]:
    page = expect(
        ops.list_notifications.sync_detailed(client=person.client(), limit=100),
        200,
        "my notifications",
        PaginatedNotificationView,
    )
    return page.items


def notifications_arrive(author: Person, proposal: ProposalView, referral: ReferralView) -> list[NotificationView]:
    """The author follows their own proposal: the job writes its status changes (those the referral makes
    are told by its steps) and the referral's sending,
    answer and completion into their notifications within seconds. Polled for up to 15 s."""
    expected = sorted(
        [
            "proposal.status_changed:under_review",
            "proposal.status_changed:selected",
            "referral.sent:sent",
                    "referral.answered:answered",
                    "referral.completed:implemented",
                ]
    )
    deadline = time.monotonic() + 15
    while True:
        mine = [n for n in _notifications(author) if n.subject_id == proposal.id]
        seen = sorted(f"{n.type_}:{n.to_status or ''}" for n in mine)
        if seen == expected:
            break
        check(time.monotonic() < deadline, f"notifications after 15 s: {seen}")
        time.sleep(0.25)
    for n in mine:
        check(n.subject_kind == "proposal" and not n.read and n.read_at is None, f"notification {n.type_}: unread")
        of_referral = n.type_.startswith("referral.")
        check(n.referral_id == (referral.id if of_referral else None), f"notification {n.type_}: referral_id")
        check(n.decision == ("accepted" if n.type_ == "referral.answered" else None), f"notification {n.type_}: decision")
    # The moves the referral made (referred, answered, implemented) are told once, by its own steps.
    moved = next((n for n in mine if n.type_ == "proposal.status_changed" and n.to_status == "selected"), None)
    check(moved is not None and moved.from_status == "under_review", "notification: selected, not from under_review")
    return mine


def _unread(person: Person) -> int:
    count = expect(
        ops.count_unread_notifications.sync_detailed(client=person.client()), 200, "unread count", UnreadView
    )
    return count.unread


def mark_read(author: Person, notifications: list[NotificationView]) -> None:
    """Counted unread, marked read by id (idempotent; unknown ids ignored), unread ones listed first, then all."""
    before = _unread(author)
    check(before >= len(notifications), f"unread count {before} < {len(notifications)}")
    sent = next((n for n in notifications if n.type_ == "referral.sent"), None)
    check(sent is not None, "no referral.sent notification")
    assert sent is not None

    def mark(body: MarkReadRequest, what: str) -> MarkedView:
        return expect(
            ops.mark_notifications_read.sync_detailed(client=author.client(), body=body), 200, what, MarkedView
        )

    one = mark(MarkReadRequest(ids=[sent.id]), "mark one read")
    check(one.marked == 1 and one.unread == before - 1, f"mark one read: {one}")
    again = mark(MarkReadRequest(ids=[sent.id, "999999999"]), "mark it read again")
    check(again.marked == 0 and again.unread == before - 1, f"mark it read again: {again}")
    check(_unread(author) == before - 1, "unread count after marking one")

    items = _notifications(author)
    first_read = next((i for i, n in enumerate(items) if n.read), -1)
    check(first_read >= 0 and all(n.read for n in items[first_read:]), "notifications: an unread one after a read one")
    marked = next((n for n in items if n.id == sent.id), None)
    check(marked is not None and marked.read and marked.read_at is not None, "notifications: the marked one is not read")
    times = [n.occurred_at for n in items[:first_read]]
    check(times == sorted(times, reverse=True), "notifications: unread ones not newest first")

    neither = ops.mark_notifications_read.sync_detailed(client=author.client(), body=MarkReadRequest())
    problem = expect_problem(neither, 422, "validation_failed", "marking neither ids nor all")
    check(isinstance(problem.errors, list) and problem.errors, "marking neither ids nor all: no errors")

    every = mark(MarkReadRequest(all_=True), "mark all read")
    check(every.marked == before - 1 and every.unread == 0, f"mark all read: {every}")
    check(_unread(author) == 0, "unread count after marking all")
    check(all(n.read and n.read_at is not None for n in _notifications(author)), "notifications: unread after marking all")
