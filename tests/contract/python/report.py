"""The annual report (`/reports/annual/{year}`), read after the referral flow: the same funnel and forums as
the statistics for the year, the flow's implemented proposal with its policy task and every step dated; the
printable HTML page by `format` and by `Accept`; 304s; the years and formats refused. The page and the
format outside the document's enum go through the generated client's underlying httpx client."""

from __future__ import annotations

import datetime
from typing import Any

import ops
from common import anonymous, check, expect_problem
from ocf_client.client import Client
from ocf_client.models.annual_report_view import AnnualReportView
from ocf_client.models.forum_stats_view import ForumStatsView
from ocf_client.models.funnel_view import FunnelView
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_view import ReferralView
from ocf_client.types import Response
from referrals import seoul_day
from transparency import fields, not_modified, problem_of, view_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def annual(proposal: ProposalView, referral: ReferralView, receiver: OrganizationView) -> None:
    """The JSON report of this year against the statistics of the same days, and the implemented proposal."""
    year = seoul_day().year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def this_year(client: Client) -> Response[Any]:
        return ops.get_annual_report.sync_detailed(year, client=client)

    first = this_year(anonymous())
    r = view_of(first, "the annual report", AnnualReportView)
    check(r.year == year and (r.period.from_, r.period.to) == (start, end), f"the annual report: {r.year} {r.period}")
    funnel = ops.get_funnel.sync_detailed(client=anonymous(), from_=start, to=end)
    forums = ops.get_forum_stats.sync_detailed(client=anonymous(), from_=start, to=end)
    check(r.funnel.to_dict() == view_of(funnel, "the funnel", FunnelView).to_dict(), "the report: not the year's funnel")
    check(r.forums.to_dict() == view_of(forums, "the forums", ForumStatsView).to_dict(), "the report: not the year's forums")
    check(len(r.forums_held) == r.forums.held, f"the report: {len(r.forums_held)} forums listed")
    votes = [t.votes for t in r.top_topics]
    check(len(votes) <= 10 and votes == sorted(votes, reverse=True), f"the report: top_topics {votes}")
    check(any(str(o.organization.id) == str(receiver.id) and o.received >= 1 for o in r.organizations), "no record")
    done = [p for p in r.implemented if str(p.proposal_id) == str(proposal.id)]
    check(len(done) == 1, "the annual report: the flow's implemented proposal is missing")
    p = done[0]
    check(p.referral_number == referral.number and str(p.organization.id) == str(receiver.id), "implemented: referral")
    check(p.policy_task == "Policy task 34" and p.evidence_url is not None, f"implemented: {p.policy_task}")
    j = p.journey
    steps = [j.collected_at, j.reviewed_at, j.selected_at, j.referred_at, j.acknowledged_at, j.answered_at]
    steps.append(j.implemented_at)
    check(all(isinstance(s, datetime.datetime) for s in steps), f"implemented: a step without a date {j}")
    dated = [s for s in steps if isinstance(s, datetime.datetime)]
    check(dated == sorted(dated), f"implemented: steps out of order {dated}")
    check(j.decision is not None and j.decision.value == "accepted", f"implemented: decision {j.decision}")
    not_modified("the annual report", first, this_year)
    old = view_of(ops.get_annual_report.sync_detailed(2017, client=anonymous()), "the report of 2017", AnnualReportView)
    check(old.implemented == [] and old.funnel.stages[0].count == 0, "the report of 2017: not empty")


def page(proposal: ProposalView) -> None:
    """The printable page: HTML by `format` and by a browser's `Accept`, with the proposal in it, its own ETag."""
    year = seoul_day().year
    http = anonymous().get_httpx_client()
    path = f"/api/v1/reports/annual/{year}"
    by_format = http.get(path, params={"format": "html"})
    check(by_format.status_code == 200, f"the page: HTTP {by_format.status_code}")
    check(by_format.headers.get("content-type") == "text/html; charset=utf-8", "the page: content-type")
    html = by_format.text
    check(html.startswith('<!DOCTYPE html><html lang="ko">'), f"the page: {html[:60]}")
    check("The funnel" in html and "Proposals implemented" in html, "the page: English headings")
    title = proposal.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    check(title in html, "the page: the implemented proposal's title")
    check(all(s not in html for s in ("<script", "<link", "<img", "url(")), "the page loads something from elsewhere")
    by_accept = http.get(path, headers={"Accept": BROWSER})
    check(by_accept.headers.get("content-type") == "text/html; charset=utf-8", "the page by Accept")
    tag = by_format.headers.get("etag", "")
    again = http.get(path, params={"format": "html"}, headers={"If-None-Match": tag})
    check(again.status_code == 304 and again.headers.get("etag") == tag, f"the page: HTTP {again.status_code}")
    as_json = http.get(path, params={"format": "json"}, headers={"Accept": BROWSER})
    check(as_json.headers.get("content-type") == "application/json", "format=json wins over Accept")
    check(as_json.headers.get("etag") != tag, "the JSON and the page share an ETag")


def refused() -> None:
    """No report for a year before 2017 or still to come (404); `format` outside json and html is 422."""
    year = seoul_day().year
    for missing in (2016, year + 1):
        expect_problem(ops.get_annual_report.sync_detailed(missing, client=anonymous()), 404, "not_found", f"{missing}")
    bad = anonymous().get_httpx_client().get(f"/api/v1/reports/annual/{year}", params={"format": "pdf"})
    problem = expect_problem(problem_of(bad), 422, "validation_failed", "the annual report as pdf")
    check(fields(problem) == ["format"], f"the annual report as pdf: errors name {fields(problem)}")
