// Comments: on a live forum (with its agenda item and stream offset), replies, likes, editing and deleting
// one's own, and reports and moderation (hide, unhide).
import { api, check, expectProblem, expectStatus, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Comment = Schemas["CommentView"];
type Forum = Schemas["ForumView"];

const noComment = "00000000-0000-0000-0000-000000000000";

/** A comment on the live forum marked with the agenda item and the stream offset, and a reply to it. */
export async function postAndReply(forum: Forum, author: Person, replier: Person): Promise<[Comment, Comment]> {
  const path = { id: forum.id };
  const { data, response } = await api(author.token).POST("/api/v1/forums/{id}/comments", {
    params: { path },
    body: { body: "The first crossing leaves too early for the hospital.", agenda_item: 0, stream_offset: 120 },
  });
  expectStatus(response, 201, "comment on the live forum");
  check(data !== undefined, "comment: no body");
  check(data.subject_type === "forum" && data.subject_id === forum.id, "comment: subject");
  check(data.agenda_item === 0 && data.stream_offset === 120, `comment: ${data.agenda_item}/${data.stream_offset}`);
  check(data.depth === 0 && data.parent_id === null, "comment: depth / parent_id");
  check(data.author_role === "citizen" && data.is_mine === true, "comment: author_role / is_mine");

  const reply = await api(replier.token).POST("/api/v1/forums/{id}/comments", {
    params: { path },
    body: { body: "Agreed, and the last one back leaves before the clinic closes.", parent_id: data.id },
  });
  expectStatus(reply.response, 201, "reply");
  check(reply.data !== undefined, "reply: no body");
  check(reply.data.parent_id === data.id && reply.data.depth === 1, "reply: parent_id / depth");
  check(reply.data.agenda_item === null && reply.data.stream_offset === null, "reply: no live marks");

  const top = await api().GET("/api/v1/forums/{id}/comments", { params: { path, query: { sort: "oldest" } } });
  expectStatus(top.response, 200, "list top-level comments");
  const listed = top.data?.items.find((c) => c.id === data.id);
  check(listed !== undefined, "list: the comment is missing");
  check(listed.reply_count === 1, `list: reply_count ${listed.reply_count}`);
  check(listed.is_mine === null && listed.liked_by_me === null, "anonymous list: is_mine / liked_by_me");
  check(!top.data?.items.some((c) => c.id === reply.data?.id), "list: the reply is on the top level");

  const replies = await api(author.token).GET("/api/v1/forums/{id}/comments", {
    params: { path, query: { parent_id: data.id } },
  });
  expectStatus(replies.response, 200, "list replies");
  check(
    JSON.stringify(replies.data?.items.map((c) => c.id)) === JSON.stringify([reply.data.id]),
    "list replies: not exactly the reply",
  );
  return [data, reply.data];
}

/** Another person likes it (204, idempotent); its author may not (403 own_comment). */
export async function like(comment: Comment, author: Person, liker: Person): Promise<void> {
  const path = { params: { path: { id: comment.id } } };
  const own = await api(author.token).PUT("/api/v1/comments/{id}/like", path);
  expectProblem(own, 403, "own_comment", "liking one's own comment");
  for (let i = 0; i < 2; i += 1) {
    const { response } = await api(liker.token).PUT("/api/v1/comments/{id}/like", path);
    expectStatus(response, 204, `like #${i + 1} (idempotent)`);
  }
  const { data, response } = await api(liker.token).GET("/api/v1/comments/{id}", path);
  expectStatus(response, 200, "read liked comment");
  check(data?.like_count === 1 && data.liked_by_me === true, `liked: ${data?.like_count}/${data?.liked_by_me}`);

  const missing = await api().GET("/api/v1/comments/{id}", { params: { path: { id: noComment } } });
  expectProblem(missing, 404, "not_found", "no such comment");
}

/** A report (once), then a moderator hides it (gone for others, kept for its author) and shows it again. */
export async function reportAndModerate(comment: Comment, author: Person, reporter: Person, admin: Person): Promise<void> {
  const path = { params: { path: { id: comment.id } } };
  const body = { reason: "It names a ferry worker by name." };
  const own = await api(author.token).POST("/api/v1/comments/{id}/reports", { ...path, body });
  expectProblem(own, 403, "own_comment", "reporting one's own comment");
  const { data, response } = await api(reporter.token).POST("/api/v1/comments/{id}/reports", { ...path, body });
  expectStatus(response, 201, "report comment");
  check(data?.target_type === "comment" && data.target_id === comment.id, "report: target");
  check(data.status === "open", `report: status ${data.status}`);
  const again = await api(reporter.token).POST("/api/v1/comments/{id}/reports", { ...path, body });
  expectProblem(again, 409, "already_exists", "reporting twice");

  const decision = { reason: "Names a person; hidden until edited." };
  const refused = await api(reporter.token).POST("/api/v1/moderation/comments/{id}/hide", { ...path, body: decision });
  expectProblem(refused, 403, "forbidden", "a citizen hiding a comment");
  const hidden = await api(admin.token).POST("/api/v1/moderation/comments/{id}/hide", { ...path, body: decision });
  expectStatus(hidden.response, 200, "hide comment");
  check(hidden.data?.hidden === true, "hide: hidden");
  expectProblem(await api().GET("/api/v1/comments/{id}", path), 404, "not_found", "a hidden comment read anonymously");
  const byAuthor = await api(author.token).GET("/api/v1/comments/{id}", path);
  check(byAuthor.data?.hidden === true, "a hidden comment read by its author");

  const unhidden = await api(admin.token).POST("/api/v1/moderation/comments/{id}/unhide", {
    ...path,
    body: { reason: "The name was a public official's." },
  });
  expectStatus(unhidden.response, 200, "unhide comment");
  check(unhidden.data?.hidden === false, "unhide: hidden");
  const twice = await api(admin.token).POST("/api/v1/moderation/comments/{id}/unhide", { ...path, body: decision });
  expectProblem(twice, 409, "not_hidden", "unhiding a visible comment");
}

/** Its author edits it (edited_at) and deletes it (a placeholder without text); nobody else may. */
export async function editAndDelete(comment: Comment, author: Person, other: Person): Promise<void> {
  const path = { params: { path: { id: comment.id } } };
  const body = { body: "Agreed: the last crossing back leaves before the clinic closes." };
  const refused = await api(other.token).PATCH("/api/v1/comments/{id}", { ...path, body });
  expectProblem(refused, 403, "not_author", "editing another person's comment");
  const { data, response } = await api(author.token).PATCH("/api/v1/comments/{id}", { ...path, body });
  expectStatus(response, 200, "edit comment");
  check(data?.body === body.body && data.edited_at !== null, "edit: body / edited_at");

  expectProblem(await api(other.token).DELETE("/api/v1/comments/{id}", path), 403, "not_author", "deleting another's");
  for (let i = 0; i < 2; i += 1) {
    const { response: deleted } = await api(author.token).DELETE("/api/v1/comments/{id}", path);
    expectStatus(deleted, 204, `delete #${i + 1} (idempotent)`);
  }
  // Gone as a resource; its placeholder without text stays in the thread's lists.
  expectProblem(await api().GET("/api/v1/comments/{id}", path), 404, "not_found", "reading a deleted comment");
}
