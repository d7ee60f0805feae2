// The annual report (`/reports/annual/{year}`), read after the referral flow: the same funnel, forums and
// records as the statistics for the year, the flow's implemented proposal with its policy task and every step
// dated; the printable HTML page by `format` and by `Accept`; 304s; the years and formats refused.
import { api, check, expectProblem, expectStatus, type Schemas } from "./client.js";
import { today } from "./referrals.js";
import { fieldsOf, json, notModified } from "./transparency.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Organization = Schemas["OrganizationView"];

const report = (year: number, query: { format?: "json" | "html" } = {}, headers: Record<string, string> = {}) =>
  api().GET("/api/v1/reports/annual/{year}", { params: { path: { year }, query }, headers, parseAs: "text" });

/** The JSON report of this year against the statistics of the same days, and the flow's implemented proposal. */
export async function annual(proposal: Proposal, referral: Referral, receiver: Organization): Promise<void> {
  const year = Number(today().slice(0, 4));
  const [from, to] = [`${year}-01-01`, `${year}-12-31`];
  const { data, response } = await api().GET("/api/v1/reports/annual/{year}", { params: { path: { year } } });
  expectStatus(response, 200, "the annual report");
  // The operation also answers text/html; without `Accept: text/html` it is the JSON document.
  check(data !== undefined && typeof data !== "string", "the annual report: no JSON body");
  check(data.year === year && json(data.period) === json({ from, to }), `the annual report: ${data.year} ${json(data.period)}`);
  const funnel = await api().GET("/api/v1/stats/funnel", { params: { query: { from, to } } });
  const forums = await api().GET("/api/v1/stats/forums", { params: { query: { from, to } } });
  // Read together, with nothing else writing; the figures are the statistics' own.
  check(json(data.funnel) === json(funnel.data), "the annual report: not the funnel of the year");
  check(json(data.forums) === json(forums.data), "the annual report: not the forums of the year");
  check(data.forums_held.length === data.forums.held, `the annual report: ${data.forums_held.length} forums listed`);
  const starts = data.forums_held.map((f) => f.starts_at);
  check(starts.every((s, i) => i === 0 || (starts[i - 1] ?? "") <= s), "the annual report: forums not by start");
  const votes = data.top_topics.map((t) => t.votes);
  check(votes.length <= 10 && votes.every((v, i) => i === 0 || (votes[i - 1] ?? 0) >= v), `top_topics ${json(votes)}`);
  const record = data.organizations.find((o) => o.organization.id === receiver.id);
  check(record !== undefined && record.received >= 1, "the annual report: the flow's organization has no record");
  const done = data.implemented.find((p) => p.proposal_id === proposal.id);
  check(done !== undefined, "the annual report: the flow's implemented proposal is missing");
  check(done.referral_number === referral.number && done.organization.id === receiver.id, "implemented: referral, organization");
  check(done.policy_task === "Policy task 12" && done.evidence_url !== null, `implemented: ${done.policy_task} ${done.evidence_url}`);
  const j = done.journey;
  const steps = [j.collected_at, j.reviewed_at, j.selected_at, j.referred_at, j.acknowledged_at, j.answered_at, j.implemented_at];
  check(steps.every((s) => s !== null), `implemented: a step without a date ${json(j)}`);
  const times = steps.map((s) => Date.parse(s ?? ""));
  check(times.every((t, i) => i === 0 || (times[i - 1] ?? 0) <= t), `implemented: steps out of order ${json(j)}`);
  check(j.decision === "accepted", `implemented: decision ${j.decision}`);
  await notModified("the annual report", response, (headers) =>
    api().GET("/api/v1/reports/annual/{year}", { params: { path: { year } }, headers }),
  );
  const before = await api().GET("/api/v1/reports/annual/{year}", { params: { path: { year: 2017 } } });
  expectStatus(before.response, 200, "the annual report of 2017");
  const old = before.data;
  check(old !== undefined && typeof old !== "string", "the annual report of 2017: no JSON body");
  check(old.implemented.length === 0 && old.funnel.stages[0]?.count === 0, "the report of 2017: not empty");
}

/** The printable page: HTML by `format` and by a browser's `Accept`, the JSON's figures in it, its own ETag. */
export async function page(proposal: Proposal): Promise<void> {
  const year = Number(today().slice(0, 4));
  const byFormat = await report(year, { format: "html" });
  expectStatus(byFormat.response, 200, "the annual report's page");
  check(byFormat.response.headers.get("content-type") === "text/html; charset=utf-8", "the page: content-type");
  const html = String(byFormat.data ?? "");
  check(html.startsWith('<!DOCTYPE html><html lang="ko">'), `the page: ${html.slice(0, 60)}`);
  check(html.includes("The funnel") && html.includes("Proposals implemented"), "the page: English headings");
  const escape = [["&", "&amp;"], ["<", "&lt;"], [">", "&gt;"], ['"', "&quot;"]] as const;
  const title = escape.reduce((t, [raw, entity]) => t.replaceAll(raw, entity), proposal.title);
  check(html.includes(title), "the page: the implemented proposal's title");
  check(!/<(script|link|img)\b|url\(/.test(html), "the page loads something from elsewhere");
  const browser = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
  const byAccept = await report(year, {}, browser);
  check(byAccept.response.headers.get("content-type") === "text/html; charset=utf-8", "the page by Accept");
  const tag = await notModified("the annual report's page", byFormat.response, (headers) =>
    report(year, { format: "html" }, headers),
  );
  const asJson = await report(year, { format: "json" }, browser);
  check(asJson.response.headers.get("content-type") === "application/json", "format=json wins over Accept");
  check(asJson.response.headers.get("etag") !== tag, "the JSON and the page share an ETag");
}

/** No report for a year before 2017 or still to come (404); `format` outside json and html is 422. */
export async function refused(): Promise<void> {
  const next = Number(today().slice(0, 4)) + 1;
  for (const year of [2016, next]) {
    const missing = await api().GET("/api/v1/reports/annual/{year}", { params: { path: { year } } });
    expectProblem(missing, 404, "not_found", `the annual report of ${year}`);
  }
  const year = Number(today().slice(0, 4));
  // A format outside the document's enum on purpose.
  const bad = await api().GET("/api/v1/reports/annual/{year}", {
    params: { path: { year }, query: { format: "pdf" as "json" } },
  });
  const problem = expectProblem(bad, 422, "validation_failed", "the annual report as pdf");
  check(fieldsOf(problem) === json(["format"]), `the annual report as pdf: errors name ${fieldsOf(problem)}`);
}
