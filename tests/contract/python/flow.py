"""The typed contract flow through the generated Python client (openapi-python-client).

One step per behaviour, grouped per aggregate (accounts.py, proposals.py, ...). Needs OCF_BASE_URL and a
seeded server; `mypy --strict flow.py` must pass. Extend it with a module per aggregate and its steps here.
"""

from __future__ import annotations

import sys
from typing import Any

import accounts
import proposals
import topics
from common import BASE_URL, Step, run_steps

state: dict[str, Any] = {}


def main() -> int:
    if not BASE_URL:
        print("OCF_BASE_URL is not set (e.g. http://127.0.0.1:8080)", file=sys.stderr)
        return 2

    def register_author() -> None:
        state["author"] = accounts.register_and_login("author")

    def register_supporter() -> None:
        state["supporter"] = accounts.register_and_login("supporter")

    def login_admin() -> None:
        state["admin"] = accounts.login_admin()

    def policy_area() -> None:
        state["policy_area"] = proposals.some_policy_area(state["author"])

    def submit() -> None:
        state["proposal"] = proposals.submit(state["author"], state["policy_area"])

    def suggest() -> None:
        state["topic"] = topics.suggest(state["author"], state["policy_area"])

    steps: list[Step] = [
        ("accounts: validation error is a typed problem", accounts.validation_problem),
        ("accounts: register and log in the author", register_author),
        ("accounts: register and log in a supporter", register_supporter),
        ("accounts: wrong password", lambda: accounts.wrong_password(state["author"])),
        ("accounts: log in the admin", login_admin),
        ("proposals: a seeded policy area", policy_area),
        ("proposals: similar check on a draft", lambda: proposals.similar_check(state["author"])),
        ("proposals: submit", submit),
        (
            "proposals: support by another person",
            lambda: proposals.support(state["proposal"], state["author"], state["supporter"]),
        ),
        ("proposals: list", lambda: proposals.list_mine(state["author"], state["proposal"])),
        ("proposals: search", lambda: proposals.search(state["supporter"], state["proposal"])),
        ("proposals: similar check finds it", lambda: proposals.similar_finds_it(state["supporter"], state["proposal"])),
        ("proposals: timeline", lambda: proposals.timeline(state["supporter"], state["proposal"])),
        ("topics: validation error is a typed problem", lambda: topics.validation_problem(state["author"])),
        ("topics: suggest", suggest),
        ("topics: vote by another person", lambda: topics.vote(state["topic"], state["author"], state["supporter"])),
        ("topics: read", lambda: topics.read(state["topic"], state["author"], state["supporter"])),
        ("topics: list", lambda: topics.list_filtered(state["supporter"], state["topic"])),
        ("topics: search", lambda: topics.search(state["supporter"], state["topic"])),
        (
            "topics: shortlisted by the admin",
            lambda: topics.shortlist(state["topic"], state["author"], state["admin"]),
        ),
        ("topics: timeline", lambda: topics.timeline(state["supporter"], state["topic"])),
        ("topics: a proposal answering it", lambda: topics.proposal_for_topic(state["supporter"], state["topic"])),
    ]
    return run_steps(steps)


if __name__ == "__main__":
    sys.exit(main())
