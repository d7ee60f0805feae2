// Shared plumbing of the typed flows: a client per caller, typed problems, a tiny step runner.
// The types come from `openapi.d.ts`, generated from the server's OpenAPI document by openapi-typescript.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./openapi.js";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type Api = Client<paths>;

export const baseUrl: string = (() => {
  const url = process.env["OCF_BASE_URL"];
  if (!url) throw new Error("OCF_BASE_URL is not set (e.g. http://127.0.0.1:8080)");
  return url.replace(/\/$/, "");
})();

/** A client that sends `token` as a bearer token on every request (none: anonymous). */
export function api(token?: string): Api {
  return createClient<paths>({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/** A unique suffix per run, so the flows can run again against the same database. */
export const runId: string = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

export class FlowError extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new FlowError(message);
}

export function expectStatus(response: Response, status: number, what: string): void {
  check(response.status === status, `${what}: expected HTTP ${status}, got ${response.status}`);
}

/** The problem document of an error answer, checked to be `application/problem+json`. */
export function expectProblem(
  result: { error?: Problem | undefined; response: Response },
  status: number,
  code: string,
  what: string,
): Problem {
  expectStatus(result.response, status, what);
  const contentType = result.response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/problem+json"), `${what}: content-type ${contentType}`);
  const problem = result.error;
  check(problem !== undefined, `${what}: no problem body`);
  check(problem.code === code, `${what}: expected code ${code}, got ${problem.code}`);
  check(problem.status === status, `${what}: problem.status ${problem.status}`);
  check(problem.type === `urn:ocf:problem:${code}`, `${what}: problem.type ${problem.type}`);
  check(problem.request_id.length > 0, `${what}: no request_id`);
  return problem;
}

type Step = { name: string; run: () => Promise<void> };
const steps: Step[] = [];

/** Registers one named step; `runSteps` runs them in order and stops at the first failure. */
export function step(name: string, run: () => Promise<void>): void {
  steps.push({ name, run });
}

export async function runSteps(): Promise<number> {
  let passed = 0;
  let failed = 0;
  for (const { name, run } of steps) {
    const started = performance.now();
    try {
      await run();
      passed += 1;
      console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)`);
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
      break;
    }
  }
  const skipped = steps.length - passed - failed;
  console.log(`typescript: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return failed === 0 ? 0 : 1;
}
