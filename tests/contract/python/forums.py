"""Forums: planning one (staff), its lifecycle, registration, attendance, proposals entered from its paper
cards, its outcome and its timeline."""

from __future__ import annotations

import datetime
import re
import uuid

import ops
from accounts import Person
from common import RUN_ID, check, expect, expect_problem
from ocf_client.models.agenda_item_request import AgendaItemRequest
from ocf_client.models.attendance_request import AttendanceRequest
from ocf_client.models.create_forum_request import CreateForumRequest
from ocf_client.models.forum_kind import ForumKind
from ocf_client.models.forum_mode import ForumMode
from ocf_client.models.forum_proposal_request import ForumProposalRequest
from ocf_client.models.forum_status import ForumStatus
from ocf_client.models.forum_status_request import ForumStatusRequest
from ocf_client.models.forum_view import ForumView
from ocf_client.models.outcome_request import OutcomeRequest
from ocf_client.models.outcome_view import OutcomeView
from ocf_client.models.paginated_forum_event_view import PaginatedForumEventView
from ocf_client.models.paginated_forum_view import PaginatedForumView
from ocf_client.models.paginated_organization_view import PaginatedOrganizationView
from ocf_client.models.paginated_registration_view import PaginatedRegistrationView
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.region import Region
from ocf_client.models.registration_status import RegistrationStatus
from ocf_client.models.registration_view import RegistrationView
from ocf_client.models.speaker_request import SpeakerRequest
from ocf_client.models.speaker_role import SpeakerRole
from ocf_client.models.topic_view import TopicView
from ocf_client.models.venue_request import VenueRequest

# A distinctive English word per run, so the forum search finds this run's forum.
KEYWORD = re.sub(r"[^a-z]", "", f"townhall{RUN_ID}")
NO_FORUM = "00000000-0000-0000-0000-000000000000"
HOUR = datetime.timedelta(hours=1)
# Registration is open only while the forum is `scheduled` and before it starts: two days ahead.
STARTS_AT = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + 48 * HOUR


def some_organization(reader: Person) -> str:
    """An organization to host the forum: the admin names one (officials would host their own)."""
    orgs = expect(
        ops.list_organizations.sync_detailed(client=reader.client(), limit=1),
        200,
        "list organizations",
        PaginatedOrganizationView,
    )
    check(orgs.items, "no organizations: was `ocf-api seed` run?")
    return orgs.items[0].id


def plan(admin: Person, citizen: Person, organization_id: str, policy_area: str, topic: TopicView) -> ForumView:
    """The admin plans a hybrid forum on the shortlisted topic; a citizen may not; a draft is not public."""
    body = CreateForumRequest(
        kind=ForumKind.OPEN_FORUM,
        mode=ForumMode.HYBRID,
        title=f"The {KEYWORD} on cycling to the station",
        description=f"Cyclists, residents and officials meet at the {KEYWORD} about the road to the station.",
        organization_id=uuid.UUID(organization_id),
        policy_area=policy_area,
        topic_ids=[uuid.UUID(topic.id)],
        venue=VenueRequest(name="Station community centre", address="2 Station Road", region=Region("busan")),
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + 2 * HOUR,
        capacity=30,
        livestream_url="https://tv.example.kr/live/cycling-forum",
        panel=[SpeakerRequest(name="Lee Expert", role=SpeakerRole.EXPERT, affiliation="Transport institute")],
        agenda=[AgendaItemRequest(title="The route", starts_at=STARTS_AT, ends_at=STARTS_AT + HOUR, speaker="Lee Expert")],
    )
    refused = ops.create_forum.sync_detailed(client=citizen.client(), body=body)
    expect_problem(refused, 403, "not_forum_manager", "a citizen planning a forum")

    result = ops.create_forum.sync_detailed(client=admin.client(), body=body)
    forum = expect(result, 201, "plan forum", ForumView)
    check(forum.status == "draft", f"plan: status {forum.status}")
    check(forum.organization_id == organization_id, "plan: organization_id")
    check(forum.topic_ids == [topic.id], f"plan: topic_ids {forum.topic_ids}")
    check(forum.venue is not None and forum.venue.region == "busan", "plan: venue")
    check(forum.can_manage is True, "plan: can_manage")
    check(len(forum.agenda) == 1 and len(forum.panel) == 1, "plan: agenda / panel")
    seats = forum.seats
    check(seats.capacity == 30 and seats.registered == 0 and seats.seats_left == 30, f"plan: seats {seats}")
    check(forum.outcome_id is None, "plan: outcome_id")
    check(result.headers.get("location") == f"/api/v1/forums/{forum.id}", "plan: Location header")

    hidden = ops.get_forum.sync_detailed(forum.id, client=citizen.client())
    expect_problem(hidden, 404, "not_found", "a draft read by a citizen")
    linked = expect(ops.get_topic.sync_detailed(topic.id, client=citizen.client()), 200, "read topic", TopicView)
    check(linked.status == "scheduled", f"linked topic: status {linked.status}")
    return forum


def _move(forum: ForumView, admin: Person, status: ForumStatus) -> ForumView:
    result = ops.change_forum_status.sync_detailed(
        forum.id, client=admin.client(), body=ForumStatusRequest(status=status)
    )
    after = expect(result, 200, f"forum to {status}", ForumView)
    check(after.status == status, f"forum to {status}: status {after.status}")
    return after


def schedule(forum: ForumView, citizen: Person, admin: Person) -> ForumView:
    """The admin schedules the forum: then it is public, and a citizen may read but not move it."""
    scheduled = _move(forum, admin, ForumStatus.SCHEDULED)
    read = expect(ops.get_forum.sync_detailed(forum.id, client=citizen.client()), 200, "read forum", ForumView)
    check(read.can_manage is False, f"scheduled forum: can_manage {read.can_manage}")
    refused = ops.change_forum_status.sync_detailed(
        forum.id, client=citizen.client(), body=ForumStatusRequest(status=ForumStatus.LIVE)
    )
    expect_problem(refused, 403, "not_forum_manager", "a citizen moving a forum")

    page = expect(
        ops.list_forums.sync_detailed(
            client=citizen.client(),
            status=ForumStatus.SCHEDULED,
            region=Region("busan"),
            when="upcoming",
            q=KEYWORD,
            limit=100,
        ),
        200,
        "list forums",
        PaginatedForumView,
    )
    check(any(f.id == forum.id for f in page.items), "list forums: the scheduled forum is missing")
    missing = ops.get_forum.sync_detailed(NO_FORUM, client=citizen.client())
    expect_problem(missing, 404, "not_found", "no such forum")
    return scheduled


def register(forum: ForumView, citizen: Person) -> RegistrationView:
    """A citizen registers (201), once (409 already_registered)."""
    result = ops.register_for_forum.sync_detailed(forum.id, client=citizen.client())
    registration = expect(result, 201, "register for forum", RegistrationView)
    check(
        registration.status == "registered" and registration.waitlist_position is None,
        f"register: status {registration.status}",
    )
    check(registration.forum_id == forum.id and registration.user_id == citizen.user.id, "register: forum_id / user_id")
    check(registration.attended is False, "register: attended")
    again = ops.register_for_forum.sync_detailed(forum.id, client=citizen.client())
    expect_problem(again, 409, "already_registered", "registering twice")
    return registration


def registrations(forum: ForumView, registration: RegistrationView, admin: Person, other: Person) -> None:
    """The manager sees every registration; another citizen sees only their own (none)."""
    staff = expect(
        ops.list_forum_registrations.sync_detailed(
            forum.id, client=admin.client(), status=RegistrationStatus.REGISTERED, limit=100
        ),
        200,
        "list registrations (staff)",
        PaginatedRegistrationView,
    )
    check(any(r.id == registration.id for r in staff.items), "list registrations: the registration is missing")
    own = expect(
        ops.list_forum_registrations.sync_detailed(forum.id, client=other.client()),
        200,
        "list registrations (another citizen)",
        PaginatedRegistrationView,
    )
    check(not own.items, f"another citizen sees {len(own.items)} registrations")
    read = expect(ops.get_forum.sync_detailed(forum.id, client=other.client()), 200, "read forum", ForumView)
    check(read.seats.registered == 1 and read.seats.seats_left == 29, f"seats after registering: {read.seats}")


def go_live(forum: ForumView, admin: Person) -> ForumView:
    return _move(forum, admin, ForumStatus.LIVE)


def enter_proposal(forum: ForumView, citizen: Person, admin: Person) -> ProposalView:
    """Staff enter an idea from the forum's paper cards; the participant's name is never public."""
    body = ForumProposalRequest(
        title=f"Bicycle racks at the {KEYWORD} station",
        body=f"Covered bicycle racks at the station, as asked at the {KEYWORD} on a paper card.",
        policy_area=forum.policy_area,
        region=Region("busan"),
        tags=["Cycling"],
        participant_name="Choi",
    )
    refused = ops.enter_forum_proposal.sync_detailed(forum.id, client=citizen.client(), body=body)
    expect_problem(refused, 403, "not_forum_manager", "a citizen entering a forum proposal")
    result = ops.enter_forum_proposal.sync_detailed(forum.id, client=admin.client(), body=body)
    proposal = expect(result, 201, "enter forum proposal", ProposalView)
    check(proposal.channel == "offline_forum", f"enter: channel {proposal.channel}")
    check(proposal.forum_id == forum.id, f"enter: forum_id {proposal.forum_id}")
    entry = proposal.offline_entry
    check(entry is not None and entry.participant_name == "Choi", "enter: offline_entry for staff")
    public = expect(
        ops.get_proposal.sync_detailed(proposal.id, client=citizen.client()), 200, "read forum proposal", ProposalView
    )
    check(public.offline_entry is None, "forum proposal: offline_entry shown to a citizen")
    return proposal


def attendance(forum: ForumView, registration: RegistrationView, admin: Person) -> None:
    body = AttendanceRequest(registration_ids=[uuid.UUID(registration.id)], attended=True)
    after = expect(
        ops.mark_forum_attendance.sync_detailed(forum.id, client=admin.client(), body=body),
        200,
        "mark attendance",
        ForumView,
    )
    check(after.seats.attended == 1, f"attendance: seats.attended {after.seats.attended}")
    page = expect(
        ops.list_forum_registrations.sync_detailed(forum.id, client=admin.client()),
        200,
        "list registrations",
        PaginatedRegistrationView,
    )
    check(any(r.id == registration.id and r.attended for r in page.items), "attendance: registration.attended")


def end(forum: ForumView, topic: TopicView, admin: Person, reader: Person) -> ForumView:
    """Ending the forum: its topics become `discussed`; an outcome only comes after."""
    ended = _move(forum, admin, ForumStatus.ENDED)
    linked = expect(ops.get_topic.sync_detailed(topic.id, client=reader.client()), 200, "read topic", TopicView)
    check(linked.status == "discussed", f"topic after the forum: status {linked.status}")
    none = ops.get_forum_outcome.sync_detailed(forum.id, client=reader.client())
    expect_problem(none, 404, "not_found", "outcome before publishing")
    return ended


def timeline(reader: Person, forum: ForumView, topic: TopicView) -> None:
    """Every step of the forum so far, oldest first, staff shown by role."""
    events = expect(
        ops.forum_timeline.sync_detailed(forum.id, client=reader.client(), limit=20),
        200,
        "forum timeline",
        PaginatedForumEventView,
    )
    seen = [f"{e.kind}:{e.to_status or ''}" for e in events.items]
    expected = ["created:draft", "topic_linked:", "status_changed:scheduled", "status_changed:live", "status_changed:ended"]
    check(seen == expected, f"forum timeline: {seen}")
    check(all(e.actor_role == "admin" for e in events.items), "forum timeline: actor_role")
    check(events.items[1].related_id == topic.id, "forum timeline: topic_linked related_id")
    check(events.items[3].from_status == "scheduled", f"forum timeline: live from {events.items[3].from_status}")
    missing = ops.forum_timeline.sync_detailed(NO_FORUM, client=reader.client())
    expect_problem(missing, 404, "not_found", "timeline of no forum")


def outcome(forum: ForumView, proposal: ProposalView, citizen: Person, admin: Person) -> None:
    """The first outcome of an ended forum is 201 and reports it; anyone can read it, and the timeline
    shows it."""
    body = OutcomeRequest(
        summary=f"The {KEYWORD} asked for a protected lane and covered bicycle racks at the station.",
        recommendations=["A protected lane", "Covered racks"],
        proposal_ids=[uuid.UUID(proposal.id)],
    )
    refused = ops.put_forum_outcome.sync_detailed(forum.id, client=citizen.client(), body=body)
    expect_problem(refused, 403, "not_forum_manager", "a citizen publishing an outcome")
    result = ops.put_forum_outcome.sync_detailed(forum.id, client=admin.client(), body=body)
    published = expect(result, 201, "publish outcome", OutcomeView)
    check(published.forum_id == forum.id, "publish: forum_id")
    check(published.attendee_count == 1, f"publish: attendee_count {published.attendee_count} (the attendance marked)")
    check(published.proposal_ids == [proposal.id], "publish: proposal_ids")

    read = expect(
        ops.get_forum_outcome.sync_detailed(forum.id, client=citizen.client()), 200, "read outcome", OutcomeView
    )
    check(read.id == published.id and read.summary == body.summary, "read outcome: id / summary")
    check(read.recommendations == ["A protected lane", "Covered racks"], "read outcome: recommendations")
    reported = expect(ops.get_forum.sync_detailed(forum.id, client=citizen.client()), 200, "read forum", ForumView)
    check(reported.status == "reported", f"forum after its outcome: status {reported.status}")
    check(reported.outcome_id == published.id, "forum after its outcome: outcome_id")
    events = expect(
        ops.forum_timeline.sync_detailed(forum.id, client=citizen.client(), limit=20),
        200,
        "forum timeline",
        PaginatedForumEventView,
    )
    last = events.items[-1]
    check(
        last.kind == "outcome_published" and last.related_id == published.id,
        f"timeline after the outcome: last {last.kind}/{last.related_id}",
    )
