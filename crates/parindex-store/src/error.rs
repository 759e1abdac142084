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
    /// The database was written by a newer parindex.
    #[error("the database has schema version {found}; this parindex knows up to {known}")]
    TooNew {
        /// The database's `user_version`.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
}
