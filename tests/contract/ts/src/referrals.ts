// Referrals: a selected proposal referred to an organization and walked through the ledger by its official
// (acknowledged, extended, answered, a follow-up and its commitment, completed), the steps others may not
// take, and the proposal's timeline. Transfers, steps out of order, the list and the suggestions are in
// ledger.ts; follows and notifications in notifications.ts.
import { api, check, expectProblem, expectStatus, type Schemas } from "./client.js";
import type { Person } from "./accounts.js";
import type { Official } from "./officials.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Organization = Schemas["OrganizationView"];

export const noId = "00000000-0000-0000-0000-000000000000";
/** The internal contact of the acknowledgement: for staff and the organization only. */
export const contact = "Kim Clerk, 044-200-0000";
const day = 24 * 3600 * 1000;
/** The day in Asia/Seoul (UTC+9, no daylight saving) of `at`, plus `days`: the ledger's due days. */
export const seoulDay = (at: number, days = 0): string =>
  new Date(at + 9 * 3600 * 1000 + days * day).toISOString().slice(0, 10);
export const today = (): string => seoulDay(Date.now());
/** The end of a Seoul day as the API writes `due_at`. */
export const endOfDay = (on: string): number => Date.parse(`${on}T23:59:59.999+09:00`);

export function referralPath(referral: Referral): { params: { path: { id: string } } } {
  return { params: { path: { id: referral.id } } };
}

export async function move(proposal: Proposal, admin: Person, status: Schemas["ReviewStatus"]): Promise<Proposal> {
  const { data, response } = await api(admin.token).POST("/api/v1/proposals/{id}/status", {
    params: { path: { id: proposal.id } },
    body: { status },
  });
  expectStatus(response, 200, `proposal to ${status}`);
  check(data?.status === status, `proposal to ${status}: status ${data?.status}`);
  return data;
}

export function referralBody(proposal: Proposal, organizationId: string, dueOn?: string): Schemas["CreateReferralRequest"] {
  const body: Schemas["CreateReferralRequest"] = {
    subject_kind: "proposal",
    subject_id: proposal.id,
    organization_id: organizationId,
    cover_note: `The selected proposal "${proposal.title}" is sent for review and an answer.`,
  };
  if (dueOn !== undefined) body.due_on = dueOn;
  return body;
}

/** The admin reviews and selects the proposal (a citizen may not); one under review cannot be referred yet. */
export async function select(proposal: Proposal, organization: Organization, citizen: Person, admin: Person): Promise<Proposal> {
  const refused = await api(citizen.token).POST("/api/v1/proposals/{id}/status", {
    params: { path: { id: proposal.id } },
    body: { status: "under_review" },
  });
  expectProblem(refused, 403, "forbidden", "a citizen reviewing a proposal");
  await move(proposal, admin, "under_review");
  const early = await api(admin.token).POST("/api/v1/referrals", { body: referralBody(proposal, organization.id) });
  expectProblem(early, 409, "subject_not_referable", "referring a proposal under review");
  return move(proposal, admin, "selected");
}

/** The admin refers the selected proposal (a citizen may not): an official document, number and due date. */
export async function refer(proposal: Proposal, organization: Organization, citizen: Person, admin: Person): Promise<Referral> {
  const dueOn = seoulDay(Date.now(), 20);
  const body = referralBody(proposal, organization.id, dueOn);
  const refused = await api(citizen.token).POST("/api/v1/referrals", { body });
  expectProblem(refused, 403, "forbidden", "a citizen referring a proposal");

  const { data, response } = await api(admin.token).POST("/api/v1/referrals", { body });
  expectStatus(response, 201, "refer the proposal");
  check(data !== undefined, "refer: no body");
  check(/^OCF-\d{4}-\d{6,}$/.test(data.number), `refer: number ${data.number}`);
  check(data.number.startsWith(`OCF-${today().slice(0, 4)}-`), `refer: number ${data.number} of another year`);
  check(data.status === "sent" && data.subject_kind === "proposal", `refer: ${data.status}/${data.subject_kind}`);
  check(data.subject_id === proposal.id && data.organization_id === organization.id, "refer: subject_id / organization_id");
  check(data.due_on === dueOn, `refer: due_on ${data.due_on}, asked ${dueOn}`);
  check(Math.abs(Date.parse(data.due_at) - endOfDay(dueOn)) < 1000, `refer: due_at ${data.due_at} is not the end of ${dueOn} in Seoul`);
  check(data.overdue === false && data.extended === false && data.extension_reason === null, "refer: overdue / extended");
  check(data.hops.length === 1 && data.hops[0]?.organization_id === organization.id && data.hops[0].reason === null, "refer: hops");
  check(data.acknowledgement === null && data.answer === null && data.completion === null, "refer: steps before they happen");
  check(data.follow_ups.length === 0 && data.commitments.length === 0, "refer: follow_ups / commitments");
  check(data.cover_note === body.cover_note, "refer: cover_note");
  check(response.headers.get("location") === `/api/v1/referrals/${data.id}`, "refer: Location header");

  const referred = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: proposal.id } } });
  check(referred.data?.status === "referred", `referred proposal: status ${referred.data?.status}`);
  const again = await api(admin.token).POST("/api/v1/referrals", { body });
  expectProblem(again, 409, "subject_already_referred", "referring it twice");
  const missing = await api().GET("/api/v1/referrals/{id}", { params: { path: { id: noId } } });
  expectProblem(missing, 404, "not_found", "no such referral");
  return data;
}

/**
 * Only an official of the organization holding it acknowledges: not a citizen, not the admin, not the
 * official's token from before the role (403 not_receiving_organization); once (409). The contact is for
 * the organization and staff; the public and other citizens see `null`.
 */
export async function acknowledge(referral: Referral, official: Official, citizen: Person, admin: Person): Promise<Referral> {
  const body: Schemas["AcknowledgeRequest"] = { division: "Tram and bus policy division", contact };
  const path = referralPath(referral);
  for (const [who, token] of [
    ["a citizen", citizen.token],
    ["the admin", admin.token],
    ["the official's token from before the role", official.staleToken],
  ] as const) {
    const refused = await api(token).POST("/api/v1/referrals/{id}/acknowledge", { ...path, body });
    expectProblem(refused, 403, "not_receiving_organization", `${who} acknowledging`);
  }

  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/acknowledge", { ...path, body });
  expectStatus(response, 200, "acknowledge");
  check(data !== undefined, "acknowledge: no body");
  check(data.status === "acknowledged", `acknowledge: status ${data.status}`);
  check(data.acknowledgement?.division === body.division, "acknowledge: division");
  check(data.acknowledgement.contact === body.contact, `acknowledge: contact ${data.acknowledgement.contact} to the official`);

  const again = await api(official.token).POST("/api/v1/referrals/{id}/acknowledge", { ...path, body });
  expectProblem(again, 409, "referral_already_acknowledged", "acknowledging twice");

  const anonymous = await api().GET("/api/v1/referrals/{id}", path);
  expectStatus(anonymous.response, 200, "read referral anonymously");
  check(anonymous.data?.acknowledgement?.division === body.division, "public referral: division");
  check(anonymous.data.acknowledgement.contact === null, "public referral: the contact is shown");
  const other = await api(citizen.token).GET("/api/v1/referrals/{id}", path);
  check(other.data?.acknowledgement?.contact === null, "referral read by a citizen: the contact is shown");
  const staff = await api(admin.token).GET("/api/v1/referrals/{id}", path);
  check(staff.data?.acknowledgement?.contact === body.contact, "referral read by the admin: no contact");
  const own = await api(official.token).GET("/api/v1/referrals/{id}", path);
  check(own.data?.acknowledgement?.contact === body.contact, "referral read by the official: no contact");
  return data;
}

/** Once per organization, before the answer: a later due date (409 the second time). */
export async function extend(referral: Referral, official: Official): Promise<Referral> {
  const dueOn = seoulDay(endOfDay(referral.due_on), 10);
  const body: Schemas["ExtendRequest"] = { reason: "The timetable needs the operators' consent.", due_on: dueOn };
  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/extend", { ...referralPath(referral), body });
  expectStatus(response, 200, "extend");
  check(data !== undefined, "extend: no body");
  check(data.extended === true && data.extension_reason === body.reason, "extend: extended / extension_reason");
  check(data.due_on === dueOn, `extend: due_on ${data.due_on}, asked ${dueOn}`);
  check(Math.abs(Date.parse(data.due_at) - endOfDay(dueOn)) < 1000, `extend: due_at ${data.due_at}`);
  check(data.hops[0]?.due_at === referral.hops[0]?.due_at, "extend: the hop's first due date changed");
  const again = await api(official.token).POST("/api/v1/referrals/{id}/extend", { ...referralPath(referral), body });
  expectProblem(again, 409, "referral_already_extended", "extending twice");
  return data;
}

/** `accepted` needs planned measures and a completion date (422 without); then the proposal is `answered`. */
export async function answer(referral: Referral, official: Official, proposal: Proposal, otherOrganizationId: string): Promise<Referral> {
  const path = referralPath(referral);
  const bare = await api(official.token).POST("/api/v1/referrals/{id}/answer", {
    ...path,
    body: { decision: "accepted", reasoning: "We agree with the proposal." },
  });
  const problem = expectProblem(bare, 422, "validation_failed", "accepted without measures");
  const fields = (problem.errors ?? []).map((e) => e.field).sort();
  check(
    JSON.stringify(fields) === JSON.stringify(["expected_completion_on", "planned_measures"]),
    `accepted without measures: errors name ${JSON.stringify(fields)}`,
  );

  const body: Schemas["AnswerRequest"] = {
    decision: "accepted",
    reasoning: "We agree with the proposal and will change the rules.",
    planned_measures: "The night timetable is extended from March.",
    policy_task: "Policy task 12",
    expected_completion_on: seoulDay(Date.now(), 60),
  };
  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/answer", { ...path, body });
  expectStatus(response, 200, "answer");
  check(data !== undefined, "answer: no body");
  check(data.status === "answered", `answer: status ${data.status}`);
  const a = data.answer;
  check(a?.decision === "accepted" && a.reasoning === body.reasoning, "answer: decision / reasoning");
  check(a.planned_measures === body.planned_measures && a.policy_task === body.policy_task, "answer: planned_measures / policy_task");
  check(a.expected_completion_on === body.expected_completion_on, `answer: expected_completion_on ${a.expected_completion_on}`);

  const again = await api(official.token).POST("/api/v1/referrals/{id}/answer", { ...path, body });
  expectProblem(again, 409, "referral_already_answered", "answering twice");
  const late = await api(official.token).POST("/api/v1/referrals/{id}/transfer", {
    ...path,
    body: { organization_id: otherOrganizationId, reason: "Too late to pass on." },
  });
  expectProblem(late, 409, "referral_already_answered", "transferring an answered referral");
  const answered = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: proposal.id } } });
  check(answered.data?.status === "answered", `answered proposal: status ${answered.data?.status}`);
  return data;
}

/** A follow-up meeting with one commitment (201, `planned` by default). */
export async function followUp(referral: Referral, official: Official): Promise<Referral> {
  const body: Schemas["FollowUpRequest"] = {
    held_on: today(),
    participants: [
      { role: "Director", organization: "Ministry of Public Transport" },
      { role: "Proposer", organization: "Citizens" },
    ],
    minutes: "The division and the proposer agreed on the night timetable's first routes.",
    commitments: [{ description: "Publish the night timetable", due_on: seoulDay(Date.now(), 45) }],
  };
  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/follow-ups", { ...referralPath(referral), body });
  expectStatus(response, 201, "follow-up");
  check(data !== undefined, "follow-up: no body");
  check(response.headers.get("location") === `/api/v1/referrals/${referral.id}`, "follow-up: Location header");
  const meeting = data.follow_ups[0];
  check(data.follow_ups.length === 1 && meeting !== undefined, `follow-up: ${data.follow_ups.length} follow-ups`);
  check(meeting.held_on === body.held_on && meeting.minutes === body.minutes, "follow-up: held_on / minutes");
  check(meeting.participants.length === 2 && meeting.participants[0]?.role === "Director", "follow-up: participants");
  const commitment = data.commitments[0];
  check(data.commitments.length === 1 && commitment !== undefined, `follow-up: ${data.commitments.length} commitments`);
  check(commitment.follow_up_id === meeting.id, "follow-up: commitment.follow_up_id");
  check(commitment.status === "planned" && commitment.overdue === false, `follow-up: commitment ${commitment.status}`);
  check(commitment.description === "Publish the night timetable", "follow-up: commitment.description");
  check(data.status === "answered", `follow-up: status ${data.status}`);
  return data;
}

/** The official marks the commitment done (the same status again changes nothing); a citizen may not. */
export async function commitmentDone(referral: Referral, official: Official, citizen: Person): Promise<Referral> {
  const commitment = referral.commitments[0];
  check(commitment !== undefined, "no commitment to mark");
  const params = { path: { id: referral.id, commitment_id: commitment.id } };
  const body: Schemas["CommitmentStatusRequest"] = { status: "done" };
  const refused = await api(citizen.token).PATCH("/api/v1/referrals/{id}/commitments/{commitment_id}", { params, body });
  expectProblem(refused, 403, "not_receiving_organization", "a citizen updating a commitment");

  const { data, response } = await api(official.token).PATCH("/api/v1/referrals/{id}/commitments/{commitment_id}", { params, body });
  expectStatus(response, 200, "commitment done");
  check(data !== undefined, "commitment done: no body");
  const done = data.commitments.find((c) => c.id === commitment.id);
  check(done?.status === "done" && done.overdue === false, `commitment done: ${done?.status}`);
  const again = await api(official.token).PATCH("/api/v1/referrals/{id}/commitments/{commitment_id}", { params, body });
  expectStatus(again.response, 200, "commitment done again");
  check(again.data?.commitments.find((c) => c.id === commitment.id)?.updated_at === done.updated_at, "commitment done again: changed");
  const missing = await api(official.token).PATCH("/api/v1/referrals/{id}/commitments/{commitment_id}", {
    params: { path: { id: referral.id, commitment_id: noId } },
    body,
  });
  expectProblem(missing, 404, "not_found", "no such commitment");
  return data;
}

/** The evidence closes it: the referral and the proposal `implemented`; completing again is 409 referral_closed. */
export async function complete(referral: Referral, official: Official, citizen: Person, proposal: Proposal): Promise<Referral> {
  const body: Schemas["CompleteRequest"] = {
    evidence_url: "https://www.example.kr/press/night-timetable",
    summary: "The night timetable runs since March.",
  };
  const path = referralPath(referral);
  const refused = await api(citizen.token).POST("/api/v1/referrals/{id}/complete", { ...path, body });
  expectProblem(refused, 403, "not_receiving_organization", "a citizen completing");

  const { data, response } = await api(official.token).POST("/api/v1/referrals/{id}/complete", { ...path, body });
  expectStatus(response, 200, "complete");
  check(data !== undefined, "complete: no body");
  check(data.status === "implemented", `complete: status ${data.status}`);
  check(data.completion?.evidence_url === body.evidence_url && data.completion.summary === body.summary, "complete: completion");
  check(data.answer?.decision === "accepted" && data.commitments[0]?.status === "done", "complete: the chain");

  const again = await api(official.token).POST("/api/v1/referrals/{id}/complete", { ...path, body });
  expectProblem(again, 409, "referral_closed", "completing twice");
  const implemented = await api().GET("/api/v1/proposals/{id}", { params: { path: { id: proposal.id } } });
  check(implemented.data?.status === "implemented", `implemented proposal: status ${implemented.data?.status}`);
  return data;
}

/** The proposal's public timeline: the review, then every step of the referral, staff shown by role. */
export async function timeline(proposal: Proposal, referral: Referral, organization: Organization): Promise<void> {
  const { data, response } = await api().GET("/api/v1/proposals/{id}/timeline", {
    params: { path: { id: proposal.id }, query: { limit: 50 } },
  });
  expectStatus(response, 200, "proposal timeline");
  const items = data?.items ?? [];
  const steps = items.filter((e) => e.kind.startsWith("referral_"));
  const kinds = steps.map((e) => e.kind);
  const expected = [
    "referral_sent",
    "referral_acknowledged",
    "referral_extended",
    "referral_answered",
    "referral_followed_up",
    "referral_commitment_updated",
    "referral_completed",
  ];
  check(JSON.stringify(kinds) === JSON.stringify(expected), `timeline: referral steps ${JSON.stringify(kinds)}`);
  check(steps.every((e) => e.referral_id === referral.id), "timeline: referral_id");
  check(steps[0]?.actor_role === "admin", `timeline: referral_sent by ${steps[0]?.actor_role}`);
  check(steps.slice(1).every((e) => e.actor_role === "official"), "timeline: the organization's steps by `official`");
  for (const e of steps.filter((s) => ["referral_sent", "referral_answered", "referral_completed"].includes(s.kind))) {
    check(e.organization_id === organization.id, `timeline: ${e.kind} organization_id ${e.organization_id}`);
  }
  check(steps[3]?.decision === "accepted", `timeline: referral_answered decision ${steps[3]?.decision}`);
  const moves = items.filter((e) => e.kind === "status_changed").map((e) => e.to_status);
  const funnel = ["under_review", "selected", "referred", "answered", "implemented"];
  check(JSON.stringify(moves) === JSON.stringify(funnel), `timeline: status changes ${JSON.stringify(moves)}`);
  check(items.at(-1)?.to_status === "implemented", `timeline: last ${items.at(-1)?.kind}`);
}
