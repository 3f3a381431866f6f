//! CSV export of a coupon's codes: RFC 4180, streamed with constant memory, safe to open in a
//! spreadsheet, written to a temporary file beside the target and renamed into place only when
//! complete, and recorded in the database.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use sellerdesk_core::ids::Channel;
use sellerdesk_core::rules::Reason;
use sellerdesk_core::{InputError, RuleId};
use sellerdesk_store::{
    ByteOrderMark, CodeBatchRecord, CodeStatusFilter, CouponRecord, ExportCount, ExportFilter,
    ExportRecord,
};

use crate::catalog::{parse_coupon_id, parse_store_id};
use crate::codes::code_format_of;
use crate::views::ExportView;
use crate::{ErrorCode, FacadeError, SellerDesk};

/// The columns of an export, in order.
pub const EXPORT_COLUMNS: [&str; 11] = [
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
    "status",
];

/// How often, in rows, an export reports its progress.
const PROGRESS_EVERY_ROWS: u64 = 10_000;

/// An export as the seller asks for it; nothing checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportInput {
    pub store_id: String,
    pub coupon_id: String,
    pub out: PathBuf,
    pub channel: Option<String>,
    pub batch_id: Option<i64>,
    /// `unclaimed` or a buyer-side status.
    pub status: Option<String>,
    pub byte_order_mark: ByteOrderMark,
}

/// How far an export has come (the window hears it over a channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExportProgress {
    pub rows_written: u64,
    pub rows_total: u64,
}

impl SellerDesk {
    /// Writes the coupon's codes to `input.out` as CSV.
    ///
    /// `progress` is called every few thousand rows; returning `ControlFlow::Break` cancels the
    /// export. A cancelled or failed export leaves nothing at the target path (an existing file
    /// there stays as it was) and records nothing.
    pub fn export_codes(
        &self,
        input: &ExportInput,
        progress: impl FnMut(ExportProgress) -> ControlFlow<()>,
    ) -> Result<ExportView, FacadeError> {
        let _span =
            tracing::info_span!("export", store = %input.store_id, coupon = %input.coupon_id)
                .entered();
        crate::diagnostics::timed("codes exported", || self.write_export(input, progress))
    }

    fn write_export(
        &self,
        input: &ExportInput,
        mut progress: impl FnMut(ExportProgress) -> ControlFlow<()>,
    ) -> Result<ExportView, FacadeError> {
        let store_id = parse_store_id(&input.store_id)?;
        let coupon_id = parse_coupon_id(&input.coupon_id)?;
        let filter = ExportFilter {
            channel: input.channel.as_deref().map(|text| Channel::parse("channel", text)).transpose()?,
            batch_id: input.batch_id,
            status: input
                .status
                .as_deref()
                .map(|text| {
                    CodeStatusFilter::parse(text.trim()).ok_or_else(|| {
                        InputError::new(
                            "status",
                            RuleId::Status1,
                            format!(
                                "\"{text}\" is not a code status (unclaimed, valid, inactive, used, expired, pending)"
                            ),
                        )
                        .because(Reason::UnknownStatus)
                    })
                })
                .transpose()?,
        };
        let target = absolute(&input.out)?;
        let directory = target.parent().filter(|parent| parent.is_dir()).ok_or_else(|| {
            FacadeError::from(InputError::new(
                "out",
                RuleId::Input1,
                format!("the folder of {} does not exist", target.display()),
            ))
        })?;
        if target.is_dir() {
            return Err(InputError::new(
                "out",
                RuleId::Input1,
                format!("{} is a folder; name a file", target.display()),
            )
            .into());
        }

        let store = self.store()?;
        let (coupon, batches, counted) = store.read(|reader| {
            let coupon = reader.coupon(&store_id, &coupon_id)?;
            let batches = reader.export_batches(&store_id, &coupon_id, &filter)?;
            if let Some(batch_id) = filter.batch_id
                && batches.is_empty()
            {
                return Err(FacadeError::new(
                    ErrorCode::NotFound,
                    format!("batch {batch_id} of coupon {coupon_id} does not exist"),
                ));
            }
            let counted = reader.count_export_rows(&store_id, &coupon_id, &filter)?;
            Ok((coupon, batches, counted))
        })?;
        let batch_ids: Vec<i64> = batches.iter().map(|batch| batch.batch_id).collect();
        // The batches are marked exported before a code is read, so that no batch is ever handed
        // out unmarked; a failure to record the export touches no file.
        let exported_at = self.now();
        let path_text = target.display().to_string();
        let export_id = store.write(|writer| {
            writer.record_export(
                &store_id,
                &coupon_id,
                &path_text,
                &filter,
                &batch_ids,
                input.byte_order_mark,
                counted.rows,
                exported_at,
            )
        })?;
        let written = store.read(|reader| {
            let rows_total = counted.rows;
            let temporary = tempfile::Builder::new()
                .prefix(".sellerdesk-export-")
                .suffix(".partial")
                .tempfile_in(directory)
                .map_err(|error| io_error(directory, &error))?;
            let mut sink = CsvSink::new(temporary.as_file(), input.byte_order_mark)
                .map_err(|error| io_error(temporary.path(), &error))?;
            let prepared = batches
                .iter()
                .map(|batch| PreparedBatch::new(&coupon, batch))
                .collect::<Result<Vec<_>, _>>()?;
            let mut rows_written = 0_u64;
            let mut write_error = None;
            let outcome = reader.for_each_export_row(&batches, filter.status, |row| {
                let Some(batch) = prepared.iter().find(|batch| batch.batch_id == row.batch_id)
                else {
                    return ControlFlow::Continue(());
                };
                if let Err(error) = sink.write_row(
                    &batch.display_code(row.code),
                    &batch.middle,
                    row.status.map_or("unclaimed", |status| status.as_str()),
                ) {
                    write_error = Some(error);
                    return ControlFlow::Break(());
                }
                rows_written += 1;
                if rows_written.is_multiple_of(PROGRESS_EVERY_ROWS) {
                    return progress(ExportProgress { rows_written, rows_total });
                }
                ControlFlow::Continue(())
            })?;
            if let Some(error) = write_error {
                return Err(io_error(temporary.path(), &error));
            }
            if outcome.is_break()
                || progress(ExportProgress { rows_written, rows_total }).is_break()
            {
                // Dropping the temporary file removes it; the target was never touched.
                return Err(FacadeError::new(
                    ErrorCode::Cancelled,
                    format!(
                        "the export to {} was cancelled; no file was written",
                        target.display()
                    ),
                ));
            }
            sink.finish().map_err(|error| io_error(temporary.path(), &error))?;
            temporary.persist(&target).map_err(|error| io_error(&target, &error.error))?;
            Ok(rows_written)
        });
        let row_count = match written {
            Ok(rows) => rows,
            Err(error) => {
                // No file was written: the record and its marks go. Should that fail too, the
                // batches stay marked exported, which is the safe side.
                let _ =
                    store.write(|writer| writer.forget_export(export_id, &batch_ids, exported_at));
                return Err(error);
            }
        };
        // The rows as written (a status filter meets the statuses of that moment).
        let written = ExportCount { rows: row_count, left_out: counted.left_out };
        if written != counted {
            store.write(|writer| writer.finish_export(export_id, written))?;
        }
        Ok(export_view(&ExportRecord {
            export_id,
            store_id,
            coupon_id,
            path: path_text,
            filter,
            byte_order_mark: input.byte_order_mark,
            row_count,
            left_out: counted.left_out,
            exported_at,
        }))
    }

    /// The coupon's earlier exports, oldest first.
    pub fn exports(&self, store_id: &str, coupon_id: &str) -> Result<Vec<ExportView>, FacadeError> {
        let store_id = parse_store_id(store_id)?;
        let coupon_id = parse_coupon_id(coupon_id)?;
        let records = self.store()?.read(|reader| {
            reader.coupon(&store_id, &coupon_id)?;
            reader.exports(&store_id, &coupon_id)
        })?;
        Ok(records.iter().map(export_view).collect())
    }
}

fn export_view(record: &ExportRecord) -> ExportView {
    ExportView {
        export_id: record.export_id,
        store_id: record.store_id.to_string(),
        coupon_id: record.coupon_id.to_string(),
        path: record.path.clone(),
        channel: record.filter.channel.as_ref().map(ToString::to_string),
        batch_id: record.filter.batch_id,
        status: record.filter.status.map(|status| status.as_str().to_owned()),
        excel_byte_order_mark: record.byte_order_mark == ByteOrderMark::Present,
        rows: record.row_count,
        left_out: record.left_out,
        exported_at: record.exported_at.to_string(),
    }
}

fn absolute(path: &Path) -> Result<PathBuf, FacadeError> {
    std::path::absolute(path).map_err(|error| io_error(path, &error))
}

fn io_error(path: &Path, error: &std::io::Error) -> FacadeError {
    if error.kind() == std::io::ErrorKind::StorageFull {
        return FacadeError::new(
            ErrorCode::DiskFull,
            format!(
                "the disk holding {} is full; no file was written: free some space and export again",
                path.display()
            ),
        );
    }
    FacadeError::new(ErrorCode::Io, format!("cannot write {}: {error}", path.display()))
}

/// What every row of one batch shares, escaped once.
struct PreparedBatch {
    batch_id: i64,
    format: Option<sellerdesk_core::codes::CodeFormat>,
    /// The columns from `store_id` to `valid_to`, already CSV-escaped and joined by commas.
    middle: Vec<u8>,
}

impl PreparedBatch {
    fn new(coupon: &CouponRecord, batch: &CodeBatchRecord) -> Result<PreparedBatch, FacadeError> {
        let terms = &coupon.terms;
        let fields = [
            coupon.store_id.to_string(),
            coupon.coupon_id.to_string(),
            terms.title().to_owned(),
            batch.channel.as_ref().map(ToString::to_string).unwrap_or_default(),
            terms.currency().code().to_owned(),
            terms.discount().to_string(),
            terms.min_purchase().to_string(),
            terms.valid_from().to_string(),
            terms.valid_to().to_string(),
        ];
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer
            .write_record(fields.iter().map(|field| neutralize_formula(field).into_owned()))
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        let mut middle = writer
            .into_inner()
            .map_err(|error| FacadeError::new(ErrorCode::Internal, error.to_string()))?;
        middle.pop();
        Ok(PreparedBatch {
            batch_id: batch.batch_id,
            format: code_format_of(&batch.format).ok(),
            middle,
        })
    }

    fn display_code(&self, code: &str) -> String {
        match &self.format {
            Some(format) => format.display(code),
            None => code.to_owned(),
        }
    }
}

/// Makes a cell safe to open in a spreadsheet (OWASP CSV injection): a cell that would start with
/// `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed gets a leading apostrophe, so it is
/// read as text and never as a formula.
pub(crate) fn neutralize_formula(field: &str) -> std::borrow::Cow<'_, str> {
    match field.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n') => format!("'{field}").into(),
        _ => field.into(),
    }
}

/// A buffered CSV file: the header at the start, rows of codes after it, CRLF line ends.
struct CsvSink<'f> {
    out: BufWriter<&'f File>,
}

impl<'f> CsvSink<'f> {
    fn new(file: &'f File, byte_order_mark: ByteOrderMark) -> std::io::Result<CsvSink<'f>> {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        if byte_order_mark == ByteOrderMark::Present {
            out.write_all("\u{feff}".as_bytes())?;
        }
        out.write_all(EXPORT_COLUMNS.join(",").as_bytes())?;
        out.write_all(b"\r\n")?;
        Ok(CsvSink { out })
    }

    /// Writes one row. Codes and statuses hold only letters, digits and dashes and never start
    /// with a dash, so they need neither quoting nor neutralizing.
    fn write_row(&mut self, code: &str, middle: &[u8], status: &str) -> std::io::Result<()> {
        self.out.write_all(code.as_bytes())?;
        self.out.write_all(b",")?;
        self.out.write_all(middle)?;
        self.out.write_all(b",")?;
        self.out.write_all(status.as_bytes())?;
        self.out.write_all(b"\r\n")
    }

    fn finish(self) -> std::io::Result<()> {
        let file = self.out.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_called_that() {
        let path = Path::new("/exports/codes.csv");
        let full = io_error(path, &std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(full.code, ErrorCode::DiskFull);
        assert!(full.message.contains("the disk holding /exports/codes.csv is full"), "{full}");
        let denied = io_error(path, &std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(denied.code, ErrorCode::Io);
    }

    #[test]
    fn cells_that_would_be_formulas_are_neutralized() {
        for dangerous in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "\nx"] {
            assert!(neutralize_formula(dangerous).starts_with('\''), "{dangerous:?}");
        }
        for safe in ["Black Friday", "3.00", "", "a=b", "2026-12-01T00:00:00Z"] {
            assert_eq!(neutralize_formula(safe), safe);
        }
    }
}
