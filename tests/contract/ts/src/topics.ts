// Topics: suggesting, voting, reading, listing and searching, the agenda (a staff decision), the timeline,
// and proposals that answer a topic.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Topic = Schemas["TopicView"];

/** A distinctive English word per run, so search finds this run's topic (and not the proposal's word). */
export const keyword = `streetlight${runId}`.replace(/[^a-z]/g, "");

const noTopic = "00000000-0000-0000-0000-000000000000";

export async function suggest(author: Person, policyArea: string): Promise<Topic> {
  const { data, response } = await api(author.token).POST("/api/v1/topics", {
    body: {
      title: `Broken ${keyword} on the school road`,
      description: `The ${keyword} on the road to the school has been dark for months; children walk home in the dark.`,
      policy_area: policyArea,
      region: "seoul",
      tags: ["Safety", "lighting"],
    },
  });
  expectStatus(response, 201, "suggest topic");
  check(data !== undefined, "suggest: no body");
  check(data.status === "suggested", `suggest: status ${data.status}`);
  check(data.vote_count === 0, "suggest: vote_count");
  check(data.is_mine === true && data.voted_by_me === false, "suggest: is_mine / voted_by_me");
  check(data.hidden === false, "suggest: hidden");
  const tags = JSON.stringify(data.tags);
  check(tags === JSON.stringify(["lighting", "safety"]), `suggest: tags ${tags} (lower-cased and sorted?)`);
  check(response.headers.get("location") === `/api/v1/topics/${data.id}`, "suggest: Location header");
  return data;
}

/** Every invalid field of a topic is listed at once. */
export async function validationProblem(author: Person): Promise<void> {
  const result = await api(author.token).POST("/api/v1/topics", {
    body: { title: "x", description: "too short", policy_area: "no-such-area" },
  });
  const problem = expectProblem(result, 422, "validation_failed", "invalid topic");
  const fields = (problem.errors ?? []).map((e) => e.field).sort();
  check(
    JSON.stringify(fields) === JSON.stringify(["description", "policy_area", "title"]),
    `invalid topic: errors name ${JSON.stringify(fields)}`,
  );
  for (const e of problem.errors ?? []) check(e.message.length > 0, `no message for ${e.field}`);
}

/** The other person votes (idempotent 204); the author may not (403 own_topic). */
export async function vote(topic: Topic, author: Person, voter: Person): Promise<void> {
  const path = { params: { path: { id: topic.id } } };
  const own = await api(author.token).PUT("/api/v1/topics/{id}/vote", path);
  expectProblem(own, 403, "own_topic", "voting for one's own topic");

  for (let i = 0; i < 2; i += 1) {
    const { response } = await api(voter.token).PUT("/api/v1/topics/{id}/vote", path);
    expectStatus(response, 204, `vote #${i + 1} (idempotent)`);
  }
}

/** The voter's read counts the vote; the author's says it is theirs (and not voted by them). */
export async function read(topic: Topic, author: Person, voter: Person): Promise<void> {
  const path = { params: { path: { id: topic.id } } };
  const { data, response } = await api(voter.token).GET("/api/v1/topics/{id}", path);
  expectStatus(response, 200, "read voted topic");
  check(data !== undefined, "read: no body");
  check(data.vote_count === 1, `vote_count ${data.vote_count}`);
  check(data.voted_by_me === true, "voted_by_me");
  check(data.is_mine === false, "is_mine for the voter");
  check(data.description === topic.description, "read: description");

  const own = await api(author.token).GET("/api/v1/topics/{id}", path);
  expectStatus(own.response, 200, "read own topic");
  check(own.data?.is_mine === true && own.data.voted_by_me === false, "author's read: is_mine / voted_by_me");

  const missing = await api().GET("/api/v1/topics/{id}", { params: { path: { id: noTopic } } });
  expectProblem(missing, 404, "not_found", "no such topic");
}

export async function list(reader: Person, topic: Topic): Promise<void> {
  const { data, response } = await api(reader.token).GET("/api/v1/topics", {
    params: {
      query: {
        status: "suggested",
        policy_area: topic.policy_area,
        region: "seoul",
        tag: "Lighting",
        sort: "newest",
        limit: 100,
      },
    },
  });
  expectStatus(response, 200, "list topics");
  check(data !== undefined, "list: no body");
  const item = data.items.find((t) => t.id === topic.id);
  check(item !== undefined, "list: the new topic is missing");
  check(item.title === topic.title && item.excerpt.length > 0 && item.vote_count === 1, "list: summary fields");
  check(data.next_cursor === null || typeof data.next_cursor === "string", "list: next_cursor");

  const page = await api().GET("/api/v1/topics", { params: { query: { limit: 1, sort: "most_voted" } } });
  expectStatus(page.response, 200, "anonymous list");
  check((page.data?.items.length ?? 0) <= 1, "anonymous list: limit");

  const declined = await api(reader.token).GET("/api/v1/topics", { params: { query: { status: "declined" } } });
  expectStatus(declined.response, 200, "list declined topics");
  check(!declined.data?.items.some((t) => t.id === topic.id), "list: status filter");
}

export async function search(reader: Person, topic: Topic): Promise<void> {
  const { data, response } = await api(reader.token).GET("/api/v1/topics", { params: { query: { q: keyword } } });
  expectStatus(response, 200, "search topics");
  check(data?.items.some((t) => t.id === topic.id), `search for ${keyword}: topic not found`);

  const bad = await api().GET("/api/v1/topics", { params: { query: { q: "x" } } });
  expectProblem(bad, 422, "validation_failed", "one-character topic search");
  check(bad.error?.errors?.some((e) => e.field === "q"), "one-character topic search: field q");
}

/** Only staff move a topic on the agenda: a citizen is refused, the admin shortlists it. */
export async function shortlist(topic: Topic, citizen: Person, admin: Person): Promise<void> {
  const request = {
    params: { path: { id: topic.id } },
    body: { status: "shortlisted" as const, reason: "Chosen for the next public forum." },
  };
  const refused = await api(citizen.token).POST("/api/v1/topics/{id}/status", request);
  expectProblem(refused, 403, "forbidden", "a citizen moving a topic");

  const { data, response } = await api(admin.token).POST("/api/v1/topics/{id}/status", request);
  expectStatus(response, 200, "shortlist topic");
  check(data?.status === "shortlisted", `shortlist: status ${data?.status}`);
  check(data.vote_count === 1, `shortlist: vote_count ${data.vote_count}`);
}

export async function timeline(topic: Topic): Promise<void> {
  const { data, response } = await api().GET("/api/v1/topics/{id}/timeline", {
    params: { path: { id: topic.id }, query: { limit: 20 } },
  });
  expectStatus(response, 200, "topic timeline");
  const [first, second] = data?.items ?? [];
  check(first !== undefined && second !== undefined, `topic timeline: ${data?.items.length ?? 0} events`);
  check(
    first.kind === "suggested" && first.actor_role === "author" && first.to_status === "suggested",
    `topic timeline: first ${first.kind}/${first.actor_role}/${first.to_status}`,
  );
  check(
    second.kind === "status_changed" && second.actor_role === "admin" &&
      second.from_status === "suggested" && second.to_status === "shortlisted" &&
      second.reason === "Chosen for the next public forum.",
    `topic timeline: second ${second.kind}/${second.actor_role}/${second.from_status}->${second.to_status}`,
  );

  const missing = await api().GET("/api/v1/topics/{id}/timeline", { params: { path: { id: noTopic } } });
  expectProblem(missing, 404, "not_found", "timeline of no topic");
}

/** A proposal may answer a topic that exists; an unknown `topic_id` is a 422 on that field. */
export async function proposalForTopic(author: Person, topic: Topic): Promise<void> {
  const body = {
    title: `Solar ${keyword} lamps for the school road`,
    body: `Replace the broken ${keyword} with solar lamps so the school road is lit every evening.`,
    policy_area: topic.policy_area,
    topic_id: topic.id,
  };
  const { data, response } = await api(author.token).POST("/api/v1/proposals", { body });
  expectStatus(response, 201, "proposal answering the topic");
  check(data?.topic_id === topic.id, `proposal: topic_id ${data?.topic_id}`);

  const unknown = await api(author.token).POST("/api/v1/proposals", { body: { ...body, topic_id: noTopic } });
  const problem = expectProblem(unknown, 422, "validation_failed", "proposal answering no topic");
  const fields = JSON.stringify((problem.errors ?? []).map((e) => e.field));
  check(fields === JSON.stringify(["topic_id"]), `unknown topic_id: errors name ${fields}`);
}
