//! What can go wrong in the store.

/// A failure of the store itself (not of the documents it holds).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The operating system could not supply random bytes for a token.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// A thread panicked while holding a connection.
    #[error("a database connection was poisoned by a panic")]
    Poisoned,
    /// Another process holds the database's lock file (another `parindex serve` on it).
    #[error(
        "một máy chủ parindex khác đang dùng cơ sở dữ liệu này (tệp khoá {}): hãy dừng máy chủ đó trước, hoặc chạy với --no-lock nếu chắc chắn không còn máy chủ nào khác",
        path.display()
    )]
    Locked {
        /// The lock file.
        path: std::path::PathBuf,
    },
    /// A file next to the database (the lock file, a backup) could not be made.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The backup's destination exists already.
    #[error("{} exists already: a backup is written to a new file", path.display())]
    Exists {
        /// The destination.
        path: std::path::PathBuf,
    },
    /// The database was written by a newer parindex.
    #[error("the database has schema version {found}; this parindex knows up to {known}")]
    TooNew {
        /// The database's `user_version`.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
}
