// The typed contract flow: one step per behaviour, grouped per aggregate (accounts.ts, proposals.ts, ...).
// Needs OCF_BASE_URL and a seeded server. Extend it by adding a module per aggregate and its steps here.
import { runSteps, step, type Schemas } from "./client.js";
import * as accounts from "./accounts.js";
import * as proposals from "./proposals.js";

let author: accounts.Person;
let supporter: accounts.Person;
let policyArea: string;
let proposal: Schemas["ProposalView"];

step("accounts: validation error is a typed problem", accounts.validationProblem);
step("accounts: register and log in the author", async () => {
  author = await accounts.registerAndLogin("author");
});
step("accounts: register and log in a supporter", async () => {
  supporter = await accounts.registerAndLogin("supporter");
});
step("accounts: wrong password", () => accounts.wrongPassword(author));
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

process.exitCode = await runSteps();
