//! The bundled Đồng Tháp 2023 round entered through the API, the way agencies and the
//! council would, then scored: the API's results are byte for byte what `parindex score`
//! prints for the exported folder, whether exported as a JSON bundle or a tar archive.

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::common::*;

fn without_findings_and_rank(mut results: Value) -> Value {
    // The inputs stamp names the API's stored documents, not the fixture's files.
    results.as_object_mut().unwrap().remove("inputs");
    for block in results["blocks"].as_array_mut().unwrap() {
        block["units"].as_array_mut().unwrap().retain(|u| u["unit"] != "so-cong-thuong");
        for unit in block["units"].as_array_mut().unwrap() {
            let u = unit.as_object_mut().unwrap();
            u.remove("findings");
            u.remove("rank");
        }
        block["units"].as_array_mut().unwrap().sort_by_key(|u| u["unit"].as_str().unwrap().to_owned());
    }
    results
}

fn score_folder(dir: &Path) -> String {
    let out = Command::new(BIN).args(["score", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_fixture_round_through_the_api_scores_like_parindex_score_on_its_export() {
    let dir = temp_dir("fixture");
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let appraiser = token(&db, "appraiser");
    let server = Server::start(&db);
    let mut api = server.api(&admin);
    let r = api.json("POST", "/v1/rounds", &create_body(&fixture_dir()));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["self_assessment"]["accepting"], json!(false), "the fixture's deadline 2024-01-15 has passed");

    let mut files: Vec<_> =
        std::fs::read_dir(fixture_dir().join("assessments")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let docs: Vec<Value> = files.iter().map(|f| read_json(f)).collect();

    // After the deadline, a submission is refused until the admin reopens.
    let first = docs[0]["unit"].as_str().unwrap();
    let mut unit_api = server.api(&token(&db, &format!("unit:{first}")));
    let r = unit_api.json(
        "POST",
        &format!("/v1/rounds/dong-thap-2023/units/{first}/self-assessment/submit"),
        &json!({"entries": {}}),
    );
    assert_eq!((r.status, error_code(&r).as_str()), (409, "deadline_passed"), "{}", r.text());
    let r = api.json(
        "PUT",
        "/v1/rounds/dong-thap-2023/self-assessment-window",
        &json!({"open": true, "until": "2099-12-31"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["accepting"], json!(true));

    let mut council = server.api(&appraiser);
    for doc in &docs {
        let unit = doc["unit"].as_str().unwrap();
        let base = format!("/v1/rounds/dong-thap-2023/units/{unit}");
        let mut me = server.api(&token(&db, &format!("unit:{unit}")));
        let mut self_stage: Map<String, Value> = doc["self"].as_object().unwrap().clone();
        self_stage.remove("submitted_at");
        let r = me.json("PUT", &format!("{base}/self-assessment/draft"), &Value::Object(self_stage));
        assert_eq!(r.status, 200, "{unit}: {}", r.text());
        let r = me.send("POST", &format!("{base}/self-assessment/submit"), &[], b"");
        if unit == "so-cong-thuong" {
            // Its self-assessment leaves a criterion out: it cannot be submitted (chốt).
            assert!(problem_codes(&r).iter().all(|c| c == "missing_entry"), "{}", r.text());
        } else {
            assert_eq!(r.status, 201, "{unit}: {}", r.text());
        }
        if unit == "so-cong-thuong" {
            continue;
        }
        if let Some(survey) = doc.get("survey") {
            let r = api.json("PUT", &format!("{base}/survey"), survey);
            assert_eq!(r.status, 200, "{unit}: {}", r.text());
        }
        if let Some(cap) = doc.get("class_cap") {
            let r = api.json("PUT", &format!("{base}/class-cap"), cap);
            assert_eq!(r.status, 200, "{unit}: {}", r.text());
        }
        for stage in doc["appraisals"].as_array().unwrap() {
            let n = stage["stage"].as_i64().unwrap();
            let mut body = stage.as_object().unwrap().clone();
            let is_final = body.remove("final") == Some(json!(true));
            let r = council.json("PUT", &format!("{base}/appraisals/{n}"), &Value::Object(body));
            assert_eq!(r.status, 200, "{unit} stage {n}: {}", r.text());
            let r = council.json("POST", &format!("{base}/appraisals/{n}/finalise"), &json!({}));
            assert_eq!(r.status, 200, "{unit} stage {n}: {}", r.text());
            if n == 1
                && let Some(expl) = doc.get("explanations")
            {
                let r = me.json("PUT", &format!("{base}/explanations"), expl);
                assert_eq!(r.status, 200, "{unit}: {}", r.text());
            }
            if is_final {
                let r = council.json("POST", &format!("{base}/appraisals/{n}/finalise"), &json!({"final": true}));
                assert_eq!(r.status, 200, "{unit} stage {n} final: {}", r.text());
            }
        }
        let r = me.get(&format!("{base}/score"));
        assert_eq!(r.status, 200, "{unit}: {}", r.text());
        assert_eq!(r.json()["result"]["unit"], json!(unit));
    }

    let results = api.get("/v1/rounds/dong-thap-2023/results");
    assert_eq!(results.status, 200);
    let results_text = results.text();

    // The figures are the fixture's (every unit whose documents went in unchanged; their
    // findings now say late_submission, since they were submitted after the deadline).
    let expected = read_json(&fixture_dir().join("expected.json"));
    let got: Value = serde_json::from_str(&results_text).unwrap();
    assert_eq!(without_findings_and_rank(got.clone()), without_findings_and_rank(expected));

    // Export as a JSON bundle, write its files, score them offline: the same bytes.
    let bundle = api.get("/v1/rounds/dong-thap-2023/export").json();
    assert_eq!(bundle["format"], "parindex/round-bundle@1");
    let out = dir.join("from-bundle");
    for (path, doc) in bundle["files"].as_object().unwrap() {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }
    assert_eq!(score_folder(&out), results_text);
    // And `parindex score` takes the bundle file as it is.
    let bundle_file = dir.join("bundle.json");
    std::fs::write(&bundle_file, bundle.to_string()).unwrap();
    assert_eq!(score_folder(&bundle_file), results_text);

    // Export as a tar archive: the same again.
    let archive = api.get("/v1/rounds/dong-thap-2023/export.tar");
    assert_eq!(archive.header("content-type"), Some("application/x-tar"));
    let out = dir.join("from-tar");
    for (path, bytes) in untar(&archive.body) {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    assert_eq!(score_folder(&out.join("dong-thap-2023")), results_text);

    // One block's table is that block of the results.
    let table = api.get("/v1/rounds/dong-thap-2023/blocks/huyen/table").json();
    assert_eq!(table["block"], got["blocks"][1]);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A unit id of 150 characters: its file's name does not fit a tar header's 100 bytes,
/// and the archive still holds it whole (a GNU long name).
#[test]
fn a_unit_id_longer_than_a_tar_name_is_exported_whole() {
    let dir = temp_dir("long-unit");
    let db = dir.join("db.sqlite");
    let admin = token(&db, "admin");
    let server = Server::start(&db);
    let mut api = server.api(&admin);
    let unit = format!("so-{}", "b".repeat(147));
    assert_eq!(unit.len(), 150);
    let mut body = small_round("r", "2099-12-31");
    body["round"]["units"][1]["id"] = json!(unit);
    let r = api.json("POST", "/v1/rounds", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let r = server.api(&token(&db, &format!("unit:{unit}"))).json(
        "POST",
        &format!("/v1/rounds/r/units/{unit}/self-assessment/submit"),
        &full_self(),
    );
    assert_eq!(r.status, 201, "{}", r.text());

    let bundle = api.get("/v1/rounds/r/export").json();
    let archive = api.get("/v1/rounds/r/export.tar");
    assert_eq!(archive.status, 200);
    let files = untar(&archive.body);
    let name = format!("r/assessments/{unit}.json");
    let (_, text) = files.iter().find(|(p, _)| *p == name).unwrap_or_else(|| panic!("no {name} in the archive"));
    let doc: Value = serde_json::from_slice(text).unwrap();
    assert_eq!(doc, bundle["files"][format!("assessments/{unit}.json")]);
    assert_eq!(doc["unit"], json!(unit));
    // And the folder scores as the server does.
    let out = dir.join("from-tar");
    for (path, bytes) in files {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    assert_eq!(score_folder(&out.join("r")), api.get("/v1/rounds/r/results").text());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
