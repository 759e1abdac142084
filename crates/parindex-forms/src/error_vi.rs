//! [`Error`]'s sentences in Vietnamese.

use parindex_core::Locale;

use crate::Error;

impl Error {
    /// The sentence for a person reading `locale` (its `Display` is the English one). For
    /// [`Error::Invalid`], each problem's line.
    pub fn message_in(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            Error::Io { path, source } => format!("không đọc được {} ({source})", path.display()),
            Error::RoundFolder { path, source } => {
                format!("không đọc được {} của thư mục kỳ đánh giá ({source})", path.display())
            }
            Error::NotXlsx { name, source } => format!("{name} không phải tệp bảng tính .xlsx đọc được ({source})"),
            Error::Xlsx(e) => format!("không ghi được bảng tính ({e})"),
            Error::UnknownUnit { unit, round, units } => {
                format!("'{unit}' không phải đơn vị của kỳ đánh giá '{round}'; các đơn vị của kỳ: {units}")
            }
            Error::NoAssessment { unit, stage, folder } => format!(
                "phiếu thẩm định hiển thị điểm của đơn vị trước vòng {stage}, nhưng '{unit}' chưa có hồ sơ trong {}: \
                 hãy nhập phiếu tự đánh giá trước",
                folder.display()
            ),
            Error::NoAssessmentToImportInto { unit, stage, folder } => format!(
                "thẩm định vòng {stage} được ghi vào hồ sơ của đơn vị, nhưng '{unit}' chưa có hồ sơ trong {}: \
                 hãy nhập phiếu tự đánh giá trước, hoặc chỉ định tệp bằng --out",
                folder.display()
            ),
            Error::Invalid(problems) => problems.render_text_in(locale),
        }
    }
}
