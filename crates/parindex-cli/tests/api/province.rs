//! Appraisal as provinces run it (issue 13): appraisers by field, windows for every stage,
//! an admin reopening or un-submitting one unit.

use serde_json::{Value, json};

use crate::common::*;

const A: &str = "/v1/rounds/r/units/so-a";

/// Today in UTC+07:00, shifted by `days`.
pub fn day(days: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    parindex::Date::from_day_number((now + 7 * 3600).div_euclid(86_400) + days).unwrap().to_string()
}

/// The small round with two agencies: Sở Tư pháp appraises field 1, Sở TT&TT items 2.1 and 2.2.
pub fn with_agencies(name: &str) -> (Small, String, String, String, String) {
    let s = Small::start(name, &[]);
    let workflow = json!({"appraisers": {
        "so-tu-phap": {"name": "Sở Tư pháp", "scopes": {"so": ["1"]}},
        "so-tttt": {"name": "Sở Thông tin và Truyền thông", "scopes": {"so": ["2.1", "2.2"]}}
    }});
    let r = s.api(&s.admin).json("PUT", "/v1/rounds/r/workflow", &workflow);
    assert_eq!(r.status, 200, "{}", r.text());
    let tp = token(&s.db, "appraiser:so-tu-phap");
    let tt = token(&s.db, "appraiser:so-tttt");
    let council = token(&s.db, "council");
    let other = token(&s.db, "appraiser:so-khac");
    (s, tp, tt, council, other)
}

#[test]
fn the_workflow_is_checked_against_the_round() {
    let s = Small::start("wf-check", &[]);
    let bad = json!({"appraisers": {"So TP": {"name": "", "scopes": {"xa": ["1"], "so": ["9.9"]}}},
                     "windows": {"self_assessment": {"open": "2024-02-01", "until": "2024-01-01"}, "appraisal": {"x": {}}},
                     "evidence": {"max_file_bytes": -1}});
    let r = s.api(&s.admin).json("PUT", "/v1/rounds/r/workflow", &bad);
    assert_eq!(r.status, 422, "{}", r.text());
    let paths: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect();
    for p in [
        "/appraisers/So TP",
        "/appraisers/So TP/name",
        "/appraisers/So TP/scopes/xa",
        "/appraisers/So TP/scopes/so/0",
        "/windows/self_assessment",
        "/windows/appraisal/x",
        "/evidence/max_file_bytes",
    ] {
        assert!(paths.contains(&p.to_owned()), "{p} not in {paths:?}");
    }
    // Nothing was stored: the defaults hold.
    let w = s.api(&s.auditor).get("/v1/rounds/r/workflow").json();
    assert_eq!(w["appraisers"], json!({}));
    assert_eq!(w["evidence"]["max_file_bytes"], json!(20 * 1024 * 1024));
}

/// Role × scope × route: who may write which entries, mark done, finalise.
#[test]
fn role_scope_route_matrix() {
    let (s, tp, tt, council, other) = with_agencies("matrix");
    let stage = format!("{A}/appraisals/1");
    let roles = [
        ("admin", s.admin.clone()),
        ("appraiser", s.appraiser.clone()),
        ("council", council.clone()),
        ("appraiser:so-tu-phap", tp.clone()),
        ("appraiser:so-tttt", tt.clone()),
        ("appraiser:so-khac", other.clone()),
        ("auditor", s.auditor.clone()),
        ("unit:so-a", s.unit_a.clone()),
    ];
    // (body, expected status per role in the order above)
    let in_field_1 = json!({"entries": {"1.2": {"points": "3", "reason": "Thiếu báo cáo quý"}}});
    let in_field_2 = json!({"entries": {"2.1": {"points": "0", "reason": "Chưa có"}}});
    let outside_both = json!({"entries": {"2.3": {"points": "0", "reason": "Chưa có"}}});
    let mixed = json!({"entries": {"1.3": {"points": "3", "reason": "x"}, "2.2": {"points": "0", "reason": "y"}}});
    let bonus = json!({"entries": {}, "bonus": [{"points": "1", "reason": "Sáng kiến"}]});
    let cases: [(&Value, [u16; 8]); 5] = [
        (&in_field_1, [403, 200, 403, 200, 403, 403, 403, 403]),
        (&in_field_2, [403, 200, 403, 403, 200, 403, 403, 403]),
        (&outside_both, [403, 200, 403, 403, 403, 403, 403, 403]),
        (&mixed, [403, 200, 403, 403, 403, 403, 403, 403]),
        // The general appraiser may send a bonus (this round's criteria set allows none: 422).
        (&bonus, [403, 422, 403, 403, 403, 403, 403, 403]),
    ];
    for (body, expected) in cases {
        for ((name, tok), want) in roles.iter().zip(expected) {
            // The general appraiser replaces the whole stage: reset it for the agencies.
            let r = s.api(tok).json("PUT", &stage, body);
            assert_eq!(r.status, want, "PUT stage 1 {body} as {name}: {}", r.text());
            if want == 403 && name.starts_with("appraiser:") {
                let code = error_code(&r);
                assert_eq!(code, "outside_scope", "{name}: {}", r.text());
                let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
                if *name != "appraiser:so-khac" {
                    assert!(message.contains("khối 'so'"), "the refusal names the scope: {message}");
                }
            }
        }
    }
    // The agencies' entries carry who made them; the general appraiser's do not.
    let r = s.api(&s.appraiser).json("PUT", &stage, &json!({"entries": {}}));
    assert_eq!(r.status, 200);
    assert_eq!(s.api(&tp).json("PUT", &stage, &in_field_1).status, 200);
    let r = s.api(&tt).json("PUT", &stage, &in_field_2);
    assert_eq!(r.status, 200, "{}", r.text());
    let entries = r.json()["document"]["entries"].clone();
    assert_eq!(entries["1.2"]["by"], "so-tu-phap", "{entries}");
    assert_eq!(entries["2.1"]["by"], "so-tttt", "{entries}");
    // `by` is the server's: nobody names an agency in its place.
    let forged = json!({"entries": {"1.1": {"input": true, "by": "so-tu-phap"}}});
    let r = s.api(&s.appraiser).json("PUT", &stage, &forged);
    assert_eq!(problem_codes(&r), ["input_type"]);
    assert_eq!(r.json()["errors"][0]["path"], "/entries/1.1/by");
    let r = s.api(&s.unit_a).json("PATCH", &format!("{A}/self-assessment/draft"), &forged);
    assert_eq!(problem_codes(&r), ["input_type"]);
    // An agency's PUT replaces its own part only.
    let r = s.api(&tp).json("PUT", &stage, &json!({"entries": {"1.3": {"points": "3", "reason": "Chậm"}}}));
    let entries = r.json()["document"]["entries"].clone();
    assert_eq!(entries.as_object().unwrap().keys().collect::<Vec<_>>(), ["2.1", "1.3"], "{entries}");

    // Finalising waits for every scope: who may, and when.
    let fin = format!("{stage}/finalise");
    for (name, tok) in &roles {
        let r = s.api(tok).send("POST", &fin, &[], b"");
        let want = match *name {
            "admin" | "appraiser" | "council" => 409,
            _ => 403,
        };
        assert_eq!(r.status, want, "finalise as {name}: {}", r.text());
        if want == 409 {
            assert_eq!(error_code(&r), "scopes_not_done");
            assert!(r.json()["error"]["message"].as_str().unwrap().contains("so-tttt"));
        }
    }
    // Done: only an agency, only its own.
    for (name, tok) in &roles {
        let r = s.api(tok).send("POST", &format!("{stage}/done"), &[], b"");
        let want = match *name {
            "appraiser:so-tu-phap" => 200,
            "appraiser:so-tttt" => 200,
            "appraiser:so-khac" => 403,
            _ => 403,
        };
        assert_eq!(r.status, want, "done as {name}: {}", r.text());
    }
    // Done means done: its entries stay until it takes it back.
    let r = s.api(&tp).json("PUT", &stage, &in_field_1);
    assert_eq!((r.status, error_code(&r).as_str()), (409, "scope_done"));
    let r = s.api(&tp).json("POST", &format!("{stage}/done"), &json!({"done": false}));
    assert_eq!(r.status, 200);
    let r = s.api(&council).send("POST", &fin, &[], b"");
    assert_eq!((r.status, error_code(&r).as_str()), (409, "scopes_not_done"));
    assert_eq!(s.api(&tp).send("POST", &format!("{stage}/done"), &[], b"").status, 200);
    let r = s.api(&council).send("POST", &fin, &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["finalised"], json!(true));

    // The unit's score view and the explanation show who appraised.
    let score = s.api(&s.unit_a).get(&format!("{A}/score")).json();
    let leaf = score["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "1.3").unwrap().clone();
    assert_eq!(leaf["stages"][0]["by"], "so-tu-phap", "{leaf}");
    let dir = temp_dir("matrix-export");
    let tar = s.api(&s.admin).get("/v1/rounds/r/export.tar");
    for (path, data) in untar(&tar.body) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    let out = std::process::Command::new(BIN)
        .env("PARINDEX_LOCALE", "en")
        .args(["explain", dir.join("r").to_str().unwrap(), "--unit", "so-a", "--criterion", "1.3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("appraised by: so-tu-phap"), "{text}");
}

#[test]
fn a_stage_forced_with_a_reason_is_recorded() {
    let (s, tp, _tt, council, _other) = with_agencies("forced");
    let stage = format!("{A}/appraisals/1");
    assert_eq!(
        s.api(&tp).json("PUT", &stage, &json!({"entries": {"1.2": {"points": "3", "reason": "Thiếu"}}})).status,
        200
    );
    let r = s.api(&council).json("POST", &format!("{stage}/finalise"), &json!({"force": true}));
    assert_eq!(problem_codes(&r), ["input_type"]);
    assert_eq!(r.json()["errors"][0]["path"], "/reason");
    let r = s.api(&council).json(
        "POST",
        &format!("{stage}/finalise"),
        &json!({"force": true, "reason": "Sở TT&TT không gửi kết quả đúng hạn"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let stages = s.api(&s.auditor).get(&format!("{A}/appraisals")).json();
    let forced = &stages["stages"][0]["progress"]["forced"];
    assert_eq!(forced["reason"], "Sở TT&TT không gửi kết quả đúng hạn");
    assert_eq!(forced["missing"], json!(["so-tttt", "so-tu-phap"]));
    let log = s.api(&s.auditor).get("/v1/audit?limit=1000").json();
    assert!(log["events"].as_array().unwrap().iter().any(|e| e["action"] == "appraisal.finalise.forced"));
    // Finalised: no agency writes into it any more.
    let r = s.api(&tp).json("PUT", &stage, &json!({"entries": {}}));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "stage_finalised"));
}

fn set_windows(s: &Small, windows: Value) {
    let r = s.api(&s.admin).json("PUT", "/v1/rounds/r/workflow", &json!({ "windows": windows }));
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Each window × before / inside / after.
#[test]
fn window_matrix() {
    let s = Small::start("windows", &[]);
    let spans = [
        (json!({"until": day(-1)}), Some("đã hết hạn")),
        (json!({"open": day(1)}), Some("chưa mở")),
        (json!({"open": day(0), "until": day(0)}), None),
        (json!({"open": day(-30), "until": day(30)}), None),
    ];
    let draft = format!("{A}/self-assessment/draft");
    for (span, refusal) in &spans {
        set_windows(&s, json!({ "self_assessment": span }));
        let r = s.api(&s.unit_a).json("PATCH", &draft, &json!({"entries": {"1.1": {"input": true}}}));
        match refusal {
            Some(word) => {
                assert_eq!((r.status, error_code(&r).as_str()), (409, "outside_window"), "{span}");
                let m = r.json()["error"]["message"].as_str().unwrap().to_owned();
                assert!(m.contains("tự đánh giá") && m.contains(word), "{m}");
            }
            None => assert_eq!(r.status, 200, "{span}: {}", r.text()),
        }
    }
    // Submission follows the same window.
    set_windows(&s, json!({ "self_assessment": {"until": day(-1)} }));
    let r = s.api(&s.unit_b).json("POST", "/v1/rounds/r/units/so-b/self-assessment/submit", &full_self());
    assert_eq!((r.status, error_code(&r).as_str()), (409, "outside_window"));

    // Appraisal stage 1 and explanations.
    let stage = format!("{A}/appraisals/1");
    let body = json!({"entries": {"1.2": {"points": "3", "reason": "Thiếu"}, "1.3": {"points": "2", "reason": "x", "explain": true}}});
    for (span, refusal) in &spans {
        set_windows(&s, json!({ "appraisal": {"1": span} }));
        let r = s.api(&s.appraiser).json("PUT", &stage, &body);
        match refusal {
            Some(_) => {
                assert_eq!((r.status, error_code(&r).as_str()), (409, "outside_window"), "{span}");
                assert!(r.json()["error"]["message"].as_str().unwrap().contains("thẩm định vòng 1"));
            }
            None => assert_eq!(r.status, 200, "{span}: {}", r.text()),
        }
    }
    assert_eq!(s.api(&s.appraiser).send("POST", &format!("{stage}/finalise"), &[], b"").status, 200);
    let note = json!({"1.3": {"note": "Đã bổ sung"}});
    for (span, refusal) in &spans {
        set_windows(&s, json!({ "explanations": span }));
        let r = s.api(&s.unit_a).json("PUT", &format!("{A}/explanations"), &note);
        match refusal {
            Some(_) => {
                assert_eq!((r.status, error_code(&r).as_str()), (409, "outside_window"), "{span}");
                assert!(r.json()["error"]["message"].as_str().unwrap().contains("giải trình"));
            }
            None => assert_eq!(r.status, 200, "{span}: {}", r.text()),
        }
    }
    // A window of one stage does not close another: stage 2 has none.
    set_windows(&s, json!({ "appraisal": {"1": {"until": day(-1)}} }));
    assert_eq!(s.api(&s.appraiser).json("PUT", &format!("{A}/appraisals/2"), &json!({"entries": {}})).status, 200);
}

#[test]
fn an_admin_reopens_or_unsubmits_one_unit() {
    let s = Small::start("reopen", &[]);
    set_windows(&s, json!({ "self_assessment": {"until": day(-1)} }));
    let patch = json!({"entries": {"1.1": {"input": true}}});
    let r = s.api(&s.unit_a).json("PATCH", &format!("{A}/self-assessment/draft"), &patch);
    assert_eq!(r.status, 409);
    // Only admin; with a day and a reason.
    let reopen = format!("{A}/self-assessment/reopen");
    let body = json!({"until": day(2), "reason": "Sở A mất điện ngày cuối"});
    assert_eq!(s.api(&s.appraiser).json("POST", &reopen, &body).status, 403);
    assert_eq!(s.api(&s.unit_a).json("POST", &reopen, &body).status, 403);
    assert_eq!(problem_codes(&s.api(&s.admin).json("POST", &reopen, &json!({"until": day(2)}))), ["input_type"]);
    assert_eq!(s.api(&s.admin).json("POST", &reopen, &body).status, 200);
    // Sở A may write and submit; Sở B still may not.
    assert_eq!(s.api(&s.unit_a).json("PATCH", &format!("{A}/self-assessment/draft"), &patch).status, 200);
    let r = s.api(&s.unit_b).json("PATCH", "/v1/rounds/r/units/so-b/self-assessment/draft", &patch);
    assert_eq!((r.status, error_code(&r).as_str()), (409, "outside_window"));
    let r = s.api(&s.unit_a).json("POST", &format!("{A}/self-assessment/submit"), &full_self());
    assert_eq!(r.status, 201, "{}", r.text());

    // Un-submit: back to a draft, with the reason shown to the unit.
    let unsubmit = format!("{A}/self-assessment/unsubmit");
    let r = s.api(&s.admin).json("POST", "/v1/rounds/r/units/so-b/self-assessment/unsubmit", &json!({"reason": "x"}));
    assert_eq!((r.status, error_code(&r).as_str()), (409, "not_submitted"));
    let r = s.api(&s.admin).json("POST", &unsubmit, &json!({"reason": "Nộp nhầm số liệu mục 1.2"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let mine = s.api(&s.unit_a).get(&format!("{A}/self-assessment")).json();
    assert_eq!(mine["submitted"], Value::Null);
    assert!(mine["draft"]["document"].get("submitted_at").is_none());
    assert_eq!(mine["draft"]["document"]["entries"]["1.2"]["points"], "3.5");
    let notices = mine["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[0]["action"], "self.reopen");
    assert_eq!(notices[0]["reason"], "Sở A mất điện ngày cuối");
    assert_eq!(notices[1]["action"], "self.unsubmit");
    assert_eq!(notices[1]["reason"], "Nộp nhầm số liệu mục 1.2");
    assert_eq!(mine["reopened"]["until"], json!(day(2)));
    // Both are in the audit log, and the log still verifies.
    let log = s.api(&s.auditor).get("/v1/audit?limit=1000").json();
    let actions: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"self.reopen") && actions.contains(&"self.unsubmit"), "{actions:?}");
    assert_eq!(s.api(&s.auditor).get("/v1/audit/verify").json()["ok"], json!(true));
    // Submitted again while the reopening lasts.
    let r = s.api(&s.unit_a).send("POST", &format!("{A}/self-assessment/submit"), &[], b"");
    assert_eq!(r.status, 201, "{}", r.text());
}
