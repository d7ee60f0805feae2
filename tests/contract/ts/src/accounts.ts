// Accounts: registration, sign-in, one's own account, and a validation error read as a typed problem.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";

export type Person = { email: string; password: string; token: string; user: Schemas["UserView"] };

/** Registers a fresh citizen and signs in: the caller every other flow acts as. */
export async function registerAndLogin(label: string): Promise<Person> {
  const email = `ts-${label}-${runId}@example.kr`;
  const password = `contract-${label}-passphrase`;
  const anonymous = api();

  const reg = await anonymous.POST("/api/v1/auth/register", {
    body: { email, password, display_name: `TS ${label}` },
  });
  expectStatus(reg.response, 201, "register");
  check(reg.data !== undefined, "register: no body");
  check(reg.data.email === email, `register: email ${reg.data.email}`);
  check(reg.data.roles.includes("citizen"), "register: not a citizen");
  check(reg.response.headers.get("location") === "/api/v1/me", "register: Location header");

  const login = await anonymous.POST("/api/v1/auth/login", { body: { email, password } });
  expectStatus(login.response, 200, "login");
  check(login.data !== undefined, "login: no body");
  check(login.data.token_type === "Bearer", `login: token_type ${login.data.token_type}`);
  check(login.data.expires_in > 0, "login: expires_in");

  const me = await api(login.data.access_token).GET("/api/v1/me");
  expectStatus(me.response, 200, "get me");
  check(me.data?.id === reg.data.id, "get me: another account");

  return { email, password, token: login.data.access_token, user: reg.data };
}

/** Every invalid field is listed at once, under a stable code. */
export async function validationProblem(): Promise<void> {
  const result = await api().POST("/api/v1/auth/register", {
    body: { email: "not-an-email", password: "short", display_name: "x" },
  });
  const problem = expectProblem(result, 422, "validation_failed", "invalid registration");
  const fields = (problem.errors ?? []).map((e) => e.field).sort();
  check(
    JSON.stringify(fields) === JSON.stringify(["display_name", "email", "password"]),
    `invalid registration: errors name ${JSON.stringify(fields)}`,
  );
  for (const e of problem.errors ?? []) check(e.message.length > 0, `no message for ${e.field}`);
}

/**
 * Signs in the admin that the contract harness made (`ocf-api admin create` in .ci/contract, which exports
 * OCF_CONTRACT_ADMIN_EMAIL and OCF_ADMIN_PASSWORD): the staff member of the flows.
 */
export async function loginAdmin(): Promise<Person> {
  const email = process.env["OCF_CONTRACT_ADMIN_EMAIL"];
  const password = process.env["OCF_ADMIN_PASSWORD"];
  check(email && password, "OCF_CONTRACT_ADMIN_EMAIL and OCF_ADMIN_PASSWORD are not set (the admin of .ci/contract)");
  const login = await api().POST("/api/v1/auth/login", { body: { email, password } });
  expectStatus(login.response, 200, "admin login");
  check(login.data !== undefined, "admin login: no body");

  const me = await api(login.data.access_token).GET("/api/v1/me");
  expectStatus(me.response, 200, "get me (admin)");
  check(me.data !== undefined, "get me (admin): no body");
  check(me.data.roles.includes("admin"), `admin: roles ${JSON.stringify(me.data.roles)}`);
  return { email, password, token: login.data.access_token, user: me.data };
}

/** A wrong password is 401 invalid_credentials. */
export async function wrongPassword(person: Person): Promise<void> {
  const result = await api().POST("/api/v1/auth/login", {
    body: { email: person.email, password: "not-the-password" },
  });
  expectProblem(result, 401, "invalid_credentials", "wrong password");
}
