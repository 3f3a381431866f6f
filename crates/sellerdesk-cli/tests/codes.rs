//! Coupon codes through the `sellerdesk` binary: generating batches per channel, exporting them to
//! CSV (read back with a standard CSV parser), checking typed codes, and a process killed in the
//! middle of a batch.

// A test may stop at the first broken fixture, helpers included.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{Desk, assert_refused_for};

fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = std::fs::read(path).unwrap();
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(text);
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[test]
fn codes_generated_per_channel_export_and_read_back_through_a_csv_parser() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Black Friday", "100000");
    let facebook = desk.generate_codes(
        &coupon,
        "3000",
        &["--prefix", "bf", "--group", "4", "--check-char", "--channel", "Facebook"],
    );
    assert_eq!(facebook["code_count"], 3000);
    assert_eq!(facebook["channel"], "facebook");
    desk.generate_codes(&coupon, "500", &["--channel", "newsletter"]);

    let everything = desk.path("all.csv");
    let export = desk.export_codes(&coupon, &everything, &[]);
    assert_eq!(export["rows"], 3500);
    let (header, rows) = read_csv(&everything);
    assert_eq!(
        header,
        [
            "code",
            "store_id",
            "coupon_id",
            "coupon_title",
            "channel",
            "currency",
            "discount",
            "min_purchase",
            "valid_from",
            "valid_to",
            "status"
        ]
    );
    assert_eq!(rows.len(), 3500);
    let codes: HashSet<&str> = rows.iter().map(|row| &row[0]).collect();
    assert_eq!(codes.len(), 3500, "every code is unique");
    for row in &rows {
        assert_eq!(&row[1], "S1");
        assert_eq!(&row[2], coupon);
        assert_eq!(&row[3], "Black Friday");
        assert_eq!(&row[5], "USD");
        assert_eq!((&row[6], &row[7]), ("3.00", "20.00"));
        assert_eq!((&row[8], &row[9]), ("2030-11-25T00:00:00Z", "2030-12-25T00:00:00Z"));
        assert_eq!(&row[10], "unclaimed");
        match &row[4] {
            // BF, 8 random characters and the check character, a dash every 4: BFxx-xxxx-xxx.
            "facebook" => {
                assert!(row[0].starts_with("BF") && row[0].len() == 13, "{}", &row[0]);
                assert_eq!(row[0].matches('-').count(), 2, "{}", &row[0]);
            }
            "newsletter" => assert_eq!(row[0].len(), 8, "{}", &row[0]),
            other => panic!("unexpected channel {other}"),
        }
    }

    let newsletter = desk.path("newsletter.csv");
    let export = desk.export_codes(
        &coupon,
        &newsletter,
        &["--channel", "newsletter", "--status", "unclaimed", "--excel"],
    );
    assert_eq!(export["rows"], 500);
    let bytes = std::fs::read(&newsletter).unwrap();
    assert!(bytes.starts_with("\u{feff}code,".as_bytes()), "Excel gets a byte-order mark");
    assert!(bytes.ends_with(b"unclaimed\r\n"), "RFC 4180 line ends");
    assert_eq!(read_csv(&newsletter).1.len(), 500);

    let exports = desk.json(&["codes", "exports", "--store", "S1", "--coupon", &coupon]);
    assert_eq!(exports.as_array().unwrap().len(), 2);
    assert_eq!(exports[1]["channel"], "newsletter");
    let list = desk.json(&["coupon", "list", "--store", "S1"]);
    assert_eq!(list["coupons"][0]["codes"]["generated"], 3500);
    assert_eq!(list["coupons"][0]["codes"]["exported"], 3500);
}

#[test]
fn text_that_a_spreadsheet_would_run_is_neutralized() {
    let desk = Desk::new();
    for (index, title) in
        ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "\nLF"]
            .into_iter()
            .enumerate()
    {
        let coupon = desk.store_with_coupon("S1", title, "10");
        desk.generate_codes(&coupon, "2", &[]);
        let out = desk.path(&format!("injection-{index}.csv"));
        desk.export_codes(&coupon, &out, &[]);
        let (_, rows) = read_csv(&out);
        for row in &rows {
            for cell in row.iter() {
                let first = cell.chars().next().unwrap_or(' ');
                assert!(!"=+-@\t\r\n".contains(first), "cell {cell:?} of {title:?}");
            }
            // Titles are trimmed when the coupon is created; what remains is kept, as text.
            let trimmed = title.trim();
            let expected = if trimmed.starts_with(['=', '+', '-', '@']) {
                format!("'{trimmed}")
            } else {
                trimmed.to_owned()
            };
            assert_eq!(&row[3], expected.as_str());
        }
    }
}

#[test]
fn typed_codes_are_normalised_and_typos_caught() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Typo test", "100");
    desk.generate_codes(&coupon, "5", &["--check-char", "--group", "3"]);
    let out = desk.path("codes.csv");
    desk.export_codes(&coupon, &out, &[]);
    let (_, rows) = read_csv(&out);
    let printed = rows[0][0].to_owned();
    let typed = format!("  {} ", printed.to_lowercase().replace('-', " "));
    let check = desk.json(&["codes", "check", "--store", "S1", &typed]);
    assert_eq!(check["display"], printed);
    assert_eq!(check["coupon_id"], coupon);
    assert_eq!(check["status"], "unclaimed");

    // One character changed: the check character says it is a typo, not an unknown code.
    let normalized: Vec<char> = printed.replace('-', "").chars().collect();
    let mut typo = normalized.clone();
    typo[1] = if typo[1] == 'A' { 'B' } else { 'A' };
    let line = desk.refused(&["codes", "check", "--store", "S1", &typo.iter().collect::<String>()]);
    assert_refused_for(&line, "code", "CODES-4");
    // Two neighbours swapped.
    let mut swapped = normalized.clone();
    let position = (0..swapped.len() - 1).find(|&i| swapped[i] != swapped[i + 1]).unwrap();
    swapped.swap(position, position + 1);
    let line =
        desk.refused(&["codes", "check", "--store", "S1", &swapped.iter().collect::<String>()]);
    assert!(line.ends_with("[CODES-4]"), "{line}");
    // Another store never sees the code.
    desk.store_with_coupon("S2", "Other", "10");
    let line = desk.refused(&["codes", "check", "--store", "S2", &printed]);
    assert!(line.contains("does not exist in store S2"), "{line}");
}

#[test]
fn bad_generation_requests_name_the_option_and_the_rule() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Limits", "100");
    let generate = |extra: &[&str]| {
        let mut args = vec!["codes", "generate", "--store", "S1", "--coupon", coupon.as_str()];
        args.extend_from_slice(extra);
        desk.refused(&args)
    };
    let line = generate(&["--count", "101"]);
    assert_refused_for(&line, "count", "CODES-1");
    let line = generate(&["--count", "10", "--length", "3"]);
    assert_refused_for(&line, "length", "CODES-5");
    assert!(line.contains("use a length of at least 5"), "{line}");
    let line = generate(&["--count", "10", "--group", "1"]);
    assert_refused_for(&line, "group", "CODES-1");
    let line = generate(&["--count", "10", "--prefix", "A!"]);
    assert!(line.starts_with("error: prefix: "), "{line}");
    let line = generate(&["--count", "10", "--alphabet", "AABC"]);
    assert!(line.starts_with("error: alphabet: "), "{line}");
    let line =
        generate(&["--count", "10", "--alphabet", "ABCDEF", "--check-char", "--length", "12"]);
    assert!(line.ends_with("[CODES-3]"), "{line}");
    let line = generate(&["--count", "10", "--channel", "face book!"]);
    assert!(line.starts_with("error: channel: "), "{line}");

    desk.generate_codes(&coupon, "60", &[]);
    let line = generate(&["--count", "41"]);
    assert!(line.starts_with("error: count: ") && line.contains("40"), "{line}");
    desk.generate_codes(&coupon, "40", &[]);
    let list = desk.json(&["coupon", "list", "--store", "S1"]);
    assert_eq!(list["coupons"][0]["codes"]["generated"], 100, "never more than the quantity");
}

#[test]
fn exports_are_store_scoped_and_never_leave_partial_files() {
    let desk = Desk::new();
    let coupon_of_a = desk.store_with_coupon("A", "Store A coupon", "100");
    desk.store_with_coupon("B", "Store B coupon", "100");
    desk.json(&["codes", "generate", "--store", "A", "--coupon", &coupon_of_a, "--count", "10"]);
    let out = desk.path("stolen.csv");
    let line = desk.refused(&[
        "codes",
        "export",
        "--store",
        "B",
        "--coupon",
        &coupon_of_a,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(line.contains("does not exist"), "{line}");
    assert!(!out.exists());
    let line = desk.refused(&[
        "codes",
        "export",
        "--store",
        "A",
        "--coupon",
        &coupon_of_a,
        "--out",
        desk.path("no/such/folder/x.csv").to_str().unwrap(),
    ]);
    assert!(line.starts_with("error: out: "), "{line}");
    let leftovers: Vec<_> = std::fs::read_dir(desk.directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Counts the coupon's codes and batches straight from the database file.
fn codes_and_batches(database: &Path) -> (i64, i64) {
    let connection = rusqlite::Connection::open(database).unwrap();
    let codes = connection.query_row("SELECT count(*) FROM codes", [], |row| row.get(0)).unwrap();
    let batches =
        connection.query_row("SELECT count(*) FROM code_batches", [], |row| row.get(0)).unwrap();
    (codes, batches)
}

#[test]
fn a_process_killed_in_the_middle_of_a_batch_leaves_no_partial_batch() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Big batch", "1000000");
    let mut whole_batches = 0;
    let mut killed_mid_batch = 0;
    for delay_ms in [150, 400, 900, 1500] {
        let mut child = desk
            .command()
            .args(["codes", "generate", "--store", "S1", "--coupon", &coupon, "--count", "200000"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let (codes, batches) = codes_and_batches(&desk.path("desk.db"));
        // Only whole batches exist: the one killed is either all there or not there at all.
        assert_eq!(codes, batches * 200_000, "killed after {delay_ms} ms");
        assert!(batches == whole_batches || batches == whole_batches + 1);
        if batches == whole_batches {
            killed_mid_batch += 1;
        }
        whole_batches = batches;
    }
    assert!(killed_mid_batch > 0, "no kill landed in the middle of a batch");
    // The database is healthy afterwards and the next batch goes in whole.
    let batch = desk.generate_codes(&coupon, "1000", &[]);
    assert_eq!(batch["code_count"], 1000);
}

#[test]
fn verbose_prints_the_log_which_is_kept_beside_the_database_with_the_diagnostics() {
    let desk = Desk::new();
    let coupon = desk.store_with_coupon("S1", "Logged", "100");
    let quiet =
        desk.run(&["codes", "generate", "--store", "S1", "--coupon", &coupon, "--count", "5"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("codes generated"));
    let verbose = desk.run(&[
        "--verbose",
        "codes",
        "generate",
        "--store",
        "S1",
        "--coupon",
        &coupon,
        "--count",
        "5",
    ]);
    let said = String::from_utf8(verbose.stderr).unwrap();
    assert_eq!(verbose.status.code(), Some(0), "{said}");
    assert!(said.contains("generate_codes{store=S1"), "{said}");
    assert!(said.contains("codes generated"), "{said}");
    // Both runs are in the log beside the database, which the diagnostics end with.
    let logs = desk.path("logs");
    let files: Vec<_> = std::fs::read_dir(&logs).unwrap().collect();
    assert_eq!(files.len(), 1, "one file a day");
    let diagnostics = desk.run(&["diagnostics"]);
    let text = String::from_utf8(diagnostics.stdout).unwrap();
    assert_eq!(diagnostics.status.code(), Some(0));
    assert!(text.contains("store S1 (USD): not connected"), "{text}");
    assert_eq!(text.matches("codes generated").count(), 2, "{text}");
}
