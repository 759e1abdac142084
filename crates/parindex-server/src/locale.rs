//! The language of the API's messages: `?locale=vi|en`, else the `Accept-Language` header,
//! else Vietnamese. Every answer carries `Content-Language`; an error's `message` (and each
//! `message` of a 422's `{"errors": [...]}`) is written for that reader. Codes, statuses,
//! pointers and every other field never change, and documents (results, assessments) are
//! answered as stored.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use parindex::{Code, Locale};
use serde_json::Value;

use crate::error::ErrorCode;

/// The largest error body rewritten (error bodies are small; a 422 lists problems).
const MAX_ERROR_BODY: usize = 16 << 20;

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 49] = [
        ErrorCode::MalformedJson,
        ErrorCode::EmptyBody,
        ErrorCode::UnreadableBody,
        ErrorCode::BadIfMatch,
        ErrorCode::BadQuery,
        ErrorCode::BadIdempotencyKey,
        ErrorCode::MissingToken,
        ErrorCode::UnknownToken,
        ErrorCode::ExpiredToken,
        ErrorCode::Forbidden,
        ErrorCode::UnknownRound,
        ErrorCode::UnknownUnit,
        ErrorCode::UnknownStage,
        ErrorCode::UnknownBlock,
        ErrorCode::UnknownSchema,
        ErrorCode::UnknownRoute,
        ErrorCode::UnknownFile,
        ErrorCode::OutsideScope,
        ErrorCode::OutsideWindow,
        ErrorCode::ScopesNotDone,
        ErrorCode::ScopeDone,
        ErrorCode::NotSubmitted,
        ErrorCode::QuotaExceeded,
        ErrorCode::FileTooLarge,
        ErrorCode::UnsupportedFileType,
        ErrorCode::BadRequest,
        ErrorCode::BadPath,
        ErrorCode::RevokedToken,
        ErrorCode::BodyTimeout,
        ErrorCode::DocumentTooLarge,
        ErrorCode::UriTooLong,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::TooManyHeaders,
        ErrorCode::Busy,
        ErrorCode::MethodNotAllowed,
        ErrorCode::DeadlinePassed,
        ErrorCode::SelfAssessmentClosed,
        ErrorCode::AlreadySubmitted,
        ErrorCode::VersionConflict,
        ErrorCode::NoDraft,
        ErrorCode::StageFinalised,
        ErrorCode::PreviousStageOpen,
        ErrorCode::AppraisalFinal,
        ErrorCode::NoAppraisalYet,
        ErrorCode::RoundExists,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::BodyTooLarge,
        ErrorCode::Invalid,
        ErrorCode::Internal,
    ];

    /// The code written `text` (`"malformed_json"`), if any.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The Vietnamese sentence for this code. An exhaustive match: a new code does not
    /// compile until it has one.
    pub fn vi_sentence(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)",
            ErrorCode::EmptyBody => "Yêu cầu này cần có nội dung gửi kèm",
            ErrorCode::UnreadableBody => "Không đọc được nội dung gửi lên (kết nối bị gián đoạn)",
            ErrorCode::BadIfMatch => "Tiêu đề If-Match phải là số phiên bản",
            ErrorCode::BadQuery => "Tham số truy vấn không hợp lệ",
            ErrorCode::BadIdempotencyKey => "Tiêu đề Idempotency-Key rỗng, quá dài hoặc có ký tự không hợp lệ",
            ErrorCode::MissingToken => "Thiếu mã truy cập (bearer token)",
            ErrorCode::UnknownToken => "Mã truy cập không tồn tại",
            ErrorCode::ExpiredToken => "Mã truy cập đã hết hạn",
            ErrorCode::Forbidden => "Vai trò của mã truy cập không được phép thực hiện thao tác này",
            ErrorCode::UnknownRound => "Không có kỳ đánh giá này",
            ErrorCode::UnknownUnit => "Đơn vị không có trong kỳ đánh giá",
            ErrorCode::UnknownStage => "Không có vòng thẩm định này",
            ErrorCode::UnknownBlock => "Không có khối này trong kỳ đánh giá",
            ErrorCode::UnknownSchema => "Không có lược đồ (schema) này",
            ErrorCode::UnknownRoute => "Không có đường dẫn này",
            ErrorCode::UnknownFile => "Đơn vị không có tệp minh chứng này",
            ErrorCode::OutsideScope => "Cơ quan thẩm định ghi điểm ngoài các tiêu chí được phân công",
            ErrorCode::OutsideWindow => "Ngoài thời hạn cho phép (tự đánh giá, vòng thẩm định hoặc giải trình)",
            ErrorCode::ScopesNotDone => "Còn cơ quan chưa hoàn thành phần thẩm định được phân công của vòng này",
            ErrorCode::ScopeDone => "Cơ quan đã đánh dấu hoàn thành phần thẩm định của vòng này",
            ErrorCode::NotSubmitted => "Hồ sơ tự đánh giá chưa được nộp nên không thể rút lại",
            ErrorCode::QuotaExceeded => "Vượt hạn mức dung lượng tệp minh chứng của đơn vị",
            ErrorCode::FileTooLarge => "Tệp minh chứng vượt quá dung lượng cho phép",
            ErrorCode::UnsupportedFileType => "Tệp minh chứng phải là PDF, ảnh hoặc tài liệu Office",
            ErrorCode::BadRequest => "Yêu cầu HTTP không hợp lệ",
            ErrorCode::BadPath => "Đường dẫn có đoạn không phải UTF-8 mã hóa phần trăm hợp lệ",
            ErrorCode::RevokedToken => "Mã truy cập đã bị thu hồi",
            ErrorCode::BodyTimeout => "Nội dung gửi lên không đến đủ trong thời gian cho phép",
            ErrorCode::DocumentTooLarge => "Tài liệu lưu trữ sẽ vượt quá dung lượng cho phép",
            ErrorCode::UriTooLong => "Địa chỉ yêu cầu quá dài",
            ErrorCode::UnsupportedMediaType => "Nội dung JSON phải gửi với Content-Type: application/json",
            ErrorCode::TooManyHeaders => "Quá nhiều hoặc quá dài các tiêu đề của yêu cầu",
            ErrorCode::Busy => "Máy chủ đang bận: đã đủ số kết nối cho phép, hãy thử lại sau",
            ErrorCode::MethodNotAllowed => "Đường dẫn này không nhận phương thức này",
            ErrorCode::DeadlinePassed => "Đã quá hạn nộp hồ sơ tự đánh giá",
            ErrorCode::SelfAssessmentClosed => "Kỳ đánh giá đã đóng việc tự đánh giá",
            ErrorCode::AlreadySubmitted => "Hồ sơ tự đánh giá đã được nộp",
            ErrorCode::VersionConflict => "Bản nháp đã được người khác sửa: phiên bản If-Match không khớp",
            ErrorCode::NoDraft => "Chưa có bản nháp để nộp",
            ErrorCode::StageFinalised => "Vòng thẩm định này đã chốt kết quả",
            ErrorCode::PreviousStageOpen => "Vòng thẩm định trước chưa chốt kết quả",
            ErrorCode::AppraisalFinal => "Kết quả thẩm định của đơn vị đã là kết quả cuối cùng",
            ErrorCode::NoAppraisalYet => "Chưa có vòng thẩm định nào được chốt để giải trình",
            ErrorCode::RoundExists => "Đã có kỳ đánh giá với mã này",
            ErrorCode::IdempotencyKeyReused => "Idempotency-Key đã được dùng cho một yêu cầu khác",
            ErrorCode::BodyTooLarge => "Nội dung gửi lên vượt quá dung lượng cho phép",
            ErrorCode::Invalid => "Tài liệu có lỗi",
            ErrorCode::Internal => "Lỗi hệ thống khi lưu trữ hoặc xử lý",
        }
    }

    /// The message of a refusal of this code for a person reading `locale`: the English
    /// `detail` as written, or the Vietnamese sentence followed by the detail in brackets.
    /// A detail already written in Vietnamese is the message as it is.
    pub fn message(self, detail: &str, locale: Locale) -> String {
        match locale {
            Locale::En => detail.to_owned(),
            _ if detail.is_empty() => self.vi_sentence().to_owned(),
            _ if is_vietnamese(detail) => detail.to_owned(),
            _ => format!("{} ({detail})", self.vi_sentence()),
        }
    }
}

/// True for text with letters only Vietnamese writes (đ, ơ, ư and the tone-marked vowels
/// of U+1EA0–U+1EF9).
fn is_vietnamese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1EA0}'..='\u{1EF9}'))
}

/// The reader's locale: `?locale=` when it names one, else the best of `Accept-Language`,
/// else Vietnamese.
pub fn request_locale(query: Option<&str>, headers: &HeaderMap) -> Locale {
    let asked = query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == "locale").then(|| v.parse::<Locale>().ok()).flatten()
    });
    asked
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|h| h.to_str().ok()).and_then(Locale::from_accept_language))
        .unwrap_or_default()
}

/// Middleware: answers in the reader's locale ([`request_locale`]).
pub async fn localize(request: Request, next: Next) -> Response {
    let locale = request_locale(request.uri().query(), request.headers());
    let mut response = next.run(request).await;
    response.headers_mut().insert(CONTENT_LANGUAGE, HeaderValue::from_static(locale.as_str()));
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if locale == Locale::En || !is_json || !(response.status().is_client_error() || response.status().is_server_error())
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.headers.remove(CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    let rewritten = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|mut v| localize_body(&mut v, locale).then(|| serde_json::to_vec(&v).ok()).flatten());
    let bytes = rewritten.map_or(bytes, Into::into);
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Rewrites the `message` of `{"error": {...}}` or of each of `{"errors": [...]}`; true when
/// the body is one of them.
fn localize_body(body: &mut Value, locale: Locale) -> bool {
    if let Some(error) = body.get_mut("error").and_then(Value::as_object_mut) {
        let code = error.get("code").and_then(Value::as_str).and_then(ErrorCode::parse);
        if let (Some(code), Some(Value::String(message))) = (code, error.get_mut("message")) {
            *message = code.message(message, locale);
        }
        return true;
    }
    if let Some(errors) = body.get_mut("errors").and_then(Value::as_array_mut) {
        for problem in errors.iter_mut().filter_map(Value::as_object_mut) {
            let code = problem.get("code").cloned().and_then(|c| serde_json::from_value::<Code>(c).ok());
            if let (Some(code), Some(Value::String(message))) = (code, problem.get_mut("message")) {
                *message = code.message(message, locale);
            }
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_code_has_a_vietnamese_sentence() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert!(!code.vi_sentence().is_empty());
            assert!(seen.insert(code.vi_sentence()), "{} shares its sentence", code.as_str());
        }
    }

    #[test]
    fn the_query_wins_over_the_header_and_vietnamese_is_the_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_locale(None, &headers), Locale::Vi);
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("en-US,en;q=0.9"));
        assert_eq!(request_locale(None, &headers), Locale::En);
        assert_eq!(request_locale(Some("after=3&locale=vi"), &headers), Locale::Vi);
        assert_eq!(request_locale(Some("locale=fr"), &headers), Locale::En);
    }

    #[test]
    fn messages_are_rewritten_and_nothing_else() {
        let mut body = serde_json::json!({"errors": [
            {"code": "points_over_max", "path": "/self/entries/1.1/points", "criterion": "1.1", "message": "4 > 3.5"}]});
        assert!(localize_body(&mut body, Locale::Vi));
        assert_eq!(body["errors"][0]["code"], "points_over_max");
        assert_eq!(body["errors"][0]["path"], "/self/entries/1.1/points");
        assert_eq!(body["errors"][0]["message"], "Điểm vượt quá điểm tối đa của tiêu chí (4 > 3.5)");
        let mut body =
            serde_json::json!({"error": {"status": 404, "code": "unknown_round", "message": "there is no round 'x'"}});
        assert!(localize_body(&mut body, Locale::Vi));
        assert_eq!(body["error"]["message"], "Không có kỳ đánh giá này (there is no round 'x')");
        assert_eq!(body["error"]["status"], 404);
        // A detail already in Vietnamese is the message.
        let vi = "vượt hạn mức tệp minh chứng của đơn vị";
        assert_eq!(ErrorCode::QuotaExceeded.message(vi, Locale::Vi), vi);
    }
}
