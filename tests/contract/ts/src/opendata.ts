// The open data: its dictionary (every file, its columns typed and described in Korean and English, the licence)
// and the four files, as CSV and as NDJSON, with the flow's records in them. Both are text, read through
// openapi-fetch with `parseAs` (`arrayBuffer` for CSV: `text()` would drop its UTF-8 byte order mark); each
// carries a strong `ETag` (`If-None-Match`: 304). The statistics and Open311 are in transparency.ts.
import { api, check, expectProblem, expectStatus, type Schemas } from "./client.js";
import { fieldsOf, json, notModified } from "./transparency.js";

type Proposal = Schemas["ProposalView"];
type Referral = Schemas["ReferralView"];
type Forum = Schemas["ForumView"];
type Comment = Schemas["CommentView"];
type Dictionary = Schemas["DataDictionary"];

const datasets = ["proposals", "referrals", "forums", "comments"];
/** An NDJSON value as its CSV cell: `null` is an empty cell. */
const cellOf = (value: string | number | null | undefined): string => (value == null ? "" : String(value));

/** The dictionary: the four files in order, each column typed and described in Korean and English, the licence. */
export async function dictionary(): Promise<Dictionary> {
  const { data, response } = await api().GET("/api/v1/exports");
  expectStatus(response, 200, "the data dictionary");
  check(data !== undefined, "the data dictionary: no body");
  check(json(data.files.map((f) => f.name)) === json(datasets), `the dictionary: files ${json(data.files.map((f) => f.name))}`);
  check(data.licence_ko.length > 0 && data.licence_en.includes("CC BY 4.0"), `the dictionary: licence ${data.licence_en}`);
  check(data.licence_url.startsWith("https://"), `the dictionary: licence_url ${data.licence_url}`);
  const updated = Date.parse(data.updated_at ?? "");
  check(updated <= Date.now() + 1000 && updated > Date.now() - 3600_000, `the dictionary: updated_at ${data.updated_at}`);
  for (const f of data.files) {
    check(f.path === `/api/v1/exports/${f.name}` && json(f.formats) === json(["csv", "ndjson"]), `${f.name}: path / formats`);
    check(f.description_ko.length > 0 && f.description_en.length > 0, `${f.name}: descriptions`);
    const names = f.columns.map((c) => c.name);
    check(names[0] === "id" && new Set(names).size === names.length, `${f.name}: columns ${json(names)}`);
    for (const c of f.columns) {
      check(/^(string|integer|uuid|datetime|date|code)$/.test(c.type), `${f.name}.${c.name}: type ${c.type}`);
      check(c.description_ko.length > 0 && c.description_en.length > 0, `${f.name}.${c.name}: descriptions`);
    }
  }
  await notModified("the data dictionary", response, (headers) => api().GET("/api/v1/exports", { headers }));
  return data;
}

/** RFC 4180 records (a quoted cell may hold commas, quotes and line breaks), each ending in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? "";
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += c;
      i += 1;
    } else if (c === '"' && (quoted || cell === "")) {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      rows.push([...row, cell]);
      [row, cell, i] = [[], "", i + 1];
    } else {
      cell += c;
    }
  }
  check(!quoted && row.length === 0 && cell === "", "CSV: the last record does not end in CRLF");
  return rows;
}

type Export = { format: Schemas["ExportFormat"]; since?: string };
const csvOf = (dataset: Schemas["ExportDataset"], query: Export, headers: Record<string, string> = {}) =>
  api().GET("/api/v1/exports/{dataset}", { params: { path: { dataset }, query }, headers, parseAs: "arrayBuffer" });

/**
 * Each file as CSV (a UTF-8 byte order mark, then the dictionary's columns as its header) and as NDJSON (one
 * object per line with exactly those keys), the same rows both ways; the flow's records are in them, its deleted
 * reply is not. ETag per file and format (304); `since` in the future gives no rows, an invalid one is 422; an
 * unknown file is 404.
 */
export async function files(
  dict: Dictionary,
  [proposal, referral, forum]: [Proposal, Referral, Forum],
  [comment, reply]: [Comment, Comment],
): Promise<void> {
  const flow: Record<string, [string, Record<string, string>]> = {
    proposals: [proposal.id, { status: "implemented", channel: "web", region: proposal.region ?? "" }],
    referrals: [referral.id, { status: "implemented", number: referral.number, subject_id: proposal.id, decision: "accepted" }],
    forums: [forum.id, { status: "reported", kind: forum.kind, registered_count: "1", attended_count: "1" }],
    comments: [comment.id, { subject_type: "forum", subject_id: forum.id, depth: "0" }],
  };
  for (const { name, columns } of dict.files) {
    const names = columns.map((c) => c.name);
    const csv = await csvOf(name, { format: "csv" });
    expectStatus(csv.response, 200, `${name}.csv`);
    check(csv.data !== undefined, `${name}.csv: no body`);
    const type = csv.response.headers.get("content-type") ?? "";
    const disposition = csv.response.headers.get("content-disposition");
    check(type.startsWith("text/csv"), `${name}.csv: content-type ${type}`);
    check(disposition === `attachment; filename="ocf-${name}.csv"`, `${name}.csv: Content-Disposition ${disposition}`);
    const bytes = new Uint8Array(csv.data);
    check(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, `${name}.csv: no UTF-8 byte order mark`);
    const [header, ...rows] = parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(3)));
    check(json(header) === json(names), `${name}.csv: header ${json(header)}, the dictionary ${json(names)}`);
    check(rows.every((r) => r.length === names.length), `${name}.csv: a row without every column`);

    const nd = await api().GET("/api/v1/exports/{dataset}", {
      params: { path: { dataset: name }, query: { format: "ndjson" } },
      parseAs: "text",
    });
    expectStatus(nd.response, 200, `${name}.ndjson`);
    const ndType = nd.response.headers.get("content-type") ?? "";
    check(ndType.startsWith("application/x-ndjson"), `${name}.ndjson: content-type ${ndType}`);
    const lines = (nd.data ?? "").split("\n");
    check(lines.pop() === "", `${name}.ndjson: the last line does not end in a newline`);
    const objects = lines.map((l) => JSON.parse(l) as Record<string, string | number | null>);
    for (const o of objects) check(json(Object.keys(o).sort()) === json([...names].sort()), `${name}.ndjson: keys ${json(o)}`);
    check(objects.length === rows.length, `${name}: ${rows.length} CSV rows, ${objects.length} NDJSON lines`);
    const byId = new Map(rows.map((r) => [r[0] ?? "", r]));
    for (const o of objects) {
      const cells = names.map((n) => cellOf(o[n]));
      check(json(byId.get(String(o["id"]))) === json(cells), `${name}: the row ${o["id"]} differs between CSV and NDJSON`);
    }
    const [id, want] = flow[name] ?? ["", {}];
    const mine = objects.find((o) => o["id"] === id);
    check(mine !== undefined, `${name}: the flow's ${id} is missing`);
    for (const [k, v] of Object.entries(want)) check(cellOf(mine[k]) === v, `${name} ${id}: ${k} ${mine[k]}, expected ${v}`);
    check(name !== "comments" || !byId.has(reply.id), "comments: the deleted reply is listed");

    const tag = await notModified(`${name}.csv`, csv.response, (headers) => csvOf(name, { format: "csv" }, headers));
    check(nd.response.headers.get("etag") !== tag, `${name}: the same ETag for CSV and NDJSON`);
    const later = await csvOf(name, { format: "csv", since: "2099-01-01T00:00:00Z" });
    expectStatus(later.response, 200, `${name}.csv since 2099`);
    const empty = new TextDecoder("utf-8", { ignoreBOM: true }).decode(later.data);
    check(empty === `\ufeff${names.join(",")}\r\n`, `${name}.csv since 2099: ${json(empty)}`);
  }
  const since = await csvOf("proposals", { format: "ndjson", since: "yesterday" });
  const problem = expectProblem(since, 422, "validation_failed", "since=yesterday");
  check(fieldsOf(problem) === json(["since"]), `since=yesterday: errors name ${fieldsOf(problem)}`);
  // Outside the document's enum on purpose: the server answers an unknown file with 404.
  const unknown = await csvOf("votes" as Schemas["ExportDataset"], { format: "csv" });
  expectProblem(unknown, 404, "not_found", "an unknown file");
}
