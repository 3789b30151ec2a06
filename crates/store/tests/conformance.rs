//! Conformance tests of the [`Store`] interface, written once against the trait so that every
//! implementation runs the same suite.

use sevres_store::{SqliteStore, Store, StoreError};

async fn check_si_releases(store: &dyn Store) {
    store.ping().await.unwrap();
    assert!(store.si_releases().await.unwrap().is_empty());
    store.put_si_release("v1", "d1", "{}").await.unwrap();
    // Idempotent for the same content.
    store.put_si_release("v1", "d1", "{}").await.unwrap();
    // A different digest under the same version is refused and changes nothing.
    let err = store.put_si_release("v1", "d2", "{ }").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    store.put_si_release("v2", "d2", "[]").await.unwrap();
    let one = store.si_release("v1").await.unwrap().unwrap();
    assert_eq!((one.digest.as_str(), one.dump.as_str()), ("d1", "{}"));
    assert!(store.si_release("v9").await.unwrap().is_none());
    let all = store.si_releases().await.unwrap();
    let mut versions: Vec<_> = all.iter().map(|r| r.version.as_str()).collect();
    versions.sort_unstable();
    assert_eq!(versions, ["v1", "v2"]);
}

#[tokio::test]
async fn sqlite_in_memory_conforms() {
    let store = SqliteStore::in_memory().await.unwrap();
    check_si_releases(&store).await;
}

#[tokio::test]
async fn sqlite_file_conforms_and_persists_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).await.unwrap();
        check_si_releases(&store).await;
    }
    // Reopening (a new process would do the same) finds every acknowledged write.
    let store = SqliteStore::open(dir.path()).await.unwrap();
    assert_eq!(store.si_releases().await.unwrap().len(), 2);
}
