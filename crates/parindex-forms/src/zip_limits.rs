//! Checking a workbook's container before it is read: an `.xlsx` file is a zip archive, and
//! a small archive can hold parts that decompress to gigabytes (a "zip bomb": 1 MB whose
//! shared strings hold 1 GiB of text). [`check`] reads the archive's central directory and
//! then decompresses every part into nothing, counting bytes, before calamine reads
//! anything; it refuses, with a sentence in Vietnamese and English:
//!
//! - a file that is not a zip archive (an old `.xls`, a CSV, a PDF, …) or one cut short;
//! - more than [`MAX_PARTS`] parts;
//! - a part larger than [`MAX_PART_SIZE`] once decompressed, or parts larger than
//!   [`MAX_TOTAL_SIZE`] together — measured by decompressing, not by what the archive says.
//!
//! A form written by `parindex form` is a few hundred kilobytes decompressed, far below
//! every limit (docs/limits.md).

use std::io::{Cursor, Read};

use parindex_core::{Code, Diagnostic};

use crate::Error;

/// The most parts an archive may hold (a form has about twenty).
pub const MAX_PARTS: usize = 10_000;
/// The largest part, decompressed: 64 MiB.
pub const MAX_PART_SIZE: u64 = 64 * 1024 * 1024;
/// The largest total of all parts, decompressed: 256 MiB.
pub const MAX_TOTAL_SIZE: u64 = 256 * 1024 * 1024;

fn refuse(name: &str, vi: String, en: String) -> Error {
    Error::Invalid(Diagnostic::new(Code::InputType, "", format!("{vi} / {en}")).in_file(name).into())
}

fn not_a_workbook(name: &str, en_why: &str) -> Error {
    refuse(
        name,
        format!(
            "Tệp {name} không phải là sổ tính Excel .xlsx hợp lệ (tệp bị hỏng, bị cắt ngắn hoặc là loại tệp khác): hãy mở biểu mẫu bằng Excel và lưu lại dưới dạng .xlsx"
        ),
        format!("{name} is not a usable .xlsx workbook ({en_why}): open the form in Excel and save it again as .xlsx"),
    )
}

/// Checks `bytes` are a zip archive whose parts stay within the limits; `name` is used in
/// messages.
///
/// # Errors
///
/// [`Error::Invalid`] with one `input_type` problem saying why, in Vietnamese and English.
pub fn check(bytes: &[u8], name: &str) -> Result<(), Error> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refuse(
            name,
            format!("Tệp {name} là sổ tính Excel kiểu cũ (.xls): hãy lưu lại dưới dạng .xlsx"),
            format!("{name} is an old-style Excel workbook (.xls): save it as .xlsx"),
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(not_a_workbook(name, "it is not a zip archive, which every .xlsx file is"));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| not_a_workbook(name, "its zip archive is damaged or cut short"))?;
    if archive.len() > MAX_PARTS {
        return Err(not_a_workbook(name, &format!("it holds {} parts, more than {MAX_PARTS}", archive.len())));
    }
    let too_large = |what_vi: String, what_en: String| {
        refuse(
            name,
            format!(
                "Tệp {name} bị từ chối: {what_vi} (giới hạn để bảo vệ máy chủ); biểu mẫu do parindex tạo không lớn như vậy"
            ),
            format!(
                "{name} is refused: {what_en} (a limit that protects the machine); a form made by parindex is never this large"
            ),
        )
    };
    let mut total: u64 = 0;
    let mut buffer = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut part =
            archive.by_index(i).map_err(|_| not_a_workbook(name, "a part of its zip archive cannot be read"))?;
        let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let over_part = || {
            too_large(
                format!("phần '{part_name}' khi giải nén lớn hơn {} MiB", MAX_PART_SIZE >> 20),
                format!("its part '{part_name}' is larger than {} MiB once decompressed", MAX_PART_SIZE >> 20),
            )
        };
        if part.size() > MAX_PART_SIZE {
            return Err(over_part());
        }
        let mut size: u64 = 0;
        loop {
            let n = part.read(&mut buffer).map_err(|_| not_a_workbook(name, "a part of its zip archive is damaged"))?;
            if n == 0 {
                break;
            }
            let n = u64::try_from(n).unwrap_or(u64::MAX);
            size = size.saturating_add(n);
            total = total.saturating_add(n);
            if size > MAX_PART_SIZE {
                return Err(over_part());
            }
            if total > MAX_TOTAL_SIZE {
                return Err(too_large(
                    format!("các phần khi giải nén lớn hơn {} MiB", MAX_TOTAL_SIZE >> 20),
                    format!("its parts are larger than {} MiB together once decompressed", MAX_TOTAL_SIZE >> 20),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    fn message(e: Error) -> String {
        match e {
            Error::Invalid(p) => p.errors.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("\n"),
            other => other.to_string(),
        }
    }

    #[test]
    fn a_small_archive_passes() {
        assert!(check(&zip_of(&[("xl/workbook.xml", b"<workbook/>")]), "f.xlsx").is_ok());
    }

    #[test]
    fn other_files_and_cut_archives_are_refused_in_both_languages() {
        for bytes in [b"unit,points\n".to_vec(), vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0], Vec::new()] {
            let m = message(check(&bytes, "f.xlsx").unwrap_err());
            assert!(m.contains("Tệp f.xlsx") && m.contains(".xlsx"), "{m}");
        }
        let whole = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        let m = message(check(&whole[..whole.len() - 10], "f.xlsx").unwrap_err());
        assert!(m.contains("damaged or cut short"), "{m}");
        assert!(!m.contains("EOCD"), "{m}");
    }

    #[test]
    fn a_bomb_is_refused_by_what_it_decompresses_to() {
        let big = vec![b'a'; usize::try_from(MAX_PART_SIZE).unwrap() + 1];
        let bomb = zip_of(&[("xl/sharedStrings.xml", &big)]);
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let m = message(check(&bomb, "f.xlsx").unwrap_err());
        assert!(m.contains("sharedStrings.xml") && m.contains("64 MiB"), "{m}");
    }
}
