// The typed contract flow: one step per behaviour, grouped per aggregate (accounts.ts, proposals.ts, ...).
// Needs OCF_BASE_URL and a seeded server. Extend it by adding a module per aggregate and its steps here.
import { runSteps, step, type Schemas } from "./client.js";
import * as accounts from "./accounts.js";
import * as comments from "./comments.js";
import * as forums from "./forums.js";
import * as ledger from "./ledger.js";
import * as live from "./live.js";
import * as notifications from "./notifications.js";
import * as officials from "./officials.js";
import * as open311 from "./open311.js";
import * as opendata from "./opendata.js";
import * as partners from "./partners.js";
import * as proposals from "./proposals.js";
import * as referrals from "./referrals.js";
import * as report from "./report.js";
import * as topics from "./topics.js";
import * as transparency from "./transparency.js";

let author: accounts.Person;
let supporter: accounts.Person;
let admin: accounts.Person;
let policyArea: string;
let proposal: Schemas["ProposalView"];
let topic: Schemas["TopicView"];
let organizationId: string;
let forum: Schemas["ForumView"];
let registration: Schemas["RegistrationView"];
let comment: Schemas["CommentView"];
let reply: Schemas["CommentView"];
let forumProposal: Schemas["ProposalView"];
let liveForum: Schemas["ForumView"];
let liveComment: Schemas["CommentView"];
let question: Schemas["CommentView"];
let otherQuestion: Schemas["CommentView"];
let receiver: Schemas["OrganizationView"];
let official: officials.Official;
let referral: Schemas["ReferralView"];
let transferred: Schemas["ReferralView"];
let notified: Schemas["NotificationView"][];
let channel: Schemas["ChannelView"];
let credential: Schemas["IssuedCredential"];
let machine: partners.Machine;
let record: Schemas["PartnerRecordView"];
let bulkProposals: string[];
let dictionary: Schemas["DataDictionary"];

step("accounts: validation error is a typed problem", accounts.validationProblem);
step("accounts: register and log in the author", async () => {
  author = await accounts.registerAndLogin("author");
});
step("accounts: register and log in a supporter", async () => {
  supporter = await accounts.registerAndLogin("supporter");
});
step("accounts: wrong password", () => accounts.wrongPassword(author));
step("accounts: log in the admin", async () => {
  admin = await accounts.loginAdmin();
});
step("proposals: a seeded policy area", async () => {
  policyArea = await proposals.somePolicyArea();
});
step("proposals: similar check on a draft", () => proposals.similarCheck(author));
step("proposals: submit", async () => {
  proposal = await proposals.submit(author, policyArea);
});
step("proposals: support by another person", () => proposals.support(proposal, author, supporter));
step("proposals: list", () => proposals.list(author, proposal));
step("proposals: search", () => proposals.search(supporter, proposal));
step("proposals: similar check finds it", () => proposals.similarFindsIt(supporter, proposal));
step("proposals: timeline", () => proposals.timeline(proposal));
step("topics: validation error is a typed problem", () => topics.validationProblem(author));
step("topics: suggest", async () => {
  topic = await topics.suggest(author, policyArea);
});
step("topics: vote by another person", () => topics.vote(topic, author, supporter));
step("topics: read", () => topics.read(topic, author, supporter));
step("topics: list", () => topics.list(supporter, topic));
step("topics: search", () => topics.search(supporter, topic));
step("topics: shortlisted by the admin", () => topics.shortlist(topic, author, admin));
step("topics: timeline", () => topics.timeline(topic));
step("topics: a proposal answering it", () => topics.proposalForTopic(supporter, topic));
step("forums: an organization to host one", async () => {
  organizationId = await forums.someOrganization();
});
step("forums: planned by the admin on the topic", async () => {
  forum = await forums.plan(admin, author, organizationId, policyArea, topic);
});
step("forums: scheduled", async () => {
  forum = await forums.schedule(forum, author, admin);
});
step("forums: register", async () => {
  registration = await forums.register(forum, supporter);
});
step("forums: registrations", () => forums.registrations(forum, registration, admin, author));
step("forums: live", async () => {
  forum = await forums.goLive(forum, admin);
});
step("comments: on the live forum, and a reply", async () => {
  [comment, reply] = await comments.postAndReply(forum, supporter, author);
});
step("comments: liked by another person", () => comments.like(comment, supporter, author));
step("comments: reported, hidden and shown again", () => comments.reportAndModerate(comment, supporter, author, admin));
step("comments: edit and delete one's own", () => comments.editAndDelete(reply, author, supporter));
step("forums: a proposal from the paper cards", async () => {
  forumProposal = await forums.enterProposal(forum, author, admin);
});
step("forums: attendance", () => forums.attendance(forum, registration, admin));
step("forums: ended", async () => {
  forum = await forums.end(forum, topic, admin);
});
step("forums: timeline", () => forums.timeline(forum, topic));
step("forums: outcome published and read", () => forums.outcome(forum, forumProposal, author, admin));
step("live: a hybrid forum with an agenda, planned", async () => {
  liveForum = await live.plan(admin, supporter, organizationId, policyArea);
});
step("live: walked live", async () => {
  liveForum = await live.goLive(liveForum, supporter, admin);
});
step("live: the agenda moved on", async () => {
  liveForum = await live.advanceAgenda(liveForum, supporter, admin);
});
step("live: the stream (server-sent events)", async () => {
  liveComment = await live.follow(liveForum, author);
});
step("live: questions asked", async () => {
  question = await live.ask(liveForum, supporter, "Could the last ferry leave after the late train arrives?");
  otherQuestion = await live.ask(liveForum, author, "Who pays for the extra night crossing?");
});
step("live: a vote by another person", () => live.vote(question, liveComment, supporter, author));
step("live: on stage and answered", () => live.stage(question, otherQuestion, supporter, admin));
step("live: questions listed", () => live.list(liveForum, question, otherQuestion, author));
step("live: ended", async () => {
  liveForum = await live.end(liveForum, question, supporter, author, admin);
});
step("live: the outcome lists the questions", () => live.outcome(liveForum, question, otherQuestion, admin));
step("referrals: an organization created by the admin", async () => {
  receiver = await officials.createOrganization(admin, author);
});
step("referrals: its official (roles at the refresh)", async () => {
  official = await officials.appointOfficial(admin, author, receiver);
});
step("referrals: the proposal selected by the admin", async () => {
  proposal = await referrals.select(proposal, receiver, author, admin);
});
step("referrals: suggested organizations (staff only)", async () => {
  await ledger.suggestions(proposal, author, admin);
});
step("referrals: referred to the organization", async () => {
  referral = await referrals.refer(proposal, receiver, author, admin);
});
step("referrals: acknowledged by its official only", async () => {
  referral = await referrals.acknowledge(referral, official, supporter, admin);
});
step("referrals: extended once", async () => {
  referral = await referrals.extend(referral, official);
});
step("referrals: answered, accepted", async () => {
  referral = await referrals.answer(referral, official, proposal, organizationId);
});
step("referrals: a follow-up with a commitment", async () => {
  referral = await referrals.followUp(referral, official);
});
step("referrals: the commitment done", async () => {
  referral = await referrals.commitmentDone(referral, official, supporter);
});
step("referrals: completed, the proposal implemented", async () => {
  referral = await referrals.complete(referral, official, supporter, proposal);
});
step("referrals: the proposal's timeline", () => referrals.timeline(proposal, referral, receiver));
step("referrals: out of order, and transferred", async () => {
  transferred = await ledger.outOfOrder(supporter, policyArea, receiver, organizationId, official, admin);
});
step("referrals: listed with filters", () => ledger.list(referral, transferred, receiver, organizationId, official));
step("referrals: the answer teaches the suggestions", () =>
  ledger.suggestionsLearned(proposal, receiver, author, admin),
);
step("referrals: follow and unfollow", () => notifications.follows(proposal, topic, forum, supporter));
step("referrals: the author's notifications arrive", async () => {
  notified = await notifications.notificationsArrive(author, proposal, referral);
});
step("referrals: notifications counted and marked read", () => notifications.markRead(author, notified));
step("partners: a channel registered by the admin", async () => {
  channel = await partners.register(admin, author);
});
step("partners: the channel read, listed and renamed", async () => {
  channel = await partners.readListRename(channel, admin, author);
});
step("partners: a credential issued, listed without its secret", async () => {
  credential = await partners.issueCredential(channel, admin);
});
step("partners: a machine token (OAuth client credentials)", async () => {
  machine = await partners.token(credential);
});
step("partners: the secret rotated, a credential revoked", async () => {
  const rotated = await partners.rotateAndRevoke(channel, credential, admin);
  credential = rotated.issued;
  machine = { ...machine, token: rotated.token };
});
step("partners: a record put by the machine", async () => {
  record = await partners.putRecord(channel, machine, admin, policyArea);
});
step("partners: the record read back, and on its proposal", () => partners.readRecord(channel, record, machine));
step("partners: records in bulk (NDJSON)", async () => {
  bulkProposals = await partners.bulk(channel, machine, policyArea);
});
step("partners: the bulk import replayed by its Idempotency-Key", () =>
  partners.bulkReplayed(channel, machine, policyArea, bulkProposals),
);
step("partners: a webhook, its secret rotated, the delivery log", () => partners.webhooks(channel, machine));
step("partners: a suspended channel's token refused", () => partners.suspend(channel, credential, machine, admin));
step("transparency: the funnel of the flow's proposals", () => transparency.funnel(proposal, receiver, forum));
step("transparency: the funnel's invalid filters", () => transparency.funnelInvalid());
step("transparency: each organization's record", () => transparency.organizations(receiver, organizationId));
step("transparency: the forums held", () => transparency.forums(forum, liveForum));
step("transparency: the annual report", () => report.annual(proposal, referral, receiver));
step("transparency: the annual report's printable page", () => report.page(proposal));
step("transparency: annual reports refused", () => report.refused());
step("transparency: the open data's dictionary", async () => {
  dictionary = await opendata.dictionary();
});
step("transparency: the open data files (CSV and NDJSON)", () =>
  opendata.files(dictionary, [proposal, referral, forum], [comment, reply]),
);
step("transparency: Open311 services", () => open311.services());
step("transparency: Open311 requests, the referred proposals", () =>
  open311.requests([proposal, referral], transferred, [receiver, organizationId], forumProposal),
);

process.exitCode = await runSteps();
