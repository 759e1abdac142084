//! The route table: every route with its method, who may call it, what it takes and what it
//! answers. The OpenAPI document is generated from it, `auth::guard` checks every caller
//! against it (a route not in it cannot be reached), and the tests walk it to try every
//! role against every route.

use crate::auth::Allow;

/// One route of the API.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// `GET`, `POST`, `PUT` or `PATCH`.
    pub method: &'static str,
    /// The path, with `{round}`, `{unit}`, `{block}`, `{stage}`.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// Who may call it; empty: anyone, without a token.
    pub allow: &'static [Allow],
    /// The request body's schema (a name under `components/schemas`), if it takes one.
    pub body: Option<&'static str>,
    /// The status of success.
    pub ok: u16,
    /// The error statuses it can answer besides 401/403 (for routes with a token), 500.
    pub errors: &'static [u16],
}

const ALL: &[Allow] = &[Allow::Admin, Allow::Appraiser, Allow::Auditor, Allow::AnyUnit];
const READERS: &[Allow] = &[Allow::Admin, Allow::Appraiser, Allow::Auditor, Allow::OwnUnit];
const TABLES: &[Allow] = &[Allow::Admin, Allow::Appraiser, Allow::Auditor];
const UNIT: &[Allow] = &[Allow::OwnUnit];
const APPRAISER: &[Allow] = &[Allow::Appraiser];
const COUNCIL: &[Allow] = &[Allow::Admin, Allow::Appraiser];
const ADMIN: &[Allow] = &[Allow::Admin];
const AUDIT: &[Allow] = &[Allow::Admin, Allow::Auditor];
const WRITE_ERRORS: &[u16] = &[400, 404, 408, 409, 413, 415, 422];

/// Every route.
pub const ROUTES: &[RouteSpec] = &[
    RouteSpec {
        method: "GET",
        path: "/healthz",
        summary: "Liveness: the server answers and its database is readable.",
        allow: &[],
        body: None,
        ok: 200,
        errors: &[],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/openapi.json",
        summary: "This API described as OpenAPI 3.1.",
        allow: &[],
        body: None,
        ok: 200,
        errors: &[],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/schemas/{doc}",
        summary: "The JSON Schema of a SPEC document: criteria-set, round, assessment, results.",
        allow: &[],
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "POST",
        path: "/v1/rounds",
        summary: "Create a round from its round document and the criteria sets it names.",
        allow: ADMIN,
        body: Some("CreateRound"),
        ok: 201,
        errors: &[400, 408, 409, 413, 415, 422],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds",
        summary: "List rounds (a unit sees the rounds it is in).",
        allow: ALL,
        body: None,
        ok: 200,
        errors: &[],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}",
        summary: "A round: blocks, units, self-assessment window, the round document.",
        allow: ALL,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/self-assessment-window",
        summary: "Open or close self-assessment; reopen it until a date.",
        allow: ADMIN,
        body: Some("Window"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/results",
        summary: "The results document (SPEC §9), byte for byte what `parindex score` prints for the export.",
        allow: TABLES,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/blocks/{block}/table",
        summary: "One block's ranked table.",
        allow: TABLES,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/export",
        summary: "The round folder as a JSON bundle (parindex/round-bundle@1).",
        allow: TABLES,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/export.tar",
        summary: "The round folder as a tar archive for `parindex score`.",
        allow: TABLES,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/self-assessment",
        summary: "The unit's draft and submitted self-assessment.",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/units/{unit}/self-assessment/draft",
        summary: "Replace the draft (partial is fine; what is there must be valid). If-Match: version.",
        allow: UNIT,
        body: Some("SelfStage"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "PATCH",
        path: "/v1/rounds/{round}/units/{unit}/self-assessment/draft",
        summary: "Merge entries into the draft (null removes one).",
        allow: UNIT,
        body: Some("SelfStage"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "POST",
        path: "/v1/rounds/{round}/units/{unit}/self-assessment/submit",
        summary: "Submit (chốt): complete and valid, then read-only. 409 after the deadline.",
        allow: UNIT,
        body: Some("SelfStage"),
        ok: 201,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/appraisals",
        summary: "The appraisal stages (a unit sees finalised ones).",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/units/{unit}/appraisals/{stage}",
        summary: "Enter or change an appraisal stage: entries with reasons and explanation requests.",
        allow: APPRAISER,
        body: Some("AppraisalStage"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "POST",
        path: "/v1/rounds/{round}/units/{unit}/appraisals/{stage}/finalise",
        summary: "Finalise a stage; {\"final\": true} ends the unit's appraisal.",
        allow: APPRAISER,
        body: Some("Finalise"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/explanations",
        summary: "The unit's explanations (giải trình).",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/units/{unit}/explanations",
        summary: "The unit answers explanation requests: leaf code → note and evidence.",
        allow: UNIT,
        body: Some("Explanations"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/survey",
        summary: "The unit's survey results.",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/units/{unit}/survey",
        summary: "Enter the unit's survey results: leaf code → counts, mean or score.",
        allow: COUNCIL,
        body: Some("Survey"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/class-cap",
        summary: "The unit's class cap, if any.",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "PUT",
        path: "/v1/rounds/{round}/units/{unit}/class-cap",
        summary: "Cap the unit's class ({\"label\", \"reason\"}) or lift the cap (null).",
        allow: COUNCIL,
        body: Some("ClassCap"),
        ok: 200,
        errors: WRITE_ERRORS,
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/assessment",
        summary: "The unit's assessment document (SPEC §6) as it counts now.",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/rounds/{round}/units/{unit}/score",
        summary: "The unit's result, with each criterion's entries, reasons and explanation.",
        allow: READERS,
        body: None,
        ok: 200,
        errors: &[404],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/audit",
        summary: "The audit log: ?after=SEQ&limit=N&target=PREFIX.",
        allow: AUDIT,
        body: None,
        ok: 200,
        errors: &[400],
    },
    RouteSpec {
        method: "GET",
        path: "/v1/audit/verify",
        summary: "Check the audit chain and every document against it.",
        allow: AUDIT,
        body: None,
        ok: 200,
        errors: &[],
    },
];
