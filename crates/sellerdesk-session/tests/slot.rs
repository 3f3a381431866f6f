//! The session's slot over the app's life, as the desktop shell uses it: opening, failed with why
//! and opened again once fixed, replaced when the seller changes platform, its sync news handed
//! on from whichever session is in place.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use sellerdesk_session::{DataDirectory, PlatformChoice, Session, SessionSlot, SyncNews};
use tokio::sync::mpsc;

/// A slot on `directory`, forwarding its sync news to the returned receiver as the shell forwards
/// them to the window.
fn slot_on(
    directory: DataDirectory,
) -> (Arc<SessionSlot>, mpsc::UnboundedReceiver<SyncNews>, tokio::task::JoinHandle<()>) {
    let slot = Arc::new(SessionSlot::opening(directory));
    let (told, heard) = mpsc::unbounded_channel();
    let forwarding = tokio::spawn({
        let slot = Arc::clone(&slot);
        async move {
            slot.forward_sync_news(|news| {
                let _ = told.send(news);
            })
            .await;
        }
    });
    (slot, heard, forwarding)
}

/// The next sync end told for `store_id` (other news is skipped).
async fn next_end_of(store_id: &str, news: &mut mpsc::UnboundedReceiver<SyncNews>) {
    loop {
        let told = tokio::time::timeout(Duration::from_secs(30), news.recv())
            .await
            .expect("a sync end within 30 s")
            .expect("the forwarding goes on");
        if let SyncNews::Ended(end) = told
            && end.store_id == store_id
        {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_cannot_open_is_every_callers_answer_until_it_opens_again() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("settings.json"), r#"{"platform": "cloud"}"#).unwrap();
    let (slot, mut news, forwarding) = slot_on(DataDirectory::new(folder.path()));

    slot.open().await;
    let refused = slot.current().await.map(drop).unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("platform"));
    let again = slot.open_again().await.unwrap_err();
    assert_eq!(again.field.as_deref(), Some("platform"));

    // Fixed: it opens on the sandbox, and its syncs' news is handed on.
    std::fs::write(folder.path().join("settings.json"), r#"{"platform": "sandbox"}"#).unwrap();
    slot.open_again().await.unwrap();
    let session = slot.current().await.unwrap();
    assert_eq!(session.platform().kind, PlatformChoice::Sandbox);
    let store = session.desk().stores().unwrap()[0].store_id.clone();
    session.changed();
    next_end_of(&store, &mut news).await;

    // An open session stays as it is.
    slot.open_again().await.unwrap();
    assert!(Arc::ptr_eq(&session, &slot.current().await.unwrap()));
    slot.stop();
    forwarding.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_session_closes_even_while_held_and_the_news_follows_the_new_one() {
    let folder = tempfile::tempdir().unwrap();
    let (slot, mut news, forwarding) = slot_on(DataDirectory::new(folder.path()));
    slot.open().await;
    let previous = slot.current().await.unwrap();
    let store = previous.desk().stores().unwrap()[0].store_id.clone();
    previous.sync_now(&store).await.unwrap();
    next_end_of(&store, &mut news).await;

    // The seller changes platform while a command still holds the old session: the new one is
    // in place at once, and the old one closes without waiting for that command to let go.
    let other = tempfile::tempdir().unwrap();
    let replacement = Session::open(&DataDirectory::new(other.path())).await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), slot.replace(replacement))
        .await
        .expect("the old session closes while still held");
    let current = slot.current().await.unwrap();
    assert!(!Arc::ptr_eq(&previous, &current));
    // The held session still reads its database; its syncs are over.
    assert!(!previous.desk().stores().unwrap().is_empty());
    let closed = previous.sync_now(&store).await.unwrap_err();
    assert!(closed.message.contains("closed"), "{}", closed.message);
    drop(previous);

    // What the old session told before closing is set aside; the new one's syncs come through.
    while news.try_recv().is_ok() {}
    current.sync_now(&store).await.unwrap();
    next_end_of(&store, &mut news).await;
    slot.stop();
    forwarding.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn going_back_to_the_sandbox_puts_its_session_in_place_and_is_kept() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("settings.json"), r#"{"platform": "remote"}"#).unwrap();
    let directory = DataDirectory::new(folder.path());
    let (slot, _news, forwarding) = slot_on(directory.clone());
    slot.open().await;
    assert_eq!(slot.current().await.unwrap().platform().kind, PlatformChoice::Remote);

    slot.switch_to_sandbox().await.unwrap();
    let sandbox = slot.current().await.unwrap();
    assert_eq!(sandbox.platform().kind, PlatformChoice::Sandbox);
    assert_eq!(directory.load_settings().unwrap().platform, PlatformChoice::Sandbox);

    // On the sandbox already: nothing to do.
    slot.switch_to_sandbox().await.unwrap();
    assert!(Arc::ptr_eq(&sandbox, &slot.current().await.unwrap()));
    slot.stop();
    forwarding.abort();
}
