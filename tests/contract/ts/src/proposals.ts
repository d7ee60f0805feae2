// Proposals: the similar check, submitting, supporting, listing, searching and the timeline.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

/** The first seeded policy area (GET /policy-areas is public). */
export async function somePolicyArea(): Promise<string> {
  const { data, response } = await api().GET("/api/v1/policy-areas", { params: { query: { limit: 100 } } });
  expectStatus(response, 200, "list policy areas");
  const first = data?.items[0];
  check(first !== undefined, "no policy areas: was `ocf-api seed` run?");
  return first.code;
}

/** A distinctive English word per run, so search and the similar check find this run's proposal. */
export const keyword = `zebracrossing${runId}`.replace(/[^a-z]/g, "");

export async function similarCheck(author: Person): Promise<void> {
  const { data, response } = await api(author.token).POST("/api/v1/proposals/similar", {
    body: { title: `More ${keyword} near schools`, body: `Paint a ${keyword} at every school gate.` },
  });
  expectStatus(response, 200, "similar check");
  check(data !== undefined, "similar: no body");
  check(data.items.length <= 10, "similar: more than 10 items");
}

export async function submit(author: Person, policyArea: string): Promise<Schemas["ProposalView"]> {
  const { data, response } = await api(author.token).POST("/api/v1/proposals", {
    body: {
      title: `More ${keyword} near schools`,
      body: `Paint a ${keyword} at every school gate so that children cross safely.`,
      policy_area: policyArea,
      region: "seoul",
      tags: ["Safety", "schools"],
    },
  });
  expectStatus(response, 201, "submit proposal");
  check(data !== undefined, "submit: no body");
  check(data.status === "submitted", `submit: status ${data.status}`);
  check(data.channel === "web", `submit: channel ${data.channel}`);
  check(data.support_count === 0, "submit: support_count");
  check(data.is_mine === true, "submit: is_mine");
  check(response.headers.get("location") === `/api/v1/proposals/${data.id}`, "submit: Location header");
  return data;
}

export async function support(proposal: Schemas["ProposalView"], author: Person, supporter: Person): Promise<void> {
  const path = { params: { path: { id: proposal.id } } };
  const own = await api(author.token).PUT("/api/v1/proposals/{id}/support", path);
  expectProblem(own, 403, "own_proposal", "supporting one's own proposal");

  for (let i = 0; i < 2; i += 1) {
    const { response } = await api(supporter.token).PUT("/api/v1/proposals/{id}/support", path);
    expectStatus(response, 204, `support #${i + 1} (idempotent)`);
  }
  const { data, response } = await api(supporter.token).GET("/api/v1/proposals/{id}", path);
  expectStatus(response, 200, "read supported proposal");
  check(data?.support_count === 1, `support_count ${data?.support_count}`);
  check(data?.supported_by_me === true, "supported_by_me");
  check(data?.is_mine === false, "is_mine for the supporter");
}

export async function list(author: Person, proposal: Schemas["ProposalView"]): Promise<void> {
  const { data, response } = await api(author.token).GET("/api/v1/proposals", {
    params: { query: { author: "me", limit: 5 } },
  });
  expectStatus(response, 200, "list my proposals");
  check(data !== undefined, "list: no body");
  const item = data.items.find((p) => p.id === proposal.id);
  check(item !== undefined, "list: the new proposal is missing");
  check(item.excerpt.length > 0 && item.title === proposal.title, "list: summary fields");
  check(data.next_cursor === null || typeof data.next_cursor === "string", "list: next_cursor");

  const page = await api().GET("/api/v1/proposals", { params: { query: { limit: 1, sort: "most_supported" } } });
  expectStatus(page.response, 200, "anonymous list");
  check((page.data?.items.length ?? 0) <= 1, "anonymous list: limit");
}

export async function search(reader: Person, proposal: Schemas["ProposalView"]): Promise<void> {
  const { data, response } = await api(reader.token).GET("/api/v1/proposals", { params: { query: { q: keyword } } });
  expectStatus(response, 200, "search");
  check(data?.items.some((p) => p.id === proposal.id), `search for ${keyword}: proposal not found`);

  const bad = await api().GET("/api/v1/proposals", { params: { query: { q: "x" } } });
  expectProblem(bad, 422, "validation_failed", "one-character search");
  check(bad.error?.errors?.some((e) => e.field === "q"), "one-character search: field q");
}

export async function similarFindsIt(reader: Person, proposal: Schemas["ProposalView"]): Promise<void> {
  const { data, response } = await api(reader.token).POST("/api/v1/proposals/similar", {
    body: { title: proposal.title, body: proposal.body },
  });
  expectStatus(response, 200, "similar check after submitting");
  const hit = data?.items.find((i) => i.proposal.id === proposal.id);
  check(hit !== undefined, "similar: the proposal itself is not found");
  check(hit.score > 0 && hit.score <= 1, `similar: score ${hit.score}`);
}

export async function timeline(proposal: Schemas["ProposalView"]): Promise<void> {
  const { data, response } = await api().GET("/api/v1/proposals/{id}/timeline", {
    params: { path: { id: proposal.id }, query: { limit: 20 } },
  });
  expectStatus(response, 200, "timeline");
  const first = data?.items[0];
  check(first !== undefined, "timeline: empty");
  check(first.kind === "submitted" && first.actor_role === "author", `timeline: first ${first.kind}/${first.actor_role}`);

  const missing = await api().GET("/api/v1/proposals/{id}/timeline", {
    params: { path: { id: "00000000-0000-0000-0000-000000000000" } },
  });
  expectProblem(missing, 404, "not_found", "timeline of no proposal");
}
