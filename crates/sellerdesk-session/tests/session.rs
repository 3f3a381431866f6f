//! The desktop app's session as a seller meets it: a fresh data directory opens on the embedded
//! sandbox with its demo stores connected and syncing; a real platform choice opens the default
//! database with no sandbox.
#![allow(clippy::unwrap_used)]

use sellerdesk_sandbox::DEMO_CODE_BATCHES;
use sellerdesk_session::{
    ALIEXPRESS_DEMO_STORE, DataDirectory, PlatformChoice, Session, Settings, SyncEnded, SyncNews,
};
use tokio::sync::broadcast;

/// The next sync end told, skipping the uploads' news.
async fn next_end(news: &mut broadcast::Receiver<SyncNews>, waiting_for: &str) -> SyncEnded {
    loop {
        let next = tokio::time::timeout(std::time::Duration::from_secs(30), news.recv())
            .await
            .unwrap_or_else(|_| panic!("{waiting_for} within 30 s"))
            .unwrap();
        if let SyncNews::Ended(end) = next {
            return end;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_directory_opens_on_the_sandbox_with_its_demo_stores_connected() {
    let folder = tempfile::tempdir().unwrap();
    let directory = DataDirectory::new(folder.path());
    let session = Session::open(&directory).await.unwrap();

    assert_eq!(session.platform().kind, PlatformChoice::Sandbox);
    let url = session.platform().sandbox_url.clone().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let sandbox_stores = session.sandbox().unwrap().stores().await.unwrap();
    let local_stores = session.desk().stores().unwrap();
    let mut sandbox_ids: Vec<_> = sandbox_stores.iter().map(|s| s.store_id.clone()).collect();
    let mut local_ids: Vec<_> = local_stores.iter().map(|s| s.store_id.clone()).collect();
    sandbox_ids.sort();
    local_ids.sort();
    assert!(!sandbox_ids.is_empty());
    // The sandbox's stores, and the AliExpress demo store beside them.
    let mut expected = sandbox_ids.clone();
    expected.push(ALIEXPRESS_DEMO_STORE.to_owned());
    expected.sort();
    assert_eq!(local_ids, expected);
    let dialect = session.platform().aliexpress_sandbox_url.clone().unwrap();
    assert!(dialect.starts_with("http://127.0.0.1:"), "{dialect}");
    // Its coupon activities and disputes come down (the background sync may have brought them
    // already).
    session.sync_now(ALIEXPRESS_DEMO_STORE).await.unwrap();
    assert_eq!(session.desk().coupons(ALIEXPRESS_DEMO_STORE).unwrap().total, 2);
    assert_eq!(session.desk().refund_requests(ALIEXPRESS_DEMO_STORE).unwrap().len(), 4);

    // "Sync now" brings the sandbox's demo refund requests down.
    let store = &sandbox_ids[0];
    let report = session.sync_now(store).await.unwrap();
    assert_eq!(report.store_id, *store);
    let status = session.desk().sync_status(Some(store)).unwrap();
    assert!(status[0].connected);
    assert!(status[0].online);
    assert!(status[0].last_error.is_none(), "{:?}", status[0].last_error);
    session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_keeps_the_sandbox_data_and_reconnects_on_the_new_port() {
    let folder = tempfile::tempdir().unwrap();
    let directory = DataDirectory::new(folder.path());
    let first = Session::open(&directory).await.unwrap();
    let store = first.desk().stores().unwrap()[0].store_id.clone();
    first.sync_now(&store).await.unwrap();
    let requests_before = first.desk().refund_requests(&store).unwrap();
    first.close().await;

    let second = Session::open(&directory).await.unwrap();
    assert_eq!(second.desk().refund_requests(&store).unwrap(), requests_before);
    // The credentials point at this run's sandbox, wherever it listens now.
    second.sync_now(&store).await.unwrap();
    second.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_a_remote_platform_opens_the_default_database_without_a_sandbox() {
    let folder = tempfile::tempdir().unwrap();
    let directory = DataDirectory::new(folder.path());
    directory.save_settings(&Settings { platform: PlatformChoice::Remote }).unwrap();
    let session = Session::open(&directory).await.unwrap();
    assert_eq!(session.platform().kind, PlatformChoice::Remote);
    assert!(session.sandbox().is_none());
    assert_eq!(
        session.platform().database,
        folder.path().join("sellerdesk.db").display().to_string()
    );
    assert!(session.desk().stores().unwrap().is_empty());
    session.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sync_end_is_told_store_by_store_background_or_sync_now() {
    let folder = tempfile::tempdir().unwrap();
    let directory = DataDirectory::new(folder.path());
    let session = Session::open(&directory).await.unwrap();
    let mut news = session.sync_news();
    let mut stores: Vec<String> =
        session.desk().stores().unwrap().into_iter().map(|store| store.store_id).collect();
    stores.sort();

    // A local change nudges the background sync, which syncs every connected store.
    session.changed();
    let mut told = Vec::new();
    while told != stores {
        let end = next_end(&mut news, "every store's sync end").await;
        if !told.contains(&end.store_id) {
            told.push(end.store_id);
            told.sort();
        }
    }

    // "Sync now" is told too, with the store it synced; a store that does not exist had no sync.
    assert!(session.sync_now("NO-SUCH-STORE").await.is_err());
    session.sync_now(&stores[0]).await.unwrap();
    loop {
        let end = next_end(&mut news, "the sync now's end").await;
        assert_ne!(end.store_id, "NO-SUCH-STORE");
        if end.store_id == stores[0] {
            break;
        }
    }
    session.close().await;
    // Once the session is closed, the stream ends.
    loop {
        match news.recv().await {
            Ok(_) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            Err(other) => panic!("{other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_start_on_the_sandbox_makes_the_demo_code_batches_once_and_uploads_them() {
    let folder = tempfile::tempdir().unwrap();
    let directory = DataDirectory::new(folder.path());
    let session = Session::open(&directory).await.unwrap();
    let mut news = session.sync_news();
    let demo = DEMO_CODE_BATCHES[0];
    let channels_of = |session: &Session| {
        // Before the first sync, the coupon is not here yet.
        let batches =
            session.desk().code_batches(demo.store_id, demo.coupon_id).unwrap_or_default();
        let mut channels: Vec<(String, u64)> = batches
            .into_iter()
            .map(|batch| (batch.channel.unwrap_or_default(), batch.code_count))
            .collect();
        channels.sort();
        channels
    };
    let expected: Vec<(String, u64)> = {
        let mut expected: Vec<(String, u64)> = DEMO_CODE_BATCHES
            .iter()
            .map(|batch| (batch.channel.to_owned(), u64::from(batch.count)))
            .collect();
        expected.sort();
        expected
    };

    // After the first sync brought the demo coupons, the batches are made and go up, their
    // upload told as it goes.
    let mut uploads = Vec::new();
    let mut keep_upload = |told: SyncNews| {
        if let SyncNews::Uploading(step) = told {
            uploads.push((step.store_id, step.uploaded, step.total));
        }
    };
    loop {
        let status = &session.desk().sync_status(Some(demo.store_id)).unwrap()[0];
        if channels_of(&session) == expected && status.pending_changes == 0 {
            break;
        }
        let told = tokio::time::timeout(std::time::Duration::from_secs(30), news.recv())
            .await
            .expect("the demo batches are made and uploaded within a few syncs")
            .unwrap();
        keep_upload(told);
    }
    // What was told before the last check and not read yet.
    while let Ok(told) = news.try_recv() {
        keep_upload(told);
    }
    for batch in DEMO_CODE_BATCHES {
        let total = u64::from(batch.count);
        for uploaded in [0, total] {
            let step = (batch.store_id.to_owned(), uploaded, total);
            assert!(uploads.contains(&step), "{step:?} is not in {uploads:?}");
        }
    }
    // The platform took them all: nothing refused, no code to withdraw.
    let status = &session.desk().sync_status(Some(demo.store_id)).unwrap()[0];
    assert_eq!(status.rejected, vec![], "{:?}", status.last_error);
    assert_eq!(status.withdraw_codes, vec![]);
    session.close().await;

    // The next start is no first start: nothing more is made.
    let again = Session::open(&directory).await.unwrap();
    again.sync_now(demo.store_id).await.unwrap();
    again.sync_now(demo.store_id).await.unwrap();
    assert_eq!(channels_of(&again), expected);
    again.close().await;
}
