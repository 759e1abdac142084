//! The rules the server keeps: deadlines and reopening, drafts and submission, stages and
//! finalising, explanations, idempotency keys, the audit log.

use serde_json::{Value, json};

use crate::common::*;

const A: &str = "/v1/rounds/r/units/so-a";

fn audit_len(s: &Small) -> usize {
    s.api(&s.auditor).get("/v1/audit?limit=1000").json()["events"].as_array().unwrap().len()
}

#[test]
fn self_assessment_drafts_submission_deadline_and_reopening() {
    let s = Small::start("self", &[]);
    let mut unit = s.api(&s.unit_a);
    let mut admin = s.api(&s.admin);

    // A partial draft is fine; what it holds must be valid, every problem at once.
    let r = unit.json("PUT", &format!("{A}/self-assessment/draft"), &json!({"entries": {"1.1": {"input": true}}}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["version"], json!(1));
    let bad = json!({"entries": {"1.2": {"points": "0,5"}, "1.3": {"points": "9"}, "9.9": {"points": "1"}}});
    let r = unit.json("PUT", &format!("{A}/self-assessment/draft"), &bad);
    let errors = r.json()["errors"].clone();
    assert_eq!(problem_codes(&r), ["bad_decimal", "points_over_max", "unknown_criterion"], "{errors}");
    assert_eq!(errors[0]["path"], "/entries/1.2/points");
    assert_eq!(errors[0]["criterion"], "1.2");
    assert_eq!(
        unit.get(&format!("{A}/self-assessment")).json()["draft"]["version"],
        json!(1),
        "a refused draft changes nothing"
    );

    // PATCH merges entries; If-Match with a stale version is a conflict.
    let r = unit.json("PATCH", &format!("{A}/self-assessment/draft"), &json!({"entries": {"1.2": {"points": "3.5"}}}));
    assert_eq!(r.json()["version"], json!(2));
    assert_eq!(r.json()["document"]["entries"].as_object().unwrap().len(), 2);
    let body = json!({"entries": {"1.3": {"points": "1"}}}).to_string();
    let r = unit.send("PATCH", &format!("{A}/self-assessment/draft"), &[("If-Match", "\"1\"")], body.as_bytes());
    assert_eq!((r.status, error_code(&r).as_str()), (409, "version_conflict"));

    // Submitting an incomplete self-assessment names each missing criterion.
    let r = unit.send("POST", &format!("{A}/self-assessment/submit"), &[], b"");
    let codes = problem_codes(&r);
    assert_eq!(codes.len(), 1 + FIELD_2_LEAVES);
    assert!(codes.iter().all(|c| c == "missing_entry"));
    assert_eq!(r.json()["errors"][0]["criterion"], "1.3");

    // Closed window: neither drafts nor submissions.
    let r = admin.json("PUT", "/v1/rounds/r/self-assessment-window", &json!({"open": false}));
    assert_eq!(r.json()["accepting"], json!(false));
    let r = unit.json("PATCH", &format!("{A}/self-assessment/draft"), &json!({"entries": {"1.3": {"points": "4"}}}));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "self_assessment_closed"));
    // Reopened, but until a day already past: the deadline refuses the submission.
    let r = admin.json("PUT", "/v1/rounds/r/self-assessment-window", &json!({"open": true, "until": "2020-01-01"}));
    assert_eq!(r.status, 200);
    let r = unit.json("POST", &format!("{A}/self-assessment/submit"), &full_self());
    assert_eq!((r.status, error_code(&r).as_str()), (409, "deadline_passed"));
    // Reopened until later: accepted, stamped, read-only from then on.
    admin.json("PUT", "/v1/rounds/r/self-assessment-window", &json!({"open": true, "until": "2099-01-01"}));
    let r = unit.json("POST", &format!("{A}/self-assessment/submit"), &full_self());
    assert_eq!(r.status, 201, "{}", r.text());
    let submitted = r.json()["document"].clone();
    assert!(submitted["submitted_at"].as_str().unwrap().ends_with("+07:00"));
    let r = unit.json("PUT", &format!("{A}/self-assessment/draft"), &full_self());
    assert_eq!((r.status, error_code(&r).as_str()), (409, "already_submitted"));
    let r = unit.json("POST", &format!("{A}/self-assessment/submit"), &full_self());
    assert_eq!((r.status, error_code(&r).as_str()), (409, "already_submitted"));
    let got = unit.get(&format!("{A}/self-assessment")).json();
    assert_eq!(got["submitted"]["document"], submitted);
    // A unit cannot write `submitted_at` itself.
    let r = s.api(&s.unit_b).json(
        "PUT",
        "/v1/rounds/r/units/so-b/self-assessment/draft",
        &json!({"submitted_at": "2020-01-01T00:00:00Z", "entries": {}}),
    );
    assert_eq!(problem_codes(&r), ["input_type"]);
    // The unit's score reflects the submission.
    let score = unit.get(&format!("{A}/score")).json();
    assert_eq!(score["result"]["status"], "self_assessed");
    assert_eq!(score["result"]["self_total"], "33.50");
}

#[test]
fn appraisal_stages_explanations_and_finalising() {
    let s = Small::start("appraisal", &[]);
    let mut unit = s.api(&s.unit_a);
    let mut council = s.api(&s.appraiser);
    assert_eq!(unit.json("POST", &format!("{A}/self-assessment/submit"), &full_self()).status, 201);

    // Stage 2 needs stage 1 finalised.
    let r = council.json("PUT", &format!("{A}/appraisals/2"), &json!({"entries": {}}));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "previous_stage_open"));
    // A changed item needs a reason.
    let r = council.json("PUT", &format!("{A}/appraisals/1"), &json!({"entries": {"1.2": {"points": "2"}}}));
    assert_eq!(problem_codes(&r), ["missing_reason"]);
    assert_eq!(r.json()["errors"][0]["path"], "/entries/1.2");
    let stage1 = json!({"entries": {"1.2": {"points": "2", "reason": "Thiếu minh chứng", "explain": true}}});
    assert_eq!(council.json("PUT", &format!("{A}/appraisals/1"), &stage1).status, 200);
    // The unit does not see a stage before it is finalised, and cannot explain yet.
    assert_eq!(unit.get(&format!("{A}/appraisals")).json()["stages"], json!([]));
    let expl = json!({"1.2": {"note": "Bổ sung QĐ 12", "evidence": [{"title": "QĐ 12/QĐ-SA"}]}});
    let r = unit.json("PUT", &format!("{A}/explanations"), &expl);
    assert_eq!((r.status, error_code(&r).as_str()), (409, "no_appraisal_yet"));
    assert_eq!(council.json("POST", &format!("{A}/appraisals/1/finalise"), &json!({})).status, 200);
    let r = council.json("PUT", &format!("{A}/appraisals/1"), &stage1);
    assert_eq!((r.status, error_code(&r).as_str()), (409, "stage_finalised"));
    assert_eq!(unit.get(&format!("{A}/appraisals")).json()["stages"].as_array().unwrap().len(), 1);
    // Explanations carry notes and evidence, never points.
    let r = unit.json("PUT", &format!("{A}/explanations"), &json!({"1.2": {"points": "4"}}));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(unit.json("PUT", &format!("{A}/explanations"), &expl).status, 200);
    // Stage 2, final.
    let stage2 = json!({"entries": {"1.2": {"points": "3", "reason": "Đã giải trình"}}});
    assert_eq!(council.json("PUT", &format!("{A}/appraisals/2"), &stage2).status, 200);
    assert_eq!(council.json("POST", &format!("{A}/appraisals/2/finalise"), &json!({"final": true})).status, 200);
    let score = unit.get(&format!("{A}/score")).json();
    assert_eq!(score["result"]["status"], "final");
    assert_eq!(score["result"]["appraised_total"], "33.00");
    let leaf = score["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "1.2").unwrap().clone();
    assert_eq!(leaf["stages"][1]["entry"]["reason"], "Đã giải trình");
    assert_eq!(leaf["explanation"], expl["1.2"]);
    // Nothing of a final appraisal changes.
    for (method, path, body) in [
        ("PUT", format!("{A}/appraisals/3"), json!({"entries": {}})),
        ("PUT", format!("{A}/survey"), json!({})),
        ("PUT", format!("{A}/class-cap"), json!({"label": "Khá", "reason": "x"})),
    ] {
        let r = council.json(method, &path, &body);
        assert_eq!((r.status, error_code(&r).as_str()), (409, "appraisal_final"), "{path}");
    }
    let r = unit.json("PUT", &format!("{A}/explanations"), &expl);
    assert_eq!((r.status, error_code(&r).as_str()), (409, "appraisal_final"));
}

#[test]
fn a_retried_write_with_the_same_idempotency_key_changes_nothing_twice() {
    let s = Small::start("idempotency", &[]);
    let mut unit = s.api(&s.unit_a);
    let body = full_self().to_string();
    let key = [("Idempotency-Key", "submit-so-a-1")];
    let before = audit_len(&s);
    let first = unit.send("POST", &format!("{A}/self-assessment/submit"), &key, body.as_bytes());
    assert_eq!(first.status, 201, "{}", first.text());
    let after_first = audit_len(&s);
    assert_eq!(after_first, before + 1);
    let again = unit.send("POST", &format!("{A}/self-assessment/submit"), &key, body.as_bytes());
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(again.json(), first.json());
    assert_eq!(audit_len(&s), after_first, "the retry wrote nothing");
    // Without the key, the same request is refused: it is already submitted.
    let r = unit.send("POST", &format!("{A}/self-assessment/submit"), &[], body.as_bytes());
    assert_eq!(r.status, 409);
    // The same key for a different request is refused.
    let r = unit.send("POST", &format!("{A}/self-assessment/submit"), &key, b"{\"entries\": {}}");
    assert_eq!((r.status, error_code(&r).as_str()), (409, "idempotency_key_reused"));

    // Drafts: the same PATCH retried counts once.
    let mut b = s.api(&s.unit_b);
    let patch = json!({"entries": {"1.1": {"input": true}}}).to_string();
    let k = [("Idempotency-Key", "p1")];
    let v1 = b.send("PATCH", "/v1/rounds/r/units/so-b/self-assessment/draft", &k, patch.as_bytes()).json()["version"]
        .clone();
    let v2 = b.send("PATCH", "/v1/rounds/r/units/so-b/self-assessment/draft", &k, patch.as_bytes()).json()["version"]
        .clone();
    assert_eq!((v1, v2), (json!(1), json!(1)));
    assert_eq!(b.get("/v1/rounds/r/units/so-b/self-assessment").json()["draft"]["version"], json!(1));
}

#[test]
fn every_write_is_in_the_audit_log_and_the_chain_verifies() {
    let s = Small::start("audit", &[]);
    let mut unit = s.api(&s.unit_a);
    assert_eq!(unit.json("POST", &format!("{A}/self-assessment/submit"), &full_self()).status, 201);
    let log = s.api(&s.admin).get("/v1/audit?target=rounds/r/units/so-a").json();
    let events = log["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{log}");
    let e = &events[0];
    assert_eq!(e["action"], "self.submit");
    assert!(e["actor"].as_str().unwrap().starts_with("unit:so-a#"));
    let doc = unit.get(&format!("{A}/self-assessment")).json()["submitted"]["document"].clone();
    let text = serde_json::to_string_pretty(&doc).unwrap();
    assert_eq!(e["doc_sha256"].as_str().unwrap(), parindex_store::sha256_hex(text.as_bytes()));
    let all = s.api(&s.auditor).get("/v1/audit").json();
    let all = all["events"].as_array().unwrap();
    for pair in all.windows(2) {
        assert_eq!(pair[1]["prev"], pair[0]["hash"]);
    }
    assert_eq!(s.api(&s.auditor).get("/v1/audit/verify").json()["ok"], Value::Bool(true));
    let r = s.api(&s.admin).get("/v1/audit?after=abc");
    assert_eq!((r.status, error_code(&r).as_str()), (400, "bad_query"));
}
