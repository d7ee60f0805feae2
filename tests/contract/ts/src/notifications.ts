// Follows and notifications: following and unfollowing (idempotent), and the notifications the proposal's
// author gets as the notification job writes them off the request path: polled, counted, marked read.
import { api, check, expectProblem, expectStatus, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";
import { noId } from "./referrals.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Notification = Schemas["NotificationView"];

/** Follows are idempotent both ways (204, twice); no such proposal is 404, and anonymous 401. */
export async function follows(
  proposal: Proposal,
  topic: Schemas["TopicView"],
  forum: Schemas["ForumView"],
  follower: Person,
): Promise<void> {
  const client = api(follower.token);
  const path = { params: { path: { id: proposal.id } } };
  for (let i = 1; i <= 2; i += 1) {
    const off = await client.DELETE("/api/v1/proposals/{id}/follow", path);
    expectStatus(off.response, 204, `unfollow the proposal #${i}`);
  }
  for (let i = 1; i <= 2; i += 1) {
    const on = await client.PUT("/api/v1/proposals/{id}/follow", path);
    expectStatus(on.response, 204, `follow the proposal #${i}`);
  }
  const topicPath = { params: { path: { id: topic.id } } };
  expectStatus((await client.PUT("/api/v1/topics/{id}/follow", topicPath)).response, 204, "follow the topic");
  expectStatus((await client.DELETE("/api/v1/topics/{id}/follow", topicPath)).response, 204, "unfollow the topic");
  const forumPath = { params: { path: { id: forum.id } } };
  expectStatus((await client.PUT("/api/v1/forums/{id}/follow", forumPath)).response, 204, "follow the forum");
  expectStatus((await client.DELETE("/api/v1/forums/{id}/follow", forumPath)).response, 204, "unfollow the forum");

  const missing = await client.PUT("/api/v1/proposals/{id}/follow", { params: { path: { id: noId } } });
  expectProblem(missing, 404, "not_found", "following no proposal");
  const anonymous = await api().PUT("/api/v1/proposals/{id}/follow", path);
  expectProblem(anonymous, 401, "unauthenticated", "following anonymously");
}

/**
 * The author follows their own proposal: the job writes its status changes (those the referral makes
 * are told by its steps) and the referral's sending,
 * answer and completion into their notifications within seconds. Polled for up to 15 s.
 */
export async function notificationsArrive(author: Person, proposal: Proposal, referral: Referral): Promise<Notification[]> {
  const deadline = Date.now() + 15_000;
  const expected = [
    "proposal.status_changed:under_review",
    "proposal.status_changed:selected",
    "referral.sent:sent",
    "referral.answered:answered",
    "referral.completed:implemented",
  ].sort();
  for (;;) {
    const { data, response } = await api(author.token).GET("/api/v1/me/notifications", { params: { query: { limit: 100 } } });
    expectStatus(response, 200, "my notifications");
    const mine = (data?.items ?? []).filter((n) => n.subject_id === proposal.id);
    const seen = mine.map((n) => `${n.type}:${n.to_status ?? ""}`).sort();
    if (JSON.stringify(seen) === JSON.stringify(expected)) {
      for (const n of mine) {
        check(n.subject_kind === "proposal" && n.read === false && n.read_at === null, `notification ${n.type}: unread`);
        const ofReferral = n.type.startsWith("referral.");
        check(n.referral_id === (ofReferral ? referral.id : null), `notification ${n.type}: referral_id ${n.referral_id}`);
        check(n.decision === (n.type === "referral.answered" ? "accepted" : null), `notification ${n.type}: decision`);
      }
      // The moves the referral made (referred, answered, implemented) are told once, by its own steps.
      const moved = mine.find((n) => n.type === "proposal.status_changed" && n.to_status === "selected");
      check(moved?.from_status === "under_review", `notification: selected from ${moved?.from_status}`);
      return mine;
    }
    check(Date.now() < deadline, `notifications after 15 s: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function unread(author: Person): Promise<number> {
  const { data, response } = await api(author.token).GET("/api/v1/me/notifications/unread-count");
  expectStatus(response, 200, "unread count");
  check(data !== undefined, "unread count: no body");
  return data.unread;
}

/** Counted unread, marked read by id (idempotent; unknown ids ignored), unread ones listed first, then all. */
export async function markRead(author: Person, notifications: Notification[]): Promise<void> {
  const before = await unread(author);
  check(before >= notifications.length, `unread count ${before} < ${notifications.length}`);
  const sent = notifications.find((n) => n.type === "referral.sent");
  check(sent !== undefined, "no referral.sent notification");

  const client = api(author.token);
  const one = await client.POST("/api/v1/me/notifications/read", { body: { ids: [sent.id] } });
  expectStatus(one.response, 200, "mark one read");
  check(one.data?.marked === 1 && one.data.unread === before - 1, `mark one read: ${JSON.stringify(one.data)}`);
  const again = await client.POST("/api/v1/me/notifications/read", { body: { ids: [sent.id, "999999999"] } });
  expectStatus(again.response, 200, "mark it read again");
  check(again.data?.marked === 0 && again.data.unread === before - 1, `mark it read again: ${JSON.stringify(again.data)}`);
  check((await unread(author)) === before - 1, "unread count after marking one");

  const page = await client.GET("/api/v1/me/notifications", { params: { query: { limit: 100 } } });
  const items = page.data?.items ?? [];
  const firstRead = items.findIndex((n) => n.read);
  check(firstRead >= 0 && items.slice(firstRead).every((n) => n.read), "notifications: an unread one after a read one");
  const marked = items.find((n) => n.id === sent.id);
  check(marked?.read === true && marked.read_at !== null, "notifications: the marked one is not read");
  const times = items.slice(0, firstRead).map((n) => Date.parse(n.occurred_at));
  check(times.every((t, i) => i === 0 || (times[i - 1] ?? 0) >= t), "notifications: unread ones not newest first");

  const neither = await client.POST("/api/v1/me/notifications/read", { body: {} });
  const problem = expectProblem(neither, 422, "validation_failed", "marking neither ids nor all");
  check((problem.errors ?? []).length > 0, "marking neither ids nor all: no errors");

  const all = await client.POST("/api/v1/me/notifications/read", { body: { all: true } });
  expectStatus(all.response, 200, "mark all read");
  check(all.data?.marked === before - 1 && all.data.unread === 0, `mark all read: ${JSON.stringify(all.data)}`);
  check((await unread(author)) === 0, "unread count after marking all");
  const after = await client.GET("/api/v1/me/notifications", { params: { query: { limit: 100 } } });
  check(after.data?.items.every((n) => n.read && n.read_at !== null), "notifications: unread after marking all");

  const anonymous = await api().GET("/api/v1/me/notifications/unread-count");
  expectProblem(anonymous, 401, "unauthenticated", "unread count anonymously");
}
