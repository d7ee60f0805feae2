"""Transparency: the public statistics (the funnel of proposals, each organization's record, the forums held),
read after the referral flow so that its proposals, referrals and forums are counted. Each carries a strong
`ETag` (`If-None-Match`: 304). Filters the generated client cannot express (a day such as 2026-13-01) go
through its underlying httpx client. The open data is in opendata.py, the Open311 view in open311.py."""

from __future__ import annotations

import datetime
import http
import math
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

import ops
from common import anonymous, check, expect, expect_problem
from referrals import seoul_day
from ocf_client.client import Client
from ocf_client.models.forum_stats_view import ForumStatsView
from ocf_client.models.forum_view import ForumView
from ocf_client.models.funnel_view import FunnelView
from ocf_client.models.organization_stats_view import OrganizationStatsView
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.problem import Problem
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.region import Region
from ocf_client.types import Response

STAGES = ["collected", "under_review", "selected", "rejected", "merged", "referred", "answered", "implemented"]
MAIN_PATH = [
    ("collected", "under_review"),
    ("under_review", "selected"),
    ("under_review", "rejected"),
    ("selected", "referred"),
    ("referred", "answered"),
    ("answered", "implemented"),
]
DECISIONS = ["accepted", "partially_accepted", "not_accepted"]
T = TypeVar("T")


def fields(problem: Problem) -> list[str]:
    return sorted(e.field for e in problem.errors) if isinstance(problem.errors, list) else []


def view_of(response: Response[Any], what: str, kind: type[T]) -> T:
    """The 200 answer of an operation that may answer 304, whose generated type (`Any | ...`) hides the view's."""
    body = expect(response, 200, what, kind)
    assert isinstance(body, kind)
    return body


def problem_of(response: httpx.Response) -> Response[Problem]:
    """A raw httpx answer as the generated client's typed one, to read its problem."""
    return Response(
        status_code=http.HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=Problem.from_dict(response.json()),
    )


def not_modified(what: str, first: Response[Any], again: Callable[[Client], Response[Any]]) -> str:
    """A strong `ETag`; sent back in `If-None-Match`, the same request is 304 with the same tag."""
    etag = first.headers.get("etag", "")
    check(re.fullmatch(r'"[^"]+"', etag), f"{what}: ETag {etag!r}")
    response = again(anonymous().with_headers({"If-None-Match": etag}))
    check(response.status_code == 304, f"{what} with If-None-Match: HTTP {response.status_code}")
    check(response.headers.get("etag") == etag, f"{what}: 304 with ETag {response.headers.get('etag')}")
    return etag


def _half_up(x: float) -> int:
    """Rounded half away from zero, as the server rounds (Python's `round` rounds half to even)."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def _stage_counts(f: FunnelView, what: str) -> dict[str, int]:
    """The stages, decisions and steps in their documented order; each rate is its counts' ratio."""
    check([s.stage.value for s in f.stages] == STAGES, f"{what}: stages {[s.stage.value for s in f.stages]}")
    check([(s.from_.value, s.to.value) for s in f.steps] == MAIN_PATH, f"{what}: steps")
    check([d.decision.value for d in f.decisions] == DECISIONS, f"{what}: decisions")
    count = {s.stage.value: s.count for s in f.stages}
    for s in f.steps:
        before, after = count[s.from_.value], count[s.to.value]
        rate = None if before == 0 else _half_up(after / before * 1e4) / 1e4
        check(s.rate == rate, f"{what}: {s.from_.value} -> {s.to.value} rate {s.rate} for {before} -> {after}")
        check(s.sample <= after and (s.sample == 0) == (s.median_days is None), f"{what}: {s.to.value} sample")
        check(s.median_days is None or s.median_days >= 0, f"{what}: {s.to.value} median_days {s.median_days}")
    return count


def funnel(proposal: ProposalView, receiver: OrganizationView, forum: ForumView) -> None:
    """The funnel of the proposals referred to the flow's organization (the flow's two: one implemented, one
    transferred away) counted exactly, as are those born at its forum; the policy area's funnel counts at least
    as many at every stage. A strong ETag (304), another one for another filter."""
    org = uuid.UUID(receiver.id)
    since, today = seoul_day(proposal.created_at), seoul_day()

    def ours(client: Client) -> Response[Any]:
        return ops.get_funnel.sync_detailed(client=client, organization_id=org, from_=since, to=today)

    first = ours(anonymous())
    view = view_of(first, "the funnel of the flow's organization", FunnelView)
    count = _stage_counts(view, "the funnel of the flow's organization")
    want = dict.fromkeys(STAGES, 0) | {"collected": 2, "under_review": 2, "selected": 2, "referred": 2}
    want |= {"answered": 1, "implemented": 1}
    check(count == want, f"the funnel of the flow's organization: {count}")
    decided = [d.count for d in view.decisions]
    check(decided == [1, 0, 0], f"the funnel of the flow's organization: decisions {decided}")

    forum_id = uuid.UUID(forum.id)
    at_forum = ops.get_funnel.sync_detailed(
        client=anonymous(), forum_id=forum_id, channel="offline_forum", region=_venue_region(forum)
    )
    collected = view_of(at_forum, "the funnel of the flow's forum", FunnelView).stages[0].count
    check(collected == 1, f"the funnel of the forum: collected {collected}")
    web = ops.get_funnel.sync_detailed(client=anonymous(), forum_id=forum_id, channel="web")
    past = ops.get_funnel.sync_detailed(
        client=anonymous(), organization_id=org, from_=datetime.date(2001, 1, 1), to=datetime.date(2001, 12, 31)
    )
    for what, result in [("the forum's web proposals", web), ("2001", past)]:
        check(all(s.count == 0 for s in view_of(result, what, FunnelView).stages), f"the funnel of {what}: not empty")
    area = ops.get_funnel.sync_detailed(client=anonymous(), policy_area=proposal.policy_area)
    total = _stage_counts(view_of(area, "the funnel of the policy area", FunnelView), "the policy area")
    check(all(total[s] >= want[s] for s in STAGES), f"the funnel of the policy area: {total}")
    tag = not_modified("the funnel", first, ours)
    check(area.headers.get("etag") != tag, "the funnel: another filter, the same ETag")


def _venue_region(forum: ForumView) -> Region:
    check(forum.venue is not None, f"the forum {forum.id} has no venue")
    assert forum.venue is not None
    return forum.venue.region


def funnel_invalid() -> None:
    """Invalid filters are 422 on each (a day such as 2026-13-01, `to` before `from`, unknown codes and ids),
    sent through the generated client's httpx client: its typed parameters cannot hold them."""
    raw = anonymous().get_httpx_client()
    for query, named in [
        ({"from": "2026-13-01"}, ["from"]),
        ({"from": "2026-12-02", "to": "2026-12-01"}, ["to"]),
        (
            {"channel": "fax", "region": "mars", "topic_id": "1", "forum_id": "x"},
            ["channel", "forum_id", "region", "topic_id"],
        ),
        ({"policy_area": "no-such-area"}, ["policy_area"]),
    ]:
        problem = expect_problem(
            problem_of(raw.get("/api/v1/stats/funnel", params=query)), 422, "validation_failed", f"the funnel {query}"
        )
        check(fields(problem) == named, f"the funnel {query}: errors name {fields(problem)}")


def organizations(receiver: OrganizationView, other_organization_id: str) -> None:
    """The flow's organization: two arrivals, one acknowledged and answered (accepted) on time, one transferred
    away; the organization it went to received at least that one."""
    first = ops.get_organization_stats.sync_detailed(client=anonymous())
    items = view_of(first, "the organizations' records", OrganizationStatsView).items
    codes = [i.organization.code for i in items]
    check(codes == sorted(codes), f"the organizations' records: not by code {codes}")
    mine = [i for i in items if str(i.organization.id) == receiver.id]
    check(len(mine) == 1, "the organizations' records: the flow's organization is missing")
    r = mine[0]
    check(r.organization.code == receiver.code, f"the record: organization {r.organization.code}")
    check(r.organization.name_ko == receiver.name_ko, f"the record: organization {r.organization.name_ko}")
    counts = [r.received, r.acknowledged, r.answered_on_time, r.answered_late, r.overdue_now, r.transferred_away]
    check(counts == [2, 1, 1, 0, 0, 1], f"the record: received ... transferred_away {counts}")
    decisions = [(d.decision.value, d.count) for d in r.decisions]
    check(decisions == list(zip(DECISIONS, [1, 0, 0])), f"the record: decisions {decisions}")
    check(r.open_commitments == 0 and r.overdue_commitments == 0, f"the record: open_commitments {r.open_commitments}")
    median, p90 = r.median_days_to_answer, r.p90_days_to_answer
    check(median is not None and p90 is not None and 0 <= median <= p90, f"the record: days to answer {median} / {p90}")
    other = [i for i in items if str(i.organization.id) == other_organization_id]
    check(other and other[0].received >= 1, "the organizations' records: the transfer's receiver is missing")
    past = [i.organization.code for i in items if max(i.acknowledged, i.transferred_away) > i.received]
    check(not past, f"the organizations' records: more acknowledged or transferred than received at {past}")
    not_modified("the organizations' records", first, lambda c: ops.get_organization_stats.sync_detailed(client=c))


def forums(forum: ForumView, live_forum: ForumView) -> None:
    """The days the flow's forums start: both held (reported, ended) with a registration, attendance and a
    proposal, counted by their kinds and region."""
    start, end = sorted(seoul_day(f.starts_at) for f in (forum, live_forum))

    def held(client: Client) -> Response[Any]:
        return ops.get_forum_stats.sync_detailed(client=client, from_=start, to=end)

    first = held(anonymous())
    s = view_of(first, "the forums held", ForumStatsView)
    check(s.held >= 2 and s.registered >= 1 and s.attended >= 1 and s.proposals >= 1, f"the forums held: {s.to_dict()}")
    kinds = {k.kind.value: k.count for k in s.by_kind}
    check(list(kinds) == ["open_forum", "regional_conference", "policy_conference"], f"by_kind: {list(kinds)}")
    for f in (forum, live_forum):
        ours = sum(1 for g in (forum, live_forum) if g.kind == f.kind)
        check(kinds[f.kind.value] >= ours, f"by_kind: {kinds}")
    check(sum(kinds.values()) == s.held, f"by_kind: not the {s.held} forums held")
    check(sum(g.count for g in s.by_region) == s.held, f"by_region: not the {s.held} forums held")
    region = [g.count for g in s.by_region if g.region == _venue_region(forum)]
    check(region and region[0] >= 2, f"by_region: {[g.to_dict() for g in s.by_region]}")
    outcomes = {o.status.value: o.count for o in s.outcomes}
    check(len(outcomes) == 9 and sum(outcomes.values()) == s.proposals, f"outcomes: {outcomes}")
    check(outcomes["submitted"] >= 1, "outcomes: the forum's proposal")
    not_modified("the forums held", first, held)

    january = ops.get_forum_stats.sync_detailed(
        client=anonymous(), from_=datetime.date(2001, 1, 1), to=datetime.date(2001, 1, 31)
    )
    none = view_of(january, "the forums held in January 2001", ForumStatsView)
    check(none.held == 0 and none.by_region == [] and all(k.count == 0 for k in none.by_kind), "forums held in 2001")
    bad = ops.get_forum_stats.sync_detailed(client=anonymous(), from_=end, to=datetime.date(2001, 1, 1))
    problem = expect_problem(bad, 422, "validation_failed", "the forums held, to before from")
    check(fields(problem) == ["to"], f"the forums held, to before from: errors name {fields(problem)}")
