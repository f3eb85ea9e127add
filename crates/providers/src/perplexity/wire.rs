//! The Sonar body we send and the parts of the reply we read: choices as in OpenAI's format, plus
//! `citations`, `search_results` and `usage.cost`, all optional.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::openai_compat::Choice;
use crate::{CompletionRequest, Usage, WebSource};

use super::cost;

pub(super) fn request_body(model: &str, search_context: Option<&str>, req: &CompletionRequest) -> Value {
    let mut messages = Vec::new();
    if !req.system.trim().is_empty() {
        messages.push(json!({"role": "system", "content": req.system}));
    }
    messages.push(json!({"role": "user", "content": req.prompt}));
    let mut body = json!({
        "model": model,
        "messages": messages,
        "max_tokens": req.max_output_tokens.max(1),
        "response_format": {"type": "json_schema", "json_schema": {"schema": req.output_schema}},
    });
    if let Some(size) = search_context {
        body["web_search_options"] = json!({"search_context_size": size});
    }
    body
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SonarResponse {
    pub id: Option<String>,
    pub model: Option<String>,
    pub choices: Option<Vec<Choice>>,
    citations: Option<Vec<String>>,
    search_results: Option<Vec<SearchResult>>,
    usage: Option<SonarUsage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchResult {
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SonarUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    citation_tokens: Option<u64>,
    reasoning_tokens: Option<u64>,
    search_context_size: Option<String>,
    cost: Option<cost::WireCost>,
}

impl SonarResponse {
    /// The pages in citation order (the answer's `[1]`, `[2]` refer to it), with titles and dates from the
    /// search results; search results that were not cited follow.
    pub fn sources(&self) -> Vec<WebSource> {
        let results = self.search_results.as_deref().unwrap_or_default();
        let described = |url: &str| results.iter().find(|r| r.url.as_deref() == Some(url));
        let mut sources: Vec<WebSource> = Vec::new();
        let cited = self.citations.iter().flatten().map(String::as_str);
        let searched = results.iter().filter_map(|r| r.url.as_deref());
        for url in cited.chain(searched) {
            if url.trim().is_empty() || sources.iter().any(|s| s.url == url) {
                continue;
            }
            let result = described(url);
            sources.push(WebSource {
                url: url.to_owned(),
                title: result.and_then(|r| r.title.clone()),
                date: result.and_then(|r| r.date.clone()),
            });
        }
        sources
    }

    /// Every call is one search request billed with a fee; deep research's citation tokens bill at its
    /// input rate, so they count as input.
    pub fn usage(&self, asked_context: Option<&str>) -> Usage {
        let usage = self.usage.as_ref();
        let tokens = |f: fn(&SonarUsage) -> Option<u64>| usage.and_then(f).unwrap_or(0);
        Usage {
            input_tokens: tokens(|u| u.prompt_tokens) + tokens(|u| u.citation_tokens),
            output_tokens: tokens(|u| u.completion_tokens),
            reasoning_tokens: tokens(|u| u.reasoning_tokens),
            search_requests: 1,
            search_context: usage
                .and_then(|u| u.search_context_size.clone())
                .or_else(|| asked_context.map(str::to_owned)),
            reported_cost: usage.and_then(|u| u.cost.as_ref()).and_then(cost::WireCost::total),
            ..Usage::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use showrunner_domain::Money;

    #[test]
    fn citations_keep_their_order_and_borrow_titles_from_search_results() {
        let r: SonarResponse = serde_json::from_value(json!({
            "citations": ["https://b.example", "https://a.example"],
            "search_results": [
                {"title": "A", "url": "https://a.example", "date": "2025-01-01", "snippet": "…"},
                {"title": "B", "url": "https://b.example", "date": null},
                {"title": "C", "url": "https://c.example"}]}))
        .unwrap();
        let urls: Vec<_> = r.sources().into_iter().map(|s| (s.url, s.title, s.date)).collect();
        assert_eq!(
            urls,
            vec![
                ("https://b.example".into(), Some("B".into()), None),
                ("https://a.example".into(), Some("A".into()), Some("2025-01-01".into())),
                ("https://c.example".into(), Some("C".into()), None),
            ]
        );
    }

    #[test]
    fn usage_with_nulls_and_cost_is_read() {
        let r: SonarResponse = serde_json::from_value(json!({"usage": {"prompt_tokens": 10, "completion_tokens": 200,
            "total_tokens": 210, "search_context_size": "low", "citation_tokens": null, "reasoning_tokens": null,
            "cost": {"input_tokens_cost": 0.00001, "output_tokens_cost": 0.0002, "request_cost": 0.005,
                "total_cost": 0.00521, "citation_tokens_cost": null}}}))
        .unwrap();
        let u = r.usage(None);
        assert_eq!((u.input_tokens, u.output_tokens, u.search_requests), (10, 200, 1));
        assert_eq!(u.search_context.as_deref(), Some("low"));
        assert_eq!(u.reported_cost, Some(Money::from_micros(5210)));
        assert_eq!(
            SonarResponse::default().usage(Some("high")).search_context.as_deref(),
            Some("high")
        );
    }
}
