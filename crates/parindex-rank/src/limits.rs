//! Reading files with bounds: the only way parindex opens a document on disk.
//!
//! A round folder comes from people and programs parindex does not control. Whatever path a
//! document names, reading it must end, in bounded memory, with the document or a sentence
//! saying why not (`docs/limits.md` lists every limit):
//!
//! - only regular files are read: a folder, a FIFO, a device (`/dev/zero`, `/dev/urandom`), a
//!   socket — or a symbolic link to one — is refused by name, before anything is read. The
//!   kind is checked on the path (so that opening a FIFO cannot block), the file is opened
//!   non-blocking, and checked again on the opened handle (so that a file swapped between
//!   the two checks is still caught);
//! - a document is at most [`Limits::max_document_size`] bytes (default
//!   [`DEFAULT_MAX_DOCUMENT_SIZE`], 64 MiB): the size is checked on the handle and the read
//!   stops one byte past the limit, so a file that grows while read is caught too;
//! - a path named inside a round folder ([`read_inside`]) stays inside it: no absolute path,
//!   no `..` that climbs out, and no symbolic link that resolves outside;
//! - a folder that cannot be listed is an error ([`list_folder`]), never an empty folder.

use std::fs::File;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

/// The default largest document, in bytes: 64 MiB, eight times the largest assessment of a
/// national round.
pub const DEFAULT_MAX_DOCUMENT_SIZE: u64 = 64 * 1024 * 1024;

/// Bounds on what one run reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest document read, in bytes (`--max-document-size`).
    pub max_document_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_document_size: DEFAULT_MAX_DOCUMENT_SIZE }
    }
}

impl Limits {
    /// Limits with this largest document size, in bytes.
    pub fn with_max_document_size(max_document_size: u64) -> Self {
        Limits { max_document_size }
    }
}

/// Why a file was not read. Its text completes "cannot read 'PATH': …"; each reason
/// parindex adds is said in Vietnamese, then in English.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// What the system said (no such file, permission denied, …), kept as it said it.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Not a regular file: a folder, a FIFO, a device, a socket.
    #[error("đây là {} chứ không phải tệp thông thường: chỉ đọc tệp thông thường / it is {}, not a file: only regular files are read", .0.vi, .0.en)]
    NotAFile(Kind),
    /// Not a folder where a folder belongs: a file, a FIFO, …
    #[error("đây là {} chứ không phải thư mục / it is {}, not a folder", .0.vi, .0.en)]
    NotAFolder(Kind),
    /// Larger than the limit.
    #[error(
        "tệp có {size} byte, vượt giới hạn {limit} byte của một tài liệu (tăng giới hạn bằng --max-document-size) / \
         it is {size} bytes, more than the {limit} bytes a document may have (--max-document-size raises the limit)"
    )]
    TooLarge {
        /// The size found (at least), in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A path inside a round folder that leads out of it.
    #[error(
        "đường dẫn đi ra ngoài thư mục kỳ đánh giá: thư mục phải tự chứa đủ các tệp, hãy đặt tệp bên trong nó / \
         the path leads outside the round folder: a round folder is self-contained, name files inside it"
    )]
    OutsideFolder,
}

/// What a path is when it is not what was expected, in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// In Vietnamese ("một thư mục").
    pub vi: &'static str,
    /// In English ("a folder").
    pub en: &'static str,
}

const FOLDER: Kind = Kind { vi: "một thư mục", en: "a folder" };
const FIFO: Kind = Kind { vi: "một đường ống có tên (FIFO)", en: "a FIFO (named pipe)" };
const DEVICE: Kind = Kind { vi: "một thiết bị", en: "a device" };
const SOCKET: Kind = Kind { vi: "một socket", en: "a socket" };
const OTHER: Kind = Kind { vi: "một đối tượng không phải tệp thông thường", en: "not a regular file" };
const FILE: Kind = Kind { vi: "một tệp", en: "a file" };
const DANGLING: Kind =
    Kind { vi: "một liên kết tượng trưng không trỏ tới đâu", en: "a symbolic link that leads nowhere" };

/// For callers whose errors hold an `std::io::Error` (the facade's `Error::Io`): the
/// system's error as it was; any other reason wrapped, with the same text, in an error of the
/// nearest kind, from which `get_ref` and `downcast_ref::<ReadError>` give it back.
impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        let kind = match &e {
            ReadError::Io(_) => std::io::ErrorKind::Other,
            ReadError::NotAFile(k) if *k == FOLDER => std::io::ErrorKind::IsADirectory,
            ReadError::NotAFolder(_) => std::io::ErrorKind::NotADirectory,
            ReadError::TooLarge { .. } => std::io::ErrorKind::FileTooLarge,
            ReadError::NotAFile(_) | ReadError::OutsideFolder => std::io::ErrorKind::InvalidInput,
        };
        match e {
            ReadError::Io(io) => io,
            other => std::io::Error::new(kind, other),
        }
    }
}

/// What kind of thing a path is, in words, when it is not a regular file.
fn not_a_file(file_type: std::fs::FileType) -> Option<Kind> {
    if file_type.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some(FIFO);
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some(DEVICE);
        }
        if file_type.is_socket() {
            return Some(SOCKET);
        }
    }
    Some(if file_type.is_dir() { FOLDER } else { OTHER })
}

/// Opens `path` for reading without blocking on a FIFO.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads the regular file at `path`, at most `limits.max_document_size` bytes.
///
/// # Errors
///
/// [`ReadError::NotAFile`] for anything but a regular file (symbolic links are followed),
/// [`ReadError::TooLarge`] past the limit, [`ReadError::Io`] when the system refuses.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    // On the path first: opening a FIFO for reading would wait for a writer.
    if let Some(kind) = not_a_file(std::fs::metadata(path)?.file_type()) {
        return Err(ReadError::NotAFile(kind));
    }
    let file = open(path)?;
    // Then on the handle: what was opened is what is read.
    let meta = file.metadata()?;
    if let Some(kind) = not_a_file(meta.file_type()) {
        return Err(ReadError::NotAFile(kind));
    }
    let limit = limits.max_document_size;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: meta.len(), limit });
    }
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(ReadError::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text, like `std::fs::read_to_string` (and with its message when
/// the bytes are not UTF-8).
///
/// # Errors
///
/// As [`read_file`]; [`ReadError::Io`] (`InvalidData`) when the text is not UTF-8.
pub fn read_to_string(path: &Path, limits: &Limits) -> Result<String, ReadError> {
    String::from_utf8(read_file(path, limits)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
    })
}

/// The path of `relative` inside the folder `root`, if it stays inside: not absolute, no
/// `..` climbing above `root`, and — when it exists — resolving (symbolic links followed)
/// to a path under `root`'s own resolution.
///
/// # Errors
///
/// [`ReadError::OutsideFolder`] when it leads out.
pub fn inside(root: &Path, relative: &str) -> Result<PathBuf, ReadError> {
    let rel = Path::new(relative);
    let mut depth = 0usize;
    for component in rel.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth = depth.checked_sub(1).ok_or(ReadError::OutsideFolder)?,
            Component::RootDir | Component::Prefix(_) => return Err(ReadError::OutsideFolder),
        }
    }
    let path = root.join(rel);
    // Without a symbolic link on the way, the path is where it says (checked above); with
    // one, where it resolves to is compared with the folder's own resolution. (Resolving
    // every path costs a system call per component of both: a national round reads 4,000.)
    // A path that does not resolve (missing, dangling link) is read and fails as such.
    if has_link(root, rel)
        && let (Ok(real_root), Ok(real)) = (root.canonicalize(), path.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(ReadError::OutsideFolder);
    }
    Ok(path)
}

/// Whether some path from `root` to `root/rel` (each component in turn) is a symbolic link,
/// as far as the components exist.
fn has_link(root: &Path, rel: &Path) -> bool {
    let mut at = root.to_path_buf();
    for component in rel.components() {
        at.push(component);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Reads the file `relative` of the folder `root`: [`inside`] then [`read_file`].
///
/// # Errors
///
/// As [`inside`] and [`read_file`].
pub fn read_inside(root: &Path, relative: &str, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    read_file(&inside(root, relative)?, limits)
}

/// The names of the entries of the folder `dir`, unsorted.
///
/// # Errors
///
/// [`ReadError::NotAFolder`] when `dir` is not a folder, [`ReadError::Io`] when it cannot be
/// listed (missing, a dangling link, permission denied), an entry cannot be read, or a
/// `.json` entry's name is not UTF-8: never an empty list in place of an error.
pub fn list_folder(dir: &Path) -> Result<Vec<String>, ReadError> {
    let meta = match std::fs::metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(dir).is_ok() => {
            return Err(ReadError::NotAFolder(DANGLING));
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    if !meta.is_dir() {
        return Err(ReadError::NotAFolder(not_a_file(meta.file_type()).unwrap_or(FILE)));
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        match entry.file_name().into_string() {
            Ok(name) => names.push(name),
            Err(name) if !name.to_string_lossy().ends_with(".json") => {}
            Err(name) => {
                return Err(ReadError::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("the name {} is not UTF-8", name.to_string_lossy()),
                )));
            }
        }
    }
    Ok(names)
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("parindex-limits-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("criteria")).unwrap();
        std::fs::write(dir.join("criteria/so.json"), "{}").unwrap();
        dir
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = temp("inside");
        let outside = dir.with_extension("outside.json");
        std::fs::write(&outside, "{}").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("criteria/out.json")).unwrap();
        std::os::unix::fs::symlink(dir.join("criteria/so.json"), dir.join("criteria/in.json")).unwrap();
        std::os::unix::fs::symlink(std::env::temp_dir(), dir.join("tmp")).unwrap();
        for ok in ["criteria/so.json", "./criteria/../criteria/so.json", "criteria/in.json", "criteria/missing.json"] {
            assert_eq!(inside(&dir, ok).unwrap(), dir.join(ok), "{ok}");
        }
        for out in ["../x.json", "criteria/../../x.json", "/etc/passwd", "criteria/out.json", "tmp/x.json"] {
            let tmp_target = out == "tmp/x.json";
            if tmp_target {
                std::fs::write(std::env::temp_dir().join("x.json"), "{}").unwrap();
            }
            assert!(matches!(inside(&dir, out), Err(ReadError::OutsideFolder)), "{out}");
        }
        let _ = std::fs::remove_file(outside);
        let _ = std::fs::remove_file(std::env::temp_dir().join("x.json"));
    }

    #[test]
    fn only_regular_files_within_the_size_are_read() {
        let dir = temp("files");
        let limits = Limits::with_max_document_size(4);
        assert_eq!(read_file(&dir.join("criteria/so.json"), &limits).unwrap(), b"{}");
        std::fs::write(dir.join("big.json"), "12345").unwrap();
        let e = read_file(&dir.join("big.json"), &limits).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size: 5, limit: 4 }), "{e}");
        assert!(e.to_string().contains("--max-document-size"), "{e}");
        let e = read_file(&dir, &limits).unwrap_err();
        assert!(matches!(e, ReadError::NotAFile(FOLDER)), "{e}");
        assert_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::IsADirectory);
        let e = read_file(Path::new("/dev/zero"), &limits).unwrap_err();
        assert!(e.to_string().contains("thiết bị") && e.to_string().contains("a device"), "{e}");
        let io = std::io::Error::from(read_file(Path::new("/dev/null"), &limits).unwrap_err());
        assert!(io.get_ref().and_then(|e| e.downcast_ref::<ReadError>()).is_some(), "{io}");
    }

    #[test]
    fn a_folder_that_cannot_be_listed_is_an_error() {
        let dir = temp("list");
        assert_eq!(list_folder(&dir.join("criteria")).unwrap(), ["so.json"]);
        assert!(matches!(list_folder(&dir.join("missing")), Err(ReadError::Io(_))));
        assert!(matches!(list_folder(&dir.join("criteria/so.json")), Err(ReadError::NotAFolder(FILE))));
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
        assert!(matches!(list_folder(&dir.join("dangling")), Err(ReadError::NotAFolder(DANGLING))));
    }
}
