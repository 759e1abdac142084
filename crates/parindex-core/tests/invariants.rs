//! Property tests of the engine's invariants (SPEC §4, §8):
//! - every rule yields points in `[0, max]`, whatever rule and input are generated, and a rule
//!   with a finite set of points yields one of them;
//! - `roll_up` gives each group exactly the sum of its applicable children and excludes a group
//!   whose leaves are all excluded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_core::reader::Reader;
use parindex_core::rollup::{NodeScore, roll_up};
use parindex_core::rule::read_input;
use parindex_core::{Code, CriteriaSet, Decimal, Diagnostics, NodeId, Outcome};
use parindex_json as json;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

/// A decimal with up to `scale` places from an integer of hundredths etc.
fn dec(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

fn s(d: Decimal) -> Value {
    Value::String(d.to_string())
}

fn one_leaf_set(max: Decimal, rule: &Value, extra: &Value) -> CriteriaSet {
    let mut leaf = json!({ "code": "1", "title": "t", "max": s(max), "rule": rule });
    for (k, v) in extra.as_object().unwrap() {
        leaf[k] = v.clone();
    }
    let doc = json!({ "format": "parindex/criteria-set@1", "id": "p", "title": "P", "nodes": [leaf] });
    match CriteriaSet::from_document(&parindex_json::Value::from(&doc)) {
        Ok(set) => set,
        Err(e) => panic!("generated rule {rule} (max {max}) does not load: {e:?}"),
    }
}

/// What scoring `input` with the single leaf of `set` gives: `None` when the input does not
/// read (a documented error), else the rule's outcome or error code.
fn score(set: &CriteriaSet, input: &Value, choice: Option<&Value>) -> Option<Result<Outcome, Code>> {
    let (_, node, leaf) = set.leaves().next().unwrap();
    let mut diags = Diagnostics::new();
    let typed = {
        let mut r = Reader::new(&mut diags);
        let choice = choice.map(json::Value::from);
        read_input(&leaf.rule, &json::Value::from(input), choice.as_ref(), "/input", &mut r)
    };
    match typed {
        Some(t) if diags.is_empty() => Some(leaf.rule.score(node.max, &t).map_err(|e| e.code)),
        Some(_) => panic!("an input that reads must raise no problem: {diags:?}"),
        None => {
            assert!(!diags.is_empty(), "an input that does not read must say why");
            for e in &diags.errors {
                assert!(!e.message.is_empty());
                assert!(e.path.starts_with("/input"), "{e:?}");
            }
            None
        }
    }
}

/// Checks the invariant on one outcome; returns the points, if any.
fn check_range(set: &CriteriaSet, outcome: &Option<Result<Outcome, Code>>) -> Result<Option<Decimal>, TestCaseError> {
    let (_, node, leaf) = set.leaves().next().unwrap();
    match outcome {
        Some(Ok(Outcome::Points(p))) => {
            prop_assert!(*p >= Decimal::ZERO && *p <= node.max, "points {} outside [0, {}]", p, node.max);
            if let Some(attainable) = leaf.rule.attainable_points(node.max) {
                prop_assert!(attainable.contains(p), "{} is not one of {:?}", p, attainable);
            }
            // Points a rule gives are always points one may give directly.
            prop_assert!(leaf.rule.check_points(node.max, *p).is_ok());
            Ok(Some(*p))
        }
        _ => Ok(None),
    }
}

fn max_strategy() -> impl Strategy<Value = Decimal> {
    (1i64..=1000, 0u32..=2).prop_map(|(m, sc)| dec(m, sc))
}

/// Points in [0, max] with up to 3 places.
fn points_upto(max: Decimal) -> impl Strategy<Value = Decimal> {
    (0u32..=1000).prop_map(move |k| (max * Decimal::from(k) / Decimal::from(1000)).round_dp(3).min(max))
}

/// A percent-ish value, sometimes outside 0–100, sometimes with many places.
fn value_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-2000i64..=12000, 0u32..=2).prop_map(|(m, sc)| s(dec(m, sc))),
        (0i64..=100).prop_map(|v| json!(v)),
        (any::<i64>(), 0u32..=28).prop_map(|(m, sc)| s(dec(m, sc))),
        (0u64..=1000, 0u64..=1000).prop_map(|(n, dd)| json!({ "numerator": n, "denominator": dd })),
        (0u64..=50, 0u64..=50).prop_map(|(n, dd)| json!({ "numerator": n.min(dd), "denominator": dd })),
        Just(json!(null)),
        Just(json!(true)),
        "[a-z0-9,.-]{0,6}".prop_map(Value::String),
    ]
}

/// Non-overlapping bands from sorted bounds, with random ends and points.
fn bands_rule(max: Decimal) -> impl Strategy<Value = Value> {
    (
        prop::collection::btree_set(-50i64..=150, 0..6),
        prop::collection::vec((any::<bool>(), any::<bool>(), points_upto(max)), 6),
        any::<bool>(),
        any::<bool>(),
        points_upto(max),
        prop::sample::select(vec!["percent", "ratio", "count", "number"]),
    )
        .prop_map(move |(bounds, ends, open_low, open_high, otherwise, input)| {
            let bounds: Vec<i64> = bounds.into_iter().collect();
            let mut bands = Vec::new();
            // Consecutive bounds make adjacent bands; a shared bound belongs to one side only.
            for (i, pair) in bounds.windows(2).enumerate() {
                let (from_inc, to_inc) = (ends[i].0, ends[i].1);
                let prev_took_upper = i > 0 && ends[i - 1].1;
                let from_inclusive = from_inc && !prev_took_upper;
                bands.push(json!({ "from": pair[0].to_string(), "to": pair[1].to_string(),
                    "from_inclusive": from_inclusive, "to_inclusive": to_inc, "points": s(ends[i].2) }));
            }
            if open_low && let Some(first) = bounds.first() {
                // Below the first bound, excluding it if a band starts there inclusively.
                bands.push(json!({ "to": first.to_string(), "to_inclusive": false, "points": s(ends[5].2) }));
            }
            if open_high && let Some(last) = bounds.last() {
                let last_took = bounds.len() >= 2 && ends[bounds.len() - 2].1;
                bands.push(json!({ "from": last.to_string(), "from_inclusive": !last_took, "points": s(ends[4].2) }));
            }
            json!({ "kind": "bands", "input": input, "bands": bands, "otherwise": s(otherwise) })
        })
}

/// The band a plain value falls in, computed independently of the engine.
fn reference_band_points(rule: &Value, v: Decimal) -> Decimal {
    let bound = |b: &Value, k: &str| b.get(k).and_then(Value::as_str).map(|t| t.parse::<Decimal>().unwrap());
    for b in rule["bands"].as_array().unwrap() {
        let from_ok = match bound(b, "from") {
            None => true,
            Some(f) => v > f || (v == f && b["from_inclusive"].as_bool().unwrap_or(true)),
        };
        let to_ok = match bound(b, "to") {
            None => true,
            Some(t) => v < t || (v == t && b["to_inclusive"].as_bool().unwrap_or(false)),
        };
        if from_ok && to_ok {
            return b["points"].as_str().unwrap().parse().unwrap();
        }
    }
    rule["otherwise"].as_str().unwrap().parse().unwrap()
}

fn proportional_rule() -> impl Strategy<Value = Value> {
    (prop::sample::select(vec!["percent", "ratio"]), prop::option::of(0i64..=100), prop::option::of(0i64..=100))
        .prop_map(|(input, a, b)| {
            let mut rule = json!({ "kind": "proportional", "input": input });
            let (lo, hi) = match (a, b) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            if let Some(z) = lo {
                rule["zero_below"] = json!(z.to_string());
            }
            if let Some(f) = hi {
                rule["full_from"] = json!(f.to_string());
            }
            rule
        })
}

/// Random expressions over x, y and max_points. Every binary operand is parenthesised, so
/// comparisons never chain and every generated text follows the grammar of SPEC §5.
fn expr_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_owned()),
        Just("y".to_owned()),
        Just("max_points".to_owned()),
        (0u32..=200, 0u32..=2).prop_map(|(m, sc)| dec(i64::from(m), sc).to_string()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            (prop::sample::select(vec!["-", "!"]), inner.clone()).prop_map(|(op, a)| format!("{op}({a})")),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|args| format!("min({})", args.join(", "))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|args| format!("max({})", args.join(", "))),
            inner.clone().prop_map(|a| format!("abs({a})")),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| format!("if({c}, {a}, {b})")),
            (inner.clone(), 0u32..=10).prop_map(|(a, n)| format!("round({a}, {n})")),
        ]
    })
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn bands_points_stay_within_zero_and_max(
        (max, rule) in max_strategy().prop_flat_map(|max| (Just(max), bands_rule(max))),
        inputs in prop::collection::vec(value_strategy(), 1..8),
    ) {
        let set = one_leaf_set(max, &rule, &json!({ "not_arising": "full" }));
        for input in inputs {
            let outcome = score(&set, &input, None);
            let points = check_range(&set, &outcome)?;
            // Percent, count and number values land in the band a reference finds.
            if let (Some(p), Some(v)) = (points, input.as_str().and_then(|t| t.parse::<Decimal>().ok())) {
                if rule["input"] != "ratio" {
                    prop_assert_eq!(p, reference_band_points(&rule, v).min(max), "{} in {}", v, rule);
                }
            }
            if let Some(Ok(Outcome::NotArising)) = outcome {
                prop_assert_eq!(&rule["input"], "ratio");
                prop_assert!(input["denominator"].as_u64() == Some(0));
            }
        }
    }

    #[test]
    fn proportional_points_stay_within_zero_and_max(
        max in max_strategy(),
        rule in proportional_rule(),
        inputs in prop::collection::vec(value_strategy(), 1..8),
    ) {
        let set = one_leaf_set(max, &rule, &json!({ "not_arising": "exclude" }));
        for input in inputs {
            let outcome = score(&set, &input, None);
            if let Some(p) = check_range(&set, &outcome)? {
                // Without thresholds, percent points are exactly max × p ÷ 100.
                if rule["input"] == "percent" && rule.get("zero_below").is_none() && rule.get("full_from").is_none() {
                    let v: Decimal = input.as_str().map_or_else(|| input.to_string(), str::to_owned).parse().unwrap();
                    prop_assert_eq!(p, max * v / Decimal::ONE_HUNDRED);
                }
            }
        }
    }

    #[test]
    fn deduction_points_stay_within_zero_and_max(
        max in max_strategy(),
        per in (1i64..=500, 0u32..=2),
        counts in prop::collection::vec(prop_oneof![(0u64..=40).prop_map(|c| json!(c)), value_strategy()], 1..8),
    ) {
        let per = dec(per.0, per.1);
        let set = one_leaf_set(max, &json!({ "kind": "deduction", "per": s(per) }), &json!({}));
        for input in counts {
            let outcome = score(&set, &input, None);
            if let Some(p) = check_range(&set, &outcome)? {
                let c: Decimal = input.as_str().map_or_else(|| input.to_string(), str::to_owned).parse().unwrap();
                prop_assert_eq!(p, (max - per * c).max(Decimal::ZERO));
            }
        }
    }

    #[test]
    fn deadline_points_stay_within_zero_and_max(
        max in max_strategy(),
        due in (2000i32..2030, 1u8..=12, 1u8..=28),
        grace in 0u32..40,
        late in 0u32..=100,
        done in prop::collection::vec(prop::option::of((1999i32..2031, 1u8..=12, 1u8..=31)), 1..8),
    ) {
        let late_points = (max * Decimal::from(late) / Decimal::ONE_HUNDRED).round_dp(2).min(max);
        let due = format!("{:04}-{:02}-{:02}", due.0, due.1, due.2);
        let rule = json!({ "kind": "deadline", "due": due, "grace_days": grace, "late_points": s(late_points) });
        let set = one_leaf_set(max, &rule, &json!({}));
        for day in done {
            let input = day.map_or(Value::Null, |(y, m, dd)| json!(format!("{y:04}-{m:02}-{dd:02}")));
            let outcome = score(&set, &input, None);
            if let Some(p) = check_range(&set, &outcome)? {
                let text = input.as_str().unwrap_or("");
                if input.is_null() || text > due.as_str() {
                    prop_assert!(p == late_points || p.is_zero());
                } else {
                    prop_assert_eq!(p, max);
                }
            }
        }
    }

    #[test]
    fn options_and_yes_no_points_stay_within_zero_and_max(
        max in max_strategy(),
        option_points in prop::collection::vec(0u32..=100, 1..5),
        picks in prop::collection::vec(prop_oneof![
            (0usize..6).prop_map(|i| json!(format!("k{i}"))),
            value_strategy(),
        ], 1..8),
    ) {
        let options: Vec<Value> = option_points
            .iter()
            .enumerate()
            .map(|(i, p)| json!({ "key": format!("k{i}"), "label": format!("Mức {i}"), "points": s((max * Decimal::from(*p) / Decimal::ONE_HUNDRED).round_dp(2).min(max)) }))
            .collect();
        let set = one_leaf_set(max, &json!({ "kind": "options", "options": options }), &json!({}));
        let yes_no = one_leaf_set(max, &json!({ "kind": "yes_no" }), &json!({}));
        for input in picks {
            let outcome = score(&set, &input, None);
            check_range(&set, &outcome)?;
            let yn = score(&yes_no, &input, None);
            check_range(&yes_no, &yn)?;
            if let Some(b) = input.as_bool() {
                prop_assert_eq!(yn, Some(Ok(Outcome::Points(if b { max } else { Decimal::ZERO }))));
            }
        }
    }

    #[test]
    fn formula_points_stay_within_zero_and_max(
        max in max_strategy(),
        expr in expr_strategy(),
        values in prop::collection::vec((prop_oneof![
            (-500i64..=500, 0u32..=3).prop_map(|(m, sc)| dec(m, sc)),
            (any::<i64>(), 0u32..=10).prop_map(|(m, sc)| dec(m, sc)),
            Just(Decimal::ZERO),
        ], prop_oneof![
            (-500i64..=500, 0u32..=3).prop_map(|(m, sc)| dec(m, sc)),
            Just(Decimal::ZERO),
        ]), 1..6),
    ) {
        let rule = json!({ "kind": "formula", "variables": { "x": "x", "y": "y" }, "expr": expr });
        let set = one_leaf_set(max, &rule, &json!({ "not_arising": "full" }));
        for (x, y) in values {
            let input = json!({ "x": s(x), "y": s(y) });
            let outcome = score(&set, &input, None);
            prop_assert!(outcome.is_some(), "declared variables always read");
            check_range(&set, &outcome)?;
            if let Some(Err(code)) = outcome {
                // Overflow or a bad round() digit count: an input problem, never a panic.
                prop_assert_eq!(code, Code::InputType);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// roll-up

#[derive(Debug, Clone)]
enum Tree {
    Leaf,
    Group(Vec<Tree>),
}

fn tree_strategy() -> impl Strategy<Value = Vec<Tree>> {
    let node =
        Just(Tree::Leaf).prop_recursive(3, 40, 4, |inner| prop::collection::vec(inner, 1..4).prop_map(Tree::Group));
    prop::collection::vec(node, 1..4)
}

fn to_json(tree: &Tree, code: &str) -> Value {
    match tree {
        Tree::Leaf => json!({ "code": code, "title": code, "max": "1", "rule": { "kind": "yes_no" } }),
        Tree::Group(children) => {
            let kids: Vec<Value> =
                children.iter().enumerate().map(|(i, c)| to_json(c, &format!("{code}.{}", i + 1))).collect();
            json!({ "code": code, "title": code, "children": kids })
        }
    }
}

fn tree_set(trees: &[Tree]) -> CriteriaSet {
    let nodes: Vec<Value> = trees.iter().enumerate().map(|(i, t)| to_json(t, &(i + 1).to_string())).collect();
    CriteriaSet::from_document(&parindex_json::Value::from(
        &json!({ "format": "parindex/criteria-set@1", "id": "r", "title": "R", "nodes": nodes }),
    ))
    .unwrap()
}

/// The leaves below (or at) `id`.
fn leaves_under(set: &CriteriaSet, id: NodeId) -> Vec<NodeId> {
    let node = set.node(id).unwrap();
    if node.leaf().is_some() {
        return vec![id];
    }
    node.children().iter().flat_map(|c| leaves_under(set, *c)).collect()
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn roll_up_sums_applicable_children_and_drops_empty_groups(
        trees in tree_strategy(),
        raw in prop::collection::vec(prop::option::of((0i64..=100_000, 0u32..=4, 1i64..=100_000, 0u32..=4)), 100),
    ) {
        let set = tree_set(&trees);
        let leaf_ids: Vec<NodeId> = set.leaves().map(|(id, _, _)| id).collect();
        prop_assume!(leaf_ids.len() <= raw.len());
        let given = |id: NodeId| -> Option<NodeScore> {
            let k = leaf_ids.iter().position(|l| *l == id)?;
            raw[k].map(|(p, ps, m, ms)| {
                let max = dec(m, ms);
                NodeScore { points: dec(p, ps).min(max), max }
            })
        };
        let scores = roll_up(&set, given);
        prop_assert_eq!(scores.len(), set.nodes().len());
        for (i, node) in set.nodes().iter().enumerate() {
            let id = NodeId(i);
            if node.leaf().is_some() {
                prop_assert_eq!(scores[i], given(id));
                continue;
            }
            // A group: exactly the sum over its applicable children…
            let children: Vec<NodeScore> = node.children().iter().filter_map(|c| scores[c.0]).collect();
            if children.is_empty() {
                prop_assert_eq!(scores[i], None, "group {} has no applicable child", node.code);
            } else {
                let points: Decimal = children.iter().map(|c| c.points).sum();
                let max: Decimal = children.iter().map(|c| c.max).sum();
                prop_assert_eq!(scores[i], Some(NodeScore { points, max }), "group {}", node.code);
            }
            // …which is the sum over its applicable leaves; excluded iff all of them are.
            let leaves: Vec<NodeScore> = leaves_under(&set, id).into_iter().filter_map(given).collect();
            prop_assert_eq!(scores[i].is_none(), leaves.is_empty());
            if let Some(sc) = scores[i] {
                prop_assert_eq!(sc.points, leaves.iter().map(|l| l.points).sum::<Decimal>());
                prop_assert_eq!(sc.max, leaves.iter().map(|l| l.max).sum::<Decimal>());
            }
        }
    }
}
