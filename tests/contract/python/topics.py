"""Topics: suggesting, voting, reading, listing and searching, the agenda (a staff decision), the timeline,
and proposals that answer a topic."""

from __future__ import annotations

import re
from uuid import UUID

import ops
from accounts import Person
from common import RUN_ID, check, expect, expect_problem
from ocf_client.models.create_proposal_request import CreateProposalRequest
from ocf_client.models.create_topic_request import CreateTopicRequest
from ocf_client.models.paginated_topic_event_view import PaginatedTopicEventView
from ocf_client.models.paginated_topic_summary import PaginatedTopicSummary
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.region import Region
from ocf_client.models.topic_sort import TopicSort
from ocf_client.models.topic_status import TopicStatus
from ocf_client.models.topic_status_request import TopicStatusRequest
from ocf_client.models.topic_view import TopicView

# A distinctive English word per run, so search finds this run's topic (and not the proposal's word).
KEYWORD = re.sub(r"[^a-z]", "", f"bicyclelane{RUN_ID}")
NO_TOPIC = "00000000-0000-0000-0000-000000000000"
SHORTLIST_REASON = "Chosen for the next public forum."


def suggest(author: Person, policy_area: str) -> TopicView:
    body = CreateTopicRequest(
        title=f"No {KEYWORD} to the station",
        description=f"There is no {KEYWORD} from the housing estates to the station; cyclists ride among buses.",
        policy_area=policy_area,
        region=Region("busan"),
        tags=["Cycling", "commuting"],
    )
    result = ops.create_topic.sync_detailed(client=author.client(), body=body)
    topic = expect(result, 201, "suggest topic", TopicView)
    check(topic.status == "suggested", f"suggest: status {topic.status}")
    check(topic.vote_count == 0, "suggest: vote_count")
    check(topic.is_mine is True and topic.voted_by_me is False, "suggest: is_mine / voted_by_me")
    check(topic.hidden is False, "suggest: hidden")
    check(topic.tags == ["commuting", "cycling"], f"suggest: tags {topic.tags}")
    check(result.headers.get("location") == f"/api/v1/topics/{topic.id}", "suggest: Location header")
    return topic


def validation_problem(author: Person) -> None:
    """Every invalid field of a topic is listed at once."""
    body = CreateTopicRequest(title="x", description="too short", policy_area="no-such-area")
    result = ops.create_topic.sync_detailed(client=author.client(), body=body)
    problem = expect_problem(result, 422, "validation_failed", "invalid topic")
    errors = problem.errors if isinstance(problem.errors, list) else []
    fields = sorted(e.field for e in errors)
    check(fields == ["description", "policy_area", "title"], f"invalid topic: errors name {fields}")
    for e in errors:
        check(e.message, f"no message for {e.field}")


def vote(topic: TopicView, author: Person, voter: Person) -> None:
    """The other person votes (idempotent 204); the author may not (403 own_topic)."""
    own = ops.vote_topic.sync_detailed(topic.id, client=author.client())
    expect_problem(own, 403, "own_topic", "voting for one's own topic")
    for attempt in (1, 2):
        result = ops.vote_topic.sync_detailed(topic.id, client=voter.client())
        check(result.status_code == 204, f"vote #{attempt} (idempotent): HTTP {result.status_code}")


def read(topic: TopicView, author: Person, voter: Person) -> None:
    """The voter's read counts the vote; the author's says it is theirs (and not voted by them)."""
    after = expect(ops.get_topic.sync_detailed(topic.id, client=voter.client()), 200, "read topic", TopicView)
    check(after.vote_count == 1, f"vote_count {after.vote_count}")
    check(after.voted_by_me is True, "voted_by_me")
    check(after.is_mine is False, "is_mine for the voter")
    check(after.description == topic.description, "read: description")
    own = expect(ops.get_topic.sync_detailed(topic.id, client=author.client()), 200, "read own topic", TopicView)
    check(own.is_mine is True and own.voted_by_me is False, "author's read: is_mine / voted_by_me")
    missing = ops.get_topic.sync_detailed(NO_TOPIC, client=voter.client())
    expect_problem(missing, 404, "not_found", "no such topic")


def list_filtered(reader: Person, topic: TopicView) -> None:
    page = expect(
        ops.list_topics.sync_detailed(
            client=reader.client(),
            status=TopicStatus.SUGGESTED,
            policy_area=topic.policy_area,
            region=Region("busan"),
            tag="Cycling",
            sort=TopicSort.NEWEST,
            limit=100,
        ),
        200,
        "list topics",
        PaginatedTopicSummary,
    )
    item = next((t for t in page.items if t.id == topic.id), None)
    check(item is not None, "list: the new topic is missing")
    assert item is not None
    check(item.title == topic.title and item.excerpt and item.vote_count == 1, "list: summary fields")
    first = expect(
        ops.list_topics.sync_detailed(client=reader.client(), limit=1, sort=TopicSort.MOST_VOTED),
        200,
        "one-item list",
        PaginatedTopicSummary,
    )
    check(len(first.items) <= 1, "one-item list: limit")
    declined = expect(
        ops.list_topics.sync_detailed(client=reader.client(), status=TopicStatus.DECLINED),
        200,
        "list declined topics",
        PaginatedTopicSummary,
    )
    check(all(t.id != topic.id for t in declined.items), "list: status filter")


def search(reader: Person, topic: TopicView) -> None:
    page = expect(
        ops.list_topics.sync_detailed(client=reader.client(), q=KEYWORD), 200, "search topics", PaginatedTopicSummary
    )
    check(any(t.id == topic.id for t in page.items), f"search for {KEYWORD}: topic not found")
    bad = ops.list_topics.sync_detailed(client=reader.client(), q="x")
    problem = expect_problem(bad, 422, "validation_failed", "one-character topic search")
    errors = problem.errors if isinstance(problem.errors, list) else []
    check(any(e.field == "q" for e in errors), "one-character topic search: field q")


def shortlist(topic: TopicView, citizen: Person, admin: Person) -> None:
    """Only staff move a topic on the agenda: a citizen is refused, the admin shortlists it."""
    decision = TopicStatusRequest(status=TopicStatus.SHORTLISTED, reason=SHORTLIST_REASON)
    refused = ops.change_topic_status.sync_detailed(topic.id, client=citizen.client(), body=decision)
    expect_problem(refused, 403, "forbidden", "a citizen moving a topic")
    after = expect(
        ops.change_topic_status.sync_detailed(topic.id, client=admin.client(), body=decision),
        200,
        "shortlist topic",
        TopicView,
    )
    check(after.status == "shortlisted", f"shortlist: status {after.status}")
    check(after.vote_count == 1, f"shortlist: vote_count {after.vote_count}")


def timeline(reader: Person, topic: TopicView) -> None:
    events = expect(
        ops.topic_timeline.sync_detailed(topic.id, client=reader.client(), limit=20),
        200,
        "topic timeline",
        PaginatedTopicEventView,
    )
    check(len(events.items) >= 2, f"topic timeline: {len(events.items)} events")
    first, second = events.items[0], events.items[1]
    check(
        first.kind == "suggested" and first.actor_role == "author" and first.to_status == "suggested",
        f"topic timeline: first {first.kind}/{first.actor_role}/{first.to_status}",
    )
    check(
        second.kind == "status_changed"
        and second.actor_role == "admin"
        and second.from_status == "suggested"
        and second.to_status == "shortlisted"
        and second.reason == SHORTLIST_REASON,
        f"topic timeline: second {second.kind}/{second.actor_role}/{second.from_status}->{second.to_status}",
    )
    missing = ops.topic_timeline.sync_detailed(NO_TOPIC, client=reader.client())
    expect_problem(missing, 404, "not_found", "timeline of no topic")


def proposal_for_topic(author: Person, topic: TopicView) -> None:
    """A proposal may answer a topic that exists; an unknown `topic_id` is a 422 on that field."""

    def body(topic_id: str) -> CreateProposalRequest:
        return CreateProposalRequest(
            title=f"A protected {KEYWORD} along the main road",
            body=f"Build a protected {KEYWORD} along the main road from the estates to the station.",
            policy_area=topic.policy_area,
            topic_id=UUID(topic_id),
        )

    result = ops.create_proposal.sync_detailed(client=author.client(), body=body(topic.id))
    proposal = expect(result, 201, "proposal answering the topic", ProposalView)
    check(proposal.topic_id == topic.id, f"proposal: topic_id {proposal.topic_id}")
    unknown = ops.create_proposal.sync_detailed(client=author.client(), body=body(NO_TOPIC))
    problem = expect_problem(unknown, 422, "validation_failed", "proposal answering no topic")
    fields = [e.field for e in problem.errors] if isinstance(problem.errors, list) else []
    check(fields == ["topic_id"], f"unknown topic_id: errors name {fields}")
