//! `sellerdesk-bench-seed --db PATH [--coupons N] [--codes N]`: seeds a benchmark's database in
//! one command, through the facade as a seller's desk would: a store `S1` (USD), `N` coupons (1,000
//! by default), the first of them with `N` codes (1,000,000 by default) for one channel. Prints the
//! first coupon's id. The database must not hold the store yet.
//!
//! Used by `scripts/bench-desktop.sh` and `scripts/bench-ipc.sh`; not part of the app or the CLI.

use std::path::PathBuf;
use std::process::ExitCode;

use sellerdesk_facade::{
    Clock, DatabaseLocation, FacadeError, GenerateCodesInput, NewCouponInput, NewStoreInput,
    SellerDesk,
};

const USAGE: &str = "usage: sellerdesk-bench-seed --db PATH [--coupons N] [--codes N]";

/// What to seed, from the command line.
#[derive(Debug)]
struct Seed {
    database: PathBuf,
    coupons: u32,
    codes: u32,
}

fn main() -> ExitCode {
    let seed = match parse(std::env::args().skip(1)) {
        Ok(seed) => seed,
        Err(message) => {
            eprintln!("sellerdesk-bench-seed: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&seed) {
        Ok(first) => {
            println!("{first}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("sellerdesk-bench-seed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(mut arguments: impl Iterator<Item = String>) -> Result<Seed, String> {
    let mut seed = Seed { database: PathBuf::new(), coupons: 1_000, codes: 1_000_000 };
    while let Some(flag) = arguments.next() {
        let value = arguments.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let count = || value.parse::<u32>().map_err(|_| format!("{flag}: not a count: {value}"));
        match flag.as_str() {
            "--db" => seed.database = PathBuf::from(&value),
            "--coupons" => seed.coupons = count()?.max(1),
            "--codes" => seed.codes = count()?,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if seed.database.as_os_str().is_empty() {
        return Err("--db is required".into());
    }
    Ok(seed)
}

/// Seeds the database; the first coupon's id comes back.
fn run(seed: &Seed) -> Result<String, FacadeError> {
    let desk =
        SellerDesk::with_settings(DatabaseLocation::Path(seed.database.clone()), Clock::System);
    desk.add_store(&NewStoreInput {
        store_id: "S1".into(),
        name: "Bench Outlet".into(),
        currency: "USD".into(),
    })?;
    let coupon = |number: u32, title: String, discount: u32, quantity: u32| NewCouponInput {
        store_id: "S1".into(),
        title,
        discount: format!("{discount}.00"),
        min_purchase: "20.00".into(),
        valid_from: "2026-01-01T00:00:00Z".into(),
        valid_to: "2027-12-31T00:00:00Z".into(),
        quantity: quantity.max(number * 10),
    };
    let big = desk.create_coupon(&coupon(
        1,
        format!("Campaign with {} codes", seed.codes),
        5,
        seed.codes.max(1),
    ))?;
    if seed.codes > 0 {
        desk.generate_codes(
            &GenerateCodesInput {
                store_id: "S1".into(),
                coupon_id: big.coupon_id.clone(),
                count: seed.codes,
                channel: Some("facebook".into()),
                ..GenerateCodesInput::default()
            },
            |_| {},
        )?;
    }
    for number in 2..=seed.coupons {
        desk.create_coupon(&coupon(number, format!("Coupon {number}"), number % 9 + 1, 0))?;
    }
    Ok(big.coupon_id)
}
