//! Every role against every route of the route table: no token → 401, a role the route
//! does not take → 403 (a unit token for another unit included), a role it takes → neither.
//! Every refusal is a JSON error.

use parindex_server::ROUTES;
use parindex_server::{Caller, Role};

use crate::common::*;

#[test]
fn every_role_against_every_route() {
    let s = Small::start("access", &[]);
    // The agency of the token below appraises field 1 of the round.
    let workflow = serde_json::json!({"appraisers": {"so-tu-phap": {"name": "Sở Tư pháp", "scopes": {"so": ["1"]}}}});
    assert_eq!(s.api(&s.admin).json("PUT", "/v1/rounds/r/workflow", &workflow).status, 200);
    let roles: Vec<(Option<Role>, String)> = vec![
        (None, String::new()),
        (Some(Role::Admin), s.admin.clone()),
        (Some(Role::Appraiser), s.appraiser.clone()),
        (Some(Role::Auditor), s.auditor.clone()),
        (Some(Role::Council), token(&s.db, "council")),
        (Some(Role::Agency("so-tu-phap".into())), token(&s.db, "appraiser:so-tu-phap")),
        (Some(Role::Unit("so-a".into())), s.unit_a.clone()),
        (Some(Role::Unit("so-b".into())), s.unit_b.clone()),
    ];
    let mut tried = 0;
    for route in ROUTES {
        let path = route
            .path
            .replace("{round}", "r")
            .replace("{unit}", "so-a")
            .replace("{block}", "so")
            .replace("{stage}", "1")
            .replace("{doc}", "round")
            .replace("{file}", &format!("sha256:{}", "0".repeat(64)));
        let unit = route.path.contains("{unit}").then_some("so-a");
        for (role, token) in &roles {
            let body: &[u8] = if route.method == "GET" { b"" } else { b"{}" };
            let r = s.api(token).send(route.method, &path, &[], body);
            let who = role.as_ref().map_or("no token".to_owned(), Role::as_string);
            let what = format!("{} {} as {who}: {} {}", route.method, route.path, r.status, r.text());
            if route.allow.is_empty() {
                assert_eq!(r.status, route.ok, "{what}");
            } else if let Some(role) = role {
                let caller = Caller { token_id: 0, role: role.clone() };
                if caller.may(route.allow, unit) {
                    assert!(r.status != 401 && r.status != 403 && r.status != 405 && r.status < 500, "{what}");
                    // The router has the route (the table is not ahead of it).
                    assert!(r.status != 404 || error_code(&r) != "unknown_route", "{what}");
                } else {
                    assert_eq!(r.status, 403, "{what}");
                    assert_eq!(error_code(&r), "forbidden", "{what}");
                }
            } else {
                assert_eq!(r.status, 401, "{what}");
                assert_eq!(error_code(&r), "missing_token", "{what}");
            }
            tried += 1;
        }
    }
    assert_eq!(tried, ROUTES.len() * roles.len());
    // The auditor wrote nothing: every event in the log is by someone else.
    let log = s.api(&s.auditor).get("/v1/audit?limit=1000").json();
    assert!(log["events"].as_array().unwrap().iter().all(|e| !e["actor"].as_str().unwrap().starts_with("auditor")));
}
