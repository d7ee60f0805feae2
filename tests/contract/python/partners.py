"""Partners: the admin registers a partner channel and its machine credentials (issued, listed without
secrets, rotated, revoked); the channel's machine obtains tokens at the OAuth token endpoint (client
credentials, HTTP Basic; errors are OAuth's JSON, not problem+json), puts records by external id, one by one
and in bulk (NDJSON, replayed by Idempotency-Key), and manages its webhooks; a suspended channel's token is
refused. The bulk import is sent and read with plain httpx: the generated client has no NDJSON bodies. The
token request goes through the generated client, which form-encodes its body."""

from __future__ import annotations

import base64
import datetime
import http
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import httpx

import ops
from accounts import Person
from common import BASE_URL, RUN_ID, check, expect, expect_problem, signed_in
from ocf_client.client import Client
from ocf_client.models.bulk_line_result import BulkLineResult
from ocf_client.models.channel_kind import ChannelKind
from ocf_client.models.channel_status import ChannelStatus
from ocf_client.models.channel_view import ChannelView
from ocf_client.models.create_channel_request import CreateChannelRequest
from ocf_client.models.create_credential_request import CreateCredentialRequest
from ocf_client.models.create_webhook_request import CreateWebhookRequest
from ocf_client.models.credential_list import CredentialList
from ocf_client.models.credential_view import CredentialView
from ocf_client.models.issued_credential import IssuedCredential
from ocf_client.models.o_auth_error import OAuthError
from ocf_client.models.paginated_channel_view import PaginatedChannelView
from ocf_client.models.paginated_delivery_view import PaginatedDeliveryView
from ocf_client.models.partner_proposal_request import PartnerProposalRequest
from ocf_client.models.partner_record_view import PartnerRecordView
from ocf_client.models.problem import Problem
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.rotate_credential_request import RotateCredentialRequest
from ocf_client.models.scope import Scope
from ocf_client.models.token_grant import TokenGrant
from ocf_client.models.delivery_status import DeliveryStatus
from ocf_client.models.webhook_event_type import WebhookEventType
from ocf_client.models.token_request import TokenRequest
from ocf_client.models.update_channel_request import UpdateChannelRequest
from ocf_client.models.update_webhook_request import UpdateWebhookRequest
from ocf_client.models.webhook_list import WebhookList
from ocf_client.models.webhook_with_secret import WebhookWithSecret
from ocf_client.types import Response

NO_ID = uuid.UUID(int=0)
ALL_SCOPES = ["proposals:read", "proposals:write", "webhooks:manage"]
# A distinctive English word per run, so this run's partner proposals are told apart from others.
KEYWORD = re.sub(r"[^a-z]", "", f"bikeshare{RUN_ID}")
# The record the flow puts one by one, under the partner's own id.
EXTERNAL_ID = f"py-{RUN_ID}"
PARTNER_CREATED_AT = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Machine:
    """The machine tokens of the flow: every scope of the credential, and `proposals:read` alone."""

    token: str
    read_only: str


def _fields(problem: Problem) -> list[str]:
    return sorted(e.field for e in problem.errors) if isinstance(problem.errors, list) else []


def _near(a: datetime.datetime | None, b: datetime.datetime) -> bool:
    return a is not None and abs((a - b).total_seconds()) < 1


def register(admin: Person, citizen: Person) -> ChannelView:
    """The admin registers a channel (201, `active`); a bad body is 422 on its fields, a citizen 403, the
    code twice 409."""
    bad = CreateChannelRequest(
        code="Not A Code", name=" ", kind=ChannelKind.OTHER, base_url="http://bikes.example.org", contact="Desk"
    )
    problem = expect_problem(
        ops.create_channel.sync_detailed(client=admin.client(), body=bad), 422, "validation_failed", "an invalid channel"
    )
    check(_fields(problem) == ["base_url", "code", "name"], f"an invalid channel: errors name {_fields(problem)}")

    body = CreateChannelRequest(
        code=f"py-{RUN_ID}",
        name=f"Py bike box {RUN_ID}",
        kind=ChannelKind.LOCAL_GOVERNMENT,
        base_url="https://bikes.example.org",
        contact="Partner desk 051-000-0000",
    )
    refused = ops.create_channel.sync_detailed(client=citizen.client(), body=body)
    expect_problem(refused, 403, "forbidden", "a citizen registering a channel")

    result = ops.create_channel.sync_detailed(client=admin.client(), body=body)
    channel = expect(result, 201, "register a channel", ChannelView)
    check(result.headers.get("location") == f"/api/v1/channels/{channel.id}", "register a channel: Location header")
    check(channel.code == body.code and channel.name == body.name, "register a channel: code / name")
    check(channel.kind == ChannelKind.LOCAL_GOVERNMENT, f"register a channel: kind {channel.kind}")
    check(channel.base_url == body.base_url and channel.contact == body.contact, "register a channel: base_url / contact")
    check(channel.status == ChannelStatus.ACTIVE, f"register a channel: status {channel.status}")
    check(channel.created_at == channel.updated_at, "register a channel: created_at / updated_at")

    again = ops.create_channel.sync_detailed(client=admin.client(), body=body)
    expect_problem(again, 409, "already_exists", "the same code twice")
    return channel


def read_list_rename(channel: ChannelView, admin: Person, citizen: Person) -> ChannelView:
    """Read by id (404 for none), listed by code page by page (a foreign cursor is 422), and renamed (a
    citizen may not)."""
    read = expect(ops.get_channel.sync_detailed(channel.id, client=admin.client()), 200, "read the channel", ChannelView)
    check(read.to_dict() == channel.to_dict(), "read the channel: another channel")
    missing = ops.get_channel.sync_detailed(NO_ID, client=admin.client())
    expect_problem(missing, 404, "not_found", "no such channel")
    other = ops.list_channels.sync_detailed(client=citizen.client())
    expect_problem(other, 403, "forbidden", "a citizen listing channels")

    codes: list[str] = []
    cursor: str | None = None
    for page in range(1, 101):
        listed = (
            ops.list_channels.sync_detailed(client=admin.client(), limit=1)
            if cursor is None
            else ops.list_channels.sync_detailed(client=admin.client(), limit=1, cursor=cursor)
        )
        found = expect(listed, 200, f"list channels, page {page}", PaginatedChannelView)
        check(len(found.items) <= 1, f"list channels, page {page}: {len(found.items)} items")
        codes += [c.code for c in found.items]
        cursor = found.next_cursor
        if cursor is None:
            break
    check(cursor is None, "list channels: more than 100 pages of one")
    check(channel.code in codes, "list channels: the channel is missing")
    check(codes == sorted(set(codes)), f"list channels: not by code {codes}")
    foreign = ops.list_channels.sync_detailed(client=admin.client(), cursor="not-a-cursor")
    problem = expect_problem(foreign, 422, "validation_failed", "a cursor this API did not issue")
    check(_fields(problem) == ["cursor"], f"a foreign cursor: errors name {_fields(problem)}")

    name = f"Py bike box {RUN_ID} (renamed)"
    refused = ops.update_channel.sync_detailed(channel.id, client=citizen.client(), body=UpdateChannelRequest(name=name))
    expect_problem(refused, 403, "forbidden", "a citizen renaming the channel")
    empty = ops.update_channel.sync_detailed(channel.id, client=admin.client(), body=UpdateChannelRequest())
    nothing = expect_problem(empty, 422, "validation_failed", "a change of nothing")
    check(_fields(nothing) == ["body"], f"a change of nothing: errors name {_fields(nothing)}")
    renamed = expect(
        ops.update_channel.sync_detailed(channel.id, client=admin.client(), body=UpdateChannelRequest(name=name)),
        200,
        "rename the channel",
        ChannelView,
    )
    check(renamed.name == name and renamed.code == channel.code, f"rename: name {renamed.name} / code {renamed.code}")
    check(
        renamed.status == ChannelStatus.ACTIVE and renamed.updated_at >= channel.updated_at, "rename: status / updated_at"
    )
    return renamed


def issue_credential(channel: ChannelView, admin: Person) -> IssuedCredential:
    """A credential with every scope (201, its secret this once, `no-store`); listed and read without a
    secret."""
    none = ops.create_credential.sync_detailed(channel.id, client=admin.client(), body=CreateCredentialRequest(scopes=[]))
    problem = expect_problem(none, 422, "validation_failed", "a credential with no scope")
    check(_fields(problem) == ["scopes"], f"no scope: errors name {_fields(problem)}")

    result = ops.create_credential.sync_detailed(channel.id, client=admin.client(), body=CreateCredentialRequest())
    issued = expect(result, 201, "create a credential", IssuedCredential)
    c = issued.credential
    location = f"/api/v1/channels/{channel.id}/credentials/{c.id}"
    check(result.headers.get("location") == location, "credential: Location header")
    cache = result.headers.get("cache-control")
    check(cache == "no-store", f"credential: Cache-Control {cache}")
    check(issued.client_secret.startswith("ocfs_") and c.client_id.startswith("ocf_"), "credential: client_id / secret")
    check(c.channel_id == channel.id and sorted(c.scopes) == ALL_SCOPES, f"credential: scopes {c.scopes}")
    check(c.revoked_at is None and c.rotated_at is None and c.last_used_at is None, "credential: revoked_at / rotated_at")

    listed = expect(
        ops.list_credentials.sync_detailed(channel.id, client=admin.client()), 200, "list credentials", CredentialList
    )
    check(any(i.id == c.id and i.client_id == c.client_id for i in listed.items), "list credentials: it is missing")
    check(all("client_secret" not in i.additional_properties for i in listed.items), "list credentials: a secret is listed")
    read = expect(
        ops.get_credential.sync_detailed(channel.id, c.id, client=admin.client()),
        200,
        "read the credential",
        CredentialView,
    )
    check(read.to_dict() == c.to_dict(), "read the credential: it differs from the one issued")
    check("client_secret" not in read.additional_properties, "read the credential: the secret is shown")
    missing = ops.get_credential.sync_detailed(channel.id, NO_ID, client=admin.client())
    expect_problem(missing, 404, "not_found", "no such credential")
    return issued


def _basic(client_id: str, secret: str) -> str:
    """`Authorization: Basic` for the token endpoint: id and secret, each form-encoded (RFC 6749 §2.3.1)."""
    return "Basic " + base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()).decode()


def _request_token(client_id: str, secret: str, body: TokenRequest) -> Response[OAuthError | Problem | TokenGrant]:
    """`POST /oauth/token` through the generated client (form-encoded), as HTTP Basic."""
    headers = {"Authorization": _basic(client_id, secret)}
    client = Client(base_url=BASE_URL, headers=headers, raise_on_unexpected_status=True)
    return ops.issue_token.sync_detailed(client=client, body=body)


def _grant(client_id: str, secret: str, scopes: list[str], scope: str | None = None) -> str:
    """A token grant: `Bearer`, an hour, the scopes asked for (all of the credential's when none)."""
    body = TokenRequest(grant_type="client_credentials")
    if scope is not None:
        body.scope = scope
    result = _request_token(client_id, secret, body)
    what = "a token" if scope is None else f"a token for {scope}"
    check(result.status_code == 200, f"{what}: expected HTTP 200, got {result.status_code}")
    grant = result.parsed
    check(isinstance(grant, TokenGrant), f"{what}: body is {type(grant).__name__}")
    assert isinstance(grant, TokenGrant)
    cache = result.headers.get("cache-control")
    check(cache == "no-store", f"{what}: Cache-Control {cache}")
    check(grant.token_type == "Bearer" and grant.expires_in == 3600, f"{what}: {grant.token_type} for {grant.expires_in} s")
    check(sorted(grant.scope.split(" ")) == sorted(scopes), f"{what}: scope {grant.scope}")
    check(len(grant.access_token.split(".")) == 3, f"{what}: the access token is not a JWT")
    return grant.access_token


def _oauth_error(result: Response[OAuthError | Problem | TokenGrant], status: int, code: str, what: str) -> OAuthError:
    """An OAuth error (RFC 6749 §5.2): its own JSON, never problem+json."""
    check(result.status_code == status, f"{what}: expected HTTP {status}, got {result.status_code}")
    content_type = result.headers.get("content-type", "")
    check(content_type.startswith("application/json"), f"{what}: content-type {content_type}")
    error = result.parsed
    check(isinstance(error, OAuthError), f"{what}: body is {type(error).__name__}")
    assert isinstance(error, OAuthError)
    check(error.error == code, f"{what}: expected error {code}, got {error.error}")
    check(error.error_description, f"{what}: no error_description")
    return error


def token(issued: IssuedCredential) -> Machine:
    """Client credentials over HTTP Basic (200, every scope; or `proposals:read` alone); user endpoints refuse
    the machine token. A wrong secret is 401 `invalid_client` with `WWW-Authenticate: Basic`; another grant
    type and a scope the credential lacks are 400."""
    client_id, secret = issued.credential.client_id, issued.client_secret
    machine = _grant(client_id, secret, ALL_SCOPES)
    read_only = _grant(client_id, secret, ["proposals:read"], "proposals:read")
    me = ops.get_me.sync_detailed(client=signed_in(machine))
    expect_problem(me, 401, "invalid_token", "a machine token on a user endpoint")

    wrong = _request_token(client_id, f"{secret}x", TokenRequest(grant_type="client_credentials"))
    _oauth_error(wrong, 401, "invalid_client", "a wrong secret")
    challenge = wrong.headers.get("www-authenticate")
    check(challenge == 'Basic realm="ocf"', f"a wrong secret: WWW-Authenticate {challenge}")
    password = _request_token(client_id, secret, TokenRequest(grant_type="password"))
    _oauth_error(password, 400, "unsupported_grant_type", "grant_type=password")
    admin = _request_token(client_id, secret, TokenRequest(grant_type="client_credentials", scope="admin"))
    _oauth_error(admin, 400, "invalid_scope", "scope=admin")
    return Machine(token=machine, read_only=read_only)


def rotate_and_revoke(
    channel: ChannelView, issued: IssuedCredential, admin: Person
) -> tuple[IssuedCredential, str]:
    """The admin rotates the secret (200, a new one; the old one still works for `overlap_seconds`), and
    revokes a second, throwaway credential (204, twice): its secret obtains no more tokens. Answers the
    rotated credential and a token of its new secret."""
    spare = expect(
        ops.create_credential.sync_detailed(
            channel.id, client=admin.client(), body=CreateCredentialRequest(scopes=[Scope.PROPOSALSREAD])
        ),
        201,
        "a throwaway credential",
        IssuedCredential,
    )
    check(spare.credential.scopes == [Scope.PROPOSALSREAD], f"throwaway: scopes {spare.credential.scopes}")

    result = ops.rotate_credential.sync_detailed(
        channel.id, issued.credential.id, client=admin.client(), body=RotateCredentialRequest(overlap_seconds=3600)
    )
    rotated = expect(result, 200, "rotate the secret", IssuedCredential)
    cache = result.headers.get("cache-control")
    check(cache == "no-store", f"rotate: Cache-Control {cache}")
    c = rotated.credential
    new_secret = rotated.client_secret
    check(new_secret.startswith("ocfs_") and new_secret != issued.client_secret, "rotate: the same secret")
    check(c.id == issued.credential.id and c.client_id == issued.credential.client_id, "rotate: another credential")
    check(c.rotated_at is not None and c.revoked_at is None, "rotate: rotated_at / revoked_at")
    assert c.rotated_at is not None
    expires = c.previous_secret_expires_at
    check(_near(expires, c.rotated_at + datetime.timedelta(hours=1)), f"rotate: previous_secret_expires_at {expires}")
    _grant(c.client_id, issued.client_secret, ALL_SCOPES)  # the replaced secret, within the overlap
    fresh = _grant(c.client_id, new_secret, ALL_SCOPES)

    throwaway = spare.credential
    for attempt in (1, 2):
        revoked = ops.revoke_credential.sync_detailed(channel.id, throwaway.id, client=admin.client())
        check(revoked.status_code == 204, f"revoke the throwaway credential #{attempt}: HTTP {revoked.status_code}")
    refused = _request_token(throwaway.client_id, spare.client_secret, TokenRequest(grant_type="client_credentials"))
    _oauth_error(refused, 401, "invalid_client", "a revoked credential's secret")
    read = expect(
        ops.get_credential.sync_detailed(channel.id, throwaway.id, client=admin.client()),
        200,
        "read the revoked credential",
        CredentialView,
    )
    check(read.revoked_at is not None, f"the revoked credential: revoked_at {read.revoked_at}")
    listed = expect(
        ops.list_credentials.sync_detailed(channel.id, client=admin.client()), 200, "list credentials", CredentialList
    )
    ids = [i.id for i in listed.items]
    check(ids == [throwaway.id, c.id], f"credentials, newest first: {ids}")
    gone = ops.rotate_credential.sync_detailed(
        channel.id, throwaway.id, client=admin.client(), body=RotateCredentialRequest()
    )
    expect_problem(gone, 404, "not_found", "rotating a revoked credential")
    return rotated, fresh


def record_body(policy_area: str, supports: int) -> PartnerProposalRequest:
    return PartnerProposalRequest(
        title=f"Share the {KEYWORD} racks at the station",
        body=f"Open the {KEYWORD} racks at the station to every resident, so bikes are no longer left on the pavement.",
        policy_area=policy_area,
        external_url=f"https://bikes.example.org/ideas/{EXTERNAL_ID}",
        partner_created_at=PARTNER_CREATED_AT,
        partner_support_count=supports,
    )


def put_record(channel: ChannelView, machine: Machine, admin: Person, policy_area: str) -> PartnerRecordView:
    """The machine puts a record by its external id: 201 `created` (a submitted proposal of the channel), the
    same again 200 `unchanged`, a new support count 200 `updated`. A user's token is 401, a token without
    `proposals:write` 403, a bad body 422 on its fields."""
    body = record_body(policy_area, 12)

    def put(token: str, record: PartnerProposalRequest) -> Response[PartnerRecordView | Problem]:
        return ops.put_partner_proposal.sync_detailed(channel.id, EXTERNAL_ID, client=signed_in(token), body=record)

    expect_problem(put(admin.token, body), 401, "invalid_token", "a user's token on the intake")
    expect_problem(put(machine.read_only, body), 403, "insufficient_scope", "a token without proposals:write")
    bad = record_body(policy_area, 12)
    bad.title, bad.body, bad.external_url = "Bike", "Too short.", "http://bikes.example.org/1"
    problem = expect_problem(put(machine.token, bad), 422, "validation_failed", "an invalid record")
    check(_fields(problem) == ["body", "external_url", "title"], f"an invalid record: errors name {_fields(problem)}")

    result = put(machine.token, body)
    created = expect(result, 201, "put a record", PartnerRecordView)
    location = f"/api/v1/channels/{channel.id}/proposals/{EXTERNAL_ID}"
    check(result.headers.get("location") == location, "put a record: Location")
    check(created.outcome == "created", f"put a record: {created.outcome}")
    check(created.current is None and created.referrals == [], "put a record: current / referrals")
    p = created.proposal
    check(p.status == "submitted" and p.support_count == 0, f"put a record: proposal {p.status}")
    r = created.record
    check(r.channel_id == channel.id and r.channel == f"partner:{channel.code}", f"put a record: channel {r.channel}")
    check(r.external_id == EXTERNAL_ID and r.origin is True, "put a record: external_id / origin")
    check(r.external_url == body.external_url and r.partner_support_count == 12, "put a record: external_url / count")
    check(_near(r.partner_created_at, PARTNER_CREATED_AT), f"put a record: partner_created_at {r.partner_created_at}")
    check(r.partner_updated_at is None, "put a record: partner_updated_at")

    same = expect(put(machine.token, body), 200, "the same record again", PartnerRecordView)
    check(same.outcome == "unchanged" and same.proposal.id == p.id, f"the same again: {same.outcome}")
    check(same.record.updated_at == r.updated_at, "the same again: updated_at changed")
    changed = expect(put(machine.token, record_body(policy_area, 15)), 200, "a new support count", PartnerRecordView)
    check(changed.outcome == "updated" and changed.proposal.id == p.id, f"a new count: {changed.outcome}")
    check(changed.record.partner_support_count == 15, f"a new count: {changed.record.partner_support_count}")
    return changed


def read_record(channel: ChannelView, record: PartnerRecordView, machine: Machine, reader: Person) -> None:
    """The machine reads the record back (`proposals:read` is enough; none: 404); the public proposal shows
    the channel."""
    read = expect(
        ops.get_partner_proposal.sync_detailed(channel.id, EXTERNAL_ID, client=signed_in(machine.read_only)),
        200,
        "read the record",
        PartnerRecordView,
    )
    check(read.outcome is None and read.proposal.id == record.proposal.id, f"read the record: outcome {read.outcome}")
    check(read.record.to_dict() == record.record.to_dict(), "read the record: it differs from the one put")
    missing = ops.get_partner_proposal.sync_detailed(
        channel.id, f"{EXTERNAL_ID}-none", client=signed_in(machine.read_only)
    )
    expect_problem(missing, 404, "not_found", "no such record")

    p = expect(
        ops.get_proposal.sync_detailed(str(record.proposal.id), client=reader.client()),
        200,
        "the partner's proposal",
        ProposalView,
    )
    check(p.channel == f"partner:{channel.code}" and p.status == "submitted", f"the partner's proposal: channel {p.channel}")
    check(p.title == record_body("", 0).title and p.is_mine is False, "the partner's proposal: title / is_mine")
    check(len(p.channels) == 1, f"the partner's proposal: {len(p.channels)} channels")
    presence = p.channels[0]
    check(
        presence.channel_id == channel.id and presence.external_id == EXTERNAL_ID and presence.origin,
        "proposal channels[0]: ids / origin",
    )
    check(presence.external_url == record.record.external_url, f"proposal channels[0]: external_url {presence.external_url}")
    check(presence.partner_support_count == 15, f"proposal channels[0]: count {presence.partner_support_count}")


def _ndjson(lines: list[dict[str, Any] | None]) -> bytes:
    """The NDJSON lines of a bulk import: records with `external_id`, `None` for an empty line."""
    return ("\n".join("" if line is None else json.dumps(line) for line in lines) + "\n").encode()


def _bulk_lines(policy_area: str, supports: int) -> list[dict[str, Any] | None]:
    def line(n: int, count: int = 3, title: str | None = None) -> dict[str, Any]:
        record = record_body(policy_area, count)
        record.title = title or f"Share the {KEYWORD} racks at the station, stand {n}"
        record.external_url = f"https://bikes.example.org/ideas/{EXTERNAL_ID}-b{n}"
        return {**record.to_dict(), "external_id": f"{EXTERNAL_ID}-b{n}"}

    return [line(1), line(2, supports), None, line(4, title="Bike"), line(5)]


@dataclass(frozen=True)
class Imported:
    response: httpx.Response
    lines: list[BulkLineResult]


def _import(channel: ChannelView, token: str, body: bytes, key: str | None = None) -> Imported:
    """`POST /channels/{id}/proposals/bulk` with plain httpx: the answer and its lines, parsed."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    if key is not None:
        headers["Idempotency-Key"] = key
    response = httpx.post(f"{BASE_URL}/api/v1/channels/{channel.id}/proposals/bulk", headers=headers, content=body)
    rows = response.text.split("\n") if response.is_success else []
    return Imported(response, [BulkLineResult.from_dict(json.loads(row)) for row in rows if row.strip()])


def _problem_of(response: httpx.Response) -> Response[Problem]:
    """A raw answer as the generated client's typed one, to read its problem."""
    return Response(
        status_code=http.HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=Problem.from_dict(response.json()),
    )


def _check_lines(lines: list[BulkLineResult], statuses: list[str], what: str) -> None:
    """One result per non-empty line, in order, with its number; the invalid one with a problem."""
    check([r.line for r in lines] == [1, 2, 4, 5], f"{what}: lines {[r.line for r in lines]}")
    check([r.status for r in lines] == statuses, f"{what}: {[r.status for r in lines]}")
    check([r.external_id for r in lines] == [f"{EXTERNAL_ID}-b{n}" for n in (1, 2, 4, 5)], f"{what}: external ids")
    for r in lines:
        if r.status == "error":
            problem = r.problem
            check(r.proposal_id is None and isinstance(problem, Problem), f"{what}: line {r.line} without a problem")
            assert isinstance(problem, Problem)
            check(problem.code == "validation_failed" and problem.status == 422, f"{what}: line {r.line}: {problem.code}")
            check(problem.type_ == "urn:ocf:problem:validation_failed", f"{what}: line {r.line}: type {problem.type_}")
            check(_fields(problem) == ["title"], f"{what}: line {r.line}: errors name {_fields(problem)}")
        else:
            check(isinstance(r.proposal_id, str) and not isinstance(r.problem, Problem), f"{what}: line {r.line}")


def bulk(channel: ChannelView, machine: Machine, policy_area: str, reader: Person) -> list[str]:
    """Four records and an empty line, one invalid: 200 NDJSON, a result per non-empty line. Answers the
    proposal ids."""
    refused = _import(channel, machine.read_only, _ndjson(_bulk_lines(policy_area, 3)))
    what = "a bulk import without proposals:write"
    expect_problem(_problem_of(refused.response), 403, "insufficient_scope", what)

    imported = _import(channel, machine.token, _ndjson(_bulk_lines(policy_area, 3)))
    check(imported.response.status_code == 200, f"bulk import: HTTP {imported.response.status_code}")
    content_type = imported.response.headers.get("content-type", "")
    check(content_type.startswith("application/x-ndjson"), f"bulk import: content-type {content_type}")
    _check_lines(imported.lines, ["created", "created", "error", "created"], "bulk import")
    ids = [r.proposal_id for r in imported.lines if r.proposal_id is not None]
    check(len(set(ids)) == 3, f"bulk import: proposal ids {ids}")
    one = expect(
        ops.get_proposal.sync_detailed(ids[0], client=reader.client()), 200, "a proposal of the bulk import", ProposalView
    )
    check(
        one.channel == f"partner:{channel.code}" and one.channels[0].external_id == f"{EXTERNAL_ID}-b1",
        "bulk proposal: channel",
    )
    return ids


def bulk_replayed(channel: ChannelView, machine: Machine, policy_area: str, ids: list[str]) -> None:
    """The same lines with one changed support count, under an `Idempotency-Key`: `unchanged`, `updated`,
    the error, `unchanged`; sent again with the key, the first answer replayed exactly (`Idempotent-Replayed:
    true`); the key with another body is 422 `idempotency_key_reused`."""
    key = f'"py-{RUN_ID}-bulk"'
    body = _ndjson(_bulk_lines(policy_area, 4))
    first = _import(channel, machine.token, body, key)
    check(first.response.status_code == 200, f"keyed bulk import: HTTP {first.response.status_code}")
    check("idempotent-replayed" not in first.response.headers, "keyed bulk import: replayed the first time")
    _check_lines(first.lines, ["unchanged", "updated", "error", "unchanged"], "keyed bulk import")
    again = [r.proposal_id for r in first.lines if r.proposal_id is not None]
    check(again == ids, "keyed bulk import: other proposals")

    replay = _import(channel, machine.token, body, key)
    check(replay.response.status_code == 200, f"keyed bulk import again: HTTP {replay.response.status_code}")
    replayed = replay.response.headers.get("idempotent-replayed")
    check(replayed == "true", f"keyed bulk import again: Idempotent-Replayed {replayed}")
    content_type = replay.response.headers.get("content-type", "")
    check(content_type.startswith("application/x-ndjson"), f"replay: content-type {content_type}")
    check(replay.response.content == first.response.content, "keyed bulk import again: another body")

    other = _import(channel, machine.token, _ndjson(_bulk_lines(policy_area, 5)), key)
    expect_problem(_problem_of(other.response), 422, "idempotency_key_reused", "the key with another body")


def webhooks(channel: ChannelView, machine: Machine) -> None:
    """The machine manages a webhook (201 `active`, a `whsec_` secret this once; listed without it; the
    secret rotated, the old one signing for 24 hours), reads the delivery log (whatever became of the
    deliveries: the contract server reaches no receiver) and deletes the webhook (204; then 404). A token
    without `webhooks:manage` is 403."""
    client = signed_in(machine.token)
    body = CreateWebhookRequest(
        url="https://hooks.example.org/ocf",
        event_types=[WebhookEventType("proposal.created"), WebhookEventType("proposal.status_changed")],
    )
    narrow = ops.create_webhook.sync_detailed(channel.id, client=signed_in(machine.read_only), body=body)
    expect_problem(narrow, 403, "insufficient_scope", "a webhook without webhooks:manage")

    result = ops.create_webhook.sync_detailed(channel.id, client=client, body=body)
    created = expect(result, 201, "create a webhook", WebhookWithSecret)
    w = created.webhook
    check(result.headers.get("location") == f"/api/v1/channels/{channel.id}/webhooks/{w.id}", "webhook: Location header")
    check(w.channel_id == channel.id and w.url == body.url, f"webhook: channel_id / url {w.url}")
    check(w.event_types == body.event_types, f"webhook: event_types {w.event_types}")
    check(
        w.status == "active" and w.disabled_reason is None and w.previous_secret_expires_at is None,
        f"webhook: status {w.status}",
    )
    secret = created.secret
    check(secret is not None and re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", secret), f"webhook: secret {secret}")

    listed = expect(ops.list_webhooks.sync_detailed(channel.id, client=client), 200, "list webhooks", WebhookList)
    check(any(i.id == w.id and i.status == "active" for i in listed.items), "list webhooks: the webhook is missing")
    check(all("secret" not in i.additional_properties for i in listed.items), "list webhooks: a secret is listed")

    rotated = expect(
        ops.update_webhook.sync_detailed(channel.id, w.id, client=client, body=UpdateWebhookRequest(rotate_secret=True)),
        200,
        "rotate the webhook's secret",
        WebhookWithSecret,
    )
    new = rotated.secret
    check(new is not None and new.startswith("whsec_") and new != secret, "rotate the webhook's secret: the same secret")
    r = rotated.webhook
    check(r.id == w.id and r.status == "active", "rotate the webhook's secret: another webhook")
    expires = r.previous_secret_expires_at
    check(_near(expires, r.updated_at + datetime.timedelta(hours=24)), f"rotate: previous_secret_expires_at {expires}")

    log = expect(
        ops.list_deliveries.sync_detailed(channel.id, client=client, webhook_id=w.id, limit=10),
        200,
        "the delivery log",
        PaginatedDeliveryView,
    )
    check(len(log.items) <= 10, f"the delivery log: {len(log.items)} items")
    check(all(d.webhook_id == w.id and d.id.startswith("msg_") for d in log.items), "the delivery log: another webhook's")
    check(all(d.status in ("pending", "succeeded", "failed") for d in log.items), "the delivery log: a status")
    failed = expect(
        ops.list_deliveries.sync_detailed(channel.id, client=client, status=DeliveryStatus.FAILED),
        200,
        "the delivery log, failed ones",
        PaginatedDeliveryView,
    )
    check(all(d.status == DeliveryStatus.FAILED for d in failed.items), "the delivery log: only failed ones")

    deleted = ops.delete_webhook.sync_detailed(channel.id, w.id, client=client)
    check(deleted.status_code == 204, f"delete the webhook: HTTP {deleted.status_code}")
    twice = ops.delete_webhook.sync_detailed(channel.id, w.id, client=client)
    expect_problem(twice, 404, "not_found", "deleting the webhook twice")
    after = expect(ops.list_webhooks.sync_detailed(channel.id, client=client), 200, "list webhooks", WebhookList)
    check(all(i.id != w.id for i in after.items), "list webhooks: the deleted webhook is listed")


def suspend(channel: ChannelView, issued: IssuedCredential, machine: Machine, admin: Person) -> None:
    """Suspended by the admin: its machine token is refused at once (403 `channel_suspended`), and no token
    is issued."""
    suspended = expect(
        ops.update_channel.sync_detailed(
            channel.id, client=admin.client(), body=UpdateChannelRequest(status=ChannelStatus.SUSPENDED)
        ),
        200,
        "suspend the channel",
        ChannelView,
    )
    check(suspended.status == ChannelStatus.SUSPENDED and suspended.code == channel.code, f"suspend: {suspended.status}")
    read = ops.get_partner_proposal.sync_detailed(channel.id, EXTERNAL_ID, client=signed_in(machine.token))
    expect_problem(read, 403, "channel_suspended", "a suspended channel's token")
    refused = _request_token(
        issued.credential.client_id, issued.client_secret, TokenRequest(grant_type="client_credentials")
    )
    _oauth_error(refused, 400, "unauthorized_client", "a token for a suspended channel")
