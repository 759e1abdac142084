//! The store on a real SQLite file: tokens are kept hashed, documents count their versions,
//! the audit chain verifies and shows edits, and everything survives reopening.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use parindex_store::documents::{self, Put};
use parindex_store::{Store, StoreError, audit, sha256_hex, tokens};

fn fresh(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("parindex-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("store.sqlite")
}

fn put<'a>(key: &'a str, doc: &'a str) -> Put<'a> {
    Put { key, round: "r", subject: "so-a", kind: "self-draft", stage: 0, doc, finalised: false }
}

#[test]
fn tokens_are_stored_only_as_their_hash() {
    let path = fresh("tokens");
    let store = Store::open(&path).unwrap();
    let (token, secret) = store.write(|tx| tokens::create(tx, "test", "unit:so-a", "Sở A", Some(10))).unwrap();
    assert!(secret.starts_with(tokens::PREFIX) && secret.len() == tokens::PREFIX.len() + 64);
    let (_, other) = store.write(|tx| tokens::create(tx, "test", "admin", "", None)).unwrap();
    assert_ne!(secret, other, "secrets are random");
    let hashes: Vec<String> = store
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT hash FROM tokens ORDER BY id").map_err(StoreError::from)?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(StoreError::from)?;
            Ok::<_, StoreError>(rows.map(Result::unwrap).collect())
        })
        .unwrap();
    assert_eq!(hashes[0], sha256_hex(secret.as_bytes()));
    for file in [path.clone(), path.with_extension("sqlite-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{}", file.display());
    }
    let found = store.read(|tx| tokens::find(tx, &secret)).unwrap().unwrap();
    assert_eq!(found, token);
    assert!(!found.expired(9) && found.expired(10));
    assert_eq!(store.read(|tx| tokens::find(tx, "pix_nope")).unwrap(), None);
}

#[test]
fn documents_count_versions_and_the_audit_chain_shows_edits() {
    let path = fresh("audit");
    {
        let store = Store::open(&path).unwrap();
        for (i, text) in ["{\"a\": 1}", "{\"a\": 2}", "{\"a\": 3}"].iter().enumerate() {
            let doc = store.write(|tx| documents::put(tx, &put("k", text), "unit:so-a#1", "self.draft.put")).unwrap();
            assert_eq!(doc.version, i as i64 + 1);
            assert_eq!(doc.sha256, sha256_hex(text.as_bytes()));
        }
        store.write(|tx| documents::put(tx, &put("k2", "{}"), "admin#2", "x")).unwrap();
        // A write that fails leaves nothing behind, its audit event included.
        let failed: Result<(), StoreError> = store.write(|tx| {
            documents::put(tx, &put("k3", "{}"), "admin#2", "x")?;
            Err(StoreError::Poisoned)
        });
        assert!(failed.is_err());
        assert_eq!(store.read(|tx| documents::get(tx, "k3")).unwrap(), None);
    }
    // Reopened: everything is there and the chain holds.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.read(|tx| documents::get(tx, "k")).unwrap().unwrap().doc, "{\"a\": 3}");
    let ok = store.read(|tx| audit::verify(tx)).unwrap().unwrap();
    assert_eq!((ok.events, ok.documents), (4, 2));
    let events = store.read(|tx| audit::list(tx, 0, 100, Some("k2"))).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].prev, store.read(|tx| audit::list(tx, 2, 1, None)).unwrap()[0].hash);

    store
        .write(|tx| tx.execute("UPDATE audit SET actor = 'admin#9' WHERE seq = 2", []).map_err(StoreError::from))
        .unwrap();
    let broken = store.read(|tx| audit::verify(tx)).unwrap().unwrap_err();
    assert_eq!(broken.seq, 2);
}

#[test]
fn verify_ties_the_log_to_documents_both_ways_but_accepts_a_recorded_removal() {
    let path = fresh("both-ways");
    let store = Store::open(&path).unwrap();
    store.write(|tx| documents::put(tx, &put("k", "{}"), "admin#1", "x")).unwrap();
    store.write(|tx| documents::put(tx, &put("gone", "{}"), "admin#1", "x")).unwrap();
    assert!(store.read(|tx| audit::verify(tx)).unwrap().is_ok());
    // Deleted by hand: the event that wrote it names it.
    store.write(|tx| tx.execute("DELETE FROM documents WHERE key = 'gone'", []).map_err(StoreError::from)).unwrap();
    let broken = store.read(|tx| audit::verify(tx)).unwrap().unwrap_err();
    assert_eq!(broken.seq, 2);
    assert!(broken.reason.contains("gone") && broken.reason.contains("deleted"), "{}", broken.reason);
    // A removal the log records (the SHA-256 of the empty text) is not a fault.
    store.write(|tx| audit::append(tx, "admin#1", "x.remove", "gone", &sha256_hex(b""))).unwrap();
    assert!(store.read(|tx| audit::verify(tx)).unwrap().is_ok());
}
