// Partners: the admin registers a partner channel and its machine credentials (issued, listed without
// secrets, rotated, revoked); the channel's machine obtains tokens at the OAuth token endpoint (client
// credentials, HTTP Basic; errors are OAuth's JSON, not problem+json), puts records by external id, one
// by one and in bulk (NDJSON, replayed by Idempotency-Key), and manages its webhooks; a suspended channel's
// token is refused. The bulk import is sent and read with plain `fetch`: openapi-fetch only speaks JSON and
// form bodies. The token request goes through openapi-fetch, which form-encodes a body whose Content-Type
// says so.
import { api, baseUrl, check, expectProblem, expectStatus, runId, type Problem, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Channel = Schemas["ChannelView"];
type Issued = Schemas["IssuedCredential"];
type PartnerRecord = Schemas["PartnerRecordView"];
type Line = Schemas["BulkLineResult"];
type OAuthError = Schemas["OAuthError"];

/** The machine tokens of the flow: every scope of the credential, and `proposals:read` alone. */
export type Machine = { token: string; readOnly: string };

const noId = "00000000-0000-0000-0000-000000000000";
const allScopes = ["proposals:read", "proposals:write", "webhooks:manage"];
/** A distinctive English word per run, so this run's partner proposals are told apart from others. */
export const keyword = `parkshare${runId}`.replace(/[^a-z]/g, "");
/** The record the flow puts one by one, under the partner's own id. */
export const externalId = `ts-${runId}`;
const sameInstant = (a: string | null | undefined, b: number): boolean => a != null && Math.abs(Date.parse(a) - b) < 1000;
const sorted = (items: string[]): string => JSON.stringify([...items].sort());
const fieldsOf = (problem: Problem): string => sorted((problem.errors ?? []).map((e) => e.field));

function channelBody(): Schemas["CreateChannelRequest"] {
  return {
    code: `ts-${runId}`,
    name: `TS idea box ${runId}`,
    kind: "idea_box",
    base_url: "https://ideas.example.org",
    contact: "Partner desk 02-2100-0000",
  };
}

/** The admin registers a channel (201, `active`); a bad body is 422 on its fields, a citizen 403, the code twice 409. */
export async function register(admin: Person, citizen: Person): Promise<Channel> {
  const bad = await api(admin.token).POST("/api/v1/channels", {
    body: { code: "Not A Code", name: " ", kind: "other", base_url: "http://ideas.example.org", contact: "Desk" },
  });
  const problem = expectProblem(bad, 422, "validation_failed", "an invalid channel");
  check(fieldsOf(problem) === sorted(["base_url", "code", "name"]), `an invalid channel: errors name ${fieldsOf(problem)}`);

  const body = channelBody();
  const refused = await api(citizen.token).POST("/api/v1/channels", { body });
  expectProblem(refused, 403, "forbidden", "a citizen registering a channel");

  const { data, response } = await api(admin.token).POST("/api/v1/channels", { body });
  expectStatus(response, 201, "register a channel");
  check(data !== undefined, "register a channel: no body");
  check(response.headers.get("location") === `/api/v1/channels/${data.id}`, "register a channel: Location header");
  check(data.code === body.code && data.name === body.name && data.kind === "idea_box", "register a channel: code / name / kind");
  check(data.base_url === body.base_url && data.contact === body.contact, "register a channel: base_url / contact");
  check(data.status === "active", `register a channel: status ${data.status}`);
  check(data.service_user_id.length > 0 && data.created_at === data.updated_at, "register a channel: service_user_id / times");

  const again = await api(admin.token).POST("/api/v1/channels", { body });
  expectProblem(again, 409, "already_exists", "the same code twice");
  return data;
}

/** Read by id (404 for none), listed by code page by page (a foreign cursor is 422), and renamed (a citizen may not). */
export async function readListRename(channel: Channel, admin: Person, citizen: Person): Promise<Channel> {
  const client = api(admin.token);
  const read = await client.GET("/api/v1/channels/{id}", { params: { path: { id: channel.id } } });
  expectStatus(read.response, 200, "read the channel");
  check(JSON.stringify(read.data) === JSON.stringify(channel), "read the channel: another channel");
  const missing = await client.GET("/api/v1/channels/{id}", { params: { path: { id: noId } } });
  expectProblem(missing, 404, "not_found", "no such channel");
  const other = await api(citizen.token).GET("/api/v1/channels", {});
  expectProblem(other, 403, "forbidden", "a citizen listing channels");

  const codes: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page += 1) {
    check(page < 100, "list channels: more than 100 pages of one");
    const query = cursor === undefined ? { limit: 1 } : { limit: 1, cursor };
    const { data, response } = await client.GET("/api/v1/channels", { params: { query } });
    expectStatus(response, 200, `list channels, page ${page + 1}`);
    check(data !== undefined && data.items.length <= 1, `list channels, page ${page + 1}: ${data?.items.length} items`);
    codes.push(...data.items.map((c) => c.code));
    if (data.next_cursor === null) break;
    cursor = data.next_cursor;
  }
  check(codes.includes(channel.code), "list channels: the channel is missing");
  check(codes.every((c, i) => i === 0 || (codes[i - 1] ?? "") < c), `list channels: not by code ${JSON.stringify(codes)}`);
  const foreign = await client.GET("/api/v1/channels", { params: { query: { cursor: "not-a-cursor" } } });
  const problem = expectProblem(foreign, 422, "validation_failed", "a cursor this API did not issue");
  check(fieldsOf(problem) === sorted(["cursor"]), `a foreign cursor: errors name ${fieldsOf(problem)}`);

  const path = { params: { path: { id: channel.id } } };
  const name = `TS idea box ${runId} (renamed)`;
  const refused = await api(citizen.token).PATCH("/api/v1/channels/{id}", { ...path, body: { name } });
  expectProblem(refused, 403, "forbidden", "a citizen renaming the channel");
  const empty = await client.PATCH("/api/v1/channels/{id}", { ...path, body: {} });
  const nothing = expectProblem(empty, 422, "validation_failed", "a change of nothing");
  check(fieldsOf(nothing) === sorted(["body"]), `a change of nothing: errors name ${fieldsOf(nothing)}`);
  const { data, response } = await client.PATCH("/api/v1/channels/{id}", { ...path, body: { name } });
  expectStatus(response, 200, "rename the channel");
  check(data?.name === name && data.code === channel.code, `rename: name ${data?.name} / code ${data?.code}`);
  check(data.status === "active" && Date.parse(data.updated_at) >= Date.parse(channel.updated_at), "rename: status / updated_at");
  return data;
}

/** A credential with every scope (201, its secret this once, `no-store`); listed and read without a secret. */
export async function issueCredential(channel: Channel, admin: Person): Promise<Issued> {
  const client = api(admin.token);
  const path = { params: { path: { id: channel.id } } };
  const none = await client.POST("/api/v1/channels/{id}/credentials", { ...path, body: { scopes: [] } });
  const problem = expectProblem(none, 422, "validation_failed", "a credential with no scope");
  check(fieldsOf(problem) === sorted(["scopes"]), `no scope: errors name ${fieldsOf(problem)}`);

  const { data, response } = await client.POST("/api/v1/channels/{id}/credentials", { ...path, body: {} });
  expectStatus(response, 201, "create a credential");
  check(data !== undefined, "create a credential: no body");
  const c = data.credential;
  check(response.headers.get("location") === `/api/v1/channels/${channel.id}/credentials/${c.id}`, "credential: Location header");
  check(
    response.headers.get("cache-control") === "no-store",
    `credential: Cache-Control ${response.headers.get("cache-control")}`,
  );
  check(data.client_secret.startsWith("ocfs_") && c.client_id.startsWith("ocf_"), "credential: client_id / client_secret");
  check(c.channel_id === channel.id && sorted(c.scopes) === sorted(allScopes), `credential: scopes ${JSON.stringify(c.scopes)}`);
  check(
    c.revoked_at === null && c.rotated_at === null && c.last_used_at === null,
    "credential: revoked_at / rotated_at / last_used_at",
  );

  const listed = await client.GET("/api/v1/channels/{id}/credentials", path);
  expectStatus(listed.response, 200, "list credentials");
  check(listed.data !== undefined, "list credentials: no body");
  check(
    listed.data.items.some((i) => i.id === c.id && i.client_id === c.client_id),
    "list credentials: the credential is missing",
  );
  check(listed.data.items.every((i) => !("client_secret" in i)), "list credentials: a secret is listed");
  const read = await client.GET("/api/v1/channels/{id}/credentials/{credential_id}", {
    params: { path: { id: channel.id, credential_id: c.id } },
  });
  expectStatus(read.response, 200, "read the credential");
  check(JSON.stringify(read.data) === JSON.stringify(c), "read the credential: it differs from the one issued");
  check(read.data !== undefined && !("client_secret" in read.data), "read the credential: the secret is shown");
  const missing = await client.GET("/api/v1/channels/{id}/credentials/{credential_id}", {
    params: { path: { id: channel.id, credential_id: noId } },
  });
  expectProblem(missing, 404, "not_found", "no such credential");
  return data;
}

/** `Authorization: Basic` for the token endpoint: client id and secret, each form-encoded (RFC 6749 §2.3.1). */
function basic(clientId: string, secret: string): string {
  const formEncoded = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${formEncoded(clientId)}:${formEncoded(secret)}`).toString("base64")}`;
}

/** `POST /oauth/token`, form-encoded (openapi-fetch serializes the body by its Content-Type). */
function requestToken(clientId: string, secret: string, body: Schemas["TokenRequest"]) {
  return api().POST("/api/v1/oauth/token", {
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic(clientId, secret) },
  });
}

/** A token grant: `Bearer`, an hour, the scopes asked for (all of the credential's when none). */
async function grant(clientId: string, secret: string, scopes: string[], scope?: string): Promise<string> {
  const body: Schemas["TokenRequest"] = { grant_type: "client_credentials" };
  if (scope !== undefined) body.scope = scope;
  const { data, response } = await requestToken(clientId, secret, body);
  const what = `a token${scope === undefined ? "" : ` for ${scope}`}`;
  expectStatus(response, 200, what);
  check(data !== undefined, `${what}: no body`);
  check(response.headers.get("cache-control") === "no-store", `${what}: Cache-Control ${response.headers.get("cache-control")}`);
  check(data.token_type === "Bearer" && data.expires_in === 3600, `${what}: ${data.token_type} for ${data.expires_in} s`);
  check(sorted(data.scope.split(" ")) === sorted(scopes), `${what}: scope ${data.scope}`);
  check(data.access_token.split(".").length === 3, `${what}: the access token is not a JWT`);
  return data.access_token;
}

/** An OAuth error (RFC 6749 §5.2): its own JSON, never problem+json. */
function expectOAuthError(
  result: { error?: OAuthError | Problem | undefined; response: Response },
  status: number,
  code: Schemas["OAuthErrorCode"],
  what: string,
): OAuthError {
  expectStatus(result.response, status, what);
  const contentType = result.response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/json"), `${what}: content-type ${contentType}`);
  const error = result.error;
  check(error !== undefined && "error" in error, `${what}: not an OAuth error`);
  check(error.error === code, `${what}: expected error ${code}, got ${error.error}`);
  check(error.error_description.length > 0, `${what}: no error_description`);
  return error;
}

/**
 * Client credentials over HTTP Basic (200, every scope; or `proposals:read` alone); user endpoints refuse
 * the machine token. A wrong secret is 401 `invalid_client` with `WWW-Authenticate: Basic`; another grant
 * type and a scope the credential lacks are 400.
 */
export async function token(issued: Issued): Promise<Machine> {
  const clientId = issued.credential.client_id;
  const machine = await grant(clientId, issued.client_secret, allScopes);
  const readOnly = await grant(clientId, issued.client_secret, ["proposals:read"], "proposals:read");
  const me = await api(machine).GET("/api/v1/me");
  expectProblem(me, 401, "invalid_token", "a machine token on a user endpoint");

  const wrong = await requestToken(clientId, `${issued.client_secret}x`, { grant_type: "client_credentials" });
  expectOAuthError(wrong, 401, "invalid_client", "a wrong secret");
  const challenge = wrong.response.headers.get("www-authenticate");
  check(challenge === 'Basic realm="ocf"', `a wrong secret: WWW-Authenticate ${challenge}`);
  const password = await requestToken(clientId, issued.client_secret, { grant_type: "password" });
  expectOAuthError(password, 400, "unsupported_grant_type", "grant_type=password");
  const admin = await requestToken(clientId, issued.client_secret, { grant_type: "client_credentials", scope: "admin" });
  expectOAuthError(admin, 400, "invalid_scope", "scope=admin");
  return { token: machine, readOnly };
}

/**
 * The admin rotates the secret (200, a new one; the old one still works for `overlap_seconds`), and revokes
 * a second, throwaway credential (204, twice): its secret obtains no more tokens. Answers a token of the
 * new secret.
 */
export async function rotateAndRevoke(
  channel: Channel,
  issued: Issued,
  admin: Person,
): Promise<{ issued: Issued; token: string }> {
  const client = api(admin.token);
  const id = channel.id;
  const throwaway = await client.POST("/api/v1/channels/{id}/credentials", {
    params: { path: { id } },
    body: { scopes: ["proposals:read"] },
  });
  expectStatus(throwaway.response, 201, "a throwaway credential");
  check(throwaway.data !== undefined, "a throwaway credential: no body");
  const spare = throwaway.data;
  check(JSON.stringify(spare.credential.scopes) === JSON.stringify(["proposals:read"]), "throwaway: scopes");

  const { data, response } = await client.POST("/api/v1/channels/{id}/credentials/{credential_id}/rotate", {
    params: { path: { id, credential_id: issued.credential.id } },
    body: { overlap_seconds: 3600 },
  });
  expectStatus(response, 200, "rotate the secret");
  check(data !== undefined, "rotate: no body");
  check(response.headers.get("cache-control") === "no-store", `rotate: Cache-Control ${response.headers.get("cache-control")}`);
  const c = data.credential;
  check(data.client_secret.startsWith("ocfs_") && data.client_secret !== issued.client_secret, "rotate: the same secret");
  check(c.id === issued.credential.id && c.client_id === issued.credential.client_id, "rotate: another credential");
  check(c.rotated_at !== null && c.revoked_at === null, "rotate: rotated_at / revoked_at");
  check(
    sameInstant(c.previous_secret_expires_at, Date.parse(c.rotated_at) + 3600_000),
    `rotate: previous_secret_expires_at ${c.previous_secret_expires_at}`,
  );
  await grant(c.client_id, issued.client_secret, allScopes); // the replaced secret, within the overlap
  const fresh = await grant(c.client_id, data.client_secret, allScopes);

  const path = { params: { path: { id, credential_id: spare.credential.id } } };
  for (const attempt of [1, 2]) {
    const revoked = await client.DELETE("/api/v1/channels/{id}/credentials/{credential_id}", path);
    expectStatus(revoked.response, 204, `revoke the throwaway credential #${attempt}`);
  }
  const refused = await requestToken(spare.credential.client_id, spare.client_secret, { grant_type: "client_credentials" });
  expectOAuthError(refused, 401, "invalid_client", "a revoked credential's secret");
  const read = await client.GET("/api/v1/channels/{id}/credentials/{credential_id}", path);
  check(read.data?.revoked_at != null, `the revoked credential: revoked_at ${read.data?.revoked_at}`);
  const listed = await client.GET("/api/v1/channels/{id}/credentials", { params: { path: { id } } });
  const ids = listed.data?.items.map((i) => i.id) ?? [];
  check(JSON.stringify(ids) === JSON.stringify([spare.credential.id, c.id]), `credentials, newest first: ${JSON.stringify(ids)}`);
  const gone = await client.POST("/api/v1/channels/{id}/credentials/{credential_id}/rotate", { ...path, body: {} });
  expectProblem(gone, 404, "not_found", "rotating a revoked credential");
  return { issued: data, token: fresh };
}

export function recordBody(policyArea: string, supports: number): Schemas["PartnerProposalRequest"] {
  return {
    title: `Share the ${keyword} car parks at noon`,
    body: `Open the estate's ${keyword} car parks at noon to neighbours and shoppers, so the lanes stay clear.`,
    policy_area: policyArea,
    external_url: `https://ideas.example.org/ideas/${externalId}`,
    partner_created_at: "2026-11-30T12:00:00Z",
    partner_support_count: supports,
  };
}

/**
 * The machine puts a record by its external id: 201 `created` (a submitted proposal of the channel), the
 * same again 200 `unchanged`, a new support count 200 `updated`. A user's token is 401, a token without
 * `proposals:write` 403, a bad body 422 on its fields.
 */
export async function putRecord(channel: Channel, machine: Machine, admin: Person, policyArea: string): Promise<PartnerRecord> {
  const params = { path: { id: channel.id, external_id: externalId } };
  const body = recordBody(policyArea, 12);
  const user = await api(admin.token).PUT("/api/v1/channels/{id}/proposals/{external_id}", { params, body });
  expectProblem(user, 401, "invalid_token", "a user's token on the intake");
  const narrow = await api(machine.readOnly).PUT("/api/v1/channels/{id}/proposals/{external_id}", { params, body });
  expectProblem(narrow, 403, "insufficient_scope", "a token without proposals:write");
  const bad = await api(machine.token).PUT("/api/v1/channels/{id}/proposals/{external_id}", {
    params,
    body: { ...body, title: "Park", body: "Too short.", external_url: "http://ideas.example.org/1" },
  });
  const problem = expectProblem(bad, 422, "validation_failed", "an invalid record");
  check(fieldsOf(problem) === sorted(["body", "external_url", "title"]), `an invalid record: errors name ${fieldsOf(problem)}`);

  const client = api(machine.token);
  const { data, response } = await client.PUT("/api/v1/channels/{id}/proposals/{external_id}", { params, body });
  expectStatus(response, 201, "put a record");
  check(data !== undefined, "put a record: no body");
  check(response.headers.get("location") === `/api/v1/channels/${channel.id}/proposals/${externalId}`, "put a record: Location");
  check(data.outcome === "created" && data.current === null && data.referrals.length === 0, `put a record: ${data.outcome}`);
  check(
    data.proposal.status === "submitted" && data.proposal.support_count === 0,
    `put a record: proposal ${data.proposal.status}`,
  );
  const r = data.record;
  check(r.channel_id === channel.id && r.channel === `partner:${channel.code}`, `put a record: channel ${r.channel}`);
  check(r.external_id === externalId && r.origin === true, "put a record: external_id / origin");
  check(
    r.external_url === body.external_url && r.partner_support_count === 12,
    "put a record: external_url / partner_support_count",
  );
  check(
    sameInstant(r.partner_created_at, Date.parse(body.partner_created_at ?? "")),
    `put a record: partner_created_at ${r.partner_created_at}`,
  );
  check(r.partner_updated_at === null, "put a record: partner_updated_at");

  const same = await client.PUT("/api/v1/channels/{id}/proposals/{external_id}", { params, body });
  expectStatus(same.response, 200, "the same record again");
  check(
    same.data?.outcome === "unchanged" && same.data.proposal.id === data.proposal.id,
    `the same again: ${same.data?.outcome}`,
  );
  check(same.data.record.updated_at === r.updated_at, "the same again: updated_at changed");
  const changed = await client.PUT("/api/v1/channels/{id}/proposals/{external_id}", {
    params,
    body: recordBody(policyArea, 15),
  });
  expectStatus(changed.response, 200, "a new support count");
  check(
    changed.data?.outcome === "updated" && changed.data.proposal.id === data.proposal.id,
    `a new count: ${changed.data?.outcome}`,
  );
  check(changed.data.record.partner_support_count === 15, `a new count: ${changed.data.record.partner_support_count}`);
  return changed.data;
}

/** The machine reads the record back (`proposals:read` is enough; none: 404); the public proposal shows the channel. */
export async function readRecord(channel: Channel, record: PartnerRecord, machine: Machine): Promise<void> {
  const { data, response } = await api(machine.readOnly).GET("/api/v1/channels/{id}/proposals/{external_id}", {
    params: { path: { id: channel.id, external_id: externalId } },
  });
  expectStatus(response, 200, "read the record");
  check(data?.outcome === null && data.proposal.id === record.proposal.id, `read the record: outcome ${data?.outcome}`);
  check(JSON.stringify(data.record) === JSON.stringify(record.record), "read the record: it differs from the one put");
  const missing = await api(machine.readOnly).GET("/api/v1/channels/{id}/proposals/{external_id}", {
    params: { path: { id: channel.id, external_id: `${externalId}-none` } },
  });
  expectProblem(missing, 404, "not_found", "no such record");

  const proposal = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: record.proposal.id } } });
  expectStatus(proposal.response, 200, "the partner's proposal");
  const p = proposal.data;
  check(p?.channel === `partner:${channel.code}` && p.status === "submitted", `the partner's proposal: channel ${p?.channel}`);
  check(p.title === recordBody("", 0).title && p.is_mine === null, "the partner's proposal: title / is_mine");
  const presence = p.channels[0];
  check(p.channels.length === 1 && presence !== undefined, `the partner's proposal: ${p.channels.length} channels`);
  check(
    presence.channel_id === channel.id && presence.external_id === externalId && presence.origin,
    "proposal channels[0]: ids / origin",
  );
  check(presence.external_url === record.record.external_url, `proposal channels[0]: external_url ${presence.external_url}`);
  check(presence.partner_support_count === 15, `proposal channels[0]: partner_support_count ${presence.partner_support_count}`);
}

/** The NDJSON lines of a bulk import: records with `external_id`, `null` for an empty line. */
function ndjson(lines: (object | null)[]): string {
  return lines.map((l) => (l === null ? "" : JSON.stringify(l))).join("\n") + "\n";
}

/** `POST /channels/{id}/proposals/bulk` with plain `fetch`: the answer's lines, parsed, and its raw text. */
async function importBulk(
  channel: Channel,
  token: string,
  body: string,
  key?: string,
): Promise<{ response: Response; text: string; lines: Line[] }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, "Content-Type": "application/x-ndjson" };
  if (key !== undefined) headers["Idempotency-Key"] = key;
  const response = await fetch(`${baseUrl}/api/v1/channels/${channel.id}/proposals/bulk`, { method: "POST", headers, body });
  const text = await response.text();
  const lines = response.ok ? text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Line) : [];
  return { response, text, lines };
}

function bulkLines(policyArea: string, supports: number): (object | null)[] {
  const record = (n: number, count = 3) => ({
    ...recordBody(policyArea, count),
    title: `Share the ${keyword} car parks at noon, block ${n}`,
    external_url: `https://ideas.example.org/ideas/${externalId}-b${n}`,
    external_id: `${externalId}-b${n}`,
  });
  return [record(1), record(2, supports), null, { ...record(4), title: "Park" }, record(5)];
}

/** Checks the answer's lines: one per non-empty line, in order, with its number; the invalid one a problem. */
function checkLines(lines: Line[], statuses: string[], what: string): void {
  check(
    JSON.stringify(lines.map((l) => l.line)) === JSON.stringify([1, 2, 4, 5]),
    `${what}: lines ${JSON.stringify(lines.map((l) => l.line))}`,
  );
  check(
    JSON.stringify(lines.map((l) => l.status)) === JSON.stringify(statuses),
    `${what}: ${JSON.stringify(lines.map((l) => l.status))}`,
  );
  const ids = [1, 2, 4, 5].map((n) => `${externalId}-b${n}`);
  check(JSON.stringify(lines.map((l) => l.external_id)) === JSON.stringify(ids), `${what}: external ids`);
  for (const l of lines) {
    if (l.status === "error") {
      check(l.proposal_id === null && l.problem !== undefined, `${what}: line ${l.line} without a problem`);
      check(l.problem.code === "validation_failed" && l.problem.status === 422, `${what}: line ${l.line}: ${l.problem.code}`);
      check(l.problem.type === "urn:ocf:problem:validation_failed", `${what}: line ${l.line}: type ${l.problem.type}`);
      check(fieldsOf(l.problem) === sorted(["title"]), `${what}: line ${l.line}: errors name ${fieldsOf(l.problem)}`);
    } else {
      check(typeof l.proposal_id === "string" && l.problem === undefined, `${what}: line ${l.line}: proposal_id / problem`);
    }
  }
}

/** Four records and an empty line, one invalid: 200 NDJSON, a result per non-empty line. Answers the proposal ids. */
export async function bulk(channel: Channel, machine: Machine, policyArea: string): Promise<string[]> {
  const refused = await importBulk(channel, machine.readOnly, ndjson(bulkLines(policyArea, 3)));
  const problem = JSON.parse(refused.text) as Problem;
  const what = "a bulk import without proposals:write";
  expectProblem({ error: problem, response: refused.response }, 403, "insufficient_scope", what);

  const { response, lines } = await importBulk(channel, machine.token, ndjson(bulkLines(policyArea, 3)));
  expectStatus(response, 200, "bulk import");
  const contentType = response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/x-ndjson"), `bulk import: content-type ${contentType}`);
  checkLines(lines, ["created", "created", "error", "created"], "bulk import");
  const ids = lines.flatMap((l) => (l.proposal_id === null ? [] : [l.proposal_id]));
  check(new Set(ids).size === 3, `bulk import: proposal ids ${JSON.stringify(ids)}`);
  const one = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: ids[0] ?? noId } } });
  expectStatus(one.response, 200, "a proposal of the bulk import");
  check(
    one.data?.channel === `partner:${channel.code}` && one.data.channels[0]?.external_id === `${externalId}-b1`,
    "bulk proposal: channel",
  );
  return ids;
}

/**
 * The same lines with one changed support count, under an `Idempotency-Key`: `unchanged`, `updated`, the
 * error, `unchanged`; sent again with the key, the first answer replayed exactly (`Idempotent-Replayed:
 * true`); the key with another body is 422 `idempotency_key_reused`.
 */
export async function bulkReplayed(channel: Channel, machine: Machine, policyArea: string, ids: string[]): Promise<void> {
  const key = `"ts-${runId}-bulk"`;
  const body = ndjson(bulkLines(policyArea, 4));
  const first = await importBulk(channel, machine.token, body, key);
  expectStatus(first.response, 200, "keyed bulk import");
  check(first.response.headers.get("idempotent-replayed") === null, "keyed bulk import: replayed the first time");
  checkLines(first.lines, ["unchanged", "updated", "error", "unchanged"], "keyed bulk import");
  const again = first.lines.flatMap((l) => (l.proposal_id === null ? [] : [l.proposal_id]));
  check(JSON.stringify(again) === JSON.stringify(ids), "keyed bulk import: other proposals");

  const replay = await importBulk(channel, machine.token, body, key);
  expectStatus(replay.response, 200, "keyed bulk import again");
  check(replay.response.headers.get("idempotent-replayed") === "true", "keyed bulk import again: Idempotent-Replayed");
  const contentType = replay.response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/x-ndjson"), `replay: content-type ${contentType}`);
  check(replay.text === first.text, "keyed bulk import again: another body");

  const other = await importBulk(channel, machine.token, ndjson(bulkLines(policyArea, 5)), key);
  const problem = JSON.parse(other.text) as Problem;
  expectProblem({ error: problem, response: other.response }, 422, "idempotency_key_reused", "the key with another body");
}

/**
 * The machine manages a webhook (201 `active`, a `whsec_` secret this once; listed without it; the secret
 * rotated, the old one signing for 24 hours), reads the delivery log (whatever became of the deliveries:
 * the contract server reaches no receiver) and deletes the webhook (204; then 404). A token without
 * `webhooks:manage` is 403.
 */
export async function webhooks(channel: Channel, machine: Machine): Promise<void> {
  const client = api(machine.token);
  const id = channel.id;
  const body: Schemas["CreateWebhookRequest"] = {
    url: "https://hooks.example.org/ocf",
    event_types: ["proposal.created", "proposal.status_changed"],
  };
  const narrow = await api(machine.readOnly).POST("/api/v1/channels/{id}/webhooks", { params: { path: { id } }, body });
  expectProblem(narrow, 403, "insufficient_scope", "a webhook without webhooks:manage");

  const { data, response } = await client.POST("/api/v1/channels/{id}/webhooks", { params: { path: { id } }, body });
  expectStatus(response, 201, "create a webhook");
  check(data !== undefined, "create a webhook: no body");
  const w = data.webhook;
  check(response.headers.get("location") === `/api/v1/channels/${id}/webhooks/${w.id}`, "webhook: Location header");
  check(w.channel_id === id && w.url === body.url, `webhook: channel_id / url ${w.url}`);
  check(
    JSON.stringify(w.event_types) === JSON.stringify(body.event_types),
    `webhook: event_types ${JSON.stringify(w.event_types)}`,
  );
  check(
    w.status === "active" && w.disabled_reason === null && w.previous_secret_expires_at === null,
    `webhook: status ${w.status}`,
  );
  const secret = data.secret;
  check(secret !== null && /^whsec_[A-Za-z0-9+/]{43}=$/.test(secret), `webhook: secret ${secret}`);

  const listed = await client.GET("/api/v1/channels/{id}/webhooks", { params: { path: { id } } });
  expectStatus(listed.response, 200, "list webhooks");
  check(listed.data !== undefined, "list webhooks: no body");
  check(listed.data.items.some((i) => i.id === w.id && i.status === "active"), "list webhooks: the webhook is missing");
  check(listed.data.items.every((i) => !("secret" in i)), "list webhooks: a secret is listed");

  const params = { path: { id, webhook_id: w.id } };
  const rotated = await client.PATCH("/api/v1/channels/{id}/webhooks/{webhook_id}", { params, body: { rotate_secret: true } });
  expectStatus(rotated.response, 200, "rotate the webhook's secret");
  check(rotated.data !== undefined, "rotate the webhook's secret: no body");
  const next = rotated.data.secret;
  check(next !== null && next.startsWith("whsec_") && next !== secret, "rotate the webhook's secret: the same secret");
  const r = rotated.data.webhook;
  check(r.id === w.id && r.status === "active", "rotate the webhook's secret: another webhook");
  check(
    sameInstant(r.previous_secret_expires_at, Date.parse(r.updated_at) + 24 * 3600_000),
    `rotate: previous_secret_expires_at ${r.previous_secret_expires_at}`,
  );

  const log = await client.GET("/api/v1/channels/{id}/deliveries", {
    params: { path: { id }, query: { webhook_id: w.id, limit: 10 } },
  });
  expectStatus(log.response, 200, "the delivery log");
  check(log.data !== undefined && log.data.items.length <= 10, "the delivery log: no body");
  check(log.data.items.every((d) => d.webhook_id === w.id && d.id.startsWith("msg_")), "the delivery log: another webhook's");
  check(log.data.items.every((d) => ["pending", "succeeded", "failed"].includes(d.status)), "the delivery log: a status");
  const failed = await client.GET("/api/v1/channels/{id}/deliveries", { params: { path: { id }, query: { status: "failed" } } });
  expectStatus(failed.response, 200, "the delivery log, failed ones");
  check(failed.data !== undefined && failed.data.items.every((d) => d.status === "failed"), "the delivery log: only failed ones");

  const deleted = await client.DELETE("/api/v1/channels/{id}/webhooks/{webhook_id}", { params });
  expectStatus(deleted.response, 204, "delete the webhook");
  const twice = await client.DELETE("/api/v1/channels/{id}/webhooks/{webhook_id}", { params });
  expectProblem(twice, 404, "not_found", "deleting the webhook twice");
  const after = await client.GET("/api/v1/channels/{id}/webhooks", { params: { path: { id } } });
  check(after.data?.items.every((i) => i.id !== w.id), "list webhooks: the deleted webhook is listed");
}

/** Suspended by the admin: its machine token is refused at once (403 `channel_suspended`), and no token is issued. */
export async function suspend(channel: Channel, issued: Issued, machine: Machine, admin: Person): Promise<void> {
  const { data, response } = await api(admin.token).PATCH("/api/v1/channels/{id}", {
    params: { path: { id: channel.id } },
    body: { status: "suspended" },
  });
  expectStatus(response, 200, "suspend the channel");
  check(data?.status === "suspended" && data.code === channel.code, `suspend: status ${data?.status}`);
  const read = await api(machine.token).GET("/api/v1/channels/{id}/proposals/{external_id}", {
    params: { path: { id: channel.id, external_id: externalId } },
  });
  expectProblem(read, 403, "channel_suspended", "a suspended channel's token");
  const refused = await requestToken(issued.credential.client_id, issued.client_secret, { grant_type: "client_credentials" });
  expectOAuthError(refused, 400, "unauthorized_client", "a token for a suspended channel");
}
