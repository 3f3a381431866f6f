//! Exports through the facade, as the desktop app drives them: progress reports, cancellation,
//! and a target file that is only ever replaced by a complete export.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

use std::ops::ControlFlow;

use sellerdesk_facade::{
    ByteOrderMark, Clock, DatabaseLocation, ErrorCode, ExportInput, ExportProgress,
    GenerateCodesInput, GenerationProgress, NewCouponInput, NewStoreInput, SellerDesk,
};

fn desk_with_codes(directory: &tempfile::TempDir, count: u32) -> (SellerDesk, String) {
    let desk = SellerDesk::with_settings(
        DatabaseLocation::Path(directory.path().join("desk.db")),
        Clock::Fixed("2026-11-24T12:00:00Z".parse().unwrap()),
    );
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Acme".into(),
        currency: "EUR".into(),
    })
    .unwrap();
    let coupon = desk
        .create_coupon(&NewCouponInput {
            store_id: "S1".into(),
            title: "Winter".into(),
            discount: "5.00".into(),
            min_purchase: "50.00".into(),
            valid_from: "2026-12-01T00:00:00Z".into(),
            valid_to: "2027-01-01T00:00:00Z".into(),
            quantity: 100_000,
        })
        .unwrap();
    let mut steps = Vec::new();
    let batch = desk
        .generate_codes(
            &GenerateCodesInput {
                store_id: "S1".into(),
                coupon_id: coupon.coupon_id.clone(),
                count,
                channel: Some("newsletter".into()),
                ..GenerateCodesInput::default()
            },
            |step| steps.push(step),
        )
        .unwrap();
    assert_eq!(batch.code_count, u64::from(count));
    assert_eq!(steps.first(), Some(&GenerationProgress::Generated { codes: u64::from(count) }));
    assert_eq!(
        steps.last(),
        Some(&GenerationProgress::Written { codes: u64::from(count), total: u64::from(count) })
    );
    (desk, coupon.coupon_id)
}

/// The seller's earlier `codes.csv` is as it was, and no other file (a temporary one) is beside it.
fn assert_earlier_export_kept(directory: &tempfile::TempDir) {
    assert_eq!(
        std::fs::read_to_string(directory.path().join("codes.csv")).unwrap(),
        "an older export the seller still wants\n"
    );
    let names: Vec<String> = std::fs::read_dir(directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("desk.db"))
        .collect();
    assert_eq!(names, ["codes.csv"], "no other file is written beside it");
}

fn export_input(directory: &tempfile::TempDir, coupon_id: &str) -> ExportInput {
    ExportInput {
        store_id: "S1".into(),
        coupon_id: coupon_id.into(),
        out: directory.path().join("codes.csv"),
        channel: None,
        batch_id: None,
        status: None,
        byte_order_mark: ByteOrderMark::Absent,
    }
}

#[test]
fn progress_is_reported_until_every_row_is_written() {
    let directory = tempfile::tempdir().unwrap();
    let (desk, coupon_id) = desk_with_codes(&directory, 25_000);
    let mut reports: Vec<ExportProgress> = Vec::new();
    let export = desk
        .export_codes(&export_input(&directory, &coupon_id), |progress| {
            reports.push(progress);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(export.rows, 25_000);
    let written: Vec<u64> = reports.iter().map(|report| report.rows_written).collect();
    assert_eq!(written, [10_000, 20_000, 25_000]);
    assert!(reports.iter().all(|report| report.rows_total == 25_000));
    let text = std::fs::read_to_string(directory.path().join("codes.csv")).unwrap();
    assert_eq!(text.lines().count(), 25_001);
}

#[test]
fn a_cancelled_export_leaves_the_target_as_it_was_and_records_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let (desk, coupon_id) = desk_with_codes(&directory, 25_000);
    let target = directory.path().join("codes.csv");
    std::fs::write(&target, "an older export the seller still wants\n").unwrap();
    let error = desk
        .export_codes(&export_input(&directory, &coupon_id), |progress| {
            if progress.rows_written >= 10_000 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert_earlier_export_kept(&directory);
    assert!(desk.exports("S1", &coupon_id).unwrap().is_empty());
    let coupon = desk.coupon("S1", &coupon_id).unwrap();
    assert_eq!(coupon.codes.exported, 0);
}

#[test]
fn an_export_that_cannot_be_recorded_writes_no_file_and_keeps_the_earlier_one() {
    let directory = tempfile::tempdir().unwrap();
    let (desk, coupon_id) = desk_with_codes(&directory, 100);
    let target = directory.path().join("codes.csv");
    std::fs::write(&target, "an older export the seller still wants\n").unwrap();
    // Another process holds the database's write lock: the export cannot be recorded.
    let other = rusqlite::Connection::open(directory.path().join("desk.db")).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let error = desk
        .export_codes(&export_input(&directory, &coupon_id), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert!(error.message.contains("in use by another Seller Desk process"), "{}", error.message);
    other.execute_batch("ROLLBACK").unwrap();
    assert_earlier_export_kept(&directory);
    assert!(desk.exports("S1", &coupon_id).unwrap().is_empty());
    // Recorded, then written: the same export goes through once the lock is gone.
    let export = desk
        .export_codes(&export_input(&directory, &coupon_id), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!((export.rows, export.left_out), (100, 0));
    assert_eq!(desk.coupon("S1", &coupon_id).unwrap().codes.exported, 100);
}

#[test]
fn a_bad_status_filter_names_the_field() {
    let directory = tempfile::tempdir().unwrap();
    let (desk, coupon_id) = desk_with_codes(&directory, 10);
    let mut input = export_input(&directory, &coupon_id);
    input.status = Some("redeemed".into());
    let error = desk.export_codes(&input, |_| ControlFlow::Continue(())).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.field.as_deref(), Some("status"));
    assert!(!directory.path().join("codes.csv").exists());
}
