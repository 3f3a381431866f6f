//! The whole state of a sandbox as one JSON value, with every list in a stable order (by key), so
//! that tests can compare it. Read through a read-only connection, so it works while the sandbox
//! runs.

use std::path::Path;

use rusqlite::Connection;
use serde_json::{Map, Value, json};

use crate::database::{Access, open_connection};
use crate::error::SandboxError;

/// Reads the state of the sandbox whose data directory is `data_directory`:
///
/// ```json
/// {"stores": [{store_id, name, currency, access_token}],
///  "buyers": [{buyer_id, name}],
///  "coupons": [{store_id, coupon_id, title, currency, discount, min_purchase, valid_from,
///               valid_to, quantity, state, reason, code_count}],
///  "codes": [{code, store_id, coupon_id, batch_id, channel, status, buyer_id, changed_at}],
///  "refund_requests": [{store_id, request_id, buyer_id, requested_at, decision, decided_at,
///                       preview_input}],
///  "mutations": [{store_id, mutation_id, method, applied_at}],
///  "feeds": [{store_id, feed, changes, last_cursor}]}
/// ```
///
/// Absent values are `null`; every field is always present.
pub fn dump(data_directory: &Path) -> Result<Value, SandboxError> {
    let connection = open_connection(data_directory, Access::ReadOnly)?;
    // One read transaction: every table is read from the same snapshot.
    let transaction = connection.unchecked_transaction()?;
    let state = json!({
        "stores": rows(&transaction,
            "SELECT store_id, name, currency, access_token FROM stores ORDER BY store_id")?,
        "buyers": rows(&transaction, "SELECT buyer_id, name FROM buyers ORDER BY buyer_id")?,
        "coupons": rows(&transaction,
            "SELECT store_id, coupon_id, title, currency, discount, min_purchase, valid_from,
                    valid_to, quantity, state, reason, code_count
             FROM coupons ORDER BY store_id, coupon_id")?,
        "codes": rows(&transaction,
            "SELECT code, store_id, coupon_id, batch_id, channel, status, buyer_id, changed_at
             FROM codes ORDER BY store_id, coupon_id, code")?,
        "refund_requests": rows(&transaction,
            "SELECT store_id, request_id, buyer_id, requested_at, decision, decided_at,
                    preview_input
             FROM refund_requests ORDER BY store_id, request_id")?,
        "mutations": rows(&transaction,
            "SELECT store_id, mutation_id, method, applied_at
             FROM mutations ORDER BY store_id, mutation_id")?,
        "feeds": rows(&transaction,
            "SELECT store_id, feed, COUNT(*) AS changes, CAST(MAX(sequence) AS TEXT) AS last_cursor
             FROM changes GROUP BY store_id, feed ORDER BY store_id, feed")?,
    });
    transaction.finish()?;
    Ok(state)
}

/// Every row of `sql` as an object keyed by column name. Text columns named `preview_input` hold
/// JSON and are embedded as JSON.
fn rows(connection: &Connection, sql: &str) -> Result<Value, SandboxError> {
    let mut statement = connection.prepare(sql)?;
    let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let mut rows = statement.query([])?;
    let mut objects = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::with_capacity(names.len());
        for (index, name) in names.iter().enumerate() {
            let value = match row.get_ref(index)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(number) => Value::from(number),
                rusqlite::types::ValueRef::Real(number) => Value::from(number),
                rusqlite::types::ValueRef::Text(text) if name == "preview_input" => {
                    serde_json::from_slice(text).unwrap_or_else(|_| {
                        Value::String(String::from_utf8_lossy(text).into_owned())
                    })
                }
                rusqlite::types::ValueRef::Text(text) | rusqlite::types::ValueRef::Blob(text) => {
                    Value::String(String::from_utf8_lossy(text).into_owned())
                }
            };
            object.insert(name.clone(), value);
        }
        objects.push(Value::Object(object));
    }
    Ok(Value::Array(objects))
}
