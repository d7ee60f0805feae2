"""Schemathesis hooks of the contract stage (loaded through SCHEMATHESIS_HOOKS by .ci/contract).

Only narrow exclusions of findings that are the tool's own mistake, each with its reason; README.md lists
them. Anything else Schemathesis reports fails the stage.
"""

from __future__ import annotations

import json
import re
import unicodedata
import sys
from typing import Any

import schemathesis

# Hypothesis names each filter lambda (for its repr only) by parsing the source file around it with `ast`.
# For the lambdas of Schemathesis' 200 KB coverage module, CPython 3.11's parser can fail with
# "SystemError: AST constructor recursion depth mismatch" (a CPython bug, fixed in 3.12), which surfaces as
# a Runtime Error of an operation although nothing about the API was tested. The name is cosmetic, so a
# parse that fails this way gives the lambda an unknown name instead.
if sys.version_info < (3, 12):
    from hypothesis.internal import lambda_sources as _lambda_sources

    _describe_lambda = _lambda_sources._lambda_description

    def _lambda_description_or_unknown(f: Any) -> str:
        try:
            return _describe_lambda(f)
        except SystemError:
            return "lambda: <unknown>"

    _lambda_sources._lambda_description = _lambda_description_or_unknown

# Schemathesis 4.32.5 learns links from URLs in response bodies: every string of a 2xx JSON body that starts
# with `/` or `http(s)://` goes to `urllib.parse.urlsplit`, which raises `ValueError: Invalid IPv6 URL` for
# text like `http://[x` (a generated proposal title or comment comes back as written), and the error ends the
# whole run ("Internal Error"). A string that is not a URL is not a link: it is skipped instead. Upstream's
# latest release (4.32.5) still has it; if the function goes away in an upgrade, this fails loudly.
from schemathesis.engine import observations as _observations

_same_origin_path = _observations._same_origin_path


def _same_origin_path_or_none(value: str, origin: tuple[str, str]) -> str | None:
    try:
        return _same_origin_path(value, origin)
    except ValueError:
        return None


_observations._same_origin_path = _same_origin_path_or_none

# 422 errors that no schema can foresee, so Schemathesis' `positive_data_acceptance` (ST202: "schema-valid
# data must be accepted") is wrong to expect success. Each is (field, start of the message), both regular
# expressions (the field matched whole, so `topic_ids\[\d+\]` is any item of `topic_ids`).
STATE_DEPENDENT_ERRORS = {
    # A cursor is an opaque token that only the server issues; any string is schema-valid, few are cursors.
    ("cursor", "is not a cursor this API issued"),
    # Policy areas are reference data in the database (GET /policy-areas), not an enum of the document.
    ("policy_area", "unknown policy area "),
    # Whether `current_password` is right depends on the account, not on the request's shape.
    ("current_password", "is incorrect"),
    # Whether an account may belong to an organization depends on its stored roles when `roles` is absent.
    ("organization_id", "only officials belong to an organization"),
    # Whether an official has an organization depends on the stored one when `organization_id` is not sent
    # (sending `null` with the official role is a schema violation, stated by an if/then).
    ("organization_id", "an official must belong to an organization"),
    # Whether an organization id names a stored organization: any UUID is schema-valid, few exist.
    ("organization_id", "no such organization"),
    # Whether a link's `channel_id` names a stored partner channel: any UUID is schema-valid, few exist.
    ("channel_id", "no such channel"),
    # A link's `channel_id` is required of staff and optional for a partner machine (its own channel): the
    # caller decides, which one document for both cannot state.
    ("channel_id", "is required"),
    # Whether a proposal's `topic_id` names a stored topic: any UUID is schema-valid, few exist (the
    # document's own example UUID names none, so the examples phase sends one that does not exist).
    ("topic_id", "no such topic"),
    # The path's `{id}` and the body's `into` naming the same proposal: a relation between two parameters,
    # which a schema cannot state (and which the fixture ids of .ci/contract make frequent).
    ("into", "a proposal cannot be merged into itself"),
    # Whether a reply's `parent_id` names a stored comment on the same subject: any UUID is schema-valid.
    ("parent_id", "no such comment on this subject"),
    # Whether a forum's `topic_ids` name stored topics, and keep the ones the stored forum links already.
    (r"topic_ids\[\d+\]", "no such topic"),
    ("topic_ids", "must keep the linked topic "),
    # Whether `registration_ids` / `proposal_ids` name stored registrations / proposals of the path's forum.
    (r"registration_ids\[\d+\]", "is not a registration of this forum"),
    (r"proposal_ids\[\d+\]", "is not a proposal of this forum"),
    # Whether `agenda_item` is within the stored forum's agenda (the schema allows 0-49, any forum fewer).
    ("agenda_item", r"the forum's agenda has \d+ items"),
    # A forum's times and its agenda's speakers: relations between fields (and, on PATCH, with the stored
    # forum), which a schema cannot state.
    ("ends_at", "must be after starts_at"),
    ("ends_at", "a forum lasts at most "),
    ("registration_closes_at", "must not be after starts_at"),
    ("registration_opens_at", "must be before registration closes"),
    (r"agenda\[\d+\]\.ends_at", "must be after its starts_at"),
    (r"agenda\[\d+\]\.starts_at", "must lie within the forum's starts_at and ends_at"),
    (r"agenda\[\d+\]\.speaker", r"'.*' is not on the panel"),
    # Panel members are named once (the agenda names them); the venue follows the mode.
    (r"panel\[\d+\]\.name", "is already on the panel"),
    ("venue", "is required for an "),
    # Moderators and admins name the hosting organization; officials may leave it out (theirs).
    ("organization_id", "is required unless the caller is an official"),
    ("venue", "must be left out for an online forum"),
    # A referral's dates against today in Asia/Seoul and against the stored due date: any date is
    # schema-valid, which ones are allowed depends on the day the request arrives and on the referral.
    ("due_on", "must be after today in Asia/Seoul"),
    ("due_on", "must be at most 90 days ahead"),
    ("due_on", "must be after the current due date"),
    ("due_on", "may add at most 30 days"),
    ("expected_completion_on", "must not be in the past"),
    ("held_on", r"must not be in the future"),
    # An accepted answer needs its planned measures and date: a relation between fields.
    ("planned_measures", "is required when the proposal is accepted"),
    ("expected_completion_on", "is required when the proposal is accepted"),
    # A transfer to the organization already holding the referral: a relation with the stored referral.
    ("organization_id", "the referral is already at this organization"),
    # `ids` or `all: true`, exactly one: a relation between fields.
    ("body", "send either ids or all: true"),
    # A statistic's period: `to` before `from` is a relation between two parameters.
    ("to", "is before `from`"),
    # A date whose digits fit the pattern but name no day (2026-02-30).
    (r"(due_on|held_on|expected_completion_on|commitments\[\d+\]\.due_on)", "must be a date such as "),
}


def _problem(response: Any) -> dict[str, Any] | None:
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - not JSON: not a problem document
        return None
    return body if isinstance(body, dict) else None


def _rejected_for_stored_state(failure: Any, response: Any) -> bool:
    """ST202 whose 422 names only state-dependent errors from STATE_DEPENDENT_ERRORS."""
    if getattr(failure, "code", None) != "ST202" or response.status_code != 422:
        return False
    problem = _problem(response)
    if problem is None or problem.get("code") != "validation_failed":
        return False
    errors = problem.get("errors") or []
    return bool(errors) and all(
        any(
            re.fullmatch(field, str(e.get("field", ""))) and re.match(msg, str(e.get("message", "")))
            for field, msg in STATE_DEPENDENT_ERRORS
        )
        for e in errors
    )


_TOO_SHORT = re.compile(r"must be at least (\d+) characters")


def _field_value(body: Any, field: str) -> Any:
    """The value at `field` (`a.b`, `a[0].b`) of a JSON body, or None."""
    node = body
    for part in re.findall(r"[^.\[\]]+", field):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _short_once_trimmed(failure: Any, case: Any, response: Any) -> bool:
    """ST202 whose 422 says only that texts are too short, each of which is, once trimmed and normalised.

    The server trims surrounding whitespace and NFC-normalises text before counting its characters
    (docs/API-DESIGN.md, "Text"); `minLength` counts what is sent. The patterns require non-blank text, but
    "È" followed by a no-break space is two characters sent and one kept.
    """
    if getattr(failure, "code", None) != "ST202" or response.status_code != 422:
        return False
    problem = _problem(response)
    errors = (problem or {}).get("errors") or []
    if not errors:
        return False
    for e in errors:
        match = _TOO_SHORT.match(str(e.get("message", "")))
        value = _field_value(case.body, str(e.get("field", "")))
        if match is None or not isinstance(value, str):
            return False
        if len(unicodedata.normalize("NFC", value.strip())) >= int(match.group(1)):
            return False
    return True


_MISSING_REQUIRED = re.compile(r"Missing required property: (\S+)")


def _resolve(root: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _phantom_missing_required(failure: Any, case: Any) -> bool:
    """ST201 "Missing required property: X" for a body property X that the document does not require.

    Schemathesis 4.32.5's coverage phase reports dropping an optional property as "Missing required
    property" (seen for `tags` of CreateProposal and `title` of UpdateProposal, neither of them required),
    then fails the server for accepting it. The body it sent is valid, so accepting it is right.
    """
    if getattr(failure, "code", None) != "ST201":
        return False
    match = _MISSING_REQUIRED.search(str(getattr(failure, "message", "")))
    if match is None:
        return False
    try:
        root = case.operation.schema.raw_schema
        body = _resolve(root, case.operation.definition.raw["requestBody"])
        schema = _resolve(root, body["content"]["application/json"]["schema"])
    except Exception:  # noqa: BLE001 - cannot tell: keep the finding
        return False
    return match.group(1) not in (schema.get("required") or []) and isinstance(case.body, dict)


def _rejected_as_too_large(failure: Any, response: Any) -> bool:
    """ST201 ("schema-violating request accepted") for a `413 payload_too_large`: the request was rejected,
    for its size (an array far past its `maxItems` makes a body over the 64 KiB limit), which the check's
    list of rejecting statuses (400, 401, 403, 404, 405, 406, 409, 415, 422, ...) leaves out."""
    if getattr(failure, "code", None) != "ST201" or response.status_code != 413:
        return False
    problem = _problem(response)
    return problem is not None and problem.get("code") == "payload_too_large"


@schemathesis.serializer("application/x-ndjson")
def ndjson_serializer(ctx: Any, value: Any) -> dict[str, Any]:
    """The bulk import's body: one JSON value per line (a generated object becomes one line)."""
    if isinstance(value, bytes):
        return {"data": value}
    items = value if isinstance(value, list) else [value]
    return {"data": "\n".join(json.dumps(v, ensure_ascii=False) for v in items).encode("utf-8")}


@schemathesis.hook
def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every finding except the tool's own mistakes above."""
    return not (
        _rejected_for_stored_state(failure, response)
        or _short_once_trimmed(failure, case, response)
        or _phantom_missing_required(failure, case)
        or _rejected_as_too_large(failure, response)
    )
