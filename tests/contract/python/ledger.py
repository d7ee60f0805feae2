"""The referral ledger beyond one referral's steps: a second proposal with steps out of order and a transfer,
the public list with every filter and its pages, and the suggested competent organization (staff only),
which the routing job learns from answers off the request path."""

from __future__ import annotations

import re
import time
import uuid

import ops
from accounts import Person
from common import RUN_ID, check, expect, expect_problem
from officials import Official
from referrals import CONTACT, NO_ID, move, referral_body, seoul_day
from ocf_client.models.acknowledge_request import AcknowledgeRequest
from ocf_client.models.answer_request import AnswerRequest
from ocf_client.models.complete_request import CompleteRequest
from ocf_client.models.create_proposal_request import CreateProposalRequest
from ocf_client.models.decision import Decision
from ocf_client.models.follow_up_request import FollowUpRequest
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.paginated_referral_view import PaginatedReferralView
from ocf_client.models.participant_request import ParticipantRequest
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_status import ReferralStatus
from ocf_client.models.referral_subject_kind import ReferralSubjectKind
from ocf_client.models.referral_view import ReferralView
from ocf_client.models.region import Region
from ocf_client.models.review_status import ReviewStatus
from ocf_client.models.suggestions_view import SuggestionsView
from ocf_client.models.transfer_request import TransferRequest

# A distinctive English word per run, so this run's second proposal is told apart from others.
KEYWORD = re.sub(r"[^a-z]", "", f"cablecar{RUN_ID}")


def out_of_order(
    author: Person,
    policy_area: str,
    organization: OrganizationView,
    other_organization_id: str,
    official: Official,
    admin: Person,
) -> ReferralView:
    """A second proposal, referred to the same organization: steps out of order are 409 with their own
    codes; the organization transfers it to another one (the deadline restarts there), after which it is the
    wrong organization (403 not_receiving_organization)."""
    body = CreateProposalRequest(
        title=f"A {KEYWORD} up to the hillside village",
        body=f"Build a {KEYWORD} up to the hillside village so that its elderly residents need not climb.",
        policy_area=policy_area,
        region=Region("busan"),
        tags=["Transport"],
    )
    submitted = expect(
        ops.create_proposal.sync_detailed(client=author.client(), body=body), 201, "submit the second", ProposalView
    )
    move(submitted, admin, ReviewStatus.UNDER_REVIEW)
    proposal = move(submitted, admin, ReviewStatus.SELECTED)
    referral = expect(
        ops.create_referral.sync_detailed(client=admin.client(), body=referral_body(proposal, organization.id)),
        201,
        "refer the second proposal",
        ReferralView,
    )
    check(referral.due_on == seoul_day(referral.sent_at, 30), f"refer: default due_on {referral.due_on}")
    client = official.client()

    early = ops.answer_referral.sync_detailed(
        referral.id,
        client=client,
        body=AnswerRequest(
            decision=Decision.ACCEPTED,
            reasoning="Too early.",
            planned_measures="None yet.",
            expected_completion_on=seoul_day(days=60),
        ),
    )
    expect_problem(early, 409, "referral_not_acknowledged", "answering before acknowledging")
    meeting = ops.add_referral_follow_up.sync_detailed(
        referral.id,
        client=client,
        body=FollowUpRequest(
            held_on=seoul_day(),
            participants=[ParticipantRequest(role="Director", organization="Agency")],
            minutes="Too early.",
        ),
    )
    expect_problem(meeting, 409, "referral_not_acknowledged", "a follow-up before acknowledging")
    done = ops.complete_referral.sync_detailed(
        referral.id, client=client, body=CompleteRequest(evidence_url="https://www.example.kr/none", summary="Too early.")
    )
    expect_problem(done, 409, "referral_not_answered", "completing before an answer")
    same = ops.transfer_referral.sync_detailed(
        referral.id,
        client=client,
        body=TransferRequest(organization_id=uuid.UUID(organization.id), reason="Back to us."),
    )
    problem = expect_problem(same, 422, "validation_failed", "transferring to the same organization")
    errors = problem.errors if isinstance(problem.errors, list) else []
    check(any(e.field == "organization_id" for e in errors), "transferring to the same organization: field")

    reason = "The village's slopes belong to the city's parks department."
    moved = expect(
        ops.transfer_referral.sync_detailed(
            referral.id,
            client=client,
            body=TransferRequest(organization_id=uuid.UUID(other_organization_id), reason=reason),
        ),
        200,
        "transfer",
        ReferralView,
    )
    check(moved.status == "sent" and moved.organization_id == other_organization_id, f"transfer: {moved.status}")
    check(len(moved.hops) == 2 and moved.hops[1].organization_id == other_organization_id, "transfer: hops")
    check(moved.hops[1].reason == reason and moved.hops[0].organization_id == organization.id, "transfer: hop reason")
    check(moved.due_on == seoul_day(moved.hops[1].sent_at, 30), f"transfer: due_on {moved.due_on} (restarted?)")
    check(moved.number == referral.number, "transfer: the number changed")

    wrong = ops.acknowledge_referral.sync_detailed(
        referral.id, client=client, body=AcknowledgeRequest(division="Not ours any more")
    )
    expect_problem(wrong, 403, "not_receiving_organization", "the former organization acknowledging")
    return moved


def list_filtered(
    referral: ReferralView,
    transferred: ReferralView,
    organization: OrganizationView,
    other_organization_id: str,
    official: Official,
    reader: Person,
) -> None:
    """The public ledger, by every filter, and page by page."""
    year = int(referral.number[4:8])
    org = uuid.UUID(organization.id)
    subject = uuid.UUID(referral.subject_id)
    found = expect(
        ops.list_referrals.sync_detailed(
            client=reader.client(),
            organization_id=org,
            status=ReferralStatus.IMPLEMENTED,
            overdue=False,
            subject_kind=ReferralSubjectKind.PROPOSAL,
            subject_id=subject,
            year=year,
        ),
        200,
        "list referrals",
        PaginatedReferralView,
    )
    check(len(found.items) == 1 and found.items[0].id == referral.id, f"list referrals: {len(found.items)} items")
    ack = found.items[0].acknowledgement
    check(ack is not None and ack.contact is None, "list referrals: the contact is shown to a citizen")
    own = expect(
        ops.list_referrals.sync_detailed(client=official.client(), subject_id=subject),
        200,
        "list referrals (the official)",
        PaginatedReferralView,
    )
    own_ack = own.items[0].acknowledgement if own.items else None
    check(own_ack is not None and own_ack.contact == CONTACT, "list referrals: the official sees no contact")

    held = expect(
        ops.list_referrals.sync_detailed(client=reader.client(), organization_id=org, limit=100),
        200,
        "list the organization's referrals",
        PaginatedReferralView,
    )
    ids = [r.id for r in held.items]
    check(referral.id in ids and transferred.id not in ids, "list referrals: organization_id is the holder")
    moved = expect(
        ops.list_referrals.sync_detailed(
            client=reader.client(),
            organization_id=uuid.UUID(other_organization_id),
            status=ReferralStatus.SENT,
            subject_id=uuid.UUID(transferred.subject_id),
        ),
        200,
        "list the transferred referral",
        PaginatedReferralView,
    )
    check(len(moved.items) == 1 and len(moved.items[0].hops) == 2, "list referrals: the transferred one")
    empty = [
        ops.list_referrals.sync_detailed(client=reader.client(), subject_id=subject, status=ReferralStatus.SENT),
        ops.list_referrals.sync_detailed(client=reader.client(), organization_id=org, overdue=True),
        ops.list_referrals.sync_detailed(client=reader.client(), subject_id=subject, subject_kind=ReferralSubjectKind.FORUM),
        ops.list_referrals.sync_detailed(client=reader.client(), subject_id=subject, year=year + 1),
    ]
    for i, result in enumerate(empty):
        page = expect(result, 200, f"list referrals (filter {i + 1})", PaginatedReferralView)
        check(not page.items, f"list referrals (filter {i + 1}): {len(page.items)} items")

    first = expect(
        ops.list_referrals.sync_detailed(client=reader.client(), subject_kind=ReferralSubjectKind.PROPOSAL, limit=1),
        200,
        "first page of referrals",
        PaginatedReferralView,
    )
    check(len(first.items) == 1 and isinstance(first.next_cursor, str), "first page of referrals: no next_cursor")
    assert isinstance(first.next_cursor, str)
    second = expect(
        ops.list_referrals.sync_detailed(
            client=reader.client(), subject_kind=ReferralSubjectKind.PROPOSAL, limit=1, cursor=first.next_cursor
        ),
        200,
        "second page of referrals",
        PaginatedReferralView,
    )
    check(len(second.items) == 1 and second.items[0].id != first.items[0].id, "second page of referrals")
    check(first.items[0].sent_at >= second.items[0].sent_at, "referrals: not newest first")

    bad = ops.list_referrals.sync_detailed(client=reader.client(), year=1999)
    problem = expect_problem(bad, 422, "validation_failed", "referrals of the year 1999")
    errors = problem.errors if isinstance(problem.errors, list) else []
    check(any(e.field == "year" for e in errors), "referrals of the year 1999: field year")


def suggestions(proposal: ProposalView, citizen: Person, admin: Person) -> SuggestionsView:
    """Suggestions are for staff (200, best first, scores summing to at most 1); a citizen gets 403."""
    refused = ops.suggest_organizations.sync_detailed(proposal.id, client=citizen.client(), limit=20)
    expect_problem(refused, 403, "forbidden", "a citizen asking for suggested organizations")
    found = expect(
        ops.suggest_organizations.sync_detailed(proposal.id, client=admin.client(), limit=20),
        200,
        "suggested organizations",
        SuggestionsView,
    )
    check(found.learned_referrals >= 0, f"suggested organizations: learned_referrals {found.learned_referrals}")
    scores = [s.score for s in found.items]
    check(all(0 <= s <= 1 for s in scores), f"suggested organizations: scores {scores}")
    check(sum(scores) <= 1 + 1e-9, "suggested organizations: scores sum past 1")
    check(scores == sorted(scores, reverse=True), "suggested organizations: not best first")
    check(found.items or found.learned_referrals == 0, "suggested organizations: learned some, suggests none")
    missing = ops.suggest_organizations.sync_detailed(NO_ID, client=admin.client())
    expect_problem(missing, 404, "not_found", "suggestions for no proposal")
    return found


def suggestions_learned(proposal: ProposalView, organization: OrganizationView, citizen: Person, admin: Person) -> None:
    """The routing job learns from the answer off the request path: the organization is then suggested."""
    deadline = time.monotonic() + 15
    while True:
        found = suggestions(proposal, citizen, admin)
        hit = next((s for s in found.items if s.organization_id == organization.id), None)
        if hit is not None:
            check(found.learned_referrals >= 1, f"suggestions: learned_referrals {found.learned_referrals}")
            check(hit.code == organization.code and hit.name_en == organization.name_en, "suggestion: code / name_en")
            check(hit.name_ko == organization.name_ko and hit.score > 0, f"suggestion: name_ko / score {hit.score}")
            check(len(hit.terms) <= 5 and all(hit.terms), f"suggestion: terms {hit.terms}")
            return
        check(time.monotonic() < deadline, "suggestions: the answered organization is not suggested after 15 s")
        time.sleep(0.5)
