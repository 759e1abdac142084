//! The facade's one error type: what went wrong, typed, so that an integrator can branch on
//! it; its `Display` is the sentence the `parindex` program prints.

use std::path::PathBuf;

use crate::{Diagnostics, FolderError};

/// Why a round could not be scored, explained or verified, or a document could not be
/// checked.
///
/// [`Error::Invalid`] (and [`Error::MalformedResults`], [`Error::OtherRound`]) are about the
/// input's content; the other variants are about what was asked for (a path that cannot be
/// read, a unit or criterion that does not exist). New variants may be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The path is not a round folder that can be read.
    #[error("cannot read the round folder {}: {source}", path.display())]
    NotAFolder {
        /// The folder given.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The round has no unit with this id.
    #[error("the round '{round}' has no unit '{unit}'; its units are: {}", units.join(", "))]
    UnknownUnit {
        /// The round's id.
        round: String,
        /// The unit asked for.
        unit: String,
        /// The round's units, in order.
        units: Vec<String>,
    },
    /// The unit names a block the round does not have.
    #[error("the unit '{unit}' names a block that is not in the round")]
    UnknownBlock {
        /// The unit's id.
        unit: String,
    },
    /// The unit's criteria set has no criterion with this code.
    #[error("the criteria set '{criteria_set}' has no criterion '{criterion}'")]
    UnknownCriterion {
        /// The criteria set's id.
        criteria_set: String,
        /// The code asked for.
        criterion: String,
    },
    /// The unit is in the round but no results row was made for it.
    #[error("the unit '{unit}' was not scored")]
    NotScored {
        /// The unit's id.
        unit: String,
    },
    /// The published results are not a results document (SPEC §9).
    #[error("the results file is not a parindex results document: {0}")]
    MalformedResults(String),
    /// The published results are of another round than the folder's.
    #[error("the results are of round '{results}', but the folder holds round '{folder}'")]
    OtherRound {
        /// The round the results name.
        results: String,
        /// The round of the folder.
        folder: String,
    },
    /// The input is invalid; every problem is listed, each with its stable code (SPEC §10).
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl From<FolderError> for Error {
    fn from(e: FolderError) -> Self {
        match e {
            FolderError::NotAFolder { path, source } => Error::NotAFolder { path, source },
            FolderError::Invalid(d) => Error::Invalid(d),
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}

impl Error {
    /// The sentence for a person reading `locale` (its `Display` is the English one). For
    /// [`Error::Invalid`], each problem's line ([`Diagnostics::render_text_in`]).
    pub fn message_in(&self, locale: crate::Locale) -> String {
        if locale == crate::Locale::En {
            return self.to_string();
        }
        match self {
            Error::Io { path, source } => format!("không đọc được {} ({source})", path.display()),
            Error::NotAFolder { path, source } => {
                format!("không đọc được thư mục kỳ đánh giá {} ({source})", path.display())
            }
            Error::UnknownUnit { round, unit, units } => {
                format!("kỳ đánh giá '{round}' không có đơn vị '{unit}'; các đơn vị của kỳ: {}", units.join(", "))
            }
            Error::UnknownBlock { unit } => format!("đơn vị '{unit}' thuộc một khối không có trong kỳ đánh giá"),
            Error::UnknownCriterion { criteria_set, criterion } => {
                format!("bộ tiêu chí '{criteria_set}' không có tiêu chí '{criterion}'")
            }
            Error::NotScored { unit } => format!("đơn vị '{unit}' chưa được chấm điểm"),
            Error::MalformedResults(why) => format!("tệp kết quả không phải tài liệu kết quả của parindex ({why})"),
            Error::OtherRound { results, folder } => {
                format!("kết quả thuộc kỳ đánh giá '{results}', nhưng thư mục là của kỳ '{folder}'")
            }
            Error::Invalid(problems) => problems.render_text_in(locale),
        }
    }
}
