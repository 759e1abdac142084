// Issue #16: a client generated from the live server's /v1/openapi.json (openapi-typescript
// types, openapi-fetch calls), compiled by tsc with strict checks, used against a running
// `parindex serve`. Run by scripts/test-openapi.sh with the server's URL, an admin token and
// the repository's root; exits non-zero on the first check that fails.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import createClient from "openapi-fetch";

import type { components, paths } from "./api.js";

type CreateRound = components["schemas"]["CreateRound"];
type Results = components["schemas"]["Results"];
type Errors = components["schemas"]["Errors"];

const [url, token, root] = process.argv.slice(2);
if (!url || !token || !root) {
  throw new Error("usage: node build/check.js URL ADMIN_TOKEN REPO_ROOT");
}

const api = createClient<paths>({ baseUrl: url, headers: { Authorization: `Bearer ${token}` } });
const anonymous = createClient<paths>({ baseUrl: url });

// No token: 401, an Error object.
const denied = await anonymous.GET("/v1/rounds");
assert.equal(denied.response.status, 401);
assert.equal(denied.data, undefined);

// Create the bundled fixture round from its round document and criteria sets.
const dir = join(root, "fixtures", "dong-thap-2023");
const round = JSON.parse(readFileSync(join(dir, "round.json"), "utf8")) as CreateRound["round"];
const blocks = (round as { blocks: { criteria_set: string }[] }).blocks;
const sets: Record<string, unknown> = {};
for (const b of blocks) {
  sets[b.criteria_set] = JSON.parse(readFileSync(join(dir, b.criteria_set), "utf8"));
}
const body: CreateRound = { round, criteria_sets: sets } as CreateRound;
const created = await api.POST("/v1/rounds", { body });
assert.equal(created.response.status, 201, JSON.stringify(created.error));

// A body the engine refuses: 422 with SPEC §10 error objects, typed as `Errors`.
const broken = await api.POST("/v1/rounds", { body: { round: {}, criteria_sets: {} } as unknown as CreateRound });
assert.ok([409, 422].includes(broken.response.status), `status ${broken.response.status}`);
if (broken.response.status === 422) {
  const errors: Errors = broken.error as Errors;
  assert.ok(errors.errors.length > 0);
  for (const e of errors.errors) {
    assert.equal(typeof e.code, "string");
    assert.equal(typeof e.path, "string");
  }
}

// The results document, typed as `Results`: every unit of the round has a row.
const got = await api.GET("/v1/rounds/{round}/results", { params: { path: { round: "dong-thap-2023" } } });
assert.equal(got.response.status, 200, JSON.stringify(got.error));
const results: Results | undefined = got.data;
assert.ok(results);
assert.equal(results.round, "dong-thap-2023");
const units = results.blocks.flatMap((b) => b.units.map((u) => u.unit));
const expected = (round as { units: { id: string }[] }).units.map((u) => u.id);
assert.deepEqual([...units].sort(), [...expected].sort());
for (const block of results.blocks) {
  for (const row of block.units) {
    assert.match(row.index, /^-?\d+(\.\d+)?$/, `${row.unit}: index ${row.index}`);
  }
}

// An unknown round: 404.
const missing = await api.GET("/v1/rounds/{round}/results", { params: { path: { round: "khong-co" } } });
assert.equal(missing.response.status, 404);

console.log(`openapi client: ${units.length} unit rows read through the generated client; 401, 404 and refusals typed`);
