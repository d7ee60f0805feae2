"""Referrals: a selected proposal referred to an organization and walked through the ledger by its official
(acknowledged, extended, answered, a follow-up and its commitment, completed), the steps others may not take,
and the proposal's timeline. Transfers, steps out of order, the list and the suggestions are in ledger.py;
follows and notifications in notifications.py."""

from __future__ import annotations

import datetime
import re
import uuid

import ops
from accounts import Person
from common import check, expect, expect_problem, signed_in
from officials import Official
from ocf_client.models.acknowledge_request import AcknowledgeRequest
from ocf_client.models.answer_request import AnswerRequest
from ocf_client.models.change_status_request import ChangeStatusRequest
from ocf_client.models.commitment_request import CommitmentRequest
from ocf_client.models.commitment_status import CommitmentStatus
from ocf_client.models.commitment_status_request import CommitmentStatusRequest
from ocf_client.models.complete_request import CompleteRequest
from ocf_client.models.create_referral_request import CreateReferralRequest
from ocf_client.models.decision import Decision
from ocf_client.models.extend_request import ExtendRequest
from ocf_client.models.follow_up_request import FollowUpRequest
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.paginated_timeline_event_view import PaginatedTimelineEventView
from ocf_client.models.participant_request import ParticipantRequest
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_subject_kind import ReferralSubjectKind
from ocf_client.models.referral_view import ReferralView
from ocf_client.models.review_status import ReviewStatus
from ocf_client.models.transfer_request import TransferRequest

NO_ID = "00000000-0000-0000-0000-000000000000"
# The internal contact of the acknowledgement: for staff and the organization only.
CONTACT = "Lee Clerk, 044-300-0000"
# Asia/Seoul: UTC+9, no daylight saving. The ledger's due days are Seoul days.
SEOUL = datetime.timezone(datetime.timedelta(hours=9))


def seoul_day(at: datetime.datetime | None = None, days: int = 0) -> datetime.date:
    moment = at or datetime.datetime.now(datetime.timezone.utc)
    return moment.astimezone(SEOUL).date() + datetime.timedelta(days=days)


def end_of_day(on: datetime.date) -> datetime.datetime:
    """The end of a Seoul day, as the API writes `due_at`."""
    return datetime.datetime.combine(on, datetime.time(23, 59, 59, 999999), tzinfo=SEOUL)


def same_instant(a: datetime.datetime, b: datetime.datetime) -> bool:
    return abs((a - b).total_seconds()) < 1


def move(proposal: ProposalView, admin: Person, status: ReviewStatus) -> ProposalView:
    result = ops.change_proposal_status.sync_detailed(
        proposal.id, client=admin.client(), body=ChangeStatusRequest(status=status)
    )
    after = expect(result, 200, f"proposal to {status}", ProposalView)
    check(after.status == status.value, f"proposal to {status}: status {after.status}")
    return after


def referral_body(
    proposal: ProposalView, organization_id: str, due_on: datetime.date | None = None
) -> CreateReferralRequest:
    body = CreateReferralRequest(
        subject_kind=ReferralSubjectKind.PROPOSAL,
        subject_id=uuid.UUID(proposal.id),
        organization_id=uuid.UUID(organization_id),
        cover_note=f'The selected proposal "{proposal.title}" is sent for review and an answer.',
    )
    if due_on is not None:
        body.due_on = due_on
    return body


def read_proposal(proposal: ProposalView, reader: Person) -> ProposalView:
    return expect(ops.get_proposal.sync_detailed(proposal.id, client=reader.client()), 200, "read proposal", ProposalView)


def select(proposal: ProposalView, organization: OrganizationView, citizen: Person, admin: Person) -> ProposalView:
    """The admin reviews and selects the proposal (a citizen may not); one under review cannot be referred."""
    refused = ops.change_proposal_status.sync_detailed(
        proposal.id, client=citizen.client(), body=ChangeStatusRequest(status=ReviewStatus.UNDER_REVIEW)
    )
    expect_problem(refused, 403, "forbidden", "a citizen reviewing a proposal")
    move(proposal, admin, ReviewStatus.UNDER_REVIEW)
    early = ops.create_referral.sync_detailed(client=admin.client(), body=referral_body(proposal, organization.id))
    expect_problem(early, 409, "subject_not_referable", "referring a proposal under review")
    return move(proposal, admin, ReviewStatus.SELECTED)


def refer(proposal: ProposalView, organization: OrganizationView, citizen: Person, admin: Person) -> ReferralView:
    """The admin refers the selected proposal (a citizen may not): an official document, number and due date."""
    due_on = seoul_day(days=20)
    body = referral_body(proposal, organization.id, due_on)
    refused = ops.create_referral.sync_detailed(client=citizen.client(), body=body)
    expect_problem(refused, 403, "forbidden", "a citizen referring a proposal")

    result = ops.create_referral.sync_detailed(client=admin.client(), body=body)
    referral = expect(result, 201, "refer the proposal", ReferralView)
    check(re.fullmatch(r"OCF-\d{4}-\d{6,}", referral.number), f"refer: number {referral.number}")
    check(referral.number.startswith(f"OCF-{seoul_day().year}-"), f"refer: number {referral.number} of another year")
    check(referral.status == "sent" and referral.subject_kind == "proposal", f"refer: {referral.status}")
    check(referral.subject_id == proposal.id and referral.organization_id == organization.id, "refer: subject / org")
    check(referral.due_on == due_on, f"refer: due_on {referral.due_on}, asked {due_on}")
    check(same_instant(referral.due_at, end_of_day(due_on)), f"refer: due_at {referral.due_at} is not the end of the day")
    check(not referral.overdue and not referral.extended and referral.extension_reason is None, "refer: overdue / extended")
    hops = referral.hops
    check(len(hops) == 1 and hops[0].organization_id == organization.id and hops[0].reason is None, "refer: hops")
    check(
        referral.acknowledgement is None and referral.answer is None and referral.completion is None,
        "refer: steps before they happen",
    )
    check(not referral.follow_ups and not referral.commitments, "refer: follow_ups / commitments")
    check(referral.cover_note == body.cover_note, "refer: cover_note")
    check(result.headers.get("location") == f"/api/v1/referrals/{referral.id}", "refer: Location header")

    check(read_proposal(proposal, citizen).status == "referred", "referred proposal: status")
    again = ops.create_referral.sync_detailed(client=admin.client(), body=body)
    expect_problem(again, 409, "subject_already_referred", "referring it twice")
    missing = ops.get_referral.sync_detailed(NO_ID, client=citizen.client())
    expect_problem(missing, 404, "not_found", "no such referral")
    return referral


def _read(referral: ReferralView, reader: Person) -> ReferralView:
    return expect(ops.get_referral.sync_detailed(referral.id, client=reader.client()), 200, "read referral", ReferralView)


def acknowledge(referral: ReferralView, official: Official, citizen: Person, admin: Person) -> ReferralView:
    """Only an official of the organization holding it acknowledges: not a citizen, not the admin, not the
    official's token from before the role (403 not_receiving_organization); once (409). The contact is for
    the organization and staff; other citizens see `null`."""
    body = AcknowledgeRequest(division="Cable car and ropeway division", contact=CONTACT)
    for who, token in (
        ("a citizen", citizen.token),
        ("the admin", admin.token),
        ("the official's token from before the role", official.stale_token),
    ):
        refused = ops.acknowledge_referral.sync_detailed(referral.id, client=signed_in(token), body=body)
        expect_problem(refused, 403, "not_receiving_organization", f"{who} acknowledging")

    result = ops.acknowledge_referral.sync_detailed(referral.id, client=official.client(), body=body)
    after = expect(result, 200, "acknowledge", ReferralView)
    check(after.status == "acknowledged", f"acknowledge: status {after.status}")
    ack = after.acknowledgement
    check(ack is not None and ack.division == body.division, "acknowledge: division")
    check(ack is not None and ack.contact == CONTACT, "acknowledge: the contact to the official")

    again = ops.acknowledge_referral.sync_detailed(referral.id, client=official.client(), body=body)
    expect_problem(again, 409, "referral_already_acknowledged", "acknowledging twice")

    public = _read(referral, citizen).acknowledgement
    check(public is not None and public.division == body.division, "referral read by a citizen: division")
    check(public is not None and public.contact is None, "referral read by a citizen: the contact is shown")
    for who, reader in (("the admin", admin), ("the official", official)):
        seen = _read(referral, reader).acknowledgement
        check(seen is not None and seen.contact == CONTACT, f"referral read by {who}: no contact")
    return after


def extend(referral: ReferralView, official: Official) -> ReferralView:
    """Once per organization, before the answer: a later due date (409 the second time)."""
    due_on = referral.due_on + datetime.timedelta(days=10)
    body = ExtendRequest(reason="The ropeway needs the park authority's consent.", due_on=due_on)
    after = expect(
        ops.extend_referral.sync_detailed(referral.id, client=official.client(), body=body), 200, "extend", ReferralView
    )
    check(after.extended and after.extension_reason == body.reason, "extend: extended / extension_reason")
    check(after.due_on == due_on, f"extend: due_on {after.due_on}, asked {due_on}")
    check(same_instant(after.due_at, end_of_day(due_on)), f"extend: due_at {after.due_at}")
    check(after.hops[0].due_at == referral.hops[0].due_at, "extend: the hop's first due date changed")
    again = ops.extend_referral.sync_detailed(referral.id, client=official.client(), body=body)
    expect_problem(again, 409, "referral_already_extended", "extending twice")
    return after


def answer(
    referral: ReferralView, official: Official, proposal: ProposalView, other_organization_id: str, reader: Person
) -> ReferralView:
    """`accepted` needs planned measures and a completion date (422 without); then the proposal is `answered`."""
    bare = ops.answer_referral.sync_detailed(
        referral.id, client=official.client(), body=AnswerRequest(decision=Decision.ACCEPTED, reasoning="We agree.")
    )
    problem = expect_problem(bare, 422, "validation_failed", "accepted without measures")
    errors = problem.errors if isinstance(problem.errors, list) else []
    fields = sorted(e.field for e in errors)
    check(fields == ["expected_completion_on", "planned_measures"], f"accepted without measures: errors name {fields}")

    body = AnswerRequest(
        decision=Decision.ACCEPTED,
        reasoning="We agree with the proposal and will build the line.",
        planned_measures="A feasibility study this year, construction from next spring.",
        policy_task="Policy task 34",
        expected_completion_on=seoul_day(days=60),
    )
    after = expect(
        ops.answer_referral.sync_detailed(referral.id, client=official.client(), body=body), 200, "answer", ReferralView
    )
    check(after.status == "answered", f"answer: status {after.status}")
    a = after.answer
    check(a is not None and a.decision == "accepted" and a.reasoning == body.reasoning, "answer: decision / reasoning")
    assert a is not None
    check(a.planned_measures == body.planned_measures and a.policy_task == body.policy_task, "answer: measures / task")
    check(a.expected_completion_on == body.expected_completion_on, f"answer: completion on {a.expected_completion_on}")

    again = ops.answer_referral.sync_detailed(referral.id, client=official.client(), body=body)
    expect_problem(again, 409, "referral_already_answered", "answering twice")
    late = ops.transfer_referral.sync_detailed(
        referral.id,
        client=official.client(),
        body=TransferRequest(organization_id=uuid.UUID(other_organization_id), reason="Too late to pass on."),
    )
    expect_problem(late, 409, "referral_already_answered", "transferring an answered referral")
    check(read_proposal(proposal, reader).status == "answered", "answered proposal: status")
    return after


def follow_up(referral: ReferralView, official: Official) -> ReferralView:
    """A follow-up meeting with one commitment (201, `planned` by default)."""
    body = FollowUpRequest(
        held_on=seoul_day(),
        participants=[
            ParticipantRequest(role="Director", organization="Cable Car Agency"),
            ParticipantRequest(role="Proposer", organization="Citizens"),
        ],
        minutes="The agency and the proposer agreed on the study's terms of reference.",
        commitments=[CommitmentRequest(description="Tender the feasibility study", due_on=seoul_day(days=45))],
    )
    result = ops.add_referral_follow_up.sync_detailed(referral.id, client=official.client(), body=body)
    after = expect(result, 201, "follow-up", ReferralView)
    check(result.headers.get("location") == f"/api/v1/referrals/{referral.id}", "follow-up: Location header")
    check(len(after.follow_ups) == 1, f"follow-up: {len(after.follow_ups)} follow-ups")
    meeting = after.follow_ups[0]
    check(meeting.held_on == body.held_on and meeting.minutes == body.minutes, "follow-up: held_on / minutes")
    check(len(meeting.participants) == 2 and meeting.participants[0].role == "Director", "follow-up: participants")
    check(len(after.commitments) == 1, f"follow-up: {len(after.commitments)} commitments")
    commitment = after.commitments[0]
    check(commitment.follow_up_id == meeting.id, "follow-up: commitment.follow_up_id")
    check(commitment.status == "planned" and not commitment.overdue, f"follow-up: commitment {commitment.status}")
    check(commitment.description == "Tender the feasibility study", "follow-up: commitment.description")
    check(after.status == "answered", f"follow-up: status {after.status}")
    return after


def commitment_done(referral: ReferralView, official: Official, citizen: Person) -> ReferralView:
    """The official marks the commitment done (the same status again changes nothing); a citizen may not."""
    check(referral.commitments, "no commitment to mark")
    commitment = referral.commitments[0]
    body = CommitmentStatusRequest(status=CommitmentStatus.DONE)
    refused = ops.update_referral_commitment.sync_detailed(referral.id, commitment.id, client=citizen.client(), body=body)
    expect_problem(refused, 403, "not_receiving_organization", "a citizen updating a commitment")

    after = expect(
        ops.update_referral_commitment.sync_detailed(referral.id, commitment.id, client=official.client(), body=body),
        200,
        "commitment done",
        ReferralView,
    )
    done = next((c for c in after.commitments if c.id == commitment.id), None)
    check(done is not None and done.status == "done" and not done.overdue, "commitment done: status")
    assert done is not None
    again = expect(
        ops.update_referral_commitment.sync_detailed(referral.id, commitment.id, client=official.client(), body=body),
        200,
        "commitment done again",
        ReferralView,
    )
    check(
        any(c.id == commitment.id and c.updated_at == done.updated_at for c in again.commitments),
        "commitment done again: changed",
    )
    missing = ops.update_referral_commitment.sync_detailed(referral.id, NO_ID, client=official.client(), body=body)
    expect_problem(missing, 404, "not_found", "no such commitment")
    return after


def complete(referral: ReferralView, official: Official, citizen: Person, proposal: ProposalView) -> ReferralView:
    """The evidence closes it: the referral and the proposal `implemented`; again is 409 referral_closed."""
    body = CompleteRequest(
        evidence_url="https://www.example.kr/press/ropeway-study",
        summary="The feasibility study was tendered and awarded.",
    )
    refused = ops.complete_referral.sync_detailed(referral.id, client=citizen.client(), body=body)
    expect_problem(refused, 403, "not_receiving_organization", "a citizen completing")
    after = expect(
        ops.complete_referral.sync_detailed(referral.id, client=official.client(), body=body), 200, "complete", ReferralView
    )
    check(after.status == "implemented", f"complete: status {after.status}")
    c = after.completion
    check(c is not None and c.evidence_url == body.evidence_url and c.summary == body.summary, "complete: completion")
    check(
        after.answer is not None and after.answer.decision == "accepted" and after.commitments[0].status == "done",
        "complete: the chain",
    )
    again = ops.complete_referral.sync_detailed(referral.id, client=official.client(), body=body)
    expect_problem(again, 409, "referral_closed", "completing twice")
    check(read_proposal(proposal, citizen).status == "implemented", "implemented proposal: status")
    return after


def timeline(reader: Person, proposal: ProposalView, referral: ReferralView, organization: OrganizationView) -> None:
    """The proposal's public timeline: the review, then every step of the referral, staff shown by role."""
    events = expect(
        ops.proposal_timeline.sync_detailed(proposal.id, client=reader.client(), limit=50),
        200,
        "proposal timeline",
        PaginatedTimelineEventView,
    )
    steps = [e for e in events.items if e.kind.startswith("referral_")]
    kinds = [str(e.kind) for e in steps]
    expected = [
        "referral_sent",
        "referral_acknowledged",
        "referral_extended",
        "referral_answered",
        "referral_followed_up",
        "referral_commitment_updated",
        "referral_completed",
    ]
    check(kinds == expected, f"timeline: referral steps {kinds}")
    check(all(e.referral_id == referral.id for e in steps), "timeline: referral_id")
    check(steps[0].actor_role == "admin", f"timeline: referral_sent by {steps[0].actor_role}")
    check(all(e.actor_role == "official" for e in steps[1:]), "timeline: the organization's steps by `official`")
    for e in steps:
        if e.kind in ("referral_sent", "referral_answered", "referral_completed"):
            check(e.organization_id == organization.id, f"timeline: {e.kind} organization_id {e.organization_id}")
    check(steps[3].decision == "accepted", f"timeline: referral_answered decision {steps[3].decision}")
    moves = [str(e.to_status) for e in events.items if e.kind == "status_changed"]
    funnel = ["under_review", "selected", "referred", "answered", "implemented"]
    check(moves == funnel, f"timeline: status changes {moves}")
    check(events.items[-1].to_status == "implemented", f"timeline: last {events.items[-1].kind}")
