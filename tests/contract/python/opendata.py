"""The open data: its dictionary (every file, its columns typed and described in Korean and English, the
licence) and the four files, as CSV and as NDJSON, with the flow's records in them. Both are text: read from
the raw `.content` of the generated client's answer (CSV keeps its UTF-8 byte order mark there); each carries a
strong `ETag` (`If-None-Match`: 304). Values the typed parameters cannot hold (an unknown file, `since` that is
not a time) go through its underlying httpx client. The statistics and Open311 are in transparency.py."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from typing import Any

import ops
from common import anonymous, check, expect_problem
from transparency import fields, not_modified, problem_of, view_of
from ocf_client.client import Client
from ocf_client.models.comment_view import CommentView
from ocf_client.models.data_dictionary import DataDictionary
from ocf_client.models.export_dataset import ExportDataset
from ocf_client.models.export_format import ExportFormat
from ocf_client.models.forum_view import ForumView
from ocf_client.models.proposal_view import ProposalView
from ocf_client.models.referral_view import ReferralView
from ocf_client.types import Response

DATASETS = ["proposals", "referrals", "forums", "comments"]
BOM = b"\xef\xbb\xbf"
LATER = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)


def dictionary() -> DataDictionary:
    """The dictionary: the four files in order, each column typed and described in Korean and English, the
    licence, and when the data last changed."""
    first = ops.get_data_dictionary.sync_detailed(client=anonymous())
    d = view_of(first, "the data dictionary", DataDictionary)
    check([f.name.value for f in d.files] == DATASETS, f"the dictionary: files {[f.name.value for f in d.files]}")
    check(d.licence_ko and "CC BY 4.0" in d.licence_en, f"the dictionary: licence {d.licence_en}")
    check(d.licence_url.startswith("https://"), f"the dictionary: licence_url {d.licence_url}")
    now = datetime.datetime.now(datetime.timezone.utc)
    updated = d.updated_at
    check(
        updated is not None and now - datetime.timedelta(hours=1) < updated <= now + datetime.timedelta(seconds=1),
        f"the dictionary: updated_at {updated}",
    )
    for f in d.files:
        name = f.name.value
        check(f.path == f"/api/v1/exports/{name}", f"{name}: path {f.path}")
        check([x.value for x in f.formats] == ["csv", "ndjson"], f"{name}: formats {f.formats}")
        check(f.description_ko and f.description_en, f"{name}: descriptions")
        names = [c.name for c in f.columns]
        check(names[:1] == ["id"] and len(set(names)) == len(names), f"{name}: columns {names}")
        for c in f.columns:
            check(re.fullmatch(r"string|integer|uuid|datetime|date|code", c.type_), f"{name}.{c.name}: type {c.type_}")
            check(c.description_ko and c.description_en, f"{name}.{c.name}: descriptions")
    not_modified("the data dictionary", first, lambda c: ops.get_data_dictionary.sync_detailed(client=c))
    return d


def _cell(value: Any) -> str:
    """An NDJSON value as its CSV cell: `null` is an empty cell."""
    return "" if value is None else str(value)


def files(
    d: DataDictionary,
    proposal: ProposalView,
    referral: ReferralView,
    forum: ForumView,
    comment: CommentView,
    reply: CommentView,
) -> None:
    """Each file as CSV (a UTF-8 byte order mark, then the dictionary's columns as its header) and as NDJSON (one
    object per line with exactly those keys), the same rows both ways; the flow's records are in them, its
    deleted reply is not. ETag per file and format (304); `since` in the future gives no rows, an invalid one is
    422; an unknown file is 404."""
    region = proposal.region.value if proposal.region is not None else ""
    flow: dict[str, tuple[str, dict[str, str]]] = {
        "proposals": (proposal.id, {"status": "implemented", "channel": "web", "region": region}),
        "referrals": (
            referral.id,
            {"status": "implemented", "number": referral.number, "subject_id": proposal.id, "decision": "accepted"},
        ),
        "forums": (
            forum.id,
            {"status": "reported", "kind": forum.kind.value, "registered_count": "1", "attended_count": "1"},
        ),
        "comments": (comment.id, {"subject_type": "forum", "subject_id": forum.id, "depth": "0"}),
    }
    for f in d.files:
        name, dataset, names = f.name.value, f.name, [c.name for c in f.columns]

        def csv_of(client: Client, since: datetime.datetime | None = None) -> Response[Any]:
            if since is None:
                return ops.export_dataset.sync_detailed(dataset, client=client, format_=ExportFormat.CSV)
            return ops.export_dataset.sync_detailed(dataset, client=client, format_=ExportFormat.CSV, since=since)

        got = csv_of(anonymous())
        check(got.status_code == 200, f"{name}.csv: HTTP {got.status_code}")
        content_type = got.headers.get("content-type", "")
        check(content_type.startswith("text/csv"), f"{name}.csv: content-type {content_type}")
        disposition = got.headers.get("content-disposition")
        check(disposition == f'attachment; filename="ocf-{name}.csv"', f"{name}.csv: Content-Disposition {disposition}")
        check(got.content.startswith(BOM), f"{name}.csv: no UTF-8 byte order mark: {got.content[:8]!r}")
        text = got.content[len(BOM) :].decode("utf-8")
        check(text.endswith("\r\n"), f"{name}.csv: the last record does not end in CRLF")
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        check(header == names, f"{name}.csv: header {header}, the dictionary {names}")
        check(all(len(r) == len(names) for r in rows), f"{name}.csv: a row without every column")

        nd = ops.export_dataset.sync_detailed(dataset, client=anonymous(), format_=ExportFormat.NDJSON)
        check(nd.status_code == 200, f"{name}.ndjson: HTTP {nd.status_code}")
        nd_type = nd.headers.get("content-type", "")
        check(nd_type.startswith("application/x-ndjson"), f"{name}.ndjson: content-type {nd_type}")
        lines = nd.content.decode("utf-8").split("\n")
        check(lines.pop() == "", f"{name}.ndjson: the last line does not end in a newline")
        objects: list[dict[str, Any]] = [json.loads(line) for line in lines]
        for o in objects:
            check(sorted(o) == sorted(names), f"{name}.ndjson: keys {sorted(o)}")
        check(len(objects) == len(rows), f"{name}: {len(rows)} CSV rows, {len(objects)} NDJSON lines")
        by_id = {r[0]: r for r in rows}
        for o in objects:
            check(by_id.get(o["id"]) == [_cell(o[n]) for n in names], f"{name}: the row {o['id']} differs")
        record_id, want = flow[name]
        mine = [o for o in objects if o["id"] == record_id]
        check(len(mine) == 1, f"{name}: the flow's {record_id} is missing")
        for k, v in want.items():
            check(_cell(mine[0][k]) == v, f"{name} {record_id}: {k} {mine[0][k]}, expected {v}")
        check(name != "comments" or reply.id not in by_id, "comments: the deleted reply is listed")

        tag = not_modified(f"{name}.csv", got, csv_of)
        check(nd.headers.get("etag") != tag, f"{name}: the same ETag for CSV and NDJSON")
        later = csv_of(anonymous(), LATER)
        check(later.status_code == 200, f"{name}.csv since 2099: HTTP {later.status_code}")
        expected = BOM + (",".join(names) + "\r\n").encode()
        check(later.content == expected, f"{name}.csv since 2099: {later.content!r}")

    raw = anonymous().get_httpx_client()
    since = problem_of(raw.get("/api/v1/exports/proposals", params={"since": "yesterday"}))
    problem = expect_problem(since, 422, "validation_failed", "since=yesterday")
    check(fields(problem) == ["since"], f"since=yesterday: errors name {fields(problem)}")
    check("votes" not in {x.value for x in ExportDataset}, "votes is a file now")
    expect_problem(problem_of(raw.get("/api/v1/exports/votes")), 404, "not_found", "an unknown file")
