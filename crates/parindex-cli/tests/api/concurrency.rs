//! Parallel writers to one unit never lose an update: every write runs in one
//! `BEGIN IMMEDIATE` transaction (read, merge, write, audit), and `If-Match` turns a
//! stale whole-draft replacement into a 409 instead of an overwrite.

use std::thread;

use serde_json::json;

use crate::common::*;

#[test]
fn parallel_patches_to_one_draft_all_survive() {
    let s = Small::start("concurrency", &[]);
    // One writer per leaf of field 2, each patching its own entry several times, all at once.
    let per_writer = 5;
    let addr = s.server.addr;
    let handles: Vec<_> = (1..=FIELD_2_LEAVES)
        .map(|leaf| {
            let token = s.unit_a.clone();
            thread::spawn(move || {
                let mut api = Api::new(addr, &token);
                for i in 0..per_writer {
                    // The last write of each writer gives 1 point, earlier ones 0.
                    let points = if i + 1 == per_writer { "1" } else { "0" };
                    let body = json!({"entries": {format!("2.{leaf}"): {"points": points}}});
                    let r = api.json("PATCH", "/v1/rounds/r/units/so-a/self-assessment/draft", &body);
                    assert_eq!(r.status, 200, "{}", r.text());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let total = (FIELD_2_LEAVES * per_writer) as i64;
    let got = s.api(&s.unit_a).get("/v1/rounds/r/units/so-a/self-assessment").json();
    assert_eq!(got["draft"]["version"], json!(total), "every acknowledged write is one version");
    let entries = got["draft"]["document"]["entries"].as_object().unwrap();
    assert_eq!(entries.len(), FIELD_2_LEAVES, "every writer's entry is there");
    for leaf in 1..=FIELD_2_LEAVES {
        assert_eq!(entries[&format!("2.{leaf}")]["points"], "1", "writer {leaf}'s last write is the one kept");
    }
    let audit = s.api(&s.auditor).get("/v1/audit?limit=1000&target=rounds/r/units/so-a/self-draft").json();
    assert_eq!(audit["events"].as_array().unwrap().len() as i64, total);
}

#[test]
fn parallel_replacements_with_the_same_version_one_wins_the_rest_conflict() {
    let s = Small::start("if-match", &[]);
    let mut unit = s.api(&s.unit_b);
    let r = unit.json("PUT", "/v1/rounds/r/units/so-b/self-assessment/draft", &json!({"entries": {}}));
    assert_eq!(r.json()["version"], json!(1));
    let addr = s.server.addr;
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let token = s.unit_b.clone();
            thread::spawn(move || {
                let body = json!({"entries": {"1.2": {"points": format!("{}", i % 4)}}}).to_string();
                Api::new(addr, &token)
                    .send("PUT", "/v1/rounds/r/units/so-b/self-assessment/draft", &[("If-Match", "1")], body.as_bytes())
                    .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{statuses:?}");
    assert_eq!(unit.get("/v1/rounds/r/units/so-b/self-assessment").json()["draft"]["version"], json!(2));
}
