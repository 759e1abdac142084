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

/// The lock a server holds on its database for as long as it runs (a file `DB.lock`
/// beside it, locked by the operating system, so that it is released even when the
/// process is killed).
#[derive(Debug)]
pub struct DbLock {
    _file: std::fs::File,
    path: PathBuf,
}

impl DbLock {
    /// Takes the lock of the database at `db`, or says who has it.
    pub fn take(db: &Path) -> Result<DbLock, StoreError> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let io = |source| StoreError::Io { path: path.clone(), source };
        let mut file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Locked { path }),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        use std::io::Write;
        let _ = file.set_len(0);
        let _ = writeln!(file, "{}", std::process::id());
        Ok(DbLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
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

    /// Writes a consistent copy of the live database to `out` (a new file) with SQLite's
    /// online backup API: it copies the database as one snapshot while other connections
    /// keep reading and writing, unlike a file copy of a WAL database, which can miss
    /// committed writes still in the `-wal` file or catch one half-written. Then copies the
    /// evidence files that snapshot records to `<out>.evidence`.
    pub fn backup(&self, out: &Path) -> Result<(), StoreError> {
        if out.exists() {
            return Err(StoreError::Exists { path: out.to_path_buf() });
        }
        let source = connect(&self.path)?;
        let mut copy = Connection::open(out)?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
            // All pages in one step: one read snapshot (writers go on, in WAL mode), never
            // restarted by a write landing halfway. Busy: try again, a bounded number of times.
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    _ if tries < 500 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    _ => {
                        return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the database stayed busy for 10 seconds".into()),
                        )));
                    }
                }
            }
        }
        // The copy is one self-contained file: no -wal beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        // The evidence files the copy records (immutable, named by their SHA-256), into
        // `<out>.evidence`; one missing here is reported by the copy's `evidence::verify`.
        let (from, to) = (crate::evidence::folder(&self.path), crate::evidence::folder(out));
        let mut stmt = copy.prepare("SELECT DISTINCT sha256 FROM evidence_files ORDER BY sha256")?;
        let shas = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        for sha in shas.iter().filter(|s| crate::evidence::is_sha256(s)) {
            let (source, target) = (crate::evidence::stored_path(&from, sha), crate::evidence::stored_path(&to, sha));
            if !source.is_file() {
                continue;
            }
            let io = |e| StoreError::Io { path: target.clone(), source: e };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::copy(&source, &target).map_err(io)?;
        }
        Ok(())
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
