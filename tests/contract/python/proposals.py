"""Proposals: the similar check, submitting, supporting, listing, searching and the timeline."""

from __future__ import annotations

import re

import ops
from accounts import Person
from common import RUN_ID, check, expect, expect_problem
from ocf_client.models.create_proposal_request import CreateProposalRequest
from ocf_client.models.paginated_timeline_event_view import PaginatedTimelineEventView
from ocf_client.models.paginated_policy_area_view import PaginatedPolicyAreaView
from ocf_client.models.paginated_proposal_summary import PaginatedProposalSummary
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.region import Region
from ocf_client.models.similar_request import SimilarRequest
from ocf_client.models.similar_response import SimilarResponse

# A distinctive English word per run, so search and the similar check find this run's proposal.
KEYWORD = re.sub(r"[^a-z]", "", f"pedestrianbridge{RUN_ID}")


def some_policy_area(reader: Person) -> str:
    areas = expect(
        ops.list_policy_areas.sync_detailed(client=reader.client(), limit=100),
        200,
        "list policy areas",
        PaginatedPolicyAreaView,
    )
    check(areas.items, "no policy areas: was `ocf-api seed` run?")
    return areas.items[0].code


def similar_check(author: Person) -> None:
    draft = SimilarRequest(title=f"A {KEYWORD} over the river", body=f"Build a {KEYWORD} for walkers.")
    found = expect(
        ops.similar_proposals.sync_detailed(client=author.client(), body=draft), 200, "similar", SimilarResponse
    )
    check(len(found.items) <= 10, "similar: more than 10 items")


def submit(author: Person, policy_area: str) -> ProposalView:
    body = CreateProposalRequest(
        title=f"A {KEYWORD} over the river",
        body=f"Build a {KEYWORD} over the river so that walkers need not cross the motorway.",
        policy_area=policy_area,
        region=Region("busan"),
        tags=["Walking", "bridges"],
    )
    result = ops.create_proposal.sync_detailed(client=author.client(), body=body)
    proposal = expect(result, 201, "submit proposal", ProposalView)
    check(proposal.status == "submitted", f"submit: status {proposal.status}")
    check(proposal.channel == "web", f"submit: channel {proposal.channel}")
    check(proposal.support_count == 0, "submit: support_count")
    check(proposal.is_mine is True, "submit: is_mine")
    check(result.headers.get("location") == f"/api/v1/proposals/{proposal.id}", "submit: Location header")
    return proposal


def support(proposal: ProposalView, author: Person, supporter: Person) -> None:
    own = ops.support_proposal.sync_detailed(proposal.id, client=author.client())
    expect_problem(own, 403, "own_proposal", "supporting one's own proposal")
    for attempt in (1, 2):
        result = ops.support_proposal.sync_detailed(proposal.id, client=supporter.client())
        check(result.status_code == 204, f"support #{attempt} (idempotent): HTTP {result.status_code}")
    after = expect(
        ops.get_proposal.sync_detailed(proposal.id, client=supporter.client()), 200, "read proposal", ProposalView
    )
    check(after.support_count == 1, f"support_count {after.support_count}")
    check(after.supported_by_me is True, "supported_by_me")
    check(after.is_mine is False, "is_mine for the supporter")


def list_mine(author: Person, proposal: ProposalView) -> None:
    page = expect(
        ops.list_proposals.sync_detailed(client=author.client(), author="me", limit=5),
        200,
        "list my proposals",
        PaginatedProposalSummary,
    )
    item = next((p for p in page.items if p.id == proposal.id), None)
    check(item is not None, "list: the new proposal is missing")
    assert item is not None
    check(item.title == proposal.title and item.excerpt, "list: summary fields")


def search(reader: Person, proposal: ProposalView) -> None:
    page = expect(
        ops.list_proposals.sync_detailed(client=reader.client(), q=KEYWORD),
        200,
        "search",
        PaginatedProposalSummary,
    )
    check(any(p.id == proposal.id for p in page.items), f"search for {KEYWORD}: proposal not found")
    bad = ops.list_proposals.sync_detailed(client=reader.client(), q="x")
    problem = expect_problem(bad, 422, "validation_failed", "one-character search")
    errors = problem.errors if isinstance(problem.errors, list) else []
    check(any(e.field == "q" for e in errors), "one-character search: field q")


def similar_finds_it(reader: Person, proposal: ProposalView) -> None:
    draft = SimilarRequest(title=proposal.title, body=proposal.body)
    found = expect(
        ops.similar_proposals.sync_detailed(client=reader.client(), body=draft), 200, "similar", SimilarResponse
    )
    hit = next((i for i in found.items if i.proposal.id == proposal.id), None)
    check(hit is not None, "similar: the proposal itself is not found")
    assert hit is not None
    check(0 < hit.score <= 1, f"similar: score {hit.score}")


def timeline(reader: Person, proposal: ProposalView) -> None:
    events = expect(
        ops.proposal_timeline.sync_detailed(proposal.id, client=reader.client(), limit=20),
        200,
        "timeline",
        PaginatedTimelineEventView,
    )
    check(events.items, "timeline: empty")
    first = events.items[0]
    check(first.kind == "submitted" and first.actor_role == "author", f"timeline: {first.kind}/{first.actor_role}")
    missing = ops.proposal_timeline.sync_detailed("00000000-0000-0000-0000-000000000000", client=reader.client())
    expect_problem(missing, 404, "not_found", "timeline of no proposal")
