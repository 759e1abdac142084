//! Scoring speed on the bundled Đồng Tháp round: loading and checking a folder, scoring a
//! loaded round, and scoring one unit. Figures are reported in docs/performance.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use parindex::{RoundFolder, UnitContext, score_round, score_unit};

fn benches(c: &mut Criterion) {
    let dir = parindex_benches::fixture("dong-thap-2023");
    c.bench_function("load+check dong-thap-2023", |b| b.iter(|| RoundFolder::load(&dir).unwrap()));
    let folder = RoundFolder::load(&dir).unwrap();
    c.bench_function("score_round dong-thap-2023", |b| b.iter(|| score_round(&folder)));
    let unit = folder.round.units.first().unwrap();
    let block = folder.round.block(&unit.block).unwrap();
    let set = folder.criteria_set(&unit.block).unwrap();
    let ctx = UnitContext {
        unit: &unit.id,
        tags: &unit.tags,
        survey_held: block.survey,
        self_deadline: folder.round.self_deadline,
    };
    let assessment = folder.assessments.get(&unit.id);
    c.bench_function("score_unit one department", |b| b.iter(|| score_unit(set, &ctx, assessment)));
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
