// Officials: the admin creates an organization and makes a fresh citizen its official; the role reaches the
// official's token at the refresh, so the token from before stays a citizen's.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Organization = Schemas["OrganizationView"];

/** The official of the flow's organization, and the access token it held before its roles changed. */
export type Official = Person & { staleToken: string };

/** The admin creates an organization to refer to (a citizen may not: 403 forbidden). */
export async function createOrganization(admin: Person, citizen: Person): Promise<Organization> {
  const body: Schemas["CreateOrganizationRequest"] = {
    code: `ts-${runId}`,
    kind: "ministry",
    name_ko: "대중교통부",
    name_en: `Ministry of Public Transport ${runId}`,
  };
  const refused = await api(citizen.token).POST("/api/v1/organizations", { body });
  expectProblem(refused, 403, "forbidden", "a citizen creating an organization");

  const { data, response } = await api(admin.token).POST("/api/v1/organizations", { body });
  expectStatus(response, 201, "create organization");
  check(data !== undefined, "create organization: no body");
  check(data.code === body.code.toUpperCase(), `create organization: code ${data.code}`);
  check(data.kind === "ministry" && data.name_en === body.name_en, "create organization: kind / name_en");
  const read = await api().GET("/api/v1/organizations/{id}", { params: { path: { id: data.id } } });
  expectStatus(read.response, 200, "read organization");
  check(read.data?.code === data.code, "read organization: code");
  return data;
}

/**
 * A fresh citizen made an official of `organization` by the admin (`PATCH /users/{id}`; a citizen may not);
 * the role reaches the token at the refresh (`POST /auth/refresh`), so the token from before stays a
 * citizen's.
 */
export async function appointOfficial(admin: Person, citizen: Person, organization: Organization): Promise<Official> {
  const email = `ts-official-${runId}@example.kr`;
  const password = "contract-official-passphrase";
  const anonymous = api();
  const reg = await anonymous.POST("/api/v1/auth/register", { body: { email, password, display_name: "TS official" } });
  expectStatus(reg.response, 201, "register the official");
  check(reg.data !== undefined, "register the official: no body");
  const login = await anonymous.POST("/api/v1/auth/login", { body: { email, password } });
  expectStatus(login.response, 200, "log in the official");
  check(login.data !== undefined, "log in the official: no body");

  const body: Schemas["UpdateUserRequest"] = { roles: ["citizen", "official"], organization_id: organization.id };
  const path = { params: { path: { id: reg.data.id } } };
  const refused = await api(citizen.token).PATCH("/api/v1/users/{id}", { ...path, body });
  expectProblem(refused, 403, "forbidden", "a citizen assigning roles");
  const { data, response } = await api(admin.token).PATCH("/api/v1/users/{id}", { ...path, body });
  expectStatus(response, 200, "make an official");
  check(data !== undefined, "make an official: no body");
  check(data.roles.includes("official"), `make an official: roles ${JSON.stringify(data.roles)}`);
  check(data.organization_id === organization.id, `make an official: organization_id ${data.organization_id}`);

  const refreshed = await anonymous.POST("/api/v1/auth/refresh", { body: { refresh_token: login.data.refresh_token } });
  expectStatus(refreshed.response, 200, "refresh the official's tokens");
  check(refreshed.data !== undefined, "refresh: no body");
  check(refreshed.data.refresh_token !== login.data.refresh_token, "refresh: the refresh token was not rotated");
  return { email, password, token: refreshed.data.access_token, user: data, staleToken: login.data.access_token };
}
