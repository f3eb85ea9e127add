//! Reading a `produce --batch` file: CSV with a header row, or JSON Lines. Each row keeps the line it came
//! from, so a bad row is reported where the producer can find it; a row that cannot be read at all becomes
//! that row's error, never the whole file's.

use std::path::Path;

use showrunner_api::{ApiError, ErrorCode};

/// The columns a batch file may have; any other is refused, so a misspelt column is not silently ignored.
pub const COLUMNS: [&str; 7] = ["topic", "show", "minutes", "budget", "format", "language", "sources"];

/// One row as written in the file, every value still text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRow {
    pub topic: String,
    pub show: String,
    pub minutes: String,
    pub budget: String,
    pub format: String,
    pub language: String,
    /// In CSV, several sources are separated by `;`.
    pub sources: Vec<String>,
}

/// Why one row of a batch file cannot be read; the row is skipped with this, the others run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowError {
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("not a JSON object")]
    NotAnObject,
    #[error("unknown column '{0}' (the columns are {columns})", columns = COLUMNS.join(", "))]
    UnknownColumn(String),
    #[error("{field}: expected {expected}, got {got}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
        got: String,
    },
    #[error("sources: expected a list of text")]
    SourceNotText,
    #[error("{values} values for {columns} columns")]
    TooManyValues { values: usize, columns: usize },
    #[error("cannot be read: {0}")]
    Unreadable(String),
}

/// A row with the line it starts on (1-based, the header being line 1 in CSV).
pub type Numbered = (u64, Result<FileRow, RowError>);

pub fn read(path: &Path) -> Result<Vec<Numbered>, ApiError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ApiError::field(
            ErrorCode::InvalidInput,
            "batch",
            &format!("Cannot read the batch file {}: {e}", path.display()),
        )
    })?;
    let json_lines = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json")
    ) || text.trim_start().starts_with('{');
    if json_lines {
        Ok(read_json_lines(&text))
    } else {
        read_csv(&text)
    }
}

pub fn read_json_lines(text: &str) -> Vec<Numbered> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i as u64 + 1, json_row(line)))
        .collect()
}

fn json_row(line: &str) -> Result<FileRow, RowError> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| RowError::NotJson(e.to_string()))?;
    let object = value.as_object().ok_or(RowError::NotAnObject)?;
    if let Some(unknown) = object.keys().find(|k| !COLUMNS.contains(&k.as_str())) {
        return Err(RowError::UnknownColumn(unknown.clone()));
    }
    // Numbers are welcome where the CSV has text (`"minutes": 2`).
    let text = |key: &'static str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Ok(String::new()),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Some(other) => Err(RowError::WrongType {
            field: key,
            expected: "text or a number",
            got: other.to_string(),
        }),
    };
    let sources = match object.get("sources") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::String(s)) => split_sources(s),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or(RowError::SourceNotText))
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(RowError::WrongType {
                field: "sources",
                expected: "a list of text",
                got: other.to_string(),
            })
        }
    };
    Ok(FileRow {
        topic: text("topic")?,
        show: text("show")?,
        minutes: text("minutes")?,
        budget: text("budget")?,
        format: text("format")?,
        language: text("language")?,
        sources,
    })
}

pub fn read_csv(text: &str) -> Result<Vec<Numbered>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_error(&format!("the header row cannot be read: {e}")))?
        .clone();
    if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(h)) {
        return Err(file_error(&RowError::UnknownColumn(unknown.to_owned()).to_string()));
    }
    if !headers.iter().any(|h| h == "topic") {
        return Err(file_error("the header row has no topic column"));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| line_at(text, p.byte()));
                if record.iter().all(str::is_empty) {
                    continue;
                }
                if record.len() > headers.len() {
                    rows.push((
                        line,
                        Err(RowError::TooManyValues {
                            values: record.len(),
                            columns: headers.len(),
                        }),
                    ));
                    continue;
                }
                let get = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| record.get(i))
                        .unwrap_or_default()
                        .to_owned()
                };
                rows.push((
                    line,
                    Ok(FileRow {
                        topic: get("topic"),
                        show: get("show"),
                        minutes: get("minutes"),
                        budget: get("budget"),
                        format: get("format"),
                        language: get("language"),
                        sources: split_sources(&get("sources")),
                    }),
                ));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                rows.push((line, Err(RowError::Unreadable(e.to_string()))));
            }
        }
    }
    Ok(rows)
}

/// The 1-based line a byte offset is on. The csv reader's own line count skips blank lines, which would
/// send the producer to the wrong row.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    // A record's position is where the reader began, before the blank lines it skipped.
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

fn split_sources(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn file_error(message: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidInput, "batch", &format!("The batch file: {message}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_a_quoted_topic_may_hold_commas() {
        let rows = read_csv("topic,minutes,sources\n\"Tides, and why\",2,a.md; b.pdf\n\nMoons,x\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.topic, "Tides, and why");
        assert_eq!(first.sources, ["a.md", "b.pdf"]);
        assert_eq!(rows[1].0, 4, "the blank line is counted");
        assert_eq!(rows[1].1.as_ref().unwrap().minutes, "x");
    }

    #[test]
    fn a_misspelt_column_refuses_the_file_by_name() {
        let e = read_csv("topic,minuts\nTides,2\n").unwrap_err();
        assert!(e.message.contains("'minuts'"), "{}", e.message);
    }

    #[test]
    fn json_lines_take_numbers_and_lists_and_report_a_broken_line_alone() {
        let rows = read_json_lines("{\"topic\":\"Tides\",\"minutes\":2,\"sources\":[\"a.md\"]}\n\n{broken\n");
        assert_eq!(rows.len(), 2);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!((first.minutes.as_str(), first.sources.len()), ("2", 1));
        assert_eq!(rows[1].0, 3);
        assert!(rows[1].1.is_err());
    }
}
