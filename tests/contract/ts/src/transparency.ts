// Transparency: the public statistics (the funnel of proposals, each organization's record, the forums held),
// read after the referral flow so that its proposals, referrals and forums are counted. Each carries a strong
// `ETag` (`If-None-Match`: 304). The open data is in opendata.ts, the Open311 view in open311.ts.
import { api, check, expectProblem, expectStatus, type Problem, type Schemas } from "./client.js";
import type { paths } from "./openapi.js";
import { seoulDay, today } from "./referrals.js";

type Proposal = Schemas["ProposalView"];
type Organization = Schemas["OrganizationView"];
type Forum = Schemas["ForumView"];
type Funnel = Schemas["FunnelView"];
type FunnelQuery = NonNullable<paths["/api/v1/stats/funnel"]["get"]["parameters"]["query"]>;

const stages = ["collected", "under_review", "selected", "rejected", "merged", "referred", "answered", "implemented"];
const mainPath = [
  ["collected", "under_review"],
  ["under_review", "selected"],
  ["under_review", "rejected"],
  ["selected", "referred"],
  ["referred", "answered"],
  ["answered", "implemented"],
];
export const json = (value: unknown): string => JSON.stringify(value);
export const fieldsOf = (problem: Problem): string => json((problem.errors ?? []).map((e) => e.field).sort());
const sum = (items: { count: number }[]): number => items.reduce((a, i) => a + i.count, 0);

/** A strong `ETag`; sent back in `If-None-Match`, the same request is 304 with the same tag. */
export async function notModified(
  what: string,
  first: Response,
  again: (headers: Record<string, string>) => Promise<{ response: Response }>,
): Promise<string> {
  const etag = first.headers.get("etag");
  check(etag !== null && /^"[^"]+"$/.test(etag), `${what}: ETag ${etag}`);
  const { response } = await again({ "If-None-Match": etag });
  expectStatus(response, 304, `${what} with If-None-Match`);
  check(response.headers.get("etag") === etag, `${what}: 304 with ETag ${response.headers.get("etag")}`);
  return etag;
}

/** The stages, decisions and steps in their documented order; each rate is its counts' ratio. Answers the counts. */
function stageCounts(f: Funnel, what: string): Record<string, number> {
  check(json(f.stages.map((s) => s.stage)) === json(stages), `${what}: stages ${json(f.stages.map((s) => s.stage))}`);
  check(json(f.steps.map((s) => [s.from, s.to])) === json(mainPath), `${what}: steps`);
  const decisions = f.decisions.map((d) => d.decision);
  check(json(decisions) === json(["accepted", "partially_accepted", "not_accepted"]), `${what}: decisions ${json(decisions)}`);
  const count = Object.fromEntries(f.stages.map((s) => [s.stage, s.count]));
  for (const s of f.steps) {
    const [from, to] = [count[s.from] ?? 0, count[s.to] ?? 0];
    const rate = from === 0 ? null : Math.round((to / from) * 1e4) / 1e4;
    check(s.rate === rate, `${what}: ${s.from} -> ${s.to} rate ${s.rate} for ${from} -> ${to}`);
    check(s.sample <= to && (s.sample === 0) === (s.median_days === null), `${what}: ${s.to} sample ${s.sample}`);
    check(s.median_days === null || s.median_days >= 0, `${what}: ${s.to} median_days ${s.median_days}`);
  }
  return count;
}

/**
 * The funnel of the proposals referred to the flow's organization (the flow's two: one implemented, one
 * transferred away) counted exactly, as are those born at its forum; the policy area's funnel counts at least as
 * many at every stage. A strong ETag (304), another one for another filter.
 */
export async function funnel(proposal: Proposal, receiver: Organization, forum: Forum): Promise<void> {
  const stats = (query: FunnelQuery, headers: Record<string, string> = {}) =>
    api().GET("/api/v1/stats/funnel", { params: { query }, headers });
  const query = { organization_id: receiver.id, from: seoulDay(Date.parse(proposal.created_at)), to: today() };
  const ours = await stats(query);
  expectStatus(ours.response, 200, "the funnel of the flow's organization");
  check(ours.data !== undefined, "the funnel: no body");
  const count = stageCounts(ours.data, "the funnel of the flow's organization");
  const want: Record<string, number> = {
    collected: 2, under_review: 2, selected: 2, rejected: 0, merged: 0, referred: 2, answered: 1, implemented: 1,
  };
  check(json(count) === json(want), `the funnel of the flow's organization: ${json(count)}`);
  const decided = ours.data.decisions.map((d) => d.count);
  check(json(decided) === json([1, 0, 0]), `the funnel of the flow's organization: decisions ${json(decided)}`);

  const atForum = await stats({ forum_id: forum.id, channel: "offline_forum", region: "jeonnam" });
  expectStatus(atForum.response, 200, "the funnel of the flow's forum");
  check(atForum.data?.stages[0]?.count === 1, `the funnel of the forum: collected ${atForum.data?.stages[0]?.count}`);
  for (const other of [{ forum_id: forum.id, channel: "web" }, { ...query, from: "2001-01-01", to: "2001-12-31" }]) {
    const none = await stats(other);
    expectStatus(none.response, 200, `the funnel ${json(other)}`);
    check(none.data?.stages.every((s) => s.count === 0), `the funnel ${json(other)}: not empty`);
  }
  const area = await stats({ policy_area: proposal.policy_area });
  expectStatus(area.response, 200, "the funnel of the policy area");
  check(area.data !== undefined, "the funnel of the policy area: no body");
  const total = stageCounts(area.data, "the funnel of the policy area");
  check(stages.every((s) => (total[s] ?? 0) >= (want[s] ?? 0)), `the funnel of the policy area: ${json(total)}`);
  const tag = await notModified("the funnel", ours.response, (headers) => stats(query, headers));
  check(area.response.headers.get("etag") !== tag, "the funnel: another filter, the same ETag");
}

/** Invalid filters are 422 on each (a day such as 2026-13-01, `to` before `from`, unknown codes and ids). */
export async function funnelInvalid(): Promise<void> {
  const cases: [FunnelQuery, string[]][] = [
    [{ from: "2026-13-01" }, ["from"]],
    [{ from: "2026-12-02", to: "2026-12-01" }, ["to"]],
    // `region` outside the document's enum on purpose: the server names it among the invalid filters.
    [
      { channel: "fax", region: "mars" as Schemas["Region"], topic_id: "1", forum_id: "x" },
      ["channel", "forum_id", "region", "topic_id"],
    ],
    [{ policy_area: "no-such-area" }, ["policy_area"]],
  ];
  for (const [query, fields] of cases) {
    const bad = await api().GET("/api/v1/stats/funnel", { params: { query } });
    const problem = expectProblem(bad, 422, "validation_failed", `the funnel ${json(query)}`);
    check(fieldsOf(problem) === json(fields), `the funnel ${json(query)}: errors name ${fieldsOf(problem)}`);
  }
}

/** The flow's organization: two arrivals, one acknowledged and answered (accepted) on time, one transferred away. */
export async function organizations(receiver: Organization, otherOrganizationId: string): Promise<void> {
  const { data, response } = await api().GET("/api/v1/stats/organizations");
  expectStatus(response, 200, "the organizations' records");
  check(data !== undefined, "the organizations' records: no body");
  const codes = data.items.map((i) => i.organization.code);
  check(codes.every((c, i) => i === 0 || (codes[i - 1] ?? "") < c), `the organizations' records: not by code ${json(codes)}`);
  const r = data.items.find((i) => i.organization.id === receiver.id);
  check(r !== undefined, "the organizations' records: the flow's organization is missing");
  check(r.organization.code === receiver.code && r.organization.name_ko === receiver.name_ko, "the record: organization");
  const counts = [r.received, r.acknowledged, r.answered_on_time, r.answered_late, r.overdue_now, r.transferred_away];
  check(json(counts) === json([2, 1, 1, 0, 0, 1]), `the record: received ... transferred_away ${json(counts)}`);
  const decisions = r.decisions.map((d) => [d.decision, d.count]);
  check(json(decisions) === json([["accepted", 1], ["partially_accepted", 0], ["not_accepted", 0]]), "the record: decisions");
  check(r.open_commitments === 0 && r.overdue_commitments === 0, `the record: open_commitments ${r.open_commitments}`);
  const [median, p90] = [r.median_days_to_answer, r.p90_days_to_answer];
  check(median !== null && p90 !== null && median >= 0 && p90 >= median, `the record: days to answer ${median} / ${p90}`);
  const other = data.items.find((i) => i.organization.id === otherOrganizationId);
  check(other !== undefined && other.received >= 1, "the organizations' records: the transfer's receiver is missing");
  check(data.items.every((i) => i.acknowledged <= i.received && i.transferred_away <= i.received), "a record past its arrivals");
  await notModified("the organizations' records", response, (headers) => api().GET("/api/v1/stats/organizations", { headers }));
}

/** The days the flow's forums start: both held (reported, ended) with a registration, attendance and a proposal. */
export async function forums(forum: Forum, liveForum: Forum): Promise<void> {
  const [from = "", to = ""] = [forum.starts_at, liveForum.starts_at].map((t) => seoulDay(Date.parse(t))).sort();
  const { data, response } = await api().GET("/api/v1/stats/forums", { params: { query: { from, to } } });
  expectStatus(response, 200, "the forums held");
  check(data !== undefined, "the forums held: no body");
  check(data.held >= 2 && data.registered >= 1 && data.attended >= 1 && data.proposals >= 1, `the forums held: ${json(data)}`);
  const kinds = Object.fromEntries(data.by_kind.map((k) => [k.kind, k.count]));
  check(json(Object.keys(kinds)) === json(["open_forum", "regional_conference", "policy_conference"]), "by_kind: every kind");
  check((kinds["open_forum"] ?? 0) >= 1 && (kinds["regional_conference"] ?? 0) >= 1, `by_kind ${json(kinds)}`);
  check(sum(data.by_kind) === data.held && sum(data.by_region) === data.held, "by_kind / by_region: not the forums held");
  check((data.by_region.find((g) => g.region === "jeonnam")?.count ?? 0) >= 2, `by_region ${json(data.by_region)}`);
  check(data.outcomes.length === 9 && sum(data.outcomes) === data.proposals, `outcomes ${json(data.outcomes)}`);
  check((data.outcomes.find((o) => o.status === "submitted")?.count ?? 0) >= 1, "outcomes: the forum's proposal");
  const again = (headers: Record<string, string>) =>
    api().GET("/api/v1/stats/forums", { params: { query: { from, to } }, headers });
  await notModified("the forums held", response, again);

  const none = await api().GET("/api/v1/stats/forums", { params: { query: { from: "2001-01-01", to: "2001-01-31" } } });
  expectStatus(none.response, 200, "the forums held in January 2001");
  check(none.data?.held === 0 && none.data.by_region.length === 0 && sum(none.data.by_kind) === 0, "forums held in 2001");
  const bad = await api().GET("/api/v1/stats/forums", { params: { query: { from: to, to: "2001-01-01" } } });
  const problem = expectProblem(bad, 422, "validation_failed", "the forums held, to before from");
  check(fieldsOf(problem) === json(["to"]), `the forums held, to before from: errors name ${fieldsOf(problem)}`);
}
