// Open311: the GeoReport v2 view of referred proposals (`/open311/v2`), read after the referral flow. One
// service per policy area; each referred proposal is a service request, `open` or `closed` by how far its
// referral went. Errors are GeoReport's own: a JSON array of `{code, description}`, not problem+json. The
// statistics are in transparency.ts, the open data in opendata.ts.
import { api, check, expectStatus, type Problem, type Schemas } from "./client.js";
import { noId } from "./referrals.js";
import { json } from "./transparency.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Organization = Schemas["OrganizationView"];
type GeoReport = Schemas["Open311Request"];
type GeoError = Schemas["Open311Error"];

const georeportFields = [
  "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
  "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
  "lat", "long", "media_url",
];
/** A GeoReport datetime (whole seconds, Korea Standard Time) for the instant `iso`. */
const kstSecond = (w3c: string | null, iso: string): boolean =>
  w3c !== null && w3c.endsWith("+09:00") && Date.parse(w3c) === Math.floor(Date.parse(iso) / 1000) * 1000;

/** Open311's own errors: a JSON array of one `{code, description}` with the HTTP status, never problem+json. */
function expectGeoError(result: { error?: GeoError[] | Problem; response: Response }, status: number, what: string): void {
  expectStatus(result.response, status, what);
  const contentType = result.response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/json"), `${what}: content-type ${contentType}`);
  const error = result.error;
  check(Array.isArray(error) && error.length === 1, `${what}: not an array of one error: ${json(error)}`);
  check(error[0]?.code === status && error[0].description.length > 0, `${what}: ${json(error)}`);
}

/** One service per policy area (by code): its Korean name, English description, `batch`, no metadata. */
export async function services(): Promise<void> {
  const areas: Schemas["PolicyAreaView"][] = [];
  for (let cursor: string | null | undefined; cursor !== null; ) {
    const query = cursor === undefined ? { limit: 100 } : { limit: 100, cursor };
    const page = await api().GET("/api/v1/policy-areas", { params: { query } });
    expectStatus(page.response, 200, "list policy areas");
    areas.push(...(page.data?.items ?? []));
    cursor = page.data?.next_cursor ?? null;
  }
  const { data, response } = await api().GET("/open311/v2/services.json");
  expectStatus(response, 200, "services.json");
  check(data !== undefined && data.length === areas.length, `services.json: ${data?.length} for ${areas.length} policy areas`);
  const codes = data.map((s) => s.service_code);
  check(json(codes) === json(areas.map((a) => a.code).sort()), `services.json: codes ${json(codes)}`);
  for (const s of data) {
    const area = areas.find((a) => a.code === s.service_code);
    check(s.service_name === area?.name_ko && s.description === area.name_en, `${s.service_code}: names`);
    check(s.keywords === `${area.code},${area.name_ko}`, `${s.service_code}: keywords ${s.keywords}`);
    check(s.metadata === false && s.type === "batch" && s.group === "policy_area", `${s.service_code}: metadata / type / group`);
  }
}

/**
 * The flow's referred proposals as service requests: the implemented one `closed` at the flow's organization,
 * the transferred one `open` at the other with its answer due; every GeoReport field present; filters, pages,
 * and GeoReport errors (400, 404) for bad filters and for a proposal never referred.
 */
export async function requests(
  [proposal, referral]: [Proposal, Referral],
  transferred: Referral,
  [receiver, otherOrganizationId]: [Organization, string],
  unreferred: Proposal,
): Promise<void> {
  const other = await api().GET("/api/v1/organizations/{id}", { params: { path: { id: otherOrganizationId } } });
  expectStatus(other.response, 200, "the other organization");
  const start_date = new Date(Date.parse(proposal.created_at) - 1000).toISOString();
  const end_date = new Date().toISOString();
  const window = await api().GET("/open311/v2/requests.json", { params: { query: { start_date, end_date } } });
  expectStatus(window.response, 200, "requests.json since the flow's proposal");
  const all = window.data ?? [];
  const closed = all.findIndex((r) => r.service_request_id === proposal.id);
  const open = all.findIndex((r) => r.service_request_id === transferred.subject_id);
  check(closed >= 0 && open >= 0 && open < closed, `requests.json: the flow's requests at ${closed} and ${open}, newest first`);
  for (const r of all) {
    check(json(Object.keys(r).sort()) === json([...georeportFields].sort()), `requests.json: the fields ${json(Object.keys(r))}`);
  }

  const checkRequest = (r: GeoReport | undefined, ref: Referral, status: string, agency: string, what: string): void => {
    check(r !== undefined && r.status === status, `${what}: status ${r?.status}, expected ${status}`);
    check(r.service_code === proposal.policy_area && r.agency_responsible === agency, `${what}: ${r.service_code} at ${agency}`);
    check(r.status_notes.includes(ref.number) && r.status_notes.includes(agency), `${what}: status_notes ${r.status_notes}`);
    check(r.service_notice === null && r.address_id === null && r.zipcode === null, `${what}: service_notice / address_id`);
    check(r.lat === null && r.long === null && r.media_url === null, `${what}: lat / long / media_url`);
    check(Date.parse(r.updated_datetime) >= Date.parse(r.requested_datetime), `${what}: updated before requested`);
  };
  const first = all[closed];
  checkRequest(first, referral, "closed", receiver.name_ko, "the implemented proposal");
  check(first?.description === `${proposal.title}\n\n${proposal.body}`, "the implemented proposal: description");
  check(first.address === proposal.region && first.expected_datetime === null, "the implemented proposal: address / expected");
  check(kstSecond(first.requested_datetime, proposal.created_at), `requested_datetime ${first.requested_datetime}`);
  const second = all[open];
  checkRequest(second, transferred, "open", other.data?.name_ko ?? "", "the transferred proposal");
  check(kstSecond(second?.expected_datetime ?? null, transferred.due_at), `expected_datetime ${second?.expected_datetime}`);

  const one = await api().GET("/open311/v2/requests/{id}.json", { params: { path: { id: proposal.id } } });
  expectStatus(one.response, 200, "requests/{id}.json");
  check(one.data?.length === 1 && json(one.data[0]) === json(first), "requests/{id}.json: not the listed request");
  const both = `${proposal.id},${transferred.subject_id}`;
  const ids = await api().GET("/open311/v2/requests.json", { params: { query: { service_request_id: both, status: "open" } } });
  check(json(ids.data?.map((r) => r.service_request_id).sort()) === json(both.split(",").sort()), "service_request_id");
  const [closedId, openId] = [proposal.id, transferred.subject_id];
  for (const [status, has, hasNot] of [["closed", closedId, openId], ["open", openId, closedId]]) {
    const query = { status, service_code: proposal.policy_area, start_date, jurisdiction_id: "kr" };
    const listed = (await api().GET("/open311/v2/requests.json", { params: { query } })).data ?? [];
    const got = listed.map((r) => r.service_request_id);
    check(got.includes(has ?? "") && !got.includes(hasNot ?? ""), `requests.json?status=${status}: ${json(got)}`);
    check(listed.every((r) => r.status === status && r.service_code === proposal.policy_area), `status=${status}: another`);
  }
  for (const page of [1, 2]) {
    const query = { start_date, end_date, page, page_size: 1 };
    const paged = await api().GET("/open311/v2/requests.json", { params: { query } });
    check(json(paged.data) === json(all.slice(page - 1, page)), `requests.json page ${page} of size 1`);
  }
  const invalid = [{ page_size: 1001 }, { status: "pending" }, { start_date: "yesterday" }];
  for (const query of invalid) {
    expectGeoError(await api().GET("/open311/v2/requests.json", { params: { query } }), 400, `requests.json ${json(query)}`);
  }
  // GeoReport: an unknown service_code is 404.
  expectGeoError(
    await api().GET("/open311/v2/requests.json", { params: { query: { service_code: "no-such-area" } } }),
    404,
    "requests.json, an unknown service_code",
  );
  for (const id of [noId, unreferred.id]) {
    expectGeoError(await api().GET("/open311/v2/requests/{id}.json", { params: { path: { id } } }), 404, `requests/${id}.json`);
  }
}
