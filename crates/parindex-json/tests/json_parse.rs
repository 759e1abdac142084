//! The document parser (`parindex_json::Value::parse`) reads well-formed JSON directly and hands the
//! rest to `serde_json`: on any text, both must give the same tree, or both an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_json::{Lazy, Number, Object, Value, valid_text};
use parindex_testkit::arb_json;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// The direct parse and the `serde_json` parse of `text` agree.
fn agree(text: &str) -> Result<(), TestCaseError> {
    let direct = Value::parse(text);
    let reference = Value::parse_with_serde_json(text);
    match (&direct, &reference) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{}", text),
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{text:?}: direct {direct:?}, serde_json {reference:?}"),
    }
    // Checked without a tree, then read where it lies: the same document, or the same error.
    match (valid_text(text), &reference) {
        (Ok(checked), Ok(tree)) if checked.text() == text => {
            prop_assert_eq!(&rebuild(checked.root()), tree, "{}", text)
        }
        // Rewritten by `serde_json` (an object it reads as a number): the same text again.
        (Ok(checked), Ok(tree)) => prop_assert_eq!(rebuild(checked.root()).to_string(), tree.to_string()),
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
        (ours, _) => prop_assert!(false, "{text:?}: valid_text {ours:?}, serde_json {reference:?}"),
    }
    Ok(())
}

/// The tree of a value read where it lies, member by member and item by item.
fn rebuild(value: Lazy<'_>) -> Value<'_> {
    if value.is_object() {
        return Value::Object(value.members().map(|(k, v)| (k, rebuild(v))).collect::<Object<'_>>());
    }
    if value.is_array() {
        return Value::Array(value.items().map(rebuild).collect());
    }
    if let Some(s) = value.as_str() {
        return Value::String(s);
    }
    value.to_value()
}

#[test]
fn numbers_read_as_serde_json_reads_them() {
    let cases = [
        ("0", Number::Unsigned(0)),
        ("18446744073709551615", Number::Unsigned(u64::MAX)),
        ("-9223372036854775808", Number::Signed(i64::MIN)),
    ];
    for (text, number) in cases {
        assert_eq!(Value::parse(text).unwrap(), Value::Number(number), "{text}");
    }
    for text in ["-0", "0.5", "-2.5e-3", "1e+2", "18446744073709551616", "-9223372036854775809", "100.00"] {
        assert_eq!(Value::parse(text).unwrap().to_string(), text);
        agree(text).unwrap();
    }
    // serde_json writes an exponent as `e` with its sign.
    for (text, read) in [("1e2", "1e+2"), ("1E-2", "1e-2"), ("2.5E+1", "2.5e+1")] {
        assert_eq!(Value::parse(text).unwrap().to_string(), read);
        agree(text).unwrap();
    }
}

#[test]
fn escapes_and_unicode_read_as_serde_json_reads_them() {
    for text in [
        r#""plain Đồng Tháp""#,
        r#""a\"b\\c\/d\b\f\n\r\t""#,
        r#""\u00e9\u0110\u1ed3ng""#,
        r#""\ud83d\ude00 emoji""#,
        r#"{"k\u0065y": "v", "\n": 1}"#,
        "\"\u{7f} delete is allowed\"",
    ] {
        agree(text).unwrap();
        assert!(Value::parse(text).is_ok(), "{text}");
    }
}

#[test]
fn malformed_documents_are_refused_with_serde_json_s_message() {
    for text in [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "+1",
        "tru",
        "nul",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"tab\there\"",
        "\"unterminated",
        "[1] 2",
        "{\"a\":1}}",
        "{1:2}",
    ] {
        agree(text).unwrap();
        let error = Value::parse(text).unwrap_err();
        assert!(error.line() >= 1, "{text}: {error}");
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    for depth in [1, 126, 127, 128, 129, 5000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agree(&text).unwrap();
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        agree(&text).unwrap();
    }
}

#[test]
fn long_documents_read_the_same_where_they_lie() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dong-thap-2023/assessments");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        agree(&text).unwrap();
        let compact = Value::parse(&text).unwrap().to_string();
        agree(&compact).unwrap();
        // Read again without the spans of the long containers: the same tree.
        assert_eq!(rebuild(Lazy::root(&compact)), Value::parse(&text).unwrap(), "{}", file.display());
    }
}

#[test]
fn an_object_that_looks_like_serde_json_s_number_is_read_alike() {
    agree(r#"{"$serde_json::private::Number": "1.5"}"#).unwrap();
    agree(r#"{"a": {"$serde_json::private::Number": "2"}}"#).unwrap();
}

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    #[test]
    fn any_document_reads_the_same_both_ways(doc in arb_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) }.unwrap();
        prop_assert!(Value::parse(&text).is_ok());
        agree(&text)?;
    }

    #[test]
    fn damaged_documents_read_the_same_both_ways(
        doc in arb_json(),
        at in any::<prop::sample::Index>(),
        cut in 0usize..4,
        insert in prop::sample::select(vec!["", "\"", "\\", ",", ":", "{", "}", "[", "]", "0", "-", ".", "e", " ", "\u{1}", "\\u", "\\ud800", "null", "é"]),
    ) {
        let text = serde_json::to_string(&doc).unwrap();
        let mut cuts: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
        let start = cuts[at.index(cuts.len())];
        cuts.retain(|i| *i >= start);
        let end = cuts[cut.min(cuts.len() - 1)];
        let damaged = format!("{}{}{}", &text[..start], insert, &text[end..]);
        agree(&damaged)?;
    }

    #[test]
    fn arbitrary_text_reads_the_same_both_ways(text in "\\PC{0,40}") {
        agree(&text)?;
    }
}

#[test]
fn bytes_are_checked_as_utf8_while_they_are_parsed() {
    let text = r#"{"title": "Sở Nội vụ", "n": 1.5, "k\u00e9y": ["a", "\u0110"]}"#;
    assert_eq!(Value::parse_bytes(text.as_bytes()).unwrap(), Value::parse(text).unwrap());
    // Not UTF-8: in a string, in a key, cut in the middle of a character, outside strings.
    let cut = "\"Sở\"".as_bytes();
    for bytes in [
        &b"{\"title\": \"\xff\"}"[..],
        &b"{\"\xc3\x28\": 1}"[..],
        &cut[..cut.len() - 2],
        &b"[1, \xe2\x82]"[..],
        &b"\xef\xbb\xbf{}"[..],
    ] {
        let got = Value::parse_bytes(bytes);
        assert!(got.is_err(), "{bytes:?}");
        let is_text = std::str::from_utf8(bytes).is_ok();
        // Text that is UTF-8 but not JSON gets serde_json's error; anything else, none.
        assert_eq!(matches!(got, Err(Some(_))), is_text, "{bytes:?}");
    }
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    #[test]
    fn bytes_read_like_text(doc in arb_json(), flip in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        prop_assert_eq!(Value::parse_bytes(text.as_bytes()).ok(), Value::parse(&text).ok());
        let mut bytes = text.into_bytes();
        let i = flip.index(bytes.len());
        bytes[i] = byte;
        match (Value::parse_bytes(&bytes), std::str::from_utf8(&bytes)) {
            (Ok(tree), Ok(text)) => prop_assert_eq!(Some(tree), Value::parse_with_serde_json(text).ok()),
            (Ok(_), Err(_)) => prop_assert!(false, "bytes that are not UTF-8 were read"),
            (Err(Some(_)), Ok(text)) => prop_assert!(Value::parse_with_serde_json(text).is_err()),
            (Err(None), Err(_)) => {}
            (Err(e), _) => prop_assert!(false, "unexpected {e:?}"),
        }
    }
}
