//! The words of a report, in English or Vietnamese.

use parindex::Status;

/// The language of a report's labels; in Markdown and HTML also the decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English labels, decimal point (`85.63`).
    #[default]
    En,
    /// Vietnamese labels, decimal comma (`85,63`).
    Vi,
}

/// Every label a report uses.
pub(crate) struct Labels {
    pub lang: &'static str,
    pub evaluator: &'static str,
    pub rank: &'static str,
    pub unit: &'static str,
    pub points: &'static str,
    pub max: &'static str,
    pub index: &'static str,
    pub class: &'static str,
    pub status: &'static str,
    pub self_total: &'static str,
    pub appraised: &'static str,
    pub survey: &'static str,
    pub bonus: &'static str,
    pub penalty: &'static str,
    pub previous_index: &'static str,
    pub previous_rank: &'static str,
    pub change: &'static str,
    pub rank_change: &'static str,
    pub compared_with: &'static str,
    pub fields: &'static str,
    pub field: &'static str,
    pub units: &'static str,
    pub criterion: &'static str,
    pub self_points: &'static str,
    pub findings: &'static str,
    pub no_findings: &'static str,
    pub not_ranked: &'static str,
    pub no_class: &'static str,
    pub no_class_label: &'static str,
    pub excluded: &'static str,
    pub new_unit: &'static str,
    pub chart: &'static str,
    pub heat_map: &'static str,
    pub ranked_table: &'static str,
    pub engine: &'static str,
    pub inputs: &'static str,
}

const EN: Labels = Labels {
    lang: "en",
    evaluator: "Evaluator",
    rank: "Rank",
    unit: "Unit",
    points: "Points",
    max: "Max",
    index: "Index (%)",
    class: "Class",
    status: "Status",
    self_total: "Self-assessed",
    appraised: "Appraised",
    survey: "Survey",
    bonus: "Bonus",
    penalty: "Penalty",
    previous_index: "Previous index",
    previous_rank: "Previous rank",
    change: "Change",
    rank_change: "Rank change",
    compared_with: "Compared with round",
    fields: "Fields",
    field: "Field",
    units: "Units",
    criterion: "Criterion",
    self_points: "Self",
    findings: "Findings",
    no_findings: "No findings.",
    not_ranked: "not ranked",
    no_class: "–",
    no_class_label: "no class",
    excluded: "excluded",
    new_unit: "new",
    chart: "Index by unit",
    heat_map: "Field index by unit",
    ranked_table: "Ranked table",
    engine: "Scored by",
    inputs: "input files (SHA-256 in the results document)",
};

const VI: Labels = Labels {
    lang: "vi",
    evaluator: "Cơ quan đánh giá",
    rank: "Xếp hạng",
    unit: "Đơn vị",
    points: "Điểm đạt",
    max: "Điểm tối đa",
    index: "Chỉ số (%)",
    class: "Xếp loại",
    status: "Trạng thái",
    self_total: "Tự đánh giá",
    appraised: "Thẩm định",
    survey: "Điều tra XHH",
    bonus: "Điểm thưởng",
    penalty: "Điểm trừ",
    previous_index: "Chỉ số năm trước",
    previous_rank: "Hạng năm trước",
    change: "Tăng/giảm",
    rank_change: "Thay đổi hạng",
    compared_with: "So sánh với kỳ",
    fields: "Lĩnh vực",
    field: "Lĩnh vực",
    units: "Đơn vị",
    criterion: "Tiêu chí",
    self_points: "Tự chấm",
    findings: "Ghi nhận",
    no_findings: "Không có ghi nhận.",
    not_ranked: "không xếp hạng",
    no_class: "–",
    no_class_label: "không xếp loại",
    excluded: "không tính điểm",
    new_unit: "mới",
    chart: "Chỉ số theo đơn vị",
    heat_map: "Chỉ số từng lĩnh vực theo đơn vị",
    ranked_table: "Bảng xếp hạng",
    engine: "Chấm bằng",
    inputs: "tệp đầu vào (SHA-256 trong tệp kết quả)",
};

impl Locale {
    /// A finding's message for a reader of this locale (the results document keeps the
    /// engine's English sentence; the code is the same in both).
    pub(crate) fn finding(self, f: &parindex::Finding) -> String {
        let l = match self {
            Locale::En => parindex::Locale::En,
            Locale::Vi => parindex::Locale::Vi,
        };
        f.code.message(&f.message, l)
    }

    /// The labels of this locale.
    pub(crate) fn labels(self) -> &'static Labels {
        match self {
            Locale::En => &EN,
            Locale::Vi => &VI,
        }
    }

    /// A unit's status in words.
    pub(crate) fn status(self, status: Status) -> &'static str {
        match (self, status) {
            (Locale::En, Status::Final) => "final",
            (Locale::En, Status::Appraised) => "appraised",
            (Locale::En, Status::SelfAssessed) => "self-assessed",
            (Locale::En, Status::NotSubmitted) => "not submitted",
            (Locale::Vi, Status::Final) => "đã thẩm định",
            (Locale::Vi, Status::Appraised) => "đang thẩm định",
            (Locale::Vi, Status::SelfAssessed) => "tự đánh giá",
            (Locale::Vi, Status::NotSubmitted) => "chưa nộp",
        }
    }
}
