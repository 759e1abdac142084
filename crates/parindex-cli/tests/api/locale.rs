//! The API answers in the reader's language: `?locale=`, else `Accept-Language`, else
//! Vietnamese; `Content-Language` says which. Codes, statuses and pointers never change.

use crate::common::*;

const DRAFT: &str = "/v1/rounds/r/units/so-a/self-assessment/draft";

#[test]
fn messages_follow_the_query_then_accept_language_then_vietnamese() {
    let s = Small::start("locale", &[]);
    let mut unit = s.api(&s.unit_a);
    let bad = br#"{"entries": {"1.2": {"points": "9"}}}"#;

    // No preference: Vietnamese.
    let r = unit.send("PUT", DRAFT, &[], bad);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.header("content-language"), Some("vi"));
    let problem = r.json()["errors"][0].clone();
    assert_eq!(problem["code"], "points_over_max");
    assert_eq!(problem["criterion"], "1.2");
    let vi = problem["message"].as_str().unwrap().to_owned();
    assert!(vi.starts_with("Điểm 9 vượt quá điểm tối đa ") && vi.ends_with(" của tiêu chí"), "{vi}");

    // Accept-Language: English, the same code, pointer and criterion.
    let r = unit.send("PUT", DRAFT, &[("accept-language", "en-GB,en;q=0.9,vi;q=0.5")], bad);
    assert_eq!(r.header("content-language"), Some("en"));
    let en = r.json()["errors"][0].clone();
    assert_eq!(
        (&en["code"], &en["path"], &en["criterion"]),
        (&problem["code"], &problem["path"], &problem["criterion"])
    );
    assert!(!en["message"].as_str().unwrap().contains("Điểm"), "{en}");

    // The query wins over the header.
    let r = unit.send("PUT", &format!("{DRAFT}?locale=vi"), &[("accept-language", "en")], bad);
    assert_eq!(r.header("content-language"), Some("vi"));
    assert_eq!(r.json()["errors"][0]["message"], vi.as_str());

    // A refusal: its sentence, the status and code unchanged.
    let r = unit.send("GET", "/v1/rounds/nope/units/so-a/self-assessment", &[], b"");
    assert_eq!(r.status, 404);
    assert_eq!(error_code(&r), "unknown_round");
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("Không có kỳ đánh giá này"), "{}", r.text());
    let r = unit.send("GET", "/v1/rounds/nope/units/so-a/self-assessment?locale=en", &[], b"");
    assert_eq!(r.header("content-language"), Some("en"));
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("there is no round"), "{}", r.text());
}
