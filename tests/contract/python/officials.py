"""Officials: the admin creates an organization and makes a fresh citizen its official; the role reaches
the official's token at the refresh, so the token from before stays a citizen's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import ops
from accounts import Person
from common import RUN_ID, anonymous, check, expect, expect_problem
from ocf_client.models.create_organization_request import CreateOrganizationRequest
from ocf_client.models.login_request import LoginRequest
from ocf_client.models.organization_kind import OrganizationKind
from ocf_client.models.organization_view import OrganizationView
from ocf_client.models.refresh_request import RefreshRequest
from ocf_client.models.register_request import RegisterRequest
from ocf_client.models.role import Role
from ocf_client.models.token_response import TokenResponse
from ocf_client.models.update_user_request import UpdateUserRequest
from ocf_client.models.user_view import UserView


@dataclass(frozen=True)
class Official(Person):
    """The official of the flow's organization, and the access token it held before its roles changed."""

    stale_token: str


def create_organization(admin: Person, citizen: Person) -> OrganizationView:
    """The admin creates an organization to refer to (a citizen may not: 403 forbidden)."""
    body = CreateOrganizationRequest(
        code=f"py-{RUN_ID}"[:32],
        kind=OrganizationKind.MINISTRY,
        name_ko="케이블카청",
        name_en=f"Cable Car Agency {RUN_ID}",
    )
    refused = ops.create_organization.sync_detailed(client=citizen.client(), body=body)
    expect_problem(refused, 403, "forbidden", "a citizen creating an organization")
    result = ops.create_organization.sync_detailed(client=admin.client(), body=body)
    org = expect(result, 201, "create organization", OrganizationView)
    check(org.code == body.code.upper(), f"create organization: code {org.code}")
    check(org.kind == "ministry" and org.name_en == body.name_en, "create organization: kind / name_en")
    read = expect(ops.get_organization.sync_detailed(org.id, client=anonymous()), 200, "read organization", OrganizationView)
    check(read.code == org.code, "read organization: code")
    return org


def appoint_official(admin: Person, citizen: Person, organization: OrganizationView) -> Official:
    """A fresh citizen made an official of `organization` by the admin (`PATCH /users/{id}`; a citizen may
    not); the role reaches the token at the refresh (`POST /auth/refresh`), so the token from before stays a
    citizen's."""
    email = f"py-official-{RUN_ID}@example.kr"
    password = "contract-official-passphrase"
    reg = ops.register.sync_detailed(
        client=anonymous(), body=RegisterRequest(email=email, password=password, display_name="Py official")
    )
    user = expect(reg, 201, "register the official", UserView)
    login = ops.login.sync_detailed(client=anonymous(), body=LoginRequest(email=email, password=password))
    tokens = expect(login, 200, "log in the official", TokenResponse)

    body = UpdateUserRequest(roles=[Role.CITIZEN, Role.OFFICIAL], organization_id=uuid.UUID(organization.id))
    refused = ops.update_user.sync_detailed(user.id, client=citizen.client(), body=body)
    expect_problem(refused, 403, "forbidden", "a citizen assigning roles")
    updated = expect(
        ops.update_user.sync_detailed(user.id, client=admin.client(), body=body), 200, "make an official", UserView
    )
    check(Role.OFFICIAL in updated.roles, f"make an official: roles {updated.roles}")
    check(updated.organization_id == organization.id, f"make an official: organization_id {updated.organization_id}")

    refreshed = expect(
        ops.refresh_tokens.sync_detailed(client=anonymous(), body=RefreshRequest(refresh_token=tokens.refresh_token)),
        200,
        "refresh the official's tokens",
        TokenResponse,
    )
    check(refreshed.refresh_token != tokens.refresh_token, "refresh: the refresh token was not rotated")
    return Official(
        email=email, password=password, token=refreshed.access_token, user=updated, stale_token=tokens.access_token
    )
