//! The JSON in a model's answer text. Models wrap JSON in Markdown fences, reasoning models put
//! `<think>…</think>` before it, and some add a sentence around it.

use serde_json::Value;

/// The JSON value in a model's answer text, `None` when there is none. Whether it matches the task's schema
/// is the caller's concern.
pub fn model_json(text: &str) -> Option<Value> {
    let body = strip_fences(strip_thinking(text).trim());
    if let Ok(value) = serde_json::from_str(body) {
        return Some(value);
    }
    embedded_json(body)
}

/// Drops every `<think>…</think>` block; an unclosed one means the answer never came.
fn strip_thinking(text: &str) -> &str {
    let mut rest = text;
    while let Some(start) = rest.find("<think>") {
        if !rest[..start].trim().is_empty() {
            break;
        }
        rest = match rest[start..].find("</think>") {
            Some(end) => &rest[start + end + "</think>".len()..],
            None => "",
        };
    }
    rest
}

/// ```` ```json … ``` ```` → the inside.
fn strip_fences(text: &str) -> &str {
    let Some(after) = text.strip_prefix("```") else {
        return text;
    };
    let inner = after.split_once('\n').map_or("", |(_, rest)| rest);
    inner.trim_end().strip_suffix("```").unwrap_or(inner).trim()
}

/// The outermost `{…}` or `[…]` when the model put words around its JSON.
fn embedded_json(text: &str) -> Option<Value> {
    let start = text.find(['{', '['])?;
    let close = if text[start..].starts_with('{') { '}' } else { ']' };
    let end = text.rfind(close)?;
    (end > start)
        .then(|| serde_json::from_str(&text[start..=end]).ok())
        .flatten()
}
