"""The typed contract flow through the generated Python client (openapi-python-client).

One step per behaviour, grouped per aggregate (accounts.py, proposals.py, ...). Needs OCF_BASE_URL and a
seeded server; `mypy --strict flow.py` must pass. Extend it with a module per aggregate and its steps here.
"""

from __future__ import annotations

import sys
from typing import Any

import accounts
import comments
import forums
import ledger
import live
import notifications
import officials
import open311
import opendata
import partners
import proposals
import referrals
import report
import topics
import transparency
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

    def organization() -> None:
        state["organization"] = forums.some_organization(state["author"])

    def plan_forum() -> None:
        state["forum"] = forums.plan(
            state["admin"], state["author"], state["organization"], state["policy_area"], state["topic"]
        )

    def schedule_forum() -> None:
        state["forum"] = forums.schedule(state["forum"], state["author"], state["admin"])

    def register_for_forum() -> None:
        state["registration"] = forums.register(state["forum"], state["supporter"])

    def forum_live() -> None:
        state["forum"] = forums.go_live(state["forum"], state["admin"])

    def comment_and_reply() -> None:
        state["comment"], state["reply"] = comments.post_and_reply(state["forum"], state["supporter"], state["author"])

    def forum_proposal() -> None:
        state["forum_proposal"] = forums.enter_proposal(state["forum"], state["author"], state["admin"])

    def end_forum() -> None:
        state["forum"] = forums.end(state["forum"], state["topic"], state["admin"], state["author"])

    def plan_live_forum() -> None:
        state["live_forum"] = live.plan(state["admin"], state["supporter"], state["organization"], state["policy_area"])

    def live_forum_live() -> None:
        state["live_forum"] = live.go_live(state["live_forum"], state["supporter"], state["admin"])

    def advance_agenda() -> None:
        state["live_forum"] = live.advance_agenda(state["live_forum"], state["supporter"], state["admin"])

    def follow() -> None:
        state["live_comment"] = live.follow(state["live_forum"], state["author"])

    def ask_questions() -> None:
        state["question"] = live.ask(
            state["live_forum"], state["supporter"], "Could the last river bus leave after the late train arrives?"
        )
        state["other_question"] = live.ask(state["live_forum"], state["author"], "Who pays for the extra night boat?")

    def end_live_forum() -> None:
        state["live_forum"] = live.end(
            state["live_forum"], state["question"], state["supporter"], state["author"], state["admin"]
        )

    def create_organization() -> None:
        state["receiver"] = officials.create_organization(state["admin"], state["author"])

    def appoint_official() -> None:
        state["official"] = officials.appoint_official(state["admin"], state["author"], state["receiver"])

    def select_proposal() -> None:
        state["proposal"] = referrals.select(state["proposal"], state["receiver"], state["author"], state["admin"])

    def suggestions() -> None:
        ledger.suggestions(state["proposal"], state["author"], state["admin"])

    def refer() -> None:
        state["referral"] = referrals.refer(state["proposal"], state["receiver"], state["supporter"], state["admin"])

    def acknowledge() -> None:
        state["referral"] = referrals.acknowledge(
            state["referral"], state["official"], state["supporter"], state["admin"]
        )

    def extend() -> None:
        state["referral"] = referrals.extend(state["referral"], state["official"])

    def answer() -> None:
        state["referral"] = referrals.answer(
            state["referral"], state["official"], state["proposal"], state["organization"], state["supporter"]
        )

    def follow_up() -> None:
        state["referral"] = referrals.follow_up(state["referral"], state["official"])

    def commitment_done() -> None:
        state["referral"] = referrals.commitment_done(state["referral"], state["official"], state["supporter"])

    def complete() -> None:
        state["referral"] = referrals.complete(
            state["referral"], state["official"], state["supporter"], state["proposal"]
        )

    def out_of_order() -> None:
        state["transferred"] = ledger.out_of_order(
            state["supporter"],
            state["policy_area"],
            state["receiver"],
            state["organization"],
            state["official"],
            state["admin"],
        )

    def notifications_arrive() -> None:
        state["notifications"] = notifications.notifications_arrive(
            state["author"], state["proposal"], state["referral"]
        )

    def register_channel() -> None:
        state["channel"] = partners.register(state["admin"], state["author"])

    def read_list_rename_channel() -> None:
        state["channel"] = partners.read_list_rename(state["channel"], state["admin"], state["author"])

    def issue_credential() -> None:
        state["credential"] = partners.issue_credential(state["channel"], state["admin"])

    def machine_token() -> None:
        state["machine"] = partners.token(state["credential"])

    def rotate_and_revoke() -> None:
        state["credential"], token = partners.rotate_and_revoke(state["channel"], state["credential"], state["admin"])
        state["machine"] = partners.Machine(token=token, read_only=state["machine"].read_only)

    def put_record() -> None:
        state["record"] = partners.put_record(state["channel"], state["machine"], state["admin"], state["policy_area"])

    def bulk_import() -> None:
        state["bulk_proposals"] = partners.bulk(
            state["channel"], state["machine"], state["policy_area"], state["supporter"]
        )

    def data_dictionary() -> None:
        state["dictionary"] = opendata.dictionary()

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
        ("forums: an organization to host one", organization),
        ("forums: planned by the admin on the topic", plan_forum),
        ("forums: scheduled", schedule_forum),
        ("forums: register", register_for_forum),
        (
            "forums: registrations",
            lambda: forums.registrations(state["forum"], state["registration"], state["admin"], state["author"]),
        ),
        ("forums: live", forum_live),
        ("comments: on the live forum, and a reply", comment_and_reply),
        ("comments: liked by another person", lambda: comments.like(state["comment"], state["supporter"], state["author"])),
        (
            "comments: reported, hidden and shown again",
            lambda: comments.report_and_moderate(state["comment"], state["supporter"], state["author"], state["admin"]),
        ),
        (
            "comments: edit and delete one's own",
            lambda: comments.edit_and_delete(state["reply"], state["author"], state["supporter"]),
        ),
        ("forums: a proposal from the paper cards", forum_proposal),
        ("forums: attendance", lambda: forums.attendance(state["forum"], state["registration"], state["admin"])),
        ("forums: ended", end_forum),
        ("forums: timeline", lambda: forums.timeline(state["author"], state["forum"], state["topic"])),
        (
            "forums: outcome published and read",
            lambda: forums.outcome(state["forum"], state["forum_proposal"], state["author"], state["admin"]),
        ),
        ("live: a hybrid forum with an agenda, planned", plan_live_forum),
        ("live: walked live", live_forum_live),
        ("live: the agenda moved on", advance_agenda),
        ("live: the stream (server-sent events)", follow),
        ("live: questions asked", ask_questions),
        (
            "live: a vote by another person",
            lambda: live.vote(state["question"], state["live_comment"], state["supporter"], state["author"]),
        ),
        (
            "live: on stage and answered",
            lambda: live.stage(state["question"], state["other_question"], state["supporter"], state["admin"]),
        ),
        (
            "live: questions listed",
            lambda: live.list_sorted(
                state["live_forum"], state["question"], state["other_question"], state["author"], state["supporter"]
            ),
        ),
        ("live: ended", end_live_forum),
        (
            "live: the outcome lists the questions",
            lambda: live.outcome(
                state["live_forum"], state["question"], state["other_question"], state["admin"], state["supporter"]
            ),
        ),
        ("referrals: an organization created by the admin", create_organization),
        ("referrals: its official (roles at the refresh)", appoint_official),
        ("referrals: the proposal selected by the admin", select_proposal),
        ("referrals: suggested organizations (staff only)", suggestions),
        ("referrals: referred to the organization", refer),
        ("referrals: acknowledged by its official only", acknowledge),
        ("referrals: extended once", extend),
        ("referrals: answered, accepted", answer),
        ("referrals: a follow-up with a commitment", follow_up),
        ("referrals: the commitment done", commitment_done),
        ("referrals: completed, the proposal implemented", complete),
        (
            "referrals: the proposal's timeline",
            lambda: referrals.timeline(state["supporter"], state["proposal"], state["referral"], state["receiver"]),
        ),
        ("referrals: out of order, and transferred", out_of_order),
        (
            "referrals: listed with filters",
            lambda: ledger.list_filtered(
                state["referral"],
                state["transferred"],
                state["receiver"],
                state["organization"],
                state["official"],
                state["supporter"],
            ),
        ),
        (
            "referrals: the answer teaches the suggestions",
            lambda: ledger.suggestions_learned(state["proposal"], state["receiver"], state["author"], state["admin"]),
        ),
        (
            "referrals: follow and unfollow",
            lambda: notifications.follows(state["proposal"], state["topic"], state["forum"], state["supporter"]),
        ),
        ("referrals: the author's notifications arrive", notifications_arrive),
        (
            "referrals: notifications counted and marked read",
            lambda: notifications.mark_read(state["author"], state["notifications"]),
        ),
        ("partners: a channel registered by the admin", register_channel),
        ("partners: the channel read, listed and renamed", read_list_rename_channel),
        ("partners: a credential issued, listed without its secret", issue_credential),
        ("partners: a machine token (OAuth client credentials)", machine_token),
        ("partners: the secret rotated, a credential revoked", rotate_and_revoke),
        ("partners: a record put by the machine", put_record),
        (
            "partners: the record read back, and on its proposal",
            lambda: partners.read_record(state["channel"], state["record"], state["machine"], state["supporter"]),
        ),
        ("partners: records in bulk (NDJSON)", bulk_import),
        (
            "partners: the bulk import replayed by its Idempotency-Key",
            lambda: partners.bulk_replayed(
                state["channel"], state["machine"], state["policy_area"], state["bulk_proposals"]
            ),
        ),
        (
            "partners: a webhook, its secret rotated, the delivery log",
            lambda: partners.webhooks(state["channel"], state["machine"]),
        ),
        (
            "partners: a suspended channel's token refused",
            lambda: partners.suspend(state["channel"], state["credential"], state["machine"], state["admin"]),
        ),
        (
            "transparency: the funnel of the flow's proposals",
            lambda: transparency.funnel(state["proposal"], state["receiver"], state["forum"]),
        ),
        ("transparency: the funnel's invalid filters", transparency.funnel_invalid),
        (
            "transparency: each organization's record",
            lambda: transparency.organizations(state["receiver"], state["organization"]),
        ),
        ("transparency: the forums held", lambda: transparency.forums(state["forum"], state["live_forum"])),
        (
            "transparency: the annual report",
            lambda: report.annual(state["proposal"], state["referral"], state["receiver"]),
        ),
        ("transparency: the annual report's printable page", lambda: report.page(state["proposal"])),
        ("transparency: annual reports refused", report.refused),
        ("transparency: the open data's dictionary", data_dictionary),
        (
            "transparency: the open data files (CSV and NDJSON)",
            lambda: opendata.files(
                state["dictionary"],
                state["proposal"],
                state["referral"],
                state["forum"],
                state["comment"],
                state["reply"],
            ),
        ),
        ("transparency: Open311 services", lambda: open311.services(state["supporter"])),
        (
            "transparency: Open311 requests, the referred proposals",
            lambda: open311.requests(
                state["proposal"],
                state["referral"],
                state["transferred"],
                state["receiver"],
                state["organization"],
                state["forum_proposal"],
            ),
        ),
    ]
    return run_steps(steps)


if __name__ == "__main__":
    sys.exit(main())
