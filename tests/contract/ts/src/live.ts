// Live forums: a hybrid forum with an agenda walked live, its agenda moved on, its stream (server-sent
// events) followed, questions to the panel asked, voted on, put on stage and answered, and the outcome that
// lists them. The stream is read with plain `fetch`: openapi-fetch would wait for a body that never ends.
import { api, baseUrl, check, expectProblem, expectStatus, runId, type Problem, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Forum = Schemas["ForumView"];
type Comment = Schemas["CommentView"];

/** A distinctive English word per run, so this run's live forum is told apart from others. */
export const keyword = `harbourlive${runId}`.replace(/[^a-z]/g, "");

const noForum = "00000000-0000-0000-0000-000000000000";
const hour = 3600 * 1000;
const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 48 * hour);
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The admin plans a hybrid forum (a venue and a livestream) with two agenda items; its stream is 404 while a draft. */
export async function plan(admin: Person, citizen: Person, organizationId: string, policyArea: string): Promise<Forum> {
  const body: Schemas["CreateForumRequest"] = {
    kind: "open_forum",
    mode: "hybrid",
    title: `The ${keyword} on the harbour's night ferries`,
    description: `Residents and the ferry operator talk through the ${keyword} about the night crossings, live.`,
    organization_id: organizationId,
    policy_area: policyArea,
    venue: { name: "Harbour ferry terminal", address: "3 Quay Street", region: "jeonnam" },
    starts_at: iso(startsAt),
    ends_at: iso(new Date(startsAt.getTime() + 2 * hour)),
    capacity: 40,
    livestream_url: "https://tv.example.kr/live/night-ferries",
    panel: [{ name: "Jung Operator", affiliation: "Harbour ferries", role: "official" }],
    agenda: [
      {
        title: "The night timetable",
        starts_at: iso(startsAt),
        ends_at: iso(new Date(startsAt.getTime() + hour)),
        speaker: "Jung Operator",
      },
      {
        title: "Questions from the floor",
        starts_at: iso(new Date(startsAt.getTime() + hour)),
        ends_at: iso(new Date(startsAt.getTime() + 2 * hour)),
      },
    ],
  };
  const { data, response } = await api(admin.token).POST("/api/v1/forums", { body });
  expectStatus(response, 201, "plan live forum");
  check(data !== undefined, "plan: no body");
  check(data.status === "draft" && data.mode === "hybrid", `plan: ${data.status}/${data.mode}`);
  check(data.agenda.length === 2, `plan: agenda ${data.agenda.length}`);
  check(data.agenda_current === null && data.live_at === null, "plan: agenda_current / live_at before live");

  // parseAs "stream": a stream answered by mistake is handed back unread instead of awaited for ever.
  const draft = await api(citizen.token).GET("/api/v1/forums/{id}/events", {
    params: { path: { id: data.id } },
    parseAs: "stream",
  });
  await draft.data?.cancel();
  expectProblem(draft, 404, "not_found", "the stream of a draft");
  const missing = await api().GET("/api/v1/forums/{id}/events", { params: { path: { id: noForum } }, parseAs: "stream" });
  await missing.data?.cancel();
  expectProblem(missing, 404, "not_found", "the stream of no forum");
  return data;
}

async function move(forum: Forum, admin: Person, status: Schemas["ForumStatus"]): Promise<Forum> {
  const { data, response } = await api(admin.token).POST("/api/v1/forums/{id}/status", {
    params: { path: { id: forum.id } },
    body: { status },
  });
  expectStatus(response, 200, `live forum to ${status}`);
  check(data?.status === status, `live forum to ${status}: status ${data?.status}`);
  return data;
}

/** Scheduled (no questions yet: 409 forum_not_live), then live: on the first agenda item, `live_at` set. */
export async function goLive(forum: Forum, citizen: Person, admin: Person): Promise<Forum> {
  await move(forum, admin, "scheduled");
  const early = await api(citizen.token).POST("/api/v1/forums/{id}/questions", {
    params: { path: { id: forum.id } },
    body: { body: "Will the last ferry wait for the late train?" },
  });
  expectProblem(early, 409, "forum_not_live", "a question before the forum is live");

  const live = await move(forum, admin, "live");
  check(live.agenda_current === 0, `live: agenda_current ${live.agenda_current}`);
  check(live.live_at !== null, "live: live_at");
  return live;
}

/** The manager moves on to the second item; a citizen may not, and there is no third. */
export async function advanceAgenda(forum: Forum, citizen: Person, admin: Person): Promise<Forum> {
  const path = { id: forum.id };
  const refused = await api(citizen.token).POST("/api/v1/forums/{id}/agenda/current", {
    params: { path },
    body: { agenda_item: 1 },
  });
  expectProblem(refused, 403, "not_forum_manager", "a citizen moving the agenda on");

  const { data, response } = await api(admin.token).POST("/api/v1/forums/{id}/agenda/current", {
    params: { path },
    body: { agenda_item: 1 },
  });
  expectStatus(response, 200, "advance the agenda");
  check(data?.agenda_current === 1, `advance: agenda_current ${data?.agenda_current}`);
  check(data.status === "live" && data.live_at === forum.live_at, "advance: status / live_at");

  const past = await api(admin.token).POST("/api/v1/forums/{id}/agenda/current", {
    params: { path },
    body: { agenda_item: 2 },
  });
  const problem = expectProblem(past, 422, "validation_failed", "an item past the agenda");
  const fields = (problem.errors ?? []).map((e) => e.field);
  check(JSON.stringify(fields) === JSON.stringify(["agenda_item"]), `past the agenda: errors name ${JSON.stringify(fields)}`);
  return data;
}

type SseEvent = { id: string | null; event: string; data: string };

/** The events of a `text/event-stream` body as they arrive (`retry:` and heartbeat comments skipped). */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | null = null;
      let event = "message";
      const data: string[] = [];
      let any = false;
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        if (colon === 0) continue; // a comment (heartbeat)
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") id = value;
        else if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else continue; // `retry:` and unknown fields
        any = true;
      }
      if (any) yield { id, event, data: data.join("\n") };
      end = buffer.indexOf("\n\n");
    }
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
  }
}

/**
 * Follows the forum's stream with plain `fetch`: a fresh viewer gets `viewers` first; a comment posted
 * meanwhile arrives as `comment.posted` with its position as `id:`. A `Last-Event-ID` that is not a
 * position is 422. Returns the comment (not a question).
 */
export async function follow(forum: Forum, author: Person): Promise<Comment> {
  const url = `${baseUrl}/api/v1/forums/${forum.id}/events`;
  const bad = await fetch(url, { headers: { "Last-Event-ID": "not-a-position" } });
  const badProblem = (await bad.json()) as Problem;
  const what = "a Last-Event-ID that is not a position";
  const problem = expectProblem({ error: badProblem, response: bad }, 422, "validation_failed", what);
  const fields = (problem.errors ?? []).map((e) => e.field);
  check(JSON.stringify(fields) === JSON.stringify(["Last-Event-ID"]), `Last-Event-ID: errors name ${JSON.stringify(fields)}`);

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(url, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
    expectStatus(response, 200, "follow the forum");
    const contentType = response.headers.get("content-type") ?? "";
    check(contentType.startsWith("text/event-stream"), `follow: content-type ${contentType}`);
    check(response.body !== null, "follow: no body");
    const events = sseEvents(response.body);

    const first = (await events.next()).value;
    check(first?.event === "viewers", `follow: the first event is ${first?.event}, not viewers`);
    const viewers = JSON.parse(first.data) as { forum_id: string; viewers: number };
    check(viewers.forum_id === forum.id && viewers.viewers >= 1, `follow: viewers ${first.data}`);

    const posted = await api(author.token).POST("/api/v1/forums/{id}/comments", {
      params: { path: { id: forum.id } },
      body: { body: "Watching from the island: the stream is clear." },
    });
    expectStatus(posted.response, 201, "comment while following");
    check(posted.data !== undefined, "comment while following: no body");

    for await (const e of events) {
      if (e.event !== "comment.posted") continue;
      const data = JSON.parse(e.data) as { position: number; type: string; occurred_at: string; comment: Comment };
      check(data.comment.id === posted.data.id, `comment.posted: another comment ${data.comment.id}`);
      check(e.id !== null && e.id === String(data.position), `comment.posted: id: ${e.id}, position ${data.position}`);
      check(first.id !== null && Number(e.id) > Number(first.id), `comment.posted: id ${e.id} after viewers ${first.id}`);
      check(data.type === "comment.posted" && data.occurred_at.length > 0, `comment.posted: type ${data.type}`);
      check(data.comment.body === posted.data.body && data.comment.question === null, "comment.posted: body / question");
      check(data.comment.is_mine === null, "comment.posted: the public view (is_mine)");
      return posted.data;
    }
    throw new Error("follow: the stream ended before comment.posted");
  } catch (err) {
    if (controller.signal.aborted) throw new Error("follow: no comment.posted within 15 s");
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** A citizen asks the panel: a top-level comment on the forum marked with the agenda item under way. */
export async function ask(forum: Forum, asker: Person, body: string): Promise<Comment> {
  const { data, response } = await api(asker.token).POST("/api/v1/forums/{id}/questions", {
    params: { path: { id: forum.id } },
    body: { body },
  });
  expectStatus(response, 201, "ask a question");
  check(data !== undefined, "ask: no body");
  check(response.headers.get("location") === `/api/v1/comments/${data.id}`, "ask: Location header");
  check(data.subject_type === "forum" && data.subject_id === forum.id, "ask: subject");
  check(data.parent_id === null && data.depth === 0, "ask: a top-level comment");
  check(data.agenda_item === 1, `ask: agenda_item ${data.agenda_item} (the item under way)`);
  check(data.stream_offset !== null && data.stream_offset >= 0, `ask: stream_offset ${data.stream_offset}`);
  check(data.is_mine === true, "ask: is_mine");
  const q = data.question;
  check(q?.status === "open" && q.votes === 0 && q.voted_by_me === false, `ask: question ${JSON.stringify(q)}`);
  return data;
}

/** Another person votes (once, however often), takes it back and votes again; not its author, not a comment. */
export async function vote(question: Comment, comment: Comment, author: Person, voter: Person): Promise<void> {
  const path = { params: { path: { id: question.id } } };
  const own = await api(author.token).PUT("/api/v1/questions/{id}/vote", path);
  expectProblem(own, 403, "own_comment", "voting for one's own question");
  const notQuestion = await api(voter.token).PUT("/api/v1/questions/{id}/vote", { params: { path: { id: comment.id } } });
  expectProblem(notQuestion, 404, "not_found", "voting for a comment that is not a question");

  for (let i = 0; i < 2; i += 1) {
    const { data, response } = await api(voter.token).PUT("/api/v1/questions/{id}/vote", path);
    expectStatus(response, 200, `vote #${i + 1} (idempotent)`);
    check(data?.question_id === question.id, "vote: question_id");
    check(data.votes === 1 && data.voted_by_me === true, `vote #${i + 1}: ${data.votes}/${data.voted_by_me}`);
  }
  const read = await api(voter.token).GET("/api/v1/comments/{id}", path);
  expectStatus(read.response, 200, "read the voted question");
  const q = read.data?.question;
  check(q?.votes === 1 && q.voted_by_me === true, `read after the vote: ${JSON.stringify(q)}`);

  for (let i = 0; i < 2; i += 1) {
    const { data, response } = await api(voter.token).DELETE("/api/v1/questions/{id}/vote", path);
    expectStatus(response, 200, `unvote #${i + 1} (idempotent)`);
    check(data?.votes === 0 && data.voted_by_me === false, `unvote #${i + 1}: ${data?.votes}/${data?.voted_by_me}`);
  }
  const again = await api(voter.token).PUT("/api/v1/questions/{id}/vote", path);
  expectStatus(again.response, 200, "vote again");
  check(again.data?.votes === 1, `vote again: ${again.data?.votes}`);
}

async function setStatus(question: Comment, person: Person, status: Schemas["QuestionStatus"]) {
  return api(person.token).POST("/api/v1/questions/{id}/status", {
    params: { path: { id: question.id } },
    body: { status },
  });
}

/** The manager puts one on stage (one at a time), then answers it; a citizen may not, nor may it go back on stage. */
export async function stage(question: Comment, other: Comment, citizen: Person, admin: Person): Promise<void> {
  expectProblem(await setStatus(question, citizen, "on_stage"), 403, "not_forum_manager", "a citizen staging a question");

  const onStage = await setStatus(question, admin, "on_stage");
  expectStatus(onStage.response, 200, "put on stage");
  check(onStage.data?.question?.status === "on_stage", `on stage: ${onStage.data?.question?.status}`);
  check(onStage.data.question.votes === 1, `on stage: votes ${onStage.data.question.votes}`);

  const second = await setStatus(other, admin, "on_stage");
  const problem = expectProblem(second, 409, "question_on_stage", "a second question on stage");
  check(problem.detail.includes(question.id), `question_on_stage names ${problem.detail}`);

  const answered = await setStatus(question, admin, "answered");
  expectStatus(answered.response, 200, "mark answered");
  check(answered.data?.question?.status === "answered", `answered: ${answered.data?.question?.status}`);

  const back = await setStatus(question, admin, "on_stage");
  expectProblem(back, 409, "invalid_transition", "an answered question back on stage");
}

/** Most voted first (the default, page by page) or newest first, and by status. */
export async function list(forum: Forum, voted: Comment, other: Comment, voter: Person): Promise<void> {
  const path = { id: forum.id };
  const ids = (items: Comment[] | undefined): string => JSON.stringify((items ?? []).map((c) => c.id));

  const first = await api(voter.token).GET("/api/v1/forums/{id}/questions", {
    params: { path, query: { sort: "votes", limit: 1 } },
  });
  expectStatus(first.response, 200, "questions by votes, page 1");
  check(ids(first.data?.items) === JSON.stringify([voted.id]), `by votes, page 1: ${ids(first.data?.items)}`);
  check(first.data?.items[0]?.question?.voted_by_me === true, "by votes: voted_by_me");
  const cursor = first.data?.next_cursor;
  check(typeof cursor === "string", "by votes, page 1: no next_cursor");
  const second = await api(voter.token).GET("/api/v1/forums/{id}/questions", {
    params: { path, query: { sort: "votes", limit: 1, cursor } },
  });
  expectStatus(second.response, 200, "questions by votes, page 2");
  check(ids(second.data?.items) === JSON.stringify([other.id]), `by votes, page 2: ${ids(second.data?.items)}`);
  check(second.data?.next_cursor === null, "by votes, page 2: next_cursor");

  const newest = await api().GET("/api/v1/forums/{id}/questions", { params: { path, query: { sort: "newest" } } });
  expectStatus(newest.response, 200, "questions, newest first");
  check(ids(newest.data?.items) === JSON.stringify([other.id, voted.id]), `newest: ${ids(newest.data?.items)}`);
  check(newest.data?.items.every((c) => c.question?.voted_by_me === null), "anonymous list: voted_by_me");

  const answered = await api().GET("/api/v1/forums/{id}/questions", { params: { path, query: { status: "answered" } } });
  expectStatus(answered.response, 200, "answered questions");
  check(ids(answered.data?.items) === JSON.stringify([voted.id]), `answered: ${ids(answered.data?.items)}`);
}

/** Once ended, no more votes or questions (409 forum_not_live). */
export async function end(forum: Forum, question: Comment, asker: Person, voter: Person, admin: Person): Promise<Forum> {
  const ended = await move(forum, admin, "ended");
  const path = { params: { path: { id: question.id } } };
  const lateVote = await api(voter.token).PUT("/api/v1/questions/{id}/vote", path);
  expectProblem(lateVote, 409, "forum_not_live", "a vote after the end");
  const lateUnvote = await api(voter.token).DELETE("/api/v1/questions/{id}/vote", path);
  expectProblem(lateUnvote, 409, "forum_not_live", "an unvote after the end");
  const late = await api(asker.token).POST("/api/v1/forums/{id}/questions", {
    params: { path: { id: forum.id } },
    body: { body: "Is there still time for one more?" },
  });
  expectProblem(late, 409, "forum_not_live", "a question after the end");
  return ended;
}

/** The outcome lists the questions, most voted first, with their votes and whether they were answered. */
export async function outcome(forum: Forum, voted: Comment, other: Comment, admin: Person): Promise<void> {
  const body: Schemas["OutcomeRequest"] = {
    summary: `The ${keyword} asked for a later last ferry on weekdays.`,
    recommendations: ["A later last ferry"],
  };
  const { data, response } = await api(admin.token).PUT("/api/v1/forums/{id}/outcome", {
    params: { path: { id: forum.id } },
    body,
  });
  expectStatus(response, 201, "publish the live forum's outcome");
  check(data !== undefined, "publish: no body");

  const read = await api().GET("/api/v1/forums/{id}/outcome", { params: { path: { id: forum.id } } });
  expectStatus(read.response, 200, "read the outcome anonymously");
  const questions = read.data?.questions ?? [];
  check(
    JSON.stringify(questions.map((q) => q.id)) === JSON.stringify([voted.id, other.id]),
    `outcome: questions ${JSON.stringify(questions.map((q) => q.id))}`,
  );
  const [top, rest] = questions;
  check(top?.votes === 1 && top.answered === true && top.status === "answered", `outcome: ${JSON.stringify(top)}`);
  check(top.body === voted.body && top.agenda_item === 1, "outcome: body / agenda_item");
  check(top.stream_offset === voted.stream_offset, `outcome: stream_offset ${top.stream_offset}`);
  check(top.created_at === voted.created_at, `outcome: created_at ${top.created_at}`);
  check(rest?.votes === 0 && rest.answered === false && rest.status === "open", `outcome: ${JSON.stringify(rest)}`);
}
