"""Accounts: registration, sign-in, one's own account, and a validation error read as a typed problem."""

from __future__ import annotations

import os
from dataclasses import dataclass

import ops
from common import RUN_ID, anonymous, check, expect, expect_problem, signed_in
from ocf_client.client import AuthenticatedClient
from ocf_client.models.login_request import LoginRequest
from ocf_client.models.register_request import RegisterRequest
from ocf_client.models.token_response import TokenResponse
from ocf_client.models.user_view import UserView


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    token: str
    user: UserView

    def client(self) -> AuthenticatedClient:
        return signed_in(self.token)


def register_and_login(label: str) -> Person:
    """Registers a fresh citizen and signs in: the caller every other flow acts as."""
    email = f"py-{label}-{RUN_ID}@example.kr"
    password = f"contract-{label}-passphrase"
    reg = ops.register.sync_detailed(
        client=anonymous(), body=RegisterRequest(email=email, password=password, display_name=f"Py {label}")
    )
    user = expect(reg, 201, "register", UserView)
    check(user.email == email, f"register: email {user.email}")
    check("citizen" in user.roles, "register: not a citizen")
    check(reg.headers.get("location") == "/api/v1/me", "register: Location header")

    login = ops.login.sync_detailed(client=anonymous(), body=LoginRequest(email=email, password=password))
    tokens = expect(login, 200, "login", TokenResponse)
    check(tokens.token_type == "Bearer", f"login: token_type {tokens.token_type}")
    check(tokens.expires_in > 0, "login: expires_in")

    me = expect(ops.get_me.sync_detailed(client=signed_in(tokens.access_token)), 200, "get me", UserView)
    check(me.id == user.id, "get me: another account")
    return Person(email=email, password=password, token=tokens.access_token, user=user)


def validation_problem() -> None:
    """Every invalid field is listed at once, under a stable code."""
    result = ops.register.sync_detailed(
        client=anonymous(), body=RegisterRequest(email="not-an-email", password="short", display_name="x")
    )
    problem = expect_problem(result, 422, "validation_failed", "invalid registration")
    errors = problem.errors if isinstance(problem.errors, list) else []
    fields = sorted(e.field for e in errors)
    check(fields == ["display_name", "email", "password"], f"invalid registration: errors name {fields}")
    for e in errors:
        check(e.message, f"no message for {e.field}")


def login_admin() -> Person:
    """Signs in the admin that the contract harness made (`ocf-api admin create` in .ci/contract, which
    exports OCF_CONTRACT_ADMIN_EMAIL and OCF_ADMIN_PASSWORD): the staff member of the flows."""
    email = os.environ.get("OCF_CONTRACT_ADMIN_EMAIL", "")
    password = os.environ.get("OCF_ADMIN_PASSWORD", "")
    check(email and password, "OCF_CONTRACT_ADMIN_EMAIL and OCF_ADMIN_PASSWORD are not set (the admin of .ci/contract)")
    login = ops.login.sync_detailed(client=anonymous(), body=LoginRequest(email=email, password=password))
    tokens = expect(login, 200, "admin login", TokenResponse)
    me = expect(ops.get_me.sync_detailed(client=signed_in(tokens.access_token)), 200, "get me (admin)", UserView)
    check("admin" in me.roles, f"admin: roles {me.roles}")
    return Person(email=email, password=password, token=tokens.access_token, user=me)


def wrong_password(person: Person) -> None:
    result = ops.login.sync_detailed(
        client=anonymous(), body=LoginRequest(email=person.email, password="not-the-password")
    )
    expect_problem(result, 401, "invalid_credentials", "wrong password")
