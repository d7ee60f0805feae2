// The referral ledger beyond one referral's steps: a second proposal with steps out of order and a transfer,
// the public list with every filter and its pages, and the suggested competent organization (staff only),
// which the routing job learns from answers off the request path.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";
import type { Official } from "./officials.js";
import { contact, move, noId, referralBody, referralPath, seoulDay, today } from "./referrals.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Organization = Schemas["OrganizationView"];

/** A distinctive English word per run, so this run's second proposal is told apart from others. */
export const keyword = `tramstop${runId}`.replace(/[^a-z]/g, "");

/**
 * A second proposal, referred to the same organization: steps out of order are 409 with their own codes;
 * the organization transfers it to another one (the deadline restarts there), after which it is the wrong
 * organization (403 not_receiving_organization).
 */
export async function outOfOrder(
  author: Person,
  policyArea: string,
  organization: Organization,
  otherOrganizationId: string,
  official: Official,
  admin: Person,
): Promise<Referral> {
  const submitted = await api(author.token).POST("/api/v1/proposals", {
    body: {
      title: `A ${keyword} at the new housing estate`,
      body: `Build a ${keyword} at the new housing estate so that residents need not walk to the station.`,
      policy_area: policyArea,
      region: "seoul",
      tags: ["Transport"],
    },
  });
  expectStatus(submitted.response, 201, "submit the second proposal");
  check(submitted.data !== undefined, "submit: no body");
  await move(submitted.data, admin, "under_review");
  const proposal = await move(submitted.data, admin, "selected");
  const sent = await api(admin.token).POST("/api/v1/referrals", { body: referralBody(proposal, organization.id) });
  expectStatus(sent.response, 201, "refer the second proposal");
  const referral = sent.data;
  check(referral !== undefined, "refer: no body");
  check(referral.due_on === seoulDay(Date.parse(referral.sent_at), 30), `refer: default due_on ${referral.due_on}`);
  const path = referralPath(referral);

  const early = await api(official.token).POST("/api/v1/referrals/{id}/answer", {
    ...path,
    body: {
      decision: "accepted",
      reasoning: "Too early.",
      planned_measures: "None yet.",
      expected_completion_on: seoulDay(Date.now(), 60),
    },
  });
  expectProblem(early, 409, "referral_not_acknowledged", "answering before acknowledging");
  const meeting = await api(official.token).POST("/api/v1/referrals/{id}/follow-ups", {
    ...path,
    body: { held_on: today(), participants: [{ role: "Director", organization: "Ministry" }], minutes: "Too early." },
  });
  expectProblem(meeting, 409, "referral_not_acknowledged", "a follow-up before acknowledging");
  const done = await api(official.token).POST("/api/v1/referrals/{id}/complete", {
    ...path,
    body: { evidence_url: "https://www.example.kr/none", summary: "Too early." },
  });
  expectProblem(done, 409, "referral_not_answered", "completing before an answer");
  const same = await api(official.token).POST("/api/v1/referrals/{id}/transfer", {
    ...path,
    body: { organization_id: organization.id, reason: "Back to us." },
  });
  const problem = expectProblem(same, 422, "validation_failed", "transferring to the same organization");
  check(problem.errors?.some((e) => e.field === "organization_id"), "transferring to the same organization: field");

  const reason = "The housing estate's roads belong to the city.";
  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/transfer", {
    ...path,
    body: { organization_id: otherOrganizationId, reason },
  });
  expectStatus(response, 200, "transfer");
  check(data !== undefined, "transfer: no body");
  check(data.status === "sent" && data.organization_id === otherOrganizationId, `transfer: ${data.status} at ${data.organization_id}`);
  check(data.hops.length === 2 && data.hops[1]?.organization_id === otherOrganizationId, "transfer: hops");
  check(data.hops[1].reason === reason && data.hops[0]?.organization_id === organization.id, "transfer: hop reason / first hop");
  check(data.due_on === seoulDay(Date.parse(data.hops[1].sent_at), 30), `transfer: due_on ${data.due_on} (restarted?)`);
  check(data.number === referral.number, "transfer: the number changed");

  const wrong = await api(official.token).POST("/api/v1/referrals/{id}/acknowledge", {
    ...path,
    body: { division: "Not ours any more" },
  });
  expectProblem(wrong, 403, "not_receiving_organization", "the former organization acknowledging");
  return data;
}

/** The public ledger, by every filter, and page by page. */
export async function list(
  referral: Referral,
  transferred: Referral,
  organization: Organization,
  otherOrganizationId: string,
  official: Official,
): Promise<void> {
  const year = Number(referral.number.slice(4, 8));
  const found = await api().GET("/api/v1/referrals", {
    params: {
      query: {
        organization_id: organization.id,
        status: "implemented",
        overdue: false,
        subject_kind: "proposal",
        subject_id: referral.subject_id,
        year,
      },
    },
  });
  expectStatus(found.response, 200, "list referrals");
  const items = found.data?.items ?? [];
  check(items.length === 1 && items[0]?.id === referral.id, `list referrals: ${items.length} items`);
  check(items[0].acknowledgement?.contact === null, "list referrals: the contact is public");
  const own = await api(official.token).GET("/api/v1/referrals", { params: { query: { subject_id: referral.subject_id } } });
  check(own.data?.items[0]?.acknowledgement?.contact === contact, "list referrals: the official sees no contact");

  const held = await api().GET("/api/v1/referrals", { params: { query: { organization_id: organization.id, limit: 100 } } });
  const ids = held.data?.items.map((r) => r.id) ?? [];
  check(ids.includes(referral.id) && !ids.includes(transferred.id), "list referrals: organization_id is the holder");
  const moved = await api().GET("/api/v1/referrals", {
    params: { query: { organization_id: otherOrganizationId, status: "sent", subject_id: transferred.subject_id } },
  });
  check(moved.data?.items.length === 1 && moved.data.items[0]?.hops.length === 2, "list referrals: the transferred one");
  for (const query of [
    { subject_id: referral.subject_id, status: "sent" as const },
    { organization_id: organization.id, overdue: true },
    { subject_id: referral.subject_id, subject_kind: "forum" as const },
    { subject_id: referral.subject_id, year: year + 1 },
  ]) {
    const none = await api().GET("/api/v1/referrals", { params: { query } });
    expectStatus(none.response, 200, `list referrals ${JSON.stringify(query)}`);
    check(none.data?.items.length === 0, `list referrals ${JSON.stringify(query)}: ${none.data?.items.length} items`);
  }

  const first = await api().GET("/api/v1/referrals", { params: { query: { subject_kind: "proposal", limit: 1 } } });
  expectStatus(first.response, 200, "first page of referrals");
  const cursor = first.data?.next_cursor;
  check(first.data?.items.length === 1 && typeof cursor === "string", "first page of referrals: no next_cursor");
  const second = await api().GET("/api/v1/referrals", { params: { query: { subject_kind: "proposal", limit: 1, cursor } } });
  expectStatus(second.response, 200, "second page of referrals");
  check(second.data?.items.length === 1 && second.data.items[0]?.id !== first.data.items[0]?.id, "second page of referrals");
  const newest = [first.data.items[0]?.sent_at ?? "", second.data.items[0]?.sent_at ?? ""].map(Date.parse);
  check((newest[0] ?? 0) >= (newest[1] ?? 0), "referrals: not newest first");

  const bad = await api().GET("/api/v1/referrals", { params: { query: { year: 1999 } } });
  const problem = expectProblem(bad, 422, "validation_failed", "referrals of the year 1999");
  check(problem.errors?.some((e) => e.field === "year"), "referrals of the year 1999: field year");
}

/** Suggestions are for staff (200, best first, scores summing to at most 1); a citizen gets 403. */
export async function suggestions(proposal: Proposal, citizen: Person, admin: Person): Promise<Schemas["SuggestionsView"]> {
  const params = { path: { id: proposal.id }, query: { limit: 20 } };
  const refused = await api(citizen.token).GET("/api/v1/proposals/{id}/suggested-organizations", { params });
  expectProblem(refused, 403, "forbidden", "a citizen asking for suggested organizations");
  const { data, response } = await api(admin.token).GET("/api/v1/proposals/{id}/suggested-organizations", { params });
  expectStatus(response, 200, "suggested organizations");
  check(data !== undefined, "suggested organizations: no body");
  check(data.learned_referrals >= 0, `suggested organizations: learned_referrals ${data.learned_referrals}`);
  const scores = data.items.map((s) => s.score);
  check(scores.every((s) => s >= 0 && s <= 1), `suggested organizations: scores ${JSON.stringify(scores)}`);
  check(scores.reduce((a, b) => a + b, 0) <= 1 + 1e-9, "suggested organizations: scores sum past 1");
  check(scores.every((s, i) => i === 0 || (scores[i - 1] ?? 0) >= s), "suggested organizations: not best first");
  check(data.items.length > 0 || data.learned_referrals === 0, "suggested organizations: learned some, suggests none");
  const missing = await api(admin.token).GET("/api/v1/proposals/{id}/suggested-organizations", {
    params: { path: { id: noId } },
  });
  expectProblem(missing, 404, "not_found", "suggestions for no proposal");
  return data;
}

/** The routing job learns from the answer off the request path: the organization is then suggested. */
export async function suggestionsLearned(proposal: Proposal, organization: Organization, citizen: Person, admin: Person): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const data = await suggestions(proposal, citizen, admin);
    const hit = data.items.find((s) => s.organization_id === organization.id);
    if (hit !== undefined) {
      check(data.learned_referrals >= 1, `suggestions: learned_referrals ${data.learned_referrals}`);
      check(hit.code === organization.code && hit.name_en === organization.name_en, "suggestion: code / name_en");
      check(hit.name_ko === organization.name_ko && hit.score > 0, `suggestion: name_ko / score ${hit.score}`);
      check(hit.terms.length <= 5 && hit.terms.every((t) => t.length > 0), `suggestion: terms ${JSON.stringify(hit.terms)}`);
      return;
    }
    check(Date.now() < deadline, "suggestions: the answered organization is not suggested after 15 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
