// Forums: planning one (staff), its lifecycle, registration, attendance, proposals entered from its paper
// cards, its outcome and its timeline.
import { api, check, expectProblem, expectStatus, runId, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";

type Forum = Schemas["ForumView"];
type Registration = Schemas["RegistrationView"];
type Proposal = Schemas["ProposalView"];

/** A distinctive English word per run, so the forum search finds this run's forum. */
export const keyword = `ferryforum${runId}`.replace(/[^a-z]/g, "");

const noForum = "00000000-0000-0000-0000-000000000000";
const hour = 3600 * 1000;
// Registration is open only while the forum is `scheduled` and before it starts: two days ahead.
const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 48 * hour);
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** An organization to host the forum: the admin names one (officials would host their own). */
export async function someOrganization(): Promise<string> {
  const { data, response } = await api().GET("/api/v1/organizations", { params: { query: { limit: 1 } } });
  expectStatus(response, 200, "list organizations");
  const org = data?.items[0];
  check(org !== undefined, "no organizations: was `ocf-api seed` run?");
  return org.id;
}

/** The admin plans a hybrid forum on the shortlisted topic; a citizen may not; a draft is not public. */
export async function plan(
  admin: Person,
  citizen: Person,
  organizationId: string,
  policyArea: string,
  topic: Schemas["TopicView"],
): Promise<Forum> {
  const body: Schemas["CreateForumRequest"] = {
    kind: "regional_conference",
    mode: "hybrid",
    title: `Island ${keyword} conference`,
    description: `Islanders, experts and officials talk about the ${keyword} timetable and fares.`,
    organization_id: organizationId,
    policy_area: policyArea,
    topic_ids: [topic.id],
    venue: { name: "Harbour community hall", address: "1 Harbour Road", region: "jeonnam" },
    starts_at: iso(startsAt),
    ends_at: iso(new Date(startsAt.getTime() + 2 * hour)),
    capacity: 50,
    livestream_url: "https://tv.example.kr/live/island-forum",
    panel: [{ name: "Kim Facilitator", affiliation: "Island council", role: "facilitator" }],
    agenda: [
      {
        title: "The timetable",
        starts_at: iso(startsAt),
        ends_at: iso(new Date(startsAt.getTime() + hour)),
        speaker: "Kim Facilitator",
      },
    ],
  };
  const refused = await api(citizen.token).POST("/api/v1/forums", { body });
  expectProblem(refused, 403, "not_forum_manager", "a citizen planning a forum");

  const { data, response } = await api(admin.token).POST("/api/v1/forums", { body });
  expectStatus(response, 201, "plan forum");
  check(data !== undefined, "plan: no body");
  check(data.status === "draft", `plan: status ${data.status}`);
  check(data.organization_id === organizationId, "plan: organization_id");
  check(JSON.stringify(data.topic_ids) === JSON.stringify([topic.id]), `plan: topic_ids ${JSON.stringify(data.topic_ids)}`);
  check(data.venue?.region === "jeonnam", "plan: venue");
  check(data.can_manage === true, "plan: can_manage");
  check(data.agenda.length === 1 && data.panel.length === 1, "plan: agenda / panel");
  check(data.seats.capacity === 50 && data.seats.registered === 0 && data.seats.seats_left === 50, "plan: seats");
  check(data.outcome_id === null, "plan: outcome_id");
  check(response.headers.get("location") === `/api/v1/forums/${data.id}`, "plan: Location header");

  const hidden = await api().GET("/api/v1/forums/{id}", { params: { path: { id: data.id } } });
  expectProblem(hidden, 404, "not_found", "a draft read anonymously");
  const linked = await api().GET("/api/v1/topics/{id}", { params: { path: { id: topic.id } } });
  check(linked.data?.status === "scheduled", `linked topic: status ${linked.data?.status}`);
  return data;
}

async function move(forum: Forum, admin: Person, status: Schemas["ForumStatus"]): Promise<Forum> {
  const { data, response } = await api(admin.token).POST("/api/v1/forums/{id}/status", {
    params: { path: { id: forum.id } },
    body: { status },
  });
  expectStatus(response, 200, `forum to ${status}`);
  check(data?.status === status, `forum to ${status}: status ${data?.status}`);
  return data;
}

/** The admin schedules the forum: then it is public, and a citizen may read but not move it. */
export async function schedule(forum: Forum, citizen: Person, admin: Person): Promise<Forum> {
  const scheduled = await move(forum, admin, "scheduled");

  const { data, response } = await api(citizen.token).GET("/api/v1/forums/{id}", { params: { path: { id: forum.id } } });
  expectStatus(response, 200, "read scheduled forum");
  check(data?.can_manage === false, `scheduled forum: can_manage ${data?.can_manage}`);
  const refused = await api(citizen.token).POST("/api/v1/forums/{id}/status", {
    params: { path: { id: forum.id } },
    body: { status: "live" },
  });
  expectProblem(refused, 403, "not_forum_manager", "a citizen moving a forum");

  const list = await api(citizen.token).GET("/api/v1/forums", {
    params: { query: { status: "scheduled", region: "jeonnam", when: "upcoming", q: keyword, limit: 100 } },
  });
  expectStatus(list.response, 200, "list forums");
  check(list.data?.items.some((f) => f.id === forum.id), "list forums: the scheduled forum is missing");

  const missing = await api().GET("/api/v1/forums/{id}", { params: { path: { id: noForum } } });
  expectProblem(missing, 404, "not_found", "no such forum");
  return scheduled;
}

/** A citizen registers (201), once (409 already_registered). */
export async function register(forum: Forum, citizen: Person): Promise<Registration> {
  const path = { params: { path: { id: forum.id } } };
  const { data, response } = await api(citizen.token).POST("/api/v1/forums/{id}/registrations", path);
  expectStatus(response, 201, "register for forum");
  check(data !== undefined, "register: no body");
  check(data.status === "registered" && data.waitlist_position === null, `register: status ${data.status}`);
  check(data.forum_id === forum.id && data.user_id === citizen.user.id, "register: forum_id / user_id");
  check(data.attended === false, "register: attended");

  const again = await api(citizen.token).POST("/api/v1/forums/{id}/registrations", path);
  expectProblem(again, 409, "already_registered", "registering twice");
  return data;
}

/** The manager sees every registration; another citizen sees only their own (none). */
export async function registrations(forum: Forum, registration: Registration, admin: Person, other: Person): Promise<void> {
  const { data, response } = await api(admin.token).GET("/api/v1/forums/{id}/registrations", {
    params: { path: { id: forum.id }, query: { status: "registered", limit: 100 } },
  });
  expectStatus(response, 200, "list registrations (staff)");
  check(data?.items.some((r) => r.id === registration.id), "list registrations: the registration is missing");

  const own = await api(other.token).GET("/api/v1/forums/{id}/registrations", { params: { path: { id: forum.id } } });
  expectStatus(own.response, 200, "list registrations (another citizen)");
  check(own.data?.items.length === 0, `another citizen sees ${own.data?.items.length} registrations`);

  const read = await api().GET("/api/v1/forums/{id}", { params: { path: { id: forum.id } } });
  const seats = read.data?.seats;
  check(seats?.registered === 1 && seats.seats_left === 49, `seats after registering: ${JSON.stringify(seats)}`);
}

export async function goLive(forum: Forum, admin: Person): Promise<Forum> {
  return move(forum, admin, "live");
}

/** Staff enter an idea from the forum's paper cards; the participant's name is never public. */
export async function enterProposal(forum: Forum, citizen: Person, admin: Person): Promise<Proposal> {
  const body: Schemas["ForumProposalRequest"] = {
    title: `A ${keyword} fare card for islanders`,
    body: `Islanders pay half the ${keyword} fare with a resident card; written on a paper card at the forum.`,
    policy_area: forum.policy_area,
    region: "jeonnam",
    tags: ["Ferry"],
    participant_name: "Park",
  };
  const path = { id: forum.id };
  const refused = await api(citizen.token).POST("/api/v1/forums/{id}/proposals", { params: { path }, body });
  expectProblem(refused, 403, "not_forum_manager", "a citizen entering a forum proposal");

  const { data, response } = await api(admin.token).POST("/api/v1/forums/{id}/proposals", { params: { path }, body });
  expectStatus(response, 201, "enter forum proposal");
  check(data !== undefined, "enter: no body");
  check(data.channel === "offline_forum", `enter: channel ${data.channel}`);
  check(data.forum_id === forum.id, `enter: forum_id ${data.forum_id}`);
  check(data.offline_entry?.participant_name === "Park", "enter: offline_entry for staff");

  const pub = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: data.id } } });
  expectStatus(pub.response, 200, "read forum proposal anonymously");
  check(pub.data?.offline_entry === null, "forum proposal: offline_entry is public");
  return data;
}

export async function attendance(forum: Forum, registration: Registration, admin: Person): Promise<void> {
  const { data, response } = await api(admin.token).POST("/api/v1/forums/{id}/attendance", {
    params: { path: { id: forum.id } },
    body: { registration_ids: [registration.id], attended: true },
  });
  expectStatus(response, 200, "mark attendance");
  check(data?.seats.attended === 1, `attendance: seats.attended ${data?.seats.attended}`);

  const list = await api(admin.token).GET("/api/v1/forums/{id}/registrations", { params: { path: { id: forum.id } } });
  check(list.data?.items.find((r) => r.id === registration.id)?.attended === true, "attendance: registration.attended");
}

/** Ending the forum: its topics become `discussed`; an outcome only comes after. */
export async function end(forum: Forum, topic: Schemas["TopicView"], admin: Person): Promise<Forum> {
  const ended = await move(forum, admin, "ended");
  const linked = await api().GET("/api/v1/topics/{id}", { params: { path: { id: topic.id } } });
  check(linked.data?.status === "discussed", `topic after the forum: status ${linked.data?.status}`);
  const none = await api().GET("/api/v1/forums/{id}/outcome", { params: { path: { id: forum.id } } });
  expectProblem(none, 404, "not_found", "outcome before publishing");
  return ended;
}

/** Every step of the forum so far, oldest first, staff shown by role. */
export async function timeline(forum: Forum, topic: Schemas["TopicView"]): Promise<void> {
  const { data, response } = await api().GET("/api/v1/forums/{id}/timeline", {
    params: { path: { id: forum.id }, query: { limit: 20 } },
  });
  expectStatus(response, 200, "forum timeline");
  const items = data?.items ?? [];
  const seen = items.map((e) => `${e.kind}:${e.to_status ?? ""}`);
  const expected = ["created:draft", "topic_linked:", "status_changed:scheduled", "status_changed:live", "status_changed:ended"];
  check(JSON.stringify(seen) === JSON.stringify(expected), `forum timeline: ${JSON.stringify(seen)}`);
  check(items.every((e) => e.actor_role === "admin"), "forum timeline: actor_role");
  check(items[1]?.related_id === topic.id, "forum timeline: topic_linked related_id");
  check(items[3]?.from_status === "scheduled", `forum timeline: live from ${items[3]?.from_status}`);

  const missing = await api().GET("/api/v1/forums/{id}/timeline", { params: { path: { id: noForum } } });
  expectProblem(missing, 404, "not_found", "timeline of no forum");
}

/** The first outcome of an ended forum is 201 and reports it; anyone can read it, and the timeline shows it. */
export async function outcome(forum: Forum, proposal: Proposal, citizen: Person, admin: Person): Promise<void> {
  const body: Schemas["OutcomeRequest"] = {
    summary: `The forum asked for more ${keyword} crossings and a resident fare card.`,
    recommendations: ["A resident fare card", "Two more crossings a day"],
    proposal_ids: [proposal.id],
  };
  const path = { id: forum.id };
  const refused = await api(citizen.token).PUT("/api/v1/forums/{id}/outcome", { params: { path }, body });
  expectProblem(refused, 403, "not_forum_manager", "a citizen publishing an outcome");

  const { data, response } = await api(admin.token).PUT("/api/v1/forums/{id}/outcome", { params: { path }, body });
  expectStatus(response, 201, "publish outcome");
  check(data !== undefined, "publish: no body");
  check(data.forum_id === forum.id, "publish: forum_id");
  check(data.attendee_count === 1, `publish: attendee_count ${data.attendee_count} (the attendance marked)`);
  check(JSON.stringify(data.proposal_ids) === JSON.stringify([proposal.id]), "publish: proposal_ids");

  const read = await api().GET("/api/v1/forums/{id}/outcome", { params: { path } });
  expectStatus(read.response, 200, "read outcome anonymously");
  check(read.data?.id === data.id && read.data.summary === body.summary, "read outcome: id / summary");
  check(JSON.stringify(read.data.recommendations) === JSON.stringify(body.recommendations), "read outcome: recommendations");

  const reported = await api().GET("/api/v1/forums/{id}", { params: { path } });
  check(reported.data?.status === "reported", `forum after its outcome: status ${reported.data?.status}`);
  check(reported.data.outcome_id === data.id, "forum after its outcome: outcome_id");

  const events = await api().GET("/api/v1/forums/{id}/timeline", { params: { path, query: { limit: 20 } } });
  const last = events.data?.items.at(-1);
  check(
    last?.kind === "outcome_published" && last.related_id === data.id,
    `timeline after the outcome: last ${last?.kind}/${last?.related_id}`,
  );
}
