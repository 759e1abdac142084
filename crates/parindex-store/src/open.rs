//! Opening the database and running work on it: one writer, a few readers.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::{StoreError, migrations};

/// How many read connections a store keeps (WAL lets them read while the writer writes).
const READERS: usize = 4;

/// The store: one SQLite file, one writing connection, a few reading ones.
///
/// Writes are serialised: [`Store::write`] holds the writer and runs the closure in a
/// `BEGIN IMMEDIATE` transaction, so a read-modify-write inside it never loses an update.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL: readers do not block the writer; FULL: a committed transaction is on disk
    // before the commit returns, so an acknowledged write survives a crash or power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut writer = connect(path)?;
        migrations::migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            readers.push(Mutex::new(connect(path)?));
        }
        Ok(Store { path: path.to_path_buf(), writer: Mutex::new(writer), readers, next_reader: AtomicUsize::new(0) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder of its evidence files, `<db>.evidence` ([`crate::evidence`]).
    pub fn evidence_dir(&self) -> PathBuf {
        crate::evidence::folder(&self.path)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed if `f` returns `Ok`,
    /// rolled back otherwise. Writers run one at a time.
    pub fn write<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut conn = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `f` on a reading connection, inside one deferred transaction so that it sees
    /// one consistent snapshot.
    pub fn read<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len().max(1);
        let slot = self.readers.get(i).unwrap_or(&self.writer);
        let mut conn = slot.lock().map_err(|_| StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.finish().map_err(StoreError::from)?;
        Ok(value)
    }
}
