"""Open311: the GeoReport v2 view of referred proposals (`/open311/v2`), read after the referral flow. One
service per policy area; each referred proposal is a service request, `open` or `closed` by how far its referral
went. Errors are GeoReport's own: a JSON array of `{code, description}`, not problem+json. The statistics are in
transparency.py, the open data in opendata.py."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import ops
from accounts import Person
from common import anonymous, check, expect
from referrals import NO_ID
from ocf_client.models.open_311_error import Open311Error
from ocf_client.models.open_311_request import Open311Request
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.paginated_policy_area_view import PaginatedPolicyAreaView
from ocf_client.models.policy_area_view import PolicyAreaView
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_view import ReferralView
from ocf_client.models.service import Service
from ocf_client.types import UNSET, Response

GEOREPORT_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
KST = datetime.timedelta(hours=9)


def _kst_second(w3c: str | None, at: datetime.datetime) -> bool:
    """A GeoReport datetime (whole seconds, Korea Standard Time) for the instant `at`."""
    if w3c is None:
        return False
    t = datetime.datetime.fromisoformat(w3c)
    return t.utcoffset() == KST and t == at.replace(microsecond=0)


def _expect_geo_error(response: Response[Any], status: int, what: str) -> None:
    """Open311's own errors: a JSON array of one `{code, description}` with the HTTP status, never problem+json."""
    check(response.status_code == status, f"{what}: expected HTTP {status}, got {response.status_code}")
    content_type = response.headers.get("content-type", "")
    check(content_type.startswith("application/json"), f"{what}: content-type {content_type}")
    errors = response.parsed
    check(isinstance(errors, list) and len(errors) == 1, f"{what}: not an array of one error: {response.content!r}")
    assert isinstance(errors, list)
    error = errors[0]
    check(isinstance(error, Open311Error) and error.code == status and error.description, f"{what}: {error}")


def _requests(response: Response[Any], what: str) -> list[Open311Request]:
    check(response.status_code == 200, f"{what}: expected HTTP 200, got {response.status_code} {response.content!r}")
    items = response.parsed
    check(isinstance(items, list) and all(isinstance(r, Open311Request) for r in items), f"{what}: {items}")
    assert isinstance(items, list)
    return [r for r in items if isinstance(r, Open311Request)]


def services(reader: Person) -> None:
    """One service per policy area (by code): its Korean name, English description, `batch`, no metadata."""
    areas: list[PolicyAreaView] = []
    cursor: str | None = None
    while True:
        result = ops.list_policy_areas.sync_detailed(
            client=reader.client(), limit=100, cursor=UNSET if cursor is None else cursor
        )
        page = expect(result, 200, "list policy areas", PaginatedPolicyAreaView)
        areas += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    answer = ops.open311_services.sync_detailed(client=anonymous())
    check(answer.status_code == 200 and isinstance(answer.parsed, list), f"services.json: HTTP {answer.status_code}")
    assert isinstance(answer.parsed, list)
    listed = [s for s in answer.parsed if isinstance(s, Service)]
    check(len(listed) == len(areas), f"services.json: {len(listed)} for {len(areas)} policy areas")
    check([s.service_code for s in listed] == sorted(a.code for a in areas), "services.json: not every code, by code")
    by_code = {a.code: a for a in areas}
    for s in listed:
        area = by_code[s.service_code]
        check(s.service_name == area.name_ko and s.description == area.name_en, f"{s.service_code}: names")
        check(s.keywords == f"{area.code},{area.name_ko}", f"{s.service_code}: keywords {s.keywords}")
        check(not s.metadata and s.type_ == "batch", f"{s.service_code}: metadata {s.metadata} / type {s.type_}")
        check(s.group == "policy_area", f"{s.service_code}: group {s.group}")


def _check_request(r: Open311Request, referral: ReferralView, status: str, agency: str, what: str) -> None:
    check(r.status == status, f"{what}: status {r.status}, expected {status}")
    check(r.agency_responsible == agency, f"{what}: agency_responsible {r.agency_responsible}, expected {agency}")
    check(referral.number in r.status_notes and agency in r.status_notes, f"{what}: status_notes {r.status_notes}")
    check(r.service_notice is None and r.address_id is None and r.zipcode is None, f"{what}: notice / address_id / zip")
    check(r.lat is None and r.long is None and r.media_url is None, f"{what}: lat / long / media_url")
    updated, requested = (datetime.datetime.fromisoformat(t) for t in (r.updated_datetime, r.requested_datetime))
    check(updated >= requested, f"{what}: updated {r.updated_datetime} before requested {r.requested_datetime}")


def requests(
    proposal: ProposalView,
    referral: ReferralView,
    transferred: ReferralView,
    receiver: OrganizationView,
    other_organization_id: str,
    unreferred: ProposalView,
) -> None:
    """The flow's referred proposals as service requests: the implemented one `closed` at the flow's
    organization, the transferred one `open` at the other with its answer due; every GeoReport field present;
    filters, pages, and GeoReport errors (400, 404) for bad filters and for a proposal never referred."""
    other = expect(
        ops.get_organization.sync_detailed(other_organization_id, client=anonymous()),
        200,
        "the other organization",
        OrganizationView,
    )
    start = proposal.created_at - datetime.timedelta(seconds=1)
    end = datetime.datetime.now(datetime.timezone.utc)
    window = ops.open311_requests.sync_detailed(client=anonymous(), start_date=start, end_date=end)
    listed = _requests(window, "requests.json since the flow's proposal")
    ids = [r.service_request_id for r in listed]
    check(proposal.id in ids and transferred.subject_id in ids, "requests.json: the flow's requests are missing")
    closed, open_ = ids.index(proposal.id), ids.index(transferred.subject_id)
    check(open_ < closed, f"requests.json: the flow's requests at {closed} and {open_}, not newest first")
    raw: list[dict[str, Any]] = json.loads(window.content)
    check(all(set(r) == GEOREPORT_FIELDS for r in raw), "requests.json: not every GeoReport field, or others")

    first, second = listed[closed], listed[open_]
    _check_request(first, referral, "closed", receiver.name_ko, "the implemented proposal")
    check(first.service_code == proposal.policy_area, f"the implemented proposal: service_code {first.service_code}")
    check(first.description == f"{proposal.title}\n\n{proposal.body}", "the implemented proposal: description")
    region = proposal.region.value if proposal.region is not None else None
    check(first.address == region and first.expected_datetime is None, "the implemented proposal: address / expected")
    check(_kst_second(first.requested_datetime, proposal.created_at), f"requested_datetime {first.requested_datetime}")
    _check_request(second, transferred, "open", other.name_ko, "the transferred proposal")
    check(_kst_second(second.expected_datetime, transferred.due_at), f"expected_datetime {second.expected_datetime}")

    one = _requests(ops.open311_request.sync_detailed(uuid.UUID(proposal.id), client=anonymous()), "requests/{id}.json")
    check(len(one) == 1 and one[0].to_dict() == first.to_dict(), "requests/{id}.json: not the listed request")
    both = f"{proposal.id},{transferred.subject_id}"
    given = _requests(
        ops.open311_requests.sync_detailed(client=anonymous(), service_request_id=both, status="open"),
        "requests.json?service_request_id=",
    )
    check(sorted(r.service_request_id for r in given) == sorted(both.split(",")), "service_request_id: other requests")
    closed_id, open_id = proposal.id, transferred.subject_id
    for status, has, has_not in [("closed", closed_id, open_id), ("open", open_id, closed_id)]:
        result = ops.open311_requests.sync_detailed(
            client=anonymous(), status=status, service_code=proposal.policy_area, start_date=start, jurisdiction_id="kr"
        )
        got = _requests(result, f"requests.json?status={status}")
        check(has in [r.service_request_id for r in got], f"requests.json?status={status}: {has} is missing")
        check(has_not not in [r.service_request_id for r in got], f"requests.json?status={status}: {has_not} is listed")
        others = [r.service_request_id for r in got if (r.status, r.service_code) != (status, proposal.policy_area)]
        check(not others, f"requests.json?status={status}: others listed {others}")
    for page in (1, 2):
        paged = ops.open311_requests.sync_detailed(
            client=anonymous(), start_date=start, end_date=end, page=page, page_size=1
        )
        got = _requests(paged, f"requests.json page {page}")
        check([r.to_dict() for r in got] == [listed[page - 1].to_dict()], f"requests.json page {page} of size 1")

    client = anonymous()
    for what, invalid in [
        ("page_size=1001", ops.open311_requests.sync_detailed(client=client, page_size=1001)),
        ("status=pending", ops.open311_requests.sync_detailed(client=client, status="pending")),
    ]:
        _expect_geo_error(invalid, 400, f"requests.json, {what}")
    # GeoReport: an unknown service_code is 404; a window that ends before it starts holds no request.
    _expect_geo_error(
        ops.open311_requests.sync_detailed(client=client, service_code="no-such-area"),
        404,
        "requests.json, an unknown service_code",
    )
    reversed_window = ops.open311_requests.sync_detailed(client=client, start_date=end, end_date=start)
    check(_requests(reversed_window, "a reversed window") == [], "a reversed window: not empty")
    for missing in (NO_ID, unreferred.id):
        _expect_geo_error(ops.open311_request.sync_detailed(uuid.UUID(missing), client=client), 404, f"{missing}.json")
