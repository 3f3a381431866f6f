//! `sellerdesk`: the headless command line over Seller Desk's facade.
//!
//! Arguments are parsed once into raw values (`args`), run through the facade, and printed
//! (`output`). Exit status: 0 on success, 2 for bad input (one line on stderr naming the field and
//! the rule), 1 for anything else.

mod args;
mod output;
mod progress;

use std::io::{self, Read, Write};
use std::process::ExitCode;

use clap::Parser;
use sellerdesk_facade::{
    AuthorizeAliexpressInput, ByteOrderMark, CheckCharacterChoice, Clock, ConnectAliexpressInput,
    ConnectMedusaInput, ConnectPlatformInput, CouponChangesInput, DatabaseLocation, ErrorCode,
    ExportInput, FacadeError, GenerateCodesInput, LogEcho, NewCouponInput, NewStoreInput,
    PlatformKind, RefundAnswer, SellerDesk, log_folder, start_log,
};
use serde::Serialize;

use crate::args::{
    CampaignCommand, Cli, CodesCommand, Command, CouponCommand, InputSource, OutputFormat,
    PlatformCommand, RefundCommand, StoreCommand, SyncCommand,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // One line, always: a broken stderr has nowhere else to go.
            let _ = writeln!(io::stderr(), "error: {}", failure.message);
            ExitCode::from(failure.exit_status)
        }
    }
}

/// Why the command failed and with which exit status.
struct Failure {
    message: String,
    exit_status: u8,
}

impl From<FacadeError> for Failure {
    fn from(error: FacadeError) -> Failure {
        let exit_status = match error.code {
            ErrorCode::InvalidInput
            | ErrorCode::NotFound
            | ErrorCode::Conflict
            | ErrorCode::NotConnected
            | ErrorCode::NotSupported => 2,
            ErrorCode::Platform
            | ErrorCode::DatabaseLocked
            | ErrorCode::DatabaseCorrupt
            | ErrorCode::DatabaseTooNew
            | ErrorCode::DiskFull
            | ErrorCode::Io
            | ErrorCode::Cancelled
            | ErrorCode::Internal => 1,
        };
        // What to do about it, said here: the library's messages are the app's too.
        let advice = match error.code {
            ErrorCode::NotConnected => {
                "; connect it with `sellerdesk platform connect --store ID …`"
            }
            ErrorCode::DatabaseCorrupt => "; use --db to work with another file",
            _ => "",
        };
        Failure { message: format!("{}{advice}", error.message), exit_status }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let database = cli.db.map_or(DatabaseLocation::Default, DatabaseLocation::Path);
    let echo = if cli.verbose { LogEcho::Stderr } else { LogEcho::FileOnly };
    // The log beside the database. A command still runs when its log cannot be written.
    let logs = database.resolve()?.parent().map(log_folder);
    let _log = match logs.as_deref().map(|folder| start_log(folder, echo)) {
        Some(Ok(guard)) => Some(guard),
        Some(Err(error)) => {
            eprintln!("sellerdesk: this run is not logged: {}", error.message);
            None
        }
        None => None,
    };
    let desk = SellerDesk::with_settings(database, Clock::System);
    let format = OutputFormat::from_json_flag(cli.json);
    match cli.command {
        Command::Store { command: StoreCommand::Add { id, name, currency } } => {
            let store = desk.add_store(&NewStoreInput { store_id: id, name, currency })?;
            emit(format, &store, output::store_line)
        }
        Command::Diagnostics => {
            let folder = logs.ok_or_else(|| Failure {
                message: "the database has no folder, so there is no log".into(),
                exit_status: 1,
            })?;
            emit(format, &desk.diagnostics(&folder)?, |view| view.text.clone())
        }
        Command::Store { command: StoreCommand::List } => {
            emit(format, &desk.stores()?, |stores| stores.iter().map(output::store_line).collect())
        }
        Command::Coupon { command: CouponCommand::Create(create) } => {
            let coupon = desk.create_coupon(&NewCouponInput {
                store_id: create.store,
                title: create.title,
                discount: create.discount,
                min_purchase: create.min_purchase,
                valid_from: create.valid_from,
                valid_to: create.valid_to,
                quantity: create.quantity,
            })?;
            emit(format, &coupon, output::coupon_summary)
        }
        Command::Coupon { command: CouponCommand::List { store } } => {
            emit(format, &desk.coupons(&store)?, output::coupon_list)
        }
        Command::Coupon { command: CouponCommand::Show { store, coupon } } => {
            emit(format, &desk.coupon(&store, &coupon)?, output::coupon_summary)
        }
        Command::Coupon { command: CouponCommand::Edit(edit) } => {
            let changes = CouponChangesInput {
                title: edit.title,
                discount: edit.discount,
                min_purchase: edit.min_purchase,
                valid_from: edit.valid_from,
                valid_to: edit.valid_to,
                quantity: edit.quantity,
            };
            emit(
                format,
                &desk.edit_coupon(&edit.store, &edit.coupon, &changes)?,
                output::coupon_summary,
            )
        }
        Command::Coupon { command: CouponCommand::Stop { store, coupon } } => {
            emit(format, &desk.stop_coupon(&store, &coupon)?, output::coupon_summary)
        }
        Command::Codes { command: CodesCommand::Generate(generate) } => {
            let input = GenerateCodesInput {
                store_id: generate.store,
                coupon_id: generate.coupon,
                count: generate.count,
                length: generate.length,
                prefix: generate.prefix,
                suffix: generate.suffix,
                group: generate.group,
                alphabet: generate.alphabet,
                check_character: if generate.check_char {
                    CheckCharacterChoice::With
                } else {
                    CheckCharacterChoice::Without
                },
                channel: generate.channel,
            };
            let bar = progress::Bar::new("writing codes");
            let batch = desk.generate_codes(&input, |step| bar.generation(step));
            bar.finish();
            emit(format, &batch?, output::batch_summary)
        }
        Command::Codes { command: CodesCommand::Export(export) } => {
            let input = ExportInput {
                store_id: export.store,
                coupon_id: export.coupon,
                out: export.out,
                channel: export.channel,
                batch_id: export.batch,
                status: export.status,
                byte_order_mark: if export.excel {
                    ByteOrderMark::Present
                } else {
                    ByteOrderMark::Absent
                },
            };
            let bar = progress::Bar::new("exporting codes");
            let exported = desk.export_codes(&input, |step| bar.export(step));
            bar.finish();
            emit(format, &exported?, output::export_line)
        }
        Command::Codes { command: CodesCommand::Check { store, code } } => {
            emit(format, &desk.check_code(&store, &code)?, output::code_check)
        }
        Command::Codes { command: CodesCommand::Batches { store, coupon } } => {
            emit(format, &desk.code_batches(&store, &coupon)?, |batches| {
                batches.iter().map(output::batch_summary).collect()
            })
        }
        Command::Codes { command: CodesCommand::Exports { store, coupon } } => {
            emit(format, &desk.exports(&store, &coupon)?, |exports| {
                exports.iter().map(output::export_line).collect()
            })
        }
        Command::Platform { command: PlatformCommand::Connect(connect) } => {
            let needs = |what: &str, flag: &str| Failure {
                message: format!(
                    "{what}: {} needs {flag} [INPUT-1]",
                    connect.platform.shown_name()
                ),
                exit_status: 2,
            };
            let connection = match connect.platform {
                PlatformKind::Sellerdesk => {
                    let app_key =
                        connect.app_key.clone().ok_or_else(|| needs("app_key", "--app-key"))?;
                    let base_url = connect.url.clone().ok_or_else(|| needs("url", "--url"))?;
                    let (app_secret, access_token) = read_two_lines(
                        ("SELLERDESK_APP_SECRET", "app_secret", "the app secret"),
                        ("SELLERDESK_ACCESS_TOKEN", "access_token", "the access token"),
                    )?;
                    desk.connect_platform(&ConnectPlatformInput {
                        store_id: connect.store,
                        base_url,
                        app_key,
                        app_secret,
                        access_token,
                    })?
                }
                PlatformKind::Medusa => {
                    let base_url = connect.url.clone().ok_or_else(|| needs("url", "--url"))?;
                    let api_key = read_one_secret(
                        "SELLERDESK_API_KEY",
                        "api_key",
                        "the Medusa secret API key",
                    )?;
                    desk.connect_medusa_blocking(&ConnectMedusaInput {
                        store_id: connect.store,
                        base_url,
                        api_key,
                    })?
                }
                PlatformKind::Aliexpress => {
                    let app_key =
                        connect.app_key.clone().ok_or_else(|| needs("app_key", "--app-key"))?;
                    let (app_secret, code) = read_two_lines(
                        ("SELLERDESK_APP_SECRET", "app_secret", "the app secret"),
                        ("SELLERDESK_AUTH_CODE", "code", "the authorization code"),
                    )?;
                    desk.connect_aliexpress_blocking(&ConnectAliexpressInput {
                        store_id: connect.store,
                        base_url: connect.url,
                        app_key,
                        app_secret,
                        code,
                    })?
                }
            };
            emit(format, &connection, output::connection_line)
        }
        Command::Platform { command: PlatformCommand::Authorize(authorize) } => {
            if authorize.platform != PlatformKind::Aliexpress {
                return Err(Failure {
                    message: format!(
                        "platform: {} takes no authorization; connect the store with `sellerdesk platform connect` [INPUT-1]",
                        authorize.platform.shown_name()
                    ),
                    exit_status: 2,
                });
            }
            let _ = authorize.store;
            let view = desk.aliexpress_authorization(&AuthorizeAliexpressInput {
                app_key: authorize.app_key,
                redirect_uri: authorize.redirect_uri,
                base_url: authorize.url,
            })?;
            emit(format, &view, |view| view.url.clone())
        }
        Command::Sync { command: None, store } => {
            let bar = progress::Bar::new("uploading codes");
            let reports = desk.sync_blocking_reporting(store.as_deref(), &|step| bar.upload(step));
            bar.finish();
            let reports = reports?;
            emit(format, &reports, |reports| reports.iter().map(output::sync_report).collect())?;
            let pending: u64 = reports.iter().map(|report| report.pending_left).sum();
            if pending > 0 {
                return Err(Failure {
                    message: format!(
                        "{pending} change(s) are still waiting to reach the platform; see `sellerdesk sync status`"
                    ),
                    exit_status: 1,
                });
            }
            Ok(())
        }
        Command::Sync { command: Some(SyncCommand::Status { store }), store: outer } => {
            let statuses = desk.sync_status(store.or(outer).as_deref())?;
            emit(format, &statuses, |statuses| statuses.iter().map(output::sync_status).collect())
        }
        Command::Sync { command: Some(SyncCommand::Retry { store, change }), store: _ } => {
            let status = desk.retry_change(&store, change)?;
            emit(format, &status, |status| {
                format!(
                    "Change {change} of store {store} goes to the platform again with the next sync.\n{}",
                    output::sync_status(status)
                )
            })
        }
        Command::Refund { command: RefundCommand::Preview(preview) } => {
            let outcome = match (&preview.input, &preview.store, &preview.request) {
                (Some(input), _, _) => {
                    desk.preview_refund_json(&read_input(&InputSource::from_argument(input))?)?
                }
                (None, Some(store), Some(request)) => {
                    desk.preview_refund_request(store, request)?
                }
                _ => unreachable!("clap requires --input, or --store with --request"),
            };
            emit(format, &outcome, output::refund_preview_summary)
        }
        Command::Refund { command: RefundCommand::List { store } } => {
            emit(format, &desk.refund_requests(&store)?, |requests| {
                requests.iter().map(output::refund_request_line).collect()
            })
        }
        Command::Refund { command: RefundCommand::Approve(named) } => {
            let answered =
                desk.answer_refund_request(&named.store, &named.request, RefundAnswer::Approve)?;
            emit(format, &answered, output::refund_request_line)
        }
        Command::Refund { command: RefundCommand::Refuse(refuse) } => {
            let answered = desk.answer_refund_request(
                &refuse.named.store,
                &refuse.named.request,
                RefundAnswer::Refuse { reason: refuse.reason },
            )?;
            emit(format, &answered, output::refund_request_line)
        }
        Command::Campaign { command: CampaignCommand::Results { store, coupon } } => {
            let results = desk.campaign_results(&store, coupon.as_deref())?;
            emit(format, &results, output::campaign_results)
        }
    }
}

/// Prints a result as JSON or as the text `human` makes of it.
fn emit<T: Serialize>(
    format: OutputFormat,
    value: &T,
    human: impl Fn(&T) -> String,
) -> Result<(), Failure> {
    let rendered = match format {
        OutputFormat::Json => output::json(value),
        OutputFormat::Human => human(value),
    };
    let mut stdout = io::stdout().lock();
    stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush()).map_err(|error| Failure {
        message: format!("cannot write the output: {error}"),
        exit_status: 1,
    })
}

fn read_input(source: &InputSource) -> Result<String, Failure> {
    let bad_input = |message: String| Failure { message, exit_status: 2 };
    match source {
        InputSource::Stdin => {
            let mut text = String::new();
            io::stdin().read_to_string(&mut text).map_err(|error| {
                bad_input(format!("--input: cannot read standard input: {error}"))
            })?;
            Ok(text)
        }
        InputSource::File(path) => std::fs::read_to_string(path).map_err(|error| {
            bad_input(format!("--input: cannot read {}: {error}", path.display()))
        }),
    }
}

/// One secret: from the environment variable `variable`, or else the first line of standard input.
fn read_one_secret(variable: &str, field: &str, what: &str) -> Result<String, Failure> {
    if let Ok(secret) = std::env::var(variable) {
        return Ok(secret);
    }
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).map_err(|error| Failure {
        message: format!("cannot read {what} from standard input: {error}"),
        exit_status: 2,
    })?;
    match text.lines().map(str::trim).find(|line| !line.is_empty()) {
        Some(secret) => Ok(secret.to_owned()),
        None => Err(Failure {
            message: format!("{field}: give {what} on standard input, or in {variable} [INPUT-1]"),
            exit_status: 2,
        }),
    }
}

/// Two secrets (the app secret and an access token, or an authorization code): from their
/// environment variables, or else from standard input, one per line. Never from the command line,
/// where other users of the machine could read them. Each is `(variable, field, what)`.
fn read_two_lines(
    first: (&str, &str, &str),
    second: (&str, &str, &str),
) -> Result<(String, String), Failure> {
    if let (Ok(one), Ok(two)) = (std::env::var(first.0), std::env::var(second.0)) {
        return Ok((one, two));
    }
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).map_err(|error| Failure {
        message: format!("cannot read {} and {} from standard input: {error}", first.2, second.2),
        exit_status: 2,
    })?;
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    match (lines.next(), lines.next()) {
        (Some(one), Some(two)) => Ok((one.to_owned(), two.to_owned())),
        (one, _) => Err(Failure {
            message: format!(
                "{}: give {} and {} on standard input, one per line, or in {} and {} [INPUT-1]",
                if one.is_none() { first.1 } else { second.1 },
                first.2,
                second.2,
                first.0,
                second.0
            ),
            exit_status: 2,
        }),
    }
}
