//! One unit's explanation as readable text (`parindex explain`): self vs appraised vs final
//! for each criterion, the findings, and the arithmetic of the totals and the index; or, for
//! one criterion, how every stage's points arose. In Vietnamese or English, fitted to a
//! terminal's width, figures at the round's precision (or exact on request).

use std::fmt::Write;

use parindex_assess::{LeafExplanation, StageLabel, StageTrace, UnitExplanation, explain_unit};
use parindex_core::rule::{Measure, RuleStep, RuleTrace, SurveyTrace};
use parindex_rank::class_band;

use crate::terminal::{DEFAULT_WIDTH, pad, shorten, width_of, wrap};
use crate::{
    CriteriaSet, Date, Decimal, Error, Locale, RoundFolder, Rounding, Status, UnitContext, UnitResult, UnitRow,
    score_round,
};

/// How to write an explanation ([`explain_text_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainOptions {
    /// The language it is written in; figures as that language writes them.
    pub locale: Locale,
    /// The width, in characters, the text fits (titles shortened, sentences wrapped).
    pub width: usize,
    /// Every figure with all its decimals (the engine's exact values), instead of at the
    /// round's precision.
    pub exact: bool,
}

impl Default for ExplainOptions {
    /// Vietnamese, 100 characters, figures at the round's precision.
    fn default() -> Self {
        ExplainOptions { locale: Locale::default(), width: DEFAULT_WIDTH, exact: false }
    }
}

/// Writing for one reader: the language, the width and how figures are shown.
struct Pen {
    l: Locale,
    vi: bool,
    width: usize,
    exact: bool,
    rounding: Rounding,
}

impl Pen {
    /// A computed figure: at the round's precision (`85,63`), or exact when asked.
    fn fig(&self, d: Decimal) -> String {
        if self.exact { self.l.plain(d) } else { self.l.number(self.rounding.present(d)) }
    }

    /// A figure from a document (a maximum, a band bound, points written in a rule): as
    /// written, without trailing zeros.
    fn doc(&self, d: Decimal) -> String {
        self.l.plain(d)
    }

    /// A published figure (already at the round's precision).
    fn shown(&self, d: Decimal) -> String {
        self.l.number(d)
    }

    /// `en` or `vi`.
    fn t<'a>(&self, en: &'a str, vi: &'a str) -> &'a str {
        if self.vi { vi } else { en }
    }

    /// A date from a trace (`2024-01-15`), as the reader writes dates.
    fn date(&self, text: &str) -> String {
        Date::parse(text).map_or_else(|| text.to_owned(), |d| self.l.date(d))
    }

    fn stage(&self, s: StageLabel) -> String {
        match (self.vi, s) {
            (true, StageLabel::SelfAssessment) => "tự đánh giá".to_owned(),
            (true, StageLabel::Appraisal(n)) => format!("thẩm định vòng {n}"),
            (false, s) => s.to_string(),
        }
    }

    /// Appends `text` wrapped to the width, the first line after `first`, the others after `rest`.
    fn line(&self, out: &mut String, text: &str, first: &str, rest: &str) {
        out.push_str(&wrap(text, self.width, first, rest));
    }
}

fn status_words(status: Status, l: Locale) -> &'static str {
    match (l, status) {
        (Locale::Vi, Status::Final) => "đã thẩm định xong",
        (Locale::Vi, Status::Appraised) => "đang thẩm định",
        (Locale::Vi, Status::SelfAssessed) => "đã tự đánh giá",
        (Locale::Vi, Status::NotSubmitted) => "chưa nộp hồ sơ",
        (_, s) => s.as_str(),
    }
}

/// Explains one unit of a loaded round as English text, unwrapped, with exact figures in the
/// arithmetic ([`explain_text_with`]).
///
/// # Errors
///
/// As [`explain_text_with`].
pub fn explain_text(folder: &RoundFolder, unit: &str, criterion: Option<&str>) -> Result<String, Error> {
    let options = ExplainOptions { locale: Locale::En, width: usize::MAX, exact: true };
    explain_text_with(folder, unit, criterion, &options)
}

/// Explains one unit of a loaded round as text for a person, as `options` say. With
/// `criterion`, explains every stage of that criterion's leaves (all leaves under a group);
/// without, prints the table of every criterion, the findings and the arithmetic of the
/// totals, the index and the class.
///
/// # Errors
///
/// [`Error::UnknownUnit`] when the round has no such unit, [`Error::UnknownCriterion`] when
/// its criteria set has no such criterion.
pub fn explain_text_with(
    folder: &RoundFolder,
    unit: &str,
    criterion: Option<&str>,
    options: &ExplainOptions,
) -> Result<String, Error> {
    let round = &folder.round;
    let Some(u) = round.unit(unit) else {
        return Err(Error::UnknownUnit {
            round: round.id.clone(),
            unit: unit.to_owned(),
            units: round.units.iter().map(|u| u.id.clone()).collect(),
        });
    };
    let (Some(block), Some(set)) = (round.block(&u.block), folder.criteria_set(&u.block)) else {
        return Err(Error::UnknownBlock { unit: unit.to_owned() });
    };
    let ctx = UnitContext { unit: &u.id, tags: &u.tags, survey_held: block.survey, self_deadline: round.self_deadline };
    let assessment = folder.assessments.get(unit);
    let (result, explanation) = explain_unit(set, &ctx, assessment);
    let results = score_round(folder);
    let block_rows = results.blocks.iter().find(|b| b.id == block.id).map(|b| b.units.as_slice()).unwrap_or_default();
    let Some(row) = block_rows.iter().find(|r| r.unit == unit) else {
        return Err(Error::NotScored { unit: unit.to_owned() });
    };
    let ranked = block_rows.iter().filter(|r| r.rank.is_some()).count();
    let pen = Pen {
        l: options.locale,
        vi: options.locale == Locale::Vi,
        width: options.width.max(crate::terminal::MIN_WIDTH),
        exact: options.exact,
        rounding: round.rounding,
    };
    let w = &pen;

    let mut out = String::new();
    w.line(&mut out, &format!("{} ({}) — {} — {} ({})", u.name, u.id, block.title, round.title, round.id), "", "  ");
    let rank = match (w.vi, row.rank) {
        (true, Some(r)) => format!("hạng {r}/{ranked}"),
        (true, None) => "không xếp hạng".to_owned(),
        (false, Some(r)) => format!("rank {r} of {ranked}"),
        (false, None) => "not ranked".to_owned(),
    };
    let class = row.class.as_deref().unwrap_or(w.t("no class", "không xếp loại"));
    let status = status_words(row.status, w.l);
    let facts = if w.vi {
        format!("{status} · chỉ số {}% · {rank} · {class} · bộ tiêu chí {}", w.shown(row.index), set.id)
    } else {
        format!("status {status} · index {} · {rank} · {class} · criteria set {}", w.shown(row.index), set.id)
    };
    w.line(&mut out, &facts, "", "  ");
    let stage_labels: Vec<StageLabel> =
        assessment.map(|a| a.appraisals.iter().map(|ap| StageLabel::Appraisal(ap.stage)).collect()).unwrap_or_default();

    match criterion {
        Some(code) => {
            let Some(id) = set.find(code) else {
                return Err(Error::UnknownCriterion { criteria_set: set.id.clone(), criterion: code.to_owned() });
            };
            let codes: Vec<usize> = subtree(set, id.0);
            for i in &codes {
                match (set.nodes().get(*i), explanation.leaves.get(*i), row.nodes.get(*i)) {
                    (Some(node), Some(Some(leaf)), _) => {
                        out.push('\n');
                        leaf_detail(&mut out, node, leaf, w);
                    }
                    (Some(node), _, Some(nr)) => {
                        let points = match (nr.points, nr.max, w.vi) {
                            (Some(p), Some(m), true) => format!("{} trên {} điểm", w.shown(p), w.shown(m)),
                            (Some(p), Some(m), false) => format!("{p} of {m} point(s)"),
                            (_, _, true) => "loại trừ: không tiêu chí con nào áp dụng".to_owned(),
                            (_, _, false) => "excluded: none of its items applies".to_owned(),
                        };
                        out.push('\n');
                        w.line(&mut out, &format!("{} {} — {points}", node.code, node.title), "", "  ");
                    }
                    _ => {}
                }
            }
            let wanted: Vec<&str> = codes.iter().filter_map(|i| set.nodes().get(*i)).map(|n| n.code.as_str()).collect();
            let findings: Vec<_> =
                row.findings.iter().filter(|f| f.criterion.as_deref().is_some_and(|c| wanted.contains(&c))).collect();
            if !findings.is_empty() {
                let _ = writeln!(out, "\n{}:", w.t("Findings", "Các vấn đề phát hiện"));
                for f in findings {
                    let text = format!(
                        "[{}] {}: {}",
                        f.code,
                        f.criterion.as_deref().unwrap_or(""),
                        f.code.message(&f.message, w.l)
                    );
                    w.line(&mut out, &text, "  ", "      ");
                }
            }
        }
        None => {
            out.push('\n');
            table(&mut out, set, row, &explanation, &stage_labels, w);
            let _ = write!(out, "\n{}:", w.t("Findings", "Các vấn đề phát hiện"));
            if row.findings.is_empty() {
                let _ = writeln!(out, " {}", w.t("none", "không có"));
            } else {
                out.push('\n');
                for f in &row.findings {
                    let message = f.code.message(&f.message, w.l);
                    let text = match &f.criterion {
                        Some(c) => format!("[{}] {c}: {message}", f.code),
                        None => format!("[{}] {message}", f.code),
                    };
                    w.line(&mut out, &text, "  ", "      ");
                }
            }
            out.push('\n');
            arithmetic(&mut out, &result, &explanation, row, w, &block.classes, ranked);
        }
    }
    Ok(out)
}

/// The node at `root` and every node below it, in document order.
fn subtree(set: &CriteriaSet, root: usize) -> Vec<usize> {
    let mut out = vec![root];
    let mut i = 0;
    while let Some(&n) = out.get(i) {
        if let Some(node) = set.nodes().get(n) {
            out.extend(node.children().iter().map(|c| c.0));
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

fn table(
    out: &mut String,
    set: &CriteriaSet,
    row: &UnitRow,
    explanation: &UnitExplanation,
    stages: &[StageLabel],
    w: &Pen,
) {
    let mut header = vec![
        w.t("criterion", "tiêu chí").to_owned(),
        w.t("max", "tối đa").to_owned(),
        w.t("self", "tự chấm").to_owned(),
    ];
    header.extend(stages.iter().map(|s| match (w.vi, s) {
        (true, StageLabel::Appraisal(n)) => format!("TĐ {n}"),
        (false, StageLabel::Appraisal(n)) => format!("appr. {n}"),
        (_, StageLabel::SelfAssessment) => w.t("self", "tự chấm").to_owned(),
    }));
    header.push(w.t("final", "cuối cùng").to_owned());
    let mut lines: Vec<Vec<String>> = Vec::new();
    for ((node, node_row), leaf) in set.nodes().iter().zip(&row.nodes).zip(&explanation.leaves) {
        let mut cells = vec![format!("{}{} {}", "  ".repeat(node.depth), node.code, node.title)];
        if node_row.excluded {
            cells.push(w.shown(w.rounding.present(node.max)));
            cells.push(String::new());
            cells.extend(stages.iter().map(|_| String::new()));
            let why = leaf.as_ref().map_or(w.t("excluded", "loại trừ"), |l| match l.decision {
                "not_applicable" => w.t("not applicable", "không áp dụng"),
                "no_survey" => w.t("no survey", "không điều tra"),
                "nothing_arose_excluded" => w.t("nothing arose", "không phát sinh"),
                _ => w.t("excluded", "loại trừ"),
            });
            cells.push(why.to_owned());
            lines.push(cells);
            continue;
        }
        cells.push(node_row.max.map(|m| w.shown(m)).unwrap_or_default());
        cells.push(node_row.self_points.map(|m| w.shown(m)).unwrap_or_default());
        for stage in stages {
            let cell = leaf
                .as_ref()
                .and_then(|l| l.stages.iter().find(|s| s.stage == *stage))
                .map(|s| stage_cell(s, w))
                .unwrap_or_default();
            cells.push(cell);
        }
        let mut last = node_row.points.map(|m| w.shown(m)).unwrap_or_default();
        if leaf.as_ref().is_some_and(|l| l.source == "survey") {
            last.push_str(w.t(" (survey)", " (điều tra)"));
        }
        cells.push(last);
        lines.push(cells);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| width_of(h)).collect();
    for l in &lines {
        for (wd, c) in widths.iter_mut().zip(l) {
            *wd = (*wd).max(width_of(c));
        }
    }
    // The criterion column takes what the figures leave of the width (at least 20).
    let figures: usize = widths.iter().skip(1).map(|wd| wd + 2).sum();
    if let Some(first) = widths.first_mut() {
        *first = (*first).min(w.width.saturating_sub(figures).max(20));
    }
    let render = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, wd))| if i == 0 { pad(&shorten(c, *wd), *wd, false) } else { pad(c, *wd, true) })
            .collect();
        parts.join("  ").trim_end().to_owned() + "\n"
    };
    out.push_str(&render(&header));
    for l in &lines {
        out.push_str(&render(l));
    }
    w.line(
        out,
        w.t(
            "(· no change at that stage: the earlier entry stays; excl.: nothing arose, the item leaves the maximum)",
            "(TĐ n: thẩm định vòng n; · vòng đó không thay đổi: giữ điểm vòng trước; kps: không phát sinh, tiêu chí không tính vào điểm tối đa)",
        ),
        "",
        " ",
    );
}

fn stage_cell(stage: &StageTrace, w: &Pen) -> String {
    let mark = match stage.entry {
        "given" => "",
        _ => "·",
    };
    match (stage.points, stage.excluded) {
        (Some(p), _) => format!("{}{mark}", w.shown(w.rounding.present(p))),
        (None, true) => format!("{}{mark}", w.t("excl.", "kps")),
        (None, false) => "–".to_owned(),
    }
}

fn measure_words(m: &Measure, w: &Pen) -> String {
    match m {
        Measure::Percent(p) => format!("{}%", w.doc(*p)),
        Measure::Count(c) if w.vi => format!("{} trường hợp", w.doc(*c)),
        Measure::Count(c) => format!("count {}", w.doc(*c)),
        Measure::Number(n) => w.doc(*n),
        Measure::Ratio { numerator, denominator, percent } => match percent {
            Some(p) => format!("{}/{} = {}%", w.doc(*numerator), w.doc(*denominator), w.fig(*p)),
            None => format!("{}/{}", w.doc(*numerator), w.doc(*denominator)),
        },
    }
}

/// A band's interval in words ("từ 80% đến dưới 98%", "from 80% up to below 98%"), each
/// bound followed by `unit`.
fn range_words(from: Option<Decimal>, to: Option<Decimal>, fi: bool, ti: bool, unit: &str, w: &Pen) -> String {
    let f = from.map(|d| format!("{}{unit}", w.doc(d)));
    let t = to.map(|d| format!("{}{unit}", w.doc(d)));
    match (w.vi, f, t) {
        (true, Some(f), None) => {
            if fi {
                format!("từ {f} trở lên")
            } else {
                format!("trên {f}")
            }
        }
        (true, None, Some(t)) => {
            if ti {
                format!("từ {t} trở xuống")
            } else {
                format!("dưới {t}")
            }
        }
        (true, Some(f), Some(t)) => format!(
            "{} {}",
            if fi { format!("từ {f}") } else { format!("trên {f}") },
            if ti { format!("đến {t}") } else { format!("đến dưới {t}") }
        ),
        (true, None, None) => "mọi giá trị".to_owned(),
        (false, Some(f), None) => {
            if fi {
                format!("{f} or more")
            } else {
                format!("more than {f}")
            }
        }
        (false, None, Some(t)) => {
            if ti {
                format!("at most {t}")
            } else {
                format!("below {t}")
            }
        }
        (false, Some(f), Some(t)) => format!(
            "{} {}",
            if fi { format!("from {f}") } else { format!("more than {f}") },
            if ti { format!("up to {t}") } else { format!("up to below {t}") }
        ),
        (false, None, None) => "any value".to_owned(),
    }
}

/// How the rule scored an input, in words.
fn evaluation_words(t: &RuleTrace, w: &Pen) -> String {
    let vi = w.vi;
    let none = || w.t("none", "không có").to_owned();
    let how = match &t.step {
        RuleStep::YesNo { done } => (if *done { w.t("yes", "có") } else { w.t("no", "không") }).to_owned(),
        RuleStep::Options { key, label } => format!("{} {key} “{label}”", w.t("option", "phương án")),
        RuleStep::Bands { value, band, otherwise } => match (band, otherwise) {
            (Some(b), _) => {
                let unit = if matches!(value, Measure::Percent(_) | Measure::Ratio { .. }) { "%" } else { "" };
                let range = range_words(b.from, b.to, b.from_inclusive, b.to_inclusive, unit, w);
                if vi {
                    format!("{} thuộc khoảng {} ({range})", measure_words(value, w), b.index + 1)
                } else {
                    format!("{} falls in band {} ({range})", measure_words(value, w), b.index + 1)
                }
            }
            (None, Some(o)) if vi => {
                format!("{} không thuộc khoảng nào: còn lại {}", measure_words(value, w), w.points_doc(*o))
            }
            (None, Some(o)) => format!("{} falls in no band: otherwise {}", measure_words(value, w), w.doc(*o)),
            (None, None) => measure_words(value, w),
        },
        RuleStep::Proportional { value, zero_below, full_from, applied } => match (*applied, vi) {
            ("zero_below", true) => {
                format!("{} dưới {}%: 0 điểm", measure_words(value, w), w.doc(zero_below.unwrap_or_default()))
            }
            ("zero_below", false) => {
                format!("{} is below {}%: 0", measure_words(value, w), w.doc(zero_below.unwrap_or_default()))
            }
            ("full_from", true) => {
                format!("{} từ {}% trở lên: đủ điểm", measure_words(value, w), w.doc(full_from.unwrap_or_default()))
            }
            ("full_from", false) => format!(
                "{} is at or above {}%: full points",
                measure_words(value, w),
                w.doc(full_from.unwrap_or_default())
            ),
            (_, true) => format!("điểm tối đa × {}", measure_words(value, w)),
            (_, false) => format!("max × {}", measure_words(value, w)),
        },
        RuleStep::Deduction { count, per } if vi => {
            format!("{} trường hợp × {} trừ vào điểm tối đa", w.doc(*count), w.points_doc(*per))
        }
        RuleStep::Deduction { count, per } => {
            format!("{} occurrence(s) × {} deducted from the maximum", w.doc(*count), w.doc(*per))
        }
        RuleStep::Deadline { done, due, grace_days, late_points, days_late, result } => {
            let due = w.date(due);
            let late = days_late.unwrap_or_default();
            match (done, *result, vi) {
                (None, _, true) => "chưa thực hiện: 0 điểm".to_owned(),
                (None, _, false) => "not done: 0".to_owned(),
                (Some(d), "on_time", true) => format!("hoàn thành ngày {}, hạn {due}: đúng hạn", w.date(d)),
                (Some(d), "on_time", false) => format!("done {}, due {due}: on time", w.date(d)),
                (Some(d), "within_grace", true) => format!(
                    "hoàn thành ngày {}, muộn {late} ngày so với hạn {due}, trong {grace_days} ngày cho phép: {}",
                    w.date(d),
                    w.points_doc(*late_points)
                ),
                (Some(d), "within_grace", false) => format!(
                    "done {}, {late} day(s) after {due}, within {grace_days} grace day(s): late points {}",
                    w.date(d),
                    w.doc(*late_points)
                ),
                (Some(d), _, true) => {
                    format!("hoàn thành ngày {}, muộn {late} ngày so với hạn {due}: quá muộn", w.date(d))
                }
                (Some(d), _, false) => format!("done {}, {late} day(s) after {due}: too late", w.date(d)),
            }
        }
        RuleStep::PerItem { count, per } if vi => {
            format!("{} trường hợp × {}, không quá điểm tối đa", w.doc(*count), w.points_doc(*per))
        }
        RuleStep::PerItem { count, per } => {
            format!("{} occurrence(s) × {}, at most the maximum", w.doc(*count), w.doc(*per))
        }
        RuleStep::Survey { answer, threshold } => {
            let score = match answer {
                SurveyTrace::Counts { counts, weighted, answers, score, .. } => {
                    let c: Vec<String> =
                        counts.iter().map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or(""))).collect();
                    let s = score.map_or_else(none, |s| w.fig(s));
                    if vi {
                        format!(
                            "số phiếu {}: Σ trọng số × số phiếu {} trên {} phiếu, điểm khảo sát {s}",
                            c.join(", "),
                            w.fig(*weighted),
                            w.doc(*answers)
                        )
                    } else {
                        format!(
                            "answers {}: Σ weight × count {} over {} answer(s), score {s}",
                            c.join(", "),
                            w.fig(*weighted),
                            w.doc(*answers)
                        )
                    }
                }
                SurveyTrace::Mean { mean, scale_min, scale_max, score } => {
                    let s = score.map_or_else(none, |s| w.fig(s));
                    if vi {
                        format!(
                            "điểm trung bình {} trên thang {}–{}, điểm khảo sát {s}",
                            w.fig(*mean),
                            w.doc(*scale_min),
                            w.doc(*scale_max)
                        )
                    } else {
                        format!("mean {} on {}–{}, score {s}", w.fig(*mean), w.doc(*scale_min), w.doc(*scale_max))
                    }
                }
                SurveyTrace::Score { score } => format!("{} {}", w.t("score", "điểm khảo sát"), w.fig(*score)),
                SurveyTrace::Groups { groups, score } => {
                    let g: Vec<String> = groups
                        .iter()
                        .map(|g| match (g.score, vi) {
                            (Some(s), true) => format!("{} điểm {} × trọng số {}", g.group, w.fig(s), w.doc(g.weight)),
                            (Some(s), false) => format!("{} score {} × weight {}", g.group, w.fig(s), w.doc(g.weight)),
                            (None, true) => format!("{} không có phiếu (không tính)", g.group),
                            (None, false) => format!("{} no answers (left out)", g.group),
                        })
                        .collect();
                    let s = score.map_or_else(none, |s| w.fig(s));
                    if vi {
                        format!("nhóm đối tượng: {}; điểm chung {s}", g.join("; "))
                    } else {
                        format!("respondent groups: {}; merged score {s}", g.join("; "))
                    }
                }
            };
            match (*threshold, vi) {
                (Some("zero_below"), true) => format!("{score}, dưới ngưỡng zero_below: tính 0"),
                (Some("zero_below"), false) => format!("{score}, below zero_below: counts 0"),
                (Some("full_from"), true) => format!("{score}, từ ngưỡng full_from trở lên: tính 1"),
                (Some("full_from"), false) => format!("{score}, at or above full_from: counts 1"),
                _ => score,
            }
        }
        RuleStep::Formula { choice, expression, variables, division_by_zero, refs, .. } => {
            let vars: Vec<String> = variables
                .iter()
                .chain(refs.iter())
                .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or("")))
                .collect();
            let choice = choice.as_ref().map(|c| format!(" ({} {c})", w.t("choice", "cách tính"))).unwrap_or_default();
            let dz = if *division_by_zero { w.t(", divides by zero", ", có phép chia cho 0") } else { "" };
            format!(
                "{} {expression}{choice} {} {}{dz}",
                w.t("formula", "công thức"),
                w.t("with", "với"),
                vars.join(", ")
            )
        }
    };
    let raw = match (t.unclamped, t.points) {
        (Some(u), Some(p)) if u == p => format!(" = {}", w.fig(u)),
        (Some(u), _) => format!(" = {}, {}", w.fig(u), w.t("clamped", "giới hạn trong khoảng điểm")),
        _ => String::new(),
    };
    match (t.points, vi) {
        (Some(p), true) => format!("{how}{raw} → {} điểm", w.fig(p)),
        (Some(p), false) => format!("{how}{raw} → {} point(s)", w.fig(p)),
        (None, true) => format!("{how} → không phát sinh"),
        (None, false) => format!("{how} → nothing arose"),
    }
}

impl Pen {
    /// Points written in a document, with their unit: `0,5 điểm`, `0.5 point(s)`.
    fn points_doc(&self, d: Decimal) -> String {
        self.l.points(d)
    }
}

fn leaf_detail(out: &mut String, node: &crate::Node, leaf: &LeafExplanation, w: &Pen) {
    let vi = w.vi;
    let (i1, i2) = ("  ", "      ");
    w.line(out, &format!("{} {}", node.code, node.title), "", "  ");
    if let Some(rule) = node.leaf() {
        let text = format!("{} {} · {}", w.t("max", "tối đa"), w.doc(node.max), rule.rule.describe_in(node.max, w.l));
        w.line(out, &text, i1, "    ");
    }
    let source = match (vi, leaf.source) {
        (true, "assessed") => "đơn vị tự chấm, Hội đồng thẩm định",
        (true, "survey") => "điều tra xã hội học",
        (true, "derived") => "tính từ tiêu chí khác",
        (true, "appraisal") => "Hội đồng thẩm định chấm",
        (_, s) => s,
    };
    let policy = match (vi, leaf.not_arising_policy) {
        (true, "full") => "được đủ điểm",
        (true, "exclude") => "không tính vào điểm tối đa",
        (true, "forbidden") => "không được khai",
        (_, p) => p,
    };
    let text = if vi {
        format!("nguồn điểm: {source} · không phát sinh: {policy}")
    } else {
        format!("source {source} · nothing arose: {policy}")
    };
    w.line(out, &text, i1, "    ");
    if leaf.source == "appraisal" {
        let text = w.t(
            "scored by the appraisal council only: the unit does not self-score it, and it has no self points",
            "chỉ Hội đồng thẩm định chấm: đơn vị không tự chấm, không có điểm tự chấm",
        );
        w.line(out, text, i1, "    ");
    }
    if leaf.source == "derived" {
        let text = w.t(
            "derived: computed at every stage from the items it references; it takes no entries",
            "tính ở mọi vòng từ các tiêu chí được tham chiếu; không nhập điểm",
        );
        w.line(out, text, i1, "    ");
    }
    if leaf.evidence_required {
        let text = w.t(
            "evidence is required: a self entry without evidence (a note is not enough) is worth 0",
            "bắt buộc có tài liệu kiểm chứng: tự chấm không có tài liệu (ghi chú không thay được) được 0 điểm",
        );
        w.line(out, text, i1, "    ");
    }
    if let Some(c) = leaf.counts {
        let text = if vi {
            let kind = match c {
                "bonus" => "điểm thưởng",
                "penalty" => "điểm trừ",
                other => other,
            };
            format!("tính là {kind}, ngoài điểm tối đa")
        } else {
            format!("counts as {c} points, outside the maximum")
        };
        w.line(out, &text, i1, "    ");
    }
    if let Some(a) = &leaf.applies_to {
        let none = w.t("none", "không có").to_owned();
        let tags = if a.unit_tags.is_empty() { none } else { a.unit_tags.join(", ") };
        let text = if vi {
            format!(
                "loại trừ: {} chỉ áp dụng cho đơn vị có nhãn {}; nhãn của đơn vị: {tags}",
                a.node,
                a.wants.join(" hoặc ")
            )
        } else {
            format!(
                "excluded: {} applies only to units tagged {}; the unit's tags: {tags}",
                a.node,
                a.wants.join(" or ")
            )
        };
        w.line(out, &text, i1, "    ");
    }
    if leaf.decision == "no_survey" {
        w.line(
            out,
            w.t("excluded: the block holds no survey", "loại trừ: khối không tổ chức điều tra xã hội học"),
            i1,
            "    ",
        );
    }
    for s in &leaf.stages {
        let label = if s.is_final {
            format!("{}, {}", w.stage(s.stage), w.t("final", "kết quả cuối cùng"))
        } else {
            w.stage(s.stage)
        };
        let eval = || s.evaluation.as_ref().map(|e| evaluation_words(e, w)).unwrap_or_default();
        let what = match s.entry {
            "none" => w.t("no entry", "không có điểm").to_owned(),
            "derived" => {
                format!("{}: {}", w.t("computed from its references", "tính từ các tiêu chí tham chiếu"), eval())
            }
            "carried_over" if s.evaluation.is_some() => format!(
                "{}: {}",
                w.t(
                    "no change: the earlier entry stays, evaluated again with this stage's references",
                    "không thay đổi: giữ điểm vòng trước, tính lại với tham chiếu của vòng này"
                ),
                eval()
            ),
            "carried_over" => {
                w.t("no change: the earlier entry stays", "không thay đổi: giữ điểm vòng trước").to_owned()
            }
            _ => {
                let mut parts = Vec::new();
                if s.not_arising {
                    parts.push(w.t("declares nothing arose (không phát sinh)", "khai không phát sinh").to_owned());
                }
                if s.evaluation.is_some() {
                    parts.push(eval());
                }
                if let Some(g) = s.points_given {
                    parts.push(match (vi, s.evaluation.is_some()) {
                        (true, true) => format!("ghi {} (tính theo số liệu)", w.points_doc(g)),
                        (true, false) => format!("ghi {}", w.points_doc(g)),
                        (false, true) => format!("{g} point(s) entered (the input counts)"),
                        (false, false) => format!("{g} point(s) entered"),
                    });
                }
                parts.join("; ")
            }
        };
        let after = match (s.points, s.excluded) {
            (Some(p), _) => format!(" ⇒ {}", w.shown(w.rounding.present(p))),
            (None, true) => format!(" ⇒ {}", w.t("excluded", "loại trừ")),
            (None, false) => String::new(),
        };
        w.line(out, &format!("{label}: {what}{after}"), i1, "    ");
        if s.without_required_evidence {
            let text = w.t(
                "no evidence listed where this item requires it: the self entry is worth 0 (SPEC §11.5)",
                "không có tài liệu kiểm chứng bắt buộc: điểm tự chấm được tính 0 (SPEC §11.5)",
            );
            w.line(out, text, i2, i2);
        }
        if let Some(r) = &s.reason {
            w.line(out, &format!("{}: {r}", w.t("reason", "lý do")), i2, "        ");
        }
        if let Some(by) = &s.by {
            w.line(out, &format!("{}: {by}", w.t("appraised by", "người thẩm định")), i2, "        ");
        }
        if s.explain {
            w.line(out, w.t("the unit is asked to explain (yêu cầu giải trình)", "yêu cầu đơn vị giải trình"), i2, i2);
        }
        for e in &s.evidence {
            let text = match &e.reference {
                Some(r) => format!("{}: {} ({r})", w.t("evidence", "tài liệu kiểm chứng"), e.title),
                None => format!("{}: {}", w.t("evidence", "tài liệu kiểm chứng"), e.title),
            };
            w.line(out, &text, i2, "        ");
            if let Some(f) = &e.file {
                w.line(out, &format!("{}: {f}", w.t("file", "tệp")), "        ", "          ");
            }
        }
        if let Some(n) = &s.note {
            w.line(out, &format!("{}: {n}", w.t("note", "ghi chú")), i2, "        ");
        }
    }
    if let Some(sv) = &leaf.survey {
        let text = match &sv.evaluation {
            Some(e) => evaluation_words(e, w),
            None => sv.answer.to_string(),
        };
        w.line(out, &format!("{}: {text}", w.t("survey", "điều tra xã hội học")), i1, "    ");
    }
    if let Some(x) = &leaf.explanation {
        w.line(
            out,
            &format!("{}: {}", w.t("explanation (giải trình)", "giải trình"), x.note.as_deref().unwrap_or("")),
            i1,
            "    ",
        );
        for e in &x.evidence {
            w.line(out, &format!("{}: {}", w.t("evidence", "tài liệu kiểm chứng"), e.title), i2, "        ");
        }
    }
    let decision = match (leaf.decision, vi) {
        ("scored", false) if leaf.source == "survey" => "scored from the survey result",
        ("scored", true) if leaf.source == "survey" => "chấm theo kết quả điều tra xã hội học",
        ("scored", false) if leaf.source == "derived" => "computed from its references at the last stage",
        ("scored", true) if leaf.source == "derived" => "tính từ các tiêu chí tham chiếu ở vòng cuối",
        ("missing_entry", false) if leaf.counts.is_some() => "no entry at any stage: 0 (nothing to report)",
        ("missing_entry", true) if leaf.counts.is_some() => "không vòng nào có điểm: 0 (không có gì để báo)",
        ("missing_entry", false) if leaf.source == "appraisal" && leaf.stages.is_empty() => "no appraisal yet: 0",
        ("missing_entry", true) if leaf.source == "appraisal" && leaf.stages.is_empty() => "chưa thẩm định: 0",
        ("scored", false) => "scored from the entry in effect at the last stage",
        ("scored", true) => "chấm theo điểm có hiệu lực ở vòng cuối",
        ("nothing_arose_full", false) => "nothing arose, and this item then earns full points",
        ("nothing_arose_full", true) => "không phát sinh: tiêu chí được đủ điểm",
        ("nothing_arose_excluded", false) => "nothing arose, and this item then leaves the maximum",
        ("nothing_arose_excluded", true) => "không phát sinh: tiêu chí không tính vào điểm tối đa",
        ("missing_entry", false) => "no entry at any stage: 0 (finding missing_entry)",
        ("missing_entry", true) => "không vòng nào có điểm: 0 (vấn đề missing_entry)",
        ("missing_survey", false) => "no survey result: 0 (finding missing_survey)",
        ("missing_survey", true) => "không có kết quả điều tra: 0 (vấn đề missing_survey)",
        ("not_applicable", false) => "not applicable to this unit",
        ("not_applicable", true) => "không áp dụng cho đơn vị này",
        ("no_survey", false) => "no survey held in this block",
        ("no_survey", true) => "khối không tổ chức điều tra xã hội học",
        (other, _) => other,
    };
    let (self_word, final_word) = (w.t("self", "tự chấm"), w.t("final", "cuối cùng"));
    let points = match (leaf.self_points, leaf.points) {
        (Some(s), Some(p)) => {
            format!(": {self_word} {}, {final_word} {}", w.shown(w.rounding.present(s)), w.shown(w.rounding.present(p)))
        }
        (None, Some(p)) => format!(": {final_word} {}", w.shown(w.rounding.present(p))),
        _ => String::new(),
    };
    w.line(out, &format!("⇒ {decision}{points}"), i1, "    ");
    // SPEC §6.2: a self entry that said nothing arose is worth 0 at the self stage once a later
    // stage scores the item, whatever the stage line above shows for the entry itself.
    let self_said_nothing_arose =
        leaf.stages.first().is_some_and(|s| s.stage == StageLabel::SelfAssessment && s.not_arising);
    let later_scored = leaf.stages.iter().skip(1).any(|s| s.entry == "given" && !s.not_arising);
    if self_said_nothing_arose && later_scored && leaf.self_points.is_some_and(|p| p.is_zero()) {
        let text = w.t(
            "(self 0: the self-assessment said nothing arose, but a later stage scored the item — SPEC §6.2)",
            "(tự chấm 0: đơn vị khai không phát sinh, nhưng vòng sau đã chấm điểm tiêu chí — SPEC §6.2)",
        );
        w.line(out, text, "    ", "     ");
    }
}

fn arithmetic(
    out: &mut String,
    result: &UnitResult,
    explanation: &UnitExplanation,
    row: &UnitRow,
    w: &Pen,
    classes: &[crate::ClassBand],
    ranked: usize,
) {
    let vi = w.vi;
    let f = |d: Decimal| w.fig(d);
    let head = match (vi, w.exact) {
        (true, true) => "Tổng điểm (giá trị chính xác, chỉ làm tròn khi đưa vào bảng):",
        (true, false) => "Tổng điểm (làm tròn theo quy định của kỳ đánh giá; --exact để xem giá trị chính xác):",
        (false, true) => "Totals (exact, rounded only when shown in the table):",
        (false, false) => "Totals (at the round's precision; --exact for the exact values):",
    };
    w.line(out, head, "", "  ");
    let label = |en: &str, vi_: &str| pad(w.t(en, vi_), 17, false);
    let rows = [
        (
            label("self total", "tổng tự chấm"),
            result.self_total,
            w.t("Σ self points of assessed leaves", "Σ điểm tự chấm các tiêu chí thành phần"),
        ),
        (
            label("appraised total", "tổng thẩm định"),
            result.appraised_total,
            w.t("Σ final points of assessed leaves", "Σ điểm cuối cùng các tiêu chí thành phần"),
        ),
        (
            label("survey total", "tổng điều tra"),
            result.survey_total,
            w.t("Σ points of survey leaves", "Σ điểm các tiêu chí điều tra xã hội học"),
        ),
    ];
    for (name, value, why) in rows {
        w.line(out, &format!("{name} {}  ({why})", f(value)), "  ", "                      ");
    }
    let adjustments =
        [(w.t("bonus", "điểm thưởng"), &explanation.bonus), (w.t("penalty", "điểm trừ"), &explanation.penalty)];
    for (name, a) in adjustments {
        let items: Vec<String> = a.items.iter().map(|i| format!("{} “{}”", w.doc(i.points), i.reason)).collect();
        let from = match (vi, a.from) {
            (true, Some(s)) => format!(" {}", w.stage(s)),
            (false, Some(StageLabel::SelfAssessment)) => " from the self-assessment".to_owned(),
            (false, Some(StageLabel::Appraisal(n))) => format!(" from appraisal {n}"),
            (_, None) => String::new(),
        };
        let name = pad(name, 17, false);
        let list = w.t("list", "danh sách");
        let none = w.t("none", "không có");
        let text = if let Some(c) = a.criteria {
            format!(
                "{name} {}  ({list}{from}: {}; Σ {}; {} {}; {} {})",
                f(a.effective),
                if items.is_empty() { none.to_owned() } else { items.join(" + ") },
                f(a.sum),
                w.t("from criteria", "từ tiêu chí"),
                f(c),
                w.t("cap", "mức trần"),
                f(a.cap)
            )
        } else if items.is_empty() {
            format!("{name} 0")
        } else {
            format!(
                "{name} {}  ({list}{from}: {}; Σ {}, {} {})",
                f(a.effective),
                items.join(" + "),
                f(a.sum),
                w.t("cap", "mức trần"),
                f(a.cap)
            )
        };
        w.line(out, &text, "  ", "                      ");
    }
    let sum = result.appraised_total + result.survey_total + result.bonus - result.penalty;
    let total = w.t("total", "tổng điểm");
    let bound = if sum == result.total {
        format!(", {} {}", w.t("within 0 to", "trong khoảng từ 0 đến"), f(result.max))
    } else {
        format!(", {} {}: {}", w.t("clamped to 0 to", "giới hạn trong khoảng từ 0 đến"), f(result.max), f(result.total))
    };
    let text = format!(
        "{total} = {} + {} + {} − {} = {}{bound}",
        f(result.appraised_total),
        f(result.survey_total),
        f(result.bonus),
        f(result.penalty),
        f(sum)
    );
    w.line(out, &text, "  ", "    ");
    let decimals = if vi {
        format!("{} chữ số thập phân, {}", w.rounding.decimals, w.rounding.mode.as_str())
    } else {
        format!("{} decimal(s), {}", w.rounding.decimals, w.rounding.mode.as_str())
    };
    let index_exact = if w.exact { w.l.plain(result.index()) } else { w.l.plain(result.index().round_dp(6)) };
    let approx = if !w.exact && result.index().round_dp(6) != result.index() { "…" } else { "" };
    let text = format!(
        "{} = {} × 100 ÷ {} = {index_exact}{approx} → {} ({decimals})",
        w.t("index", "chỉ số"),
        f(result.total),
        f(result.max),
        w.shown(row.index)
    );
    w.line(out, &text, "  ", "    ");
    let band = class_band(classes, row.index).and_then(|i| classes.get(i));
    let class_word = w.t("class", "xếp loại");
    let no_class = w.t("no class", "không xếp loại");
    let mut class = match band {
        Some(b) => format!(
            "{class_word}: {} {} {} → {}",
            w.shown(row.index),
            if b.from_inclusive { "≥" } else { ">" },
            w.doc(b.from),
            b.label
        ),
        None => format!(
            "{class_word}: {} {} → {no_class}",
            w.shown(row.index),
            w.t("meets no class bound", "không đạt ngưỡng xếp loại nào")
        ),
    };
    if let Some(cap) = result.class_cap.as_ref().map(|c| &c.label) {
        class.push_str(&format!(
            "; {} {cap} → {}",
            w.t("capped at", "giới hạn ở mức"),
            row.class.as_deref().unwrap_or(no_class)
        ));
    }
    w.line(out, &class, "  ", "    ");
    let rank = match (row.rank, vi) {
        (Some(r), true) => format!("xếp hạng: {r}/{ranked} đơn vị được xếp hạng trong khối"),
        (Some(r), false) => format!("rank: {r} of {ranked} ranked unit(s) in the block"),
        (None, true) => "xếp hạng: đơn vị không được xếp hạng".to_owned(),
        (None, false) => "rank: the unit is not ranked".to_owned(),
    };
    w.line(out, &rank, "  ", "    ");
}
