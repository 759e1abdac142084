//! The library's speed on the province workload (issue "Performance"): leaves scored per
//! second, rescoring a unit after one entry changes, ranking 100,000 units, parsing and
//! checking assessment documents against serde_json's parse, and loading and scoring the
//! bundled Đồng Tháp round. Figures are reported in docs/performance.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use parindex::json;
use parindex::{Assessment, Decimal, RoundFolder, UnitContext, score_round, score_unit};
use parindex_assess::StageRef;
use parindex_benches::rng::Rng;
use parindex_benches::workload::{Mix, Spec, write_round};
use parindex_rank::{RankKey, competition_ranks};
use serde_json::json;

fn province() -> RoundFolder {
    province_mix(Mix::National)
}

/// The province workload (32 units) in `mix`.
fn province_mix(mix: Mix) -> RoundFolder {
    let dir = std::env::temp_dir().join(format!("parindex-bench-province-{mix:?}-{}", std::process::id()));
    write_round(&dir, &Spec { mix, ..Spec::province(2023) }).unwrap();
    let folder = RoundFolder::load(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    folder
}

/// Leaves scored per second over the province's 32 units in `mix`, as criterion group `name`.
fn score_every_unit(c: &mut Criterion, name: &str, mix: Mix) {
    let folder = province_mix(mix);
    let units: Vec<_> = folder
        .round
        .units
        .iter()
        .map(|u| {
            let block = folder.round.block(&u.block).unwrap();
            let ctx = UnitContext {
                unit: &u.id,
                tags: &u.tags,
                survey_held: block.survey,
                self_deadline: folder.round.self_deadline,
            };
            (ctx, folder.criteria_set(&u.block).unwrap(), folder.assessments.get(&u.id))
        })
        .collect();
    let leaves: usize = units
        .iter()
        .map(|(ctx, set, a)| {
            let r = score_unit(set, ctx, *a);
            set.nodes().iter().zip(&r.nodes).filter(|(n, r)| n.leaf().is_some() && r.score.is_some()).count()
        })
        .sum();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(u64::try_from(leaves).unwrap()));
    group.bench_function("score_unit, every unit (throughput = applicable leaves)", |b| {
        b.iter(|| {
            for (ctx, set, a) in &units {
                black_box(score_unit(set, ctx, *a));
            }
        })
    });
    group.finish();
}

fn leaves_per_second(c: &mut Criterion) {
    score_every_unit(c, "province", Mix::National);
    // The §11 features (refs evaluated stage by stage, derived items, survey groups).
    score_every_unit(c, "province-v2", Mix::V2);
    let folder = province();

    // One entry changes (a ratio input at the self stage), the unit is rescored.
    let unit = &folder.round.units[0];
    let block = folder.round.block(&unit.block).unwrap();
    let set = folder.criteria_set(&unit.block).unwrap();
    let ctx = UnitContext {
        unit: &unit.id,
        tags: &unit.tags,
        survey_held: block.survey,
        self_deadline: folder.round.self_deadline,
    };
    let code = set.leaves().find(|(_, n, _)| n.title.contains("bands ratio")).map(|(_, n, _)| n.code.clone()).unwrap();
    let mut assessment = folder.assessments.get(&unit.id).unwrap().clone();
    let entries = [
        json!({ "input": { "numerator": 17, "denominator": 20 }, "evidence": [{ "title": "Báo cáo" }] }),
        json!({ "input": { "numerator": 20, "denominator": 20 }, "evidence": [{ "title": "Báo cáo" }] }),
    ];
    let mut flip = 0usize;
    c.bench_function("rescore one unit after one entry changes (set_entry + score_unit)", |b| {
        b.iter(|| {
            flip ^= 1;
            assessment.set_entry(set, StageRef::SelfAssessment, &code, &entries[flip]).unwrap();
            black_box(score_unit(set, &ctx, Some(&assessment)))
        })
    });
}

fn ranking(c: &mut Criterion) {
    let mut rng = Rng::new(7);
    let keys: Vec<RankKey> = (0..100_000)
        .map(|_| RankKey {
            index: Decimal::new(i64::try_from(5_000 + rng.below(5_000)).unwrap(), 2),
            tie_breakers: vec![Decimal::new(i64::try_from(2_000 + rng.below(1_200)).unwrap(), 2)],
        })
        .collect();
    c.bench_function("rank 100,000 units (competition ranks, one tie-breaker)", |b| {
        b.iter_batched(|| keys.clone(), |k| black_box(competition_ranks(&k)), BatchSize::LargeInput)
    });
}

/// Parsing the province's 32 assessment files: serde_json into `serde_json::Value` (the
/// floor of issue "Performance"), the engine's document tree, and the tree checked into
/// assessments (throughput = bytes).
fn parsing(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("parindex-bench-parse-{}", std::process::id()));
    write_round(&dir, &Spec::province(2023)).unwrap();
    let folder = RoundFolder::load(&dir).unwrap();
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir.join("assessments")).unwrap() {
        texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse province assessments");
    group.throughput(Throughput::Bytes(u64::try_from(bytes).unwrap()));
    group.bench_function("serde_json::Value (the floor)", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(serde_json::from_str::<serde_json::Value>(t).unwrap());
            }
        });
    });
    group.bench_function("json::parse (document tree)", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(json::parse(t).unwrap());
            }
        });
    });
    group.bench_function("json::parse + Assessment::from_document", |b| {
        b.iter(|| {
            for t in &texts {
                let doc = json::parse(t).unwrap();
                let unit = folder.round.unit(doc.get("unit").and_then(|v| v.as_str()).unwrap()).unwrap();
                let block = folder.round.block(&unit.block).unwrap();
                let labels: Vec<String> = block.classes.iter().map(|c| c.label.clone()).collect();
                let set = folder.criteria_set(&unit.block).unwrap();
                black_box(Assessment::from_document(&doc, set, &labels).unwrap());
            }
        });
    });
    group.finish();
}

fn fixture(c: &mut Criterion) {
    let dir = parindex_benches::fixture("dong-thap-2023");
    c.bench_function("load + check dong-thap-2023 (32 units)", |b| b.iter(|| RoundFolder::load(&dir).unwrap()));
    let folder = RoundFolder::load(&dir).unwrap();
    c.bench_function("score_round dong-thap-2023 (32 units)", |b| b.iter(|| score_round(&folder)));
}

criterion_group!(benches, leaves_per_second, ranking, parsing, fixture);
criterion_main!(benches);
