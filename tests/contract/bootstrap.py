"""Prepares a freshly started contract server (standard library only).

    python3 bootstrap.py BASE_URL OUT_DIR            # once, after start
    python3 bootstrap.py BASE_URL OUT_DIR --relogin  # fresh tokens (access tokens live 15 minutes)

Waits for /readyz, saves the served OpenAPI document as OUT_DIR/openapi.json, registers and signs in a
citizen through the API, signs in the admin made by `ocf-api admin create` (OCF_CONTRACT_ADMIN_EMAIL and
OCF_ADMIN_PASSWORD), and writes their access tokens to OUT_DIR/citizen.token and OUT_DIR/admin.token.

It also leaves a few records for Schemathesis to find (OUT_DIR/fixture-ids.json): a proposal and a topic of
the citizen's, two proposals and two topics of another person (one of each reported by the citizen), both
reports, an organization and the citizen's account; and, made by the admin for that organization, a forum
open for registration (`scheduled`, two days ahead) and a `live` one with a two-item agenda, with comments on
a proposal, a topic and the live forum by the citizen and by the other person (one reply among them), and a
question to the live forum's panel by the other person. Random ids only ever reach `404`; these let the
`{id}` operations reach their real logic.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any


def call(
    base: str, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def expect(
    base: str, method: str, path: str, status: int, body: dict[str, Any] | None = None, token: str | None = None
) -> Any:
    got, raw = call(base, method, path, body, token)
    if got != status:
        sys.exit(f"bootstrap: {method} {path}: expected {status}, got {got}: {raw[:500]!r}")
    return json.loads(raw) if raw else None


def login(base: str, email: str, password: str) -> str:
    tokens = expect(base, "POST", "/api/v1/auth/login", 200, {"email": email, "password": password})
    return str(tokens["access_token"])


def register(base: str, email: str, password: str, name: str) -> str:
    user = expect(base, "POST", "/api/v1/auth/register", 201,
                  {"email": email, "password": password, "display_name": name})
    return str(user["id"])


def fixtures(base: str, citizen: str, admin: str, citizen_id: str) -> dict[str, str]:
    other = "contract-other@example.kr", "contract-other-passphrase"
    register(base, *other, "Contract other")
    other_token = login(base, *other)
    areas = expect(base, "GET", "/api/v1/policy-areas?limit=1", 200)["items"]
    org = expect(base, "GET", "/api/v1/organizations?limit=1", 200)["items"][0]["id"]

    def propose(token: str, title: str) -> str:
        body = {"title": title, "body": f"{title}: a fixture of the contract stage, long enough.",
                "policy_area": areas[0]["code"], "region": "seoul", "tags": ["contract"]}
        return str(expect(base, "POST", "/api/v1/proposals", 201, body, token)["id"])

    def suggest(token: str, title: str) -> str:
        body = {"title": title, "description": f"{title}: a topic fixture of the contract stage, long enough.",
                "policy_area": areas[0]["code"], "region": "seoul", "tags": ["contract"]}
        return str(expect(base, "POST", "/api/v1/topics", 201, body, token)["id"])

    def report(kind: str, target: str) -> str:
        return str(expect(base, "POST", f"/api/v1/{kind}/{target}/reports", 201,
                          {"reason": "A report made by the contract stage."}, citizen)["id"])

    ids = {
        "own_proposal": propose(citizen, "Contract fixture of the citizen"),
        "other_proposal": propose(other_token, "Contract fixture of another person"),
        "reported_proposal": propose(other_token, "Contract fixture with a report"),
        "own_topic": suggest(citizen, "Contract topic of the citizen"),
        "other_topic": suggest(other_token, "Contract topic of another person"),
        "reported_topic": suggest(other_token, "Contract topic with a report"),
        "organization": org,
        "citizen": citizen_id,
    }
    ids["report"] = report("proposals", ids["reported_proposal"])
    ids["topic_report"] = report("topics", ids["reported_topic"])

    # Forums: registration is open only while `scheduled` and before the start, so two days ahead.
    starts = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(days=2)

    def at(hours: int) -> str:
        return (starts + datetime.timedelta(hours=hours)).isoformat().replace("+00:00", "Z")

    def plan(title: str, *moves: str, agenda: int = 0) -> str:
        body: dict[str, Any] = {"kind": "open_forum", "mode": "online", "title": title,
                                "description": f"{title}: a forum fixture of the contract stage, long enough.",
                                "organization_id": org, "policy_area": areas[0]["code"],
                                "starts_at": at(0), "ends_at": at(2),
                                "capacity": 100, "livestream_url": "https://tv.example.kr/live/contract"}
        if agenda:
            # One item an hour: a live forum can then move on to another (`advance_forum_agenda`).
            body["agenda"] = [{"title": f"Part {i + 1}", "starts_at": at(i), "ends_at": at(i + 1)} for i in range(agenda)]
        forum = str(expect(base, "POST", "/api/v1/forums", 201, body, admin)["id"])
        for status in moves:
            expect(base, "POST", f"/api/v1/forums/{forum}/status", 200, {"status": status}, admin)
        return forum

    def comment(token: str, kind: str, subject: str, parent: str | None = None) -> str:
        body: dict[str, Any] = {"body": "A comment of the contract stage."}
        if parent is not None:
            body["parent_id"] = parent
        return str(expect(base, "POST", f"/api/v1/{kind}/{subject}/comments", 201, body, token)["id"])

    ids["forum"] = plan("Contract forum open for registration", "scheduled")
    ids["live_forum"] = plan("Contract forum that is live", "scheduled", "live", agenda=2)
    ids["other_comment"] = comment(other_token, "proposals", ids["own_proposal"])
    ids["own_comment"] = comment(citizen, "proposals", ids["own_proposal"], ids["other_comment"])
    ids["topic_comment"] = comment(other_token, "topics", ids["other_topic"])
    ids["forum_comment"] = comment(other_token, "forums", ids["live_forum"])
    # A question to the live forum's panel by the other person: the citizen may vote for it, the admin may
    # put it on stage (`/questions/{id}/...` of any other comment is 404).
    ids["forum_question"] = str(expect(base, "POST", f"/api/v1/forums/{ids['live_forum']}/questions", 201,
                                       {"body": "A question of the contract stage?"}, other_token)["id"])
    return ids


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    relogin = sys.argv[3:] == ["--relogin"]
    deadline = time.monotonic() + 60
    while True:
        try:
            if call(base, "GET", "/readyz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("bootstrap: the server did not become ready within 60 s")
        time.sleep(0.2)

    email, password = "contract-citizen@example.kr", "contract-citizen-passphrase"
    citizen_id = "" if relogin else register(base, email, password, "Contract citizen")
    tokens = {
        "citizen": login(base, email, password),
        "admin": login(base, os.environ["OCF_CONTRACT_ADMIN_EMAIL"], os.environ["OCF_ADMIN_PASSWORD"]),
    }
    if not relogin:
        save_document(base, out)
        with open(os.path.join(out, "fixture-ids.json"), "w") as f:
            json.dump(fixtures(base, tokens["citizen"], tokens["admin"], citizen_id), f, indent=1)
    for name, token in tokens.items():
        with open(os.path.join(out, f"{name}.token"), "w") as f:
            f.write(token)
    print(f"bootstrap: citizen {email} and the admin signed in" + ("" if relogin else "; served document and fixtures saved"))


def save_document(base: str, out: str) -> None:
    status, doc = call(base, "GET", "/api-docs/openapi.json")
    if status != 200:
        sys.exit(f"bootstrap: GET /api-docs/openapi.json: {status}")
    with open(os.path.join(out, "openapi.json"), "wb") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
