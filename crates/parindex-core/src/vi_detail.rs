//! The most common problems' messages wholly in Vietnamese: the figures, names and keys of
//! the engine's English message placed in a Vietnamese sentence ([`Code::message`]).
//!
//! The English message stays what the engine wrote (results documents and conformance cases
//! quote it); this reads its shape. A message of a shape not listed here keeps the code's
//! Vietnamese sentence with the English detail in brackets.
//!
//! [`Code::message`]: crate::diagnostic::Code::message

/// The whole message in Vietnamese, when `detail` has one of the shapes this module knows.
pub(crate) fn translate(detail: &str) -> Option<String> {
    fixed(detail).map(str::to_owned).or_else(|| shaped(detail))
}

/// Messages without figures.
fn fixed(detail: &str) -> Option<&'static str> {
    Some(match detail {
        "the file is not UTF-8 text" => "tệp không phải văn bản UTF-8",
        "a survey item is scored from the survey only" => {
            "tiêu chí điều tra xã hội học chỉ được chấm từ kết quả điều tra"
        }
        "this item does not allow 'nothing arose' (không phát sinh): score it" => {
            "tiêu chí này không được khai “không phát sinh”: hãy chấm điểm"
        }
        "this input means nothing arose (không phát sinh), which this item does not allow" => {
            "số liệu này có nghĩa là “không phát sinh”, điều mà tiêu chí này không cho phép"
        }
        "no survey answers were counted, and this item does not allow 'nothing arose'" => {
            "không có phiếu điều tra nào được tính, và tiêu chí này không được khai “không phát sinh”"
        }
        "points claimed without the evidence this item requires: the self entry is worth 0" => {
            "tự chấm điểm nhưng không có tài liệu kiểm chứng mà tiêu chí yêu cầu: điểm tự chấm tính 0"
        }
        "the assessment does not say which unit it is for (\"unit\")" => {
            "hồ sơ đánh giá không ghi là của đơn vị nào (\"unit\")"
        }
        "this item needs an input" => "tiêu chí này cần nhập số liệu",
        "an entry that says nothing arose gives neither \"input\" nor \"points\"" => {
            "mục đã khai “không phát sinh” thì không ghi \"input\" hay \"points\""
        }
        "a survey result gives exactly one of \"counts\", \"mean\" or \"score\"" => {
            "kết quả điều tra ghi đúng một trong \"counts\", \"mean\" hoặc \"score\""
        }
        _ => return None,
    })
}

/// Messages with figures, names or keys, by their shape.
fn shaped(d: &str) -> Option<String> {
    if let Some([p, m]) = parse(d, ["points ", " are above the maximum ", ""]) {
        return Some(format!("điểm {p} vượt quá điểm tối đa {m} của tiêu chí"));
    }
    if let Some([p, m]) = parse(d, ["points ", " are above the leaf's maximum ", ""]) {
        return Some(format!("điểm {p} vượt quá điểm tối đa {m} của tiêu chí"));
    }
    if let Some([n, m]) = parse(d, ["this object is ", " bytes long; an input is at most ", " bytes"]) {
        return Some(format!("đối tượng này dài {n} byte; số liệu nhập dài tối đa {m} byte"));
    }
    if let Some([p]) = parse(d, ["points ", " are below 0"]) {
        return Some(format!("điểm {p} nhỏ hơn 0: điểm không được âm"));
    }
    if let Some([p, k]) = parse(d, ["points ", " are below 0: a ", " item's points are never negative"]) {
        return Some(format!("điểm {p} nhỏ hơn 0: điểm của mục {k} không bao giờ âm"));
    }
    if let Some([p, s]) = parse(d, ["points ", " are not a multiple of the step ", ""]) {
        return Some(format!("điểm {p} không phải bội số của bước điểm {s}"));
    }
    if let Some([c, s]) = parse(d, ["'", "' is not a criterion of the criteria set '", "'"]) {
        return Some(format!("'{c}' không phải tiêu chí của bộ tiêu chí '{s}'"));
    }
    if let Some([c]) = parse(d, ["'", "' is a group: score its sub-criteria instead"]) {
        return Some(format!("'{c}' là nhóm tiêu chí: hãy chấm điểm các tiêu chí thành phần của nhóm"));
    }
    if let Some([c]) = parse(d, ["'", "' is scored from the survey: it has no self-assessment or appraisal entry"]) {
        return Some(format!(
            "'{c}' được chấm từ kết quả điều tra xã hội học: không có điểm tự chấm hay điểm thẩm định"
        ));
    }
    if let Some([n, c]) = parse(d, ["appraisal ", " changes '", "': give a \"reason\""]) {
        return Some(format!("thẩm định vòng {n} thay đổi điểm tiêu chí '{c}': phải ghi lý do (\"reason\")"));
    }
    if let Some([c]) = parse(
        d,
        [
            "",
            ": no entry; a submitted self-assessment scores every criterion that applies (give points, an input, or \"not_arising\": true where allowed)",
        ],
    ) {
        return Some(format!(
            "{c}: chưa có điểm; hồ sơ tự đánh giá khi nộp phải chấm mọi tiêu chí áp dụng (ghi điểm, số liệu, hoặc \"not_arising\": true nếu được phép)"
        ));
    }
    if let Some([n, m]) = parse(d, ["the numerator ", " is above the denominator ", ""]) {
        return Some(format!("tử số {n} lớn hơn mẫu số {m}"));
    }
    if let Some([k, list]) = parse(d, ["'", "' is not an option here; the options are: ", ""]) {
        return Some(format!("'{k}' không phải phương án của tiêu chí này; các phương án: {list}"));
    }
    if let Some([k, list]) = parse(d, ["'", "' is not one of the options; choose one of: ", ""]) {
        return Some(format!("'{k}' không phải một trong các phương án; chọn một trong: {list}"));
    }
    if let Some([u, r]) = parse(d, ["'", "' is not a unit of the round '", "'"]) {
        return Some(format!("'{u}' không phải đơn vị của kỳ đánh giá '{r}'"));
    }
    if let Some([t, e]) = parse(d, ["'", "' is not a date: write YYYY-MM-DD, e.g. ", ""]) {
        return Some(format!("'{t}' không phải ngày: viết theo dạng YYYY-MM-DD, ví dụ {e}"));
    }
    if let Some(vi) = more(d) {
        return Some(vi);
    }
    if let Some([t]) = parse(d, ["'", "' is not an RFC 3339 timestamp: write e.g. 2024-01-10T08:00:00+07:00"]) {
        return Some(format!("'{t}' không phải thời điểm theo RFC 3339: viết ví dụ 2024-01-10T08:00:00+07:00"));
    }
    if let Some([on, due]) = parse(d, ["the self-assessment was submitted on ", ", after the deadline ", ""]) {
        return Some(format!("hồ sơ tự đánh giá nộp ngày {}, sau thời hạn {}", date(on), date(due)));
    }
    if let Some([p]) = parse(d, ["", " points claimed without evidence or a note"]) {
        return Some(format!("tự chấm {p} điểm nhưng không có tài liệu kiểm chứng hoặc ghi chú"));
    }
    if let Some([stage, given, computed]) =
        parse(d, ["", ": ", " points entered, but the input gives ", "; the input counts"])
    {
        let stage = stage_vi(stage)?;
        let computed = match computed {
            "nothing arose" => "“không phát sinh”".to_owned(),
            other => format!("{} điểm", other.strip_suffix(" points")?),
        };
        return Some(format!("{stage}: ghi {given} điểm, nhưng số liệu cho {computed}; tính theo số liệu"));
    }
    if let Some([k]) = parse(d, ["'", "' is given more than once in this object: keep one"]) {
        return Some(format!("'{k}' xuất hiện nhiều lần trong cùng một đối tượng: chỉ giữ một"));
    }
    if let Some([what, key]) = parse(d, ["", " is missing its \"", "\""]) {
        return Some(format!("{} thiếu trường \"{key}\"", what_vi(what)?));
    }
    for (shape, vi) in [
        (" must be an object, found ", "một đối tượng"),
        (" must be a list, found ", "một danh sách"),
        (" must be a string, found ", "một chuỗi"),
        (" must be true or false, found ", "true hoặc false"),
    ] {
        if let Some([what, found]) = parse(d, ["", shape, ""]) {
            return Some(format!("{} phải là {vi}, nhưng đang là {}", what_vi(what)?, type_vi(found)?));
        }
    }
    decimal(d)
}

/// Shapes met less often: inputs out of range, duplicates, rules and references.
fn more(d: &str) -> Option<String> {
    let one = |shape: [&str; 2]| parse::<2, 1>(d, shape).map(|[a]| a);
    let two = |shape: [&str; 3]| parse::<3, 2>(d, shape);
    if let Some([y, list]) = two(["'", "' is not a variable of this formula; its variables are: ", ""]) {
        return Some(format!("'{y}' không phải biến của công thức này; các biến: {list}"));
    }
    if let Some([k, list]) = two(["'", "' is not a rule kind; the kinds are ", ""]) {
        return Some(format!("'{k}' không phải cách chấm điểm (kind) có trong đặc tả; các cách chấm: {list}"));
    }
    if let Some(set) = one(["the criteria set '", "' allows no bonus or penalty points (it has no \"adjustments\")"]) {
        return Some(format!("bộ tiêu chí '{set}' không có điểm thưởng hay điểm trừ (không có \"adjustments\")"));
    }
    if let Some([u, f]) = two(["unit '", "' already has an assessment in '", "': keep one file per unit"]) {
        return Some(format!("đơn vị '{u}' đã có hồ sơ đánh giá trong '{f}': mỗi đơn vị chỉ giữ một tệp"));
    }
    if let Some(x) = one(["a count is a whole number ≥ 0, not ", ""]) {
        return Some(format!("số lượng phải là số nguyên ≥ 0, không phải {x}"));
    }
    if let Some(x) = one(["a percent is from 0 to 100, not ", ""]) {
        return Some(format!("tỷ lệ phần trăm phải từ 0 đến 100, không phải {x}"));
    }
    if let Some(v) = one(["the formula needs a value for: ", ""]) {
        return Some(format!("công thức cần giá trị của: {v}"));
    }
    if let Some(n) = one(["appraisal stage ", " is given twice"]) {
        return Some(format!("thẩm định vòng {n} được ghi hai lần"));
    }
    if let Some([l, list]) = two(["'", "' is not a class of this block; the classes are: ", ""]) {
        return Some(format!("'{l}' không phải mức xếp loại của khối này; các mức xếp loại: {list}"));
    }
    if let Some(u) = one(["the unit id '", "' is used by another unit"]) {
        return Some(format!("mã đơn vị '{u}' đã được dùng cho một đơn vị khác"));
    }
    if let Some(c) = one(["the code '", "' is used by another node: codes must be unique"]) {
        return Some(format!("mã '{c}' đã được dùng cho một tiêu chí khác: mỗi mã chỉ dùng một lần"));
    }
    if let Some(c) = one(["'", "' is computed from the items it references: it takes no entries"]) {
        return Some(format!("'{c}' được tính từ các tiêu chí mà nó tham chiếu: không nhập điểm"));
    }
    if let Some(c) = one(["'", "' is scored by the appraisal council only: the unit does not self-score it"]) {
        return Some(format!("'{c}' chỉ do Hội đồng thẩm định chấm: đơn vị không tự chấm"));
    }
    if let Some(c) = one(["'", "' is assessed by the unit and the council, not by the survey"]) {
        return Some(format!("'{c}' do đơn vị và Hội đồng thẩm định chấm, không chấm qua điều tra xã hội học"));
    }
    if let Some([a, c]) = two(["the reference '", "' names '", "', which is not a criterion of this set"]) {
        return Some(format!("tham chiếu '{a}' trỏ tới '{c}', không phải tiêu chí của bộ tiêu chí này"));
    }
    if let Some(x) = one(["a leaf's max must be above 0, not ", ""]) {
        return Some(format!("điểm tối đa của tiêu chí thành phần phải lớn hơn 0, không phải {x}"));
    }
    if let Some([a, b]) = two(["the group's max is ", " but its children's maxima add up to ", ""]) {
        return Some(format!("điểm tối đa của nhóm là {a} nhưng tổng điểm tối đa của các tiêu chí con là {b}"));
    }
    if let Some(x) = one(["the groups' weights add up to ", ": they must add up to exactly 1"]) {
        return Some(format!("tổng trọng số các nhóm đối tượng điều tra là {x}: phải bằng đúng 1"));
    }
    if let Some([u, rest]) = two(["unit '", "' names the block '", ""]) {
        let [b, list] = parse::<3, 2>(rest, ["", "', which the round does not have; its blocks are: ", ""])?;
        return Some(format!(
            "đơn vị '{u}' ghi khối '{b}', khối này không có trong kỳ đánh giá; các khối của kỳ: {list}"
        ));
    }
    if let Some([p, rest]) = two(["points ", " cannot be earned under this ", ""]) {
        let [kind, gives] = parse::<3, 2>(rest, ["", " rule: it gives ", ""])?;
        return Some(format!(
            "không thể đạt {p} điểm theo cách chấm {kind} của tiêu chí: cách chấm này cho {gives} điểm"
        ));
    }
    None
}

/// `{what}: {decimal error}` (SPEC §3: decimals are written with a point).
fn decimal(d: &str) -> Option<String> {
    let (what, error) = d.split_once(": ")?;
    let what = what_vi(what)?;
    let error = if let Some([t, e]) = parse(error, ["'", "' uses a decimal comma: write it with a point, e.g. '", "'"])
    {
        format!("'{t}' dùng dấu phẩy thập phân: hãy viết bằng dấu chấm, ví dụ '{e}'")
    } else if let Some([t]) =
        parse(error, ["'", "' is not a decimal: write digits with an optional '-' and '.', e.g. '0.5'"])
    {
        format!("'{t}' không phải số thập phân: viết chữ số, có thể có dấu '-' và dấu chấm '.', ví dụ '0.5'")
    } else if let Some([t]) = parse(error, ["'", "' has more digits than an exact decimal can hold (28)"]) {
        format!("'{t}' có nhiều chữ số hơn mức một số thập phân chính xác chứa được (28)")
    } else if let Some([found]) =
        parse(error, ["expected a decimal (a number or a string such as \"0.5\"), found ", ""])
    {
        format!("cần một số thập phân (số hoặc chuỗi như \"0.5\"), nhưng đang là {}", type_vi(found)?)
    } else {
        return None;
    };
    Some(format!("{what}: {error}"))
}

/// What a message names, in Vietnamese: a key in quotes stays as it is (`trường "max"`).
fn what_vi(what: &str) -> Option<String> {
    let quoted = what.strip_prefix('"').and_then(|w| w.strip_suffix('"'));
    if let Some(key) = quoted.filter(|k| !k.is_empty() && !k.contains('"')) {
        return Some(format!("trường \"{key}\""));
    }
    Some(
        match what {
            "an entry" | "the entry" => "mục chấm điểm",
            "an assessment" | "the assessment" => "hồ sơ đánh giá",
            "a node" | "the node" | "the item" => "tiêu chí",
            "a round" | "the round" => "kỳ đánh giá",
            "a criteria set" | "the criteria set" => "bộ tiêu chí",
            "a rule" => "cách chấm",
            "an options rule" => "cách chấm theo phương án",
            "an option" => "phương án",
            "a unit" | "the unit" => "đơn vị",
            "the block" => "khối",
            "a class" | "the class" => "mức xếp loại",
            "an appraisal" | "the appraisal" => "lần thẩm định",
            "an explanation" => "giải trình",
            "the evidence item" => "tài liệu kiểm chứng",
            "a ratio" => "tỷ lệ",
            "a percent" => "tỷ lệ phần trăm",
            "a number" => "số",
            "a count" => "số lượng",
            "a yes/no input" => "số liệu có/không",
            "an option input" => "phương án đã chọn",
            "a formula input" => "số liệu của công thức",
            "a survey result" => "kết quả điều tra",
            "a group's survey result" => "kết quả điều tra của một nhóm đối tượng",
            "a tag" => "nhãn",
            _ => return None,
        }
        .to_owned(),
    )
}

/// A JSON type as `parindex_json` names it, in Vietnamese.
fn type_vi(found: &str) -> Option<&'static str> {
    Some(match found {
        "null" => "null",
        "a boolean" => "giá trị true/false",
        "a number" => "một số",
        "a string" => "một chuỗi",
        "a list" => "một danh sách",
        "an object" => "một đối tượng",
        _ => return None,
    })
}

/// `self-assessment` or `appraisal N`, in Vietnamese.
fn stage_vi(stage: &str) -> Option<String> {
    if stage == "self-assessment" {
        return Some("tự đánh giá".to_owned());
    }
    let n = stage.strip_prefix("appraisal ")?;
    n.chars().all(|c| c.is_ascii_digit()).then(|| format!("thẩm định vòng {n}"))
}

/// `2024-01-15` as a Vietnamese reader writes it, `15/01/2024`; anything else as it is.
fn date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
        {
            format!("{d}/{m}/{y}")
        }
        _ => iso.to_owned(),
    }
}

/// `text` as the literal pieces `shape` with something between each two: `N` pieces give
/// `N - 1` captures. The first piece starts the text, the last ends it (an empty last piece
/// takes the rest); each piece between is found at its first occurrence after the previous.
/// No capture is empty.
fn parse<'a, const N: usize, const C: usize>(text: &'a str, shape: [&str; N]) -> Option<[&'a str; C]> {
    debug_assert_eq!(C + 1, N);
    let (first, rest) = shape.split_first()?;
    let mut text = text.strip_prefix(first)?;
    let mut out = [""; C];
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let captured = if last {
            if piece.is_empty() {
                let all = text;
                text = "";
                all
            } else {
                let before = text.strip_suffix(piece)?;
                text = "";
                before
            }
        } else {
            let at = text.find(piece)?;
            let before = text.get(..at)?;
            text = text.get(at + piece.len()..)?;
            before
        };
        if captured.is_empty() {
            return None;
        }
        *out.get_mut(i)? = captured;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn common_messages_are_wholly_vietnamese_with_their_figures() {
        let cases = [
            ("points 3 are above the maximum 2.5", "điểm 3 vượt quá điểm tối đa 2.5 của tiêu chí"),
            ("points -1 are below 0", "điểm -1 nhỏ hơn 0: điểm không được âm"),
            (
                "this object is 70000 bytes long; an input is at most 65536 bytes",
                "đối tượng này dài 70000 byte; số liệu nhập dài tối đa 65536 byte",
            ),
            (
                "'9.9' is not a criterion of the criteria set 'so-2023'",
                "'9.9' không phải tiêu chí của bộ tiêu chí 'so-2023'",
            ),
            (
                "\"max\": '0,5' uses a decimal comma: write it with a point, e.g. '0.5'",
                "trường \"max\": '0,5' dùng dấu phẩy thập phân: hãy viết bằng dấu chấm, ví dụ '0.5'",
            ),
            (
                "an entry must be an object, found a list",
                "mục chấm điểm phải là một đối tượng, nhưng đang là một danh sách",
            ),
            ("the assessment is missing its \"unit\"", "hồ sơ đánh giá thiếu trường \"unit\""),
            (
                "appraisal 1 changes '1.2': give a \"reason\"",
                "thẩm định vòng 1 thay đổi điểm tiêu chí '1.2': phải ghi lý do (\"reason\")",
            ),
            (
                "the self-assessment was submitted on 2024-01-20, after the deadline 2024-01-15",
                "hồ sơ tự đánh giá nộp ngày 20/01/2024, sau thời hạn 15/01/2024",
            ),
            (
                "appraisal 2: 1.5 points entered, but the input gives 1 points; the input counts",
                "thẩm định vòng 2: ghi 1.5 điểm, nhưng số liệu cho 1 điểm; tính theo số liệu",
            ),
            (
                "'y' is not a variable of this formula; its variables are: x",
                "'y' không phải biến của công thức này; các biến: x",
            ),
            ("a percent is from 0 to 100, not 120", "tỷ lệ phần trăm phải từ 0 đến 100, không phải 120"),
            (
                "points 0.5 cannot be earned under this yes_no rule: it gives 1, 0",
                "không thể đạt 0.5 điểm theo cách chấm yes_no của tiêu chí: cách chấm này cho 1, 0 điểm",
            ),
            (
                "'2023-13-01' is not a date: write YYYY-MM-DD, e.g. 2023-01-15",
                "'2023-13-01' không phải ngày: viết theo dạng YYYY-MM-DD, ví dụ 2023-01-15",
            ),
        ];
        for (en, vi) in cases {
            assert_eq!(translate(en).as_deref(), Some(vi), "{en}");
        }
    }

    #[test]
    fn unknown_shapes_are_left_to_the_bracketed_detail() {
        for en in [
            "something new",
            "a widget must be an object, found a list",
            "an entry must be an object, found a unicorn",
            "self: 1 points entered, but the input gives 2 points; the input counts",
            "points  are above the maximum 2",
        ] {
            assert_eq!(translate(en), None, "{en}");
        }
    }
}
