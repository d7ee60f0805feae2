"""Live forums: a hybrid forum with an agenda walked live, its agenda moved on, its stream (server-sent
events) followed, questions to the panel asked, voted on, put on stage and answered, and the outcome that
lists them. The stream is read with httpx's streaming: the generated client would wait for a body that
never ends."""

from __future__ import annotations

import datetime
import http
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

import ops
from accounts import Person
from common import BASE_URL, RUN_ID, FlowError, check, expect, expect_problem
from ocf_client.client import AuthenticatedClient
from ocf_client.models.agenda_current_request import AgendaCurrentRequest
from ocf_client.models.agenda_item_request import AgendaItemRequest
from ocf_client.models.ask_question_request import AskQuestionRequest
from ocf_client.models.comment_view import CommentView
from ocf_client.models.create_comment_request import CreateCommentRequest
from ocf_client.models.create_forum_request import CreateForumRequest
from ocf_client.models.forum_kind import ForumKind
from ocf_client.models.forum_mode import ForumMode
from ocf_client.models.forum_status import ForumStatus
from ocf_client.models.forum_status_request import ForumStatusRequest
from ocf_client.models.forum_view import ForumView
from ocf_client.models.outcome_request import OutcomeRequest
from ocf_client.models.outcome_view import OutcomeView
from ocf_client.models.paginated_comment_view import PaginatedCommentView
from ocf_client.models.problem import Problem
from ocf_client.models.question_sort import QuestionSort
from ocf_client.models.question_status import QuestionStatus
from ocf_client.models.question_status_request import QuestionStatusRequest
from ocf_client.models.region import Region
from ocf_client.models.speaker_request import SpeakerRequest
from ocf_client.models.speaker_role import SpeakerRole
from ocf_client.models.venue_request import VenueRequest
from ocf_client.models.vote_view import VoteView
from ocf_client.types import Response

# A distinctive English word per run, so this run's live forum is told apart from others.
KEYWORD = re.sub(r"[^a-z]", "", f"riverlive{RUN_ID}")
NO_FORUM = "00000000-0000-0000-0000-000000000000"
HOUR = datetime.timedelta(hours=1)
STARTS_AT = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + 48 * HOUR


def _no_stream(response: httpx.Response) -> None:
    """Runs before the body is read: a stream where a problem was expected would never end, so fail now."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        raise FlowError(f"{response.request.url}: HTTP {response.status_code}, a stream where a problem was expected")


def _refusing_streams(person: Person) -> AuthenticatedClient:
    """The person's client for `follow_forum` calls that must fail (the generated call reads the whole body)."""
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=person.token,
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"response": [_no_stream]}},
    )


def plan(admin: Person, citizen: Person, organization_id: str, policy_area: str) -> ForumView:
    """The admin plans a hybrid forum (a venue and a livestream) with two agenda items; its stream is 404
    while a draft."""
    body = CreateForumRequest(
        kind=ForumKind.OPEN_FORUM,
        mode=ForumMode.HYBRID,
        title=f"The {KEYWORD} on the river bus at night",
        description=f"Riverside residents and the operator talk through the {KEYWORD} about late river buses, live.",
        organization_id=uuid.UUID(organization_id),
        policy_area=policy_area,
        venue=VenueRequest(name="River bus pier", address="5 Riverside Walk", region=Region("busan")),
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + 2 * HOUR,
        capacity=40,
        livestream_url="https://tv.example.kr/live/river-bus",
        panel=[SpeakerRequest(name="Han Operator", role=SpeakerRole.OFFICIAL, affiliation="River buses")],
        agenda=[
            AgendaItemRequest(
                title="The night timetable", starts_at=STARTS_AT, ends_at=STARTS_AT + HOUR, speaker="Han Operator"
            ),
            AgendaItemRequest(title="Questions from the floor", starts_at=STARTS_AT + HOUR, ends_at=STARTS_AT + 2 * HOUR),
        ],
    )
    forum = expect(ops.create_forum.sync_detailed(client=admin.client(), body=body), 201, "plan live forum", ForumView)
    check(forum.status == "draft" and forum.mode == "hybrid", f"plan: {forum.status}/{forum.mode}")
    check(len(forum.agenda) == 2, f"plan: agenda {len(forum.agenda)}")
    check(forum.agenda_current is None and forum.live_at is None, "plan: agenda_current / live_at before live")

    draft = ops.follow_forum.sync_detailed(forum.id, client=_refusing_streams(citizen))
    expect_problem(draft, 404, "not_found", "the stream of a draft")
    missing = ops.follow_forum.sync_detailed(NO_FORUM, client=_refusing_streams(citizen))
    expect_problem(missing, 404, "not_found", "the stream of no forum")
    return forum


def _move(forum: ForumView, admin: Person, status: ForumStatus) -> ForumView:
    result = ops.change_forum_status.sync_detailed(forum.id, client=admin.client(), body=ForumStatusRequest(status=status))
    after = expect(result, 200, f"live forum to {status}", ForumView)
    check(after.status == status, f"live forum to {status}: status {after.status}")
    return after


def go_live(forum: ForumView, citizen: Person, admin: Person) -> ForumView:
    """Scheduled (no questions yet: 409 forum_not_live), then live: on the first agenda item, `live_at` set."""
    _move(forum, admin, ForumStatus.SCHEDULED)
    early = ops.ask_forum_question.sync_detailed(
        forum.id, client=citizen.client(), body=AskQuestionRequest(body="Will the last boat wait for the late train?")
    )
    expect_problem(early, 409, "forum_not_live", "a question before the forum is live")
    live = _move(forum, admin, ForumStatus.LIVE)
    check(live.agenda_current == 0, f"live: agenda_current {live.agenda_current}")
    check(live.live_at is not None, "live: live_at")
    return live


def advance_agenda(forum: ForumView, citizen: Person, admin: Person) -> ForumView:
    """The manager moves on to the second item; a citizen may not, and there is no third."""
    second = AgendaCurrentRequest(agenda_item=1)
    refused = ops.advance_forum_agenda.sync_detailed(forum.id, client=citizen.client(), body=second)
    expect_problem(refused, 403, "not_forum_manager", "a citizen moving the agenda on")
    moved = expect(
        ops.advance_forum_agenda.sync_detailed(forum.id, client=admin.client(), body=second),
        200,
        "advance the agenda",
        ForumView,
    )
    check(moved.agenda_current == 1, f"advance: agenda_current {moved.agenda_current}")
    check(moved.status == "live" and moved.live_at == forum.live_at, "advance: status / live_at")
    past = ops.advance_forum_agenda.sync_detailed(forum.id, client=admin.client(), body=AgendaCurrentRequest(agenda_item=2))
    problem = expect_problem(past, 422, "validation_failed", "an item past the agenda")
    fields = [e.field for e in problem.errors] if isinstance(problem.errors, list) else []
    check(fields == ["agenda_item"], f"past the agenda: errors name {fields}")
    return moved


@dataclass(frozen=True)
class SseEvent:
    id: str | None
    event: str
    data: str


def _sse_events(lines: Iterator[str], deadline: float) -> Iterator[SseEvent]:
    """The events of a `text/event-stream` body as they arrive (`retry:` and heartbeat comments skipped)."""
    event_id: str | None = None
    event, any_field = "message", False
    data: list[str] = []
    for line in lines:
        if time.monotonic() > deadline:
            raise FlowError("follow: no comment.posted within 15 s")
        if line == "":
            if any_field:
                yield SseEvent(id=event_id, event=event, data="\n".join(data))
            event_id, event, data, any_field = None, "message", [], False
            continue
        if line.startswith(":"):
            continue  # a comment (heartbeat)
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "id":
            event_id = value
        elif field == "event":
            event = value
        elif field == "data":
            data.append(value)
        else:
            continue  # `retry:` and unknown fields
        any_field = True


def follow(forum: ForumView, author: Person) -> CommentView:
    """Follows the forum's stream with httpx's streaming: a fresh viewer gets `viewers` first; a comment
    posted meanwhile arrives as `comment.posted` with its position as `id:`. A `Last-Event-ID` that is not a
    position is 422 (the generated call sends only integers). Returns the comment (not a question)."""
    path = f"/api/v1/forums/{forum.id}/events"
    with httpx.Client(base_url=BASE_URL, timeout=10.0) as raw:
        bad = raw.get(path, headers={"Last-Event-ID": "not-a-position"})
        typed: Response[Problem] = Response(
            status_code=http.HTTPStatus(bad.status_code),
            content=bad.content,
            headers=bad.headers,
            parsed=Problem.from_dict(bad.json()),
        )
        problem = expect_problem(typed, 422, "validation_failed", "a Last-Event-ID that is not a position")
        fields = [e.field for e in problem.errors] if isinstance(problem.errors, list) else []
        check(fields == ["Last-Event-ID"], f"Last-Event-ID: errors name {fields}")

        with raw.stream("GET", path, headers={"Accept": "text/event-stream"}) as response:
            check(response.status_code == 200, f"follow the forum: HTTP {response.status_code}")
            content_type = response.headers.get("content-type", "")
            check(content_type.startswith("text/event-stream"), f"follow: content-type {content_type}")
            events = _sse_events(response.iter_lines(), time.monotonic() + 15)

            first = next(events)
            check(first.event == "viewers", f"follow: the first event is {first.event}, not viewers")
            viewers: dict[str, Any] = json.loads(first.data)
            check(viewers["forum_id"] == forum.id and viewers["viewers"] >= 1, f"follow: viewers {first.data}")

            posted = expect(
                ops.post_forum_comment.sync_detailed(
                    forum.id,
                    client=author.client(),
                    body=CreateCommentRequest(body="Watching from the far bank: the stream is clear."),
                ),
                201,
                "comment while following",
                CommentView,
            )
            for e in events:
                if e.event != "comment.posted":
                    continue
                data: dict[str, Any] = json.loads(e.data)
                comment = CommentView.from_dict(data["comment"])
                check(comment.id == posted.id, f"comment.posted: another comment {comment.id}")
                check(e.id == str(data["position"]), f"comment.posted: id: {e.id}, position {data['position']}")
                check(first.id is not None, "follow: viewers without an id")
                assert e.id is not None and first.id is not None
                check(int(e.id) > int(first.id), f"comment.posted: id {e.id} after viewers {first.id}")
                check(data["type"] == "comment.posted" and data["occurred_at"], f"comment.posted: type {data['type']}")
                check(comment.body == posted.body and comment.question is None, "comment.posted: body / question")
                check(comment.is_mine is None, "comment.posted: the public view (is_mine)")
                return posted
            # Leaving the `with` blocks closes the connection: the client aborts the stream.
    raise FlowError("follow: the stream ended before comment.posted")


def ask(forum: ForumView, asker: Person, text: str) -> CommentView:
    """A citizen asks the panel: a top-level comment on the forum marked with the agenda item under way."""
    result = ops.ask_forum_question.sync_detailed(forum.id, client=asker.client(), body=AskQuestionRequest(body=text))
    question = expect(result, 201, "ask a question", CommentView)
    check(result.headers.get("location") == f"/api/v1/comments/{question.id}", "ask: Location header")
    check(question.subject_type == "forum" and question.subject_id == forum.id, "ask: subject")
    check(question.parent_id is None and question.depth == 0, "ask: a top-level comment")
    check(question.agenda_item == 1, f"ask: agenda_item {question.agenda_item} (the item under way)")
    check(question.stream_offset is not None and question.stream_offset >= 0, f"ask: stream_offset {question.stream_offset}")
    check(question.is_mine is True, "ask: is_mine")
    q = question.question
    check(q is not None and q.status == "open" and q.votes == 0 and q.voted_by_me is False, f"ask: question {q}")
    return question


def vote(question: CommentView, comment: CommentView, author: Person, voter: Person) -> None:
    """Another person votes (once, however often), takes it back and votes again; not its author, not a
    comment."""
    own = ops.vote_question.sync_detailed(question.id, client=author.client())
    expect_problem(own, 403, "own_comment", "voting for one's own question")
    not_question = ops.vote_question.sync_detailed(comment.id, client=voter.client())
    expect_problem(not_question, 404, "not_found", "voting for a comment that is not a question")
    for attempt in (1, 2):
        given = expect(ops.vote_question.sync_detailed(question.id, client=voter.client()), 200, "vote", VoteView)
        check(given.question_id == question.id, "vote: question_id")
        check(given.votes == 1 and given.voted_by_me is True, f"vote #{attempt}: {given.votes}/{given.voted_by_me}")
    read = expect(ops.get_comment.sync_detailed(question.id, client=voter.client()), 200, "read question", CommentView)
    q = read.question
    check(q is not None and q.votes == 1 and q.voted_by_me is True, f"read after the vote: {q}")
    for attempt in (1, 2):
        taken = expect(ops.unvote_question.sync_detailed(question.id, client=voter.client()), 200, "unvote", VoteView)
        check(taken.votes == 0 and taken.voted_by_me is False, f"unvote #{attempt}: {taken.votes}/{taken.voted_by_me}")
    again = expect(ops.vote_question.sync_detailed(question.id, client=voter.client()), 200, "vote again", VoteView)
    check(again.votes == 1, f"vote again: {again.votes}")


def _set_status(question: CommentView, person: Person, status: QuestionStatus) -> Response[CommentView | Problem]:
    body = QuestionStatusRequest(status=status)
    return ops.set_question_status.sync_detailed(question.id, client=person.client(), body=body)


def stage(question: CommentView, other: CommentView, citizen: Person, admin: Person) -> None:
    """The manager puts one on stage (one at a time), then answers it; a citizen may not, nor may it go
    back on stage."""
    refused = _set_status(question, citizen, QuestionStatus.ON_STAGE)
    expect_problem(refused, 403, "not_forum_manager", "a citizen staging a question")
    on_stage = expect(_set_status(question, admin, QuestionStatus.ON_STAGE), 200, "put on stage", CommentView)
    q = on_stage.question
    check(q is not None and q.status == "on_stage" and q.votes == 1, f"on stage: {q}")
    second = _set_status(other, admin, QuestionStatus.ON_STAGE)
    problem = expect_problem(second, 409, "question_on_stage", "a second question on stage")
    check(question.id in problem.detail, f"question_on_stage names {problem.detail}")
    answered = expect(_set_status(question, admin, QuestionStatus.ANSWERED), 200, "mark answered", CommentView)
    check(answered.question is not None and answered.question.status == "answered", f"answered: {answered.question}")
    back = _set_status(question, admin, QuestionStatus.ON_STAGE)
    expect_problem(back, 409, "invalid_transition", "an answered question back on stage")


def list_sorted(forum: ForumView, voted: CommentView, other: CommentView, voter: Person, reader: Person) -> None:
    """Most voted first (the default, page by page) or newest first, and by status."""
    first = expect(
        ops.list_forum_questions.sync_detailed(forum.id, client=voter.client(), sort=QuestionSort.VOTES, limit=1),
        200,
        "questions by votes, page 1",
        PaginatedCommentView,
    )
    check([c.id for c in first.items] == [voted.id], f"by votes, page 1: {[c.id for c in first.items]}")
    mine = first.items[0].question
    check(mine is not None and mine.voted_by_me is True, "by votes: voted_by_me")
    cursor = first.next_cursor
    check(isinstance(cursor, str), "by votes, page 1: no next_cursor")
    assert isinstance(cursor, str)
    second = expect(
        ops.list_forum_questions.sync_detailed(
            forum.id, client=voter.client(), sort=QuestionSort.VOTES, limit=1, cursor=cursor
        ),
        200,
        "questions by votes, page 2",
        PaginatedCommentView,
    )
    check([c.id for c in second.items] == [other.id], f"by votes, page 2: {[c.id for c in second.items]}")
    check(second.next_cursor is None, "by votes, page 2: next_cursor")

    newest = expect(
        ops.list_forum_questions.sync_detailed(forum.id, client=reader.client(), sort=QuestionSort.NEWEST),
        200,
        "questions, newest first",
        PaginatedCommentView,
    )
    check([c.id for c in newest.items] == [other.id, voted.id], f"newest: {[c.id for c in newest.items]}")
    check(
        all(c.question is not None and c.question.voted_by_me is False for c in newest.items),
        "list by a person who voted for none: voted_by_me",
    )
    answered = expect(
        ops.list_forum_questions.sync_detailed(forum.id, client=reader.client(), status=QuestionStatus.ANSWERED),
        200,
        "answered questions",
        PaginatedCommentView,
    )
    check([c.id for c in answered.items] == [voted.id], f"answered: {[c.id for c in answered.items]}")


def end(forum: ForumView, question: CommentView, asker: Person, voter: Person, admin: Person) -> ForumView:
    """Once ended, no more votes or questions (409 forum_not_live)."""
    ended = _move(forum, admin, ForumStatus.ENDED)
    late_vote = ops.vote_question.sync_detailed(question.id, client=voter.client())
    expect_problem(late_vote, 409, "forum_not_live", "a vote after the end")
    late_unvote = ops.unvote_question.sync_detailed(question.id, client=voter.client())
    expect_problem(late_unvote, 409, "forum_not_live", "an unvote after the end")
    late = ops.ask_forum_question.sync_detailed(
        forum.id, client=asker.client(), body=AskQuestionRequest(body="Is there still time for one more?")
    )
    expect_problem(late, 409, "forum_not_live", "a question after the end")
    return ended


def outcome(forum: ForumView, voted: CommentView, other: CommentView, admin: Person, reader: Person) -> None:
    """The outcome lists the questions, most voted first, with their votes and whether they were answered."""
    body = OutcomeRequest(
        summary=f"The {KEYWORD} asked for a later last river bus on weekdays.", recommendations=["A later last boat"]
    )
    expect(
        ops.put_forum_outcome.sync_detailed(forum.id, client=admin.client(), body=body),
        201,
        "publish the live forum's outcome",
        OutcomeView,
    )
    read = expect(ops.get_forum_outcome.sync_detailed(forum.id, client=reader.client()), 200, "read outcome", OutcomeView)
    check([q.id for q in read.questions] == [voted.id, other.id], f"outcome: questions {[q.id for q in read.questions]}")
    top, rest = read.questions
    check(top.votes == 1 and top.answered is True and top.status == "answered", f"outcome: {top}")
    check(top.body == voted.body and top.agenda_item == 1, "outcome: body / agenda_item")
    check(top.stream_offset == voted.stream_offset, f"outcome: stream_offset {top.stream_offset}")
    check(top.created_at == voted.created_at, f"outcome: created_at {top.created_at}")
    check(rest.votes == 0 and rest.answered is False and rest.status == "open", f"outcome: {rest}")
