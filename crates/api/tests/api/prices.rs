use serde_json::Value;
use showrunner_api::prices::{self, PriceRowEdit, PriceRowView, PriceTableView, PriceValue};
use showrunner_api::ErrorCode;

use crate::open;

fn row<'a>(view: &'a PriceTableView, provider: &str, model: &str) -> &'a PriceRowView {
    view.rows
        .iter()
        .find(|r| r.provider == provider && r.model == model)
        .unwrap_or_else(|| panic!("no row {provider}/{model}"))
}

fn price(row: &PriceRowView, field: &str) -> String {
    row.prices
        .iter()
        .find(|p| p.field == field)
        .map(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no price {field}"))
}

/// The row as the page would send it back, with `field` retyped.
fn edit(row: &PriceRowView, field: &str, value: &str) -> PriceRowEdit {
    PriceRowEdit {
        provider: row.provider.clone(),
        model: row.model.clone(),
        label: row.label.clone(),
        prices: row
            .prices
            .iter()
            .map(|p| PriceValue {
                field: p.field.clone(),
                value: if p.field == field {
                    value.to_owned()
                } else {
                    p.value.clone()
                },
            })
            .collect(),
        source: row.source.clone(),
        effective: row.effective.clone(),
        note: row.note.clone(),
    }
}

fn error_fields(details: &Option<Value>) -> Vec<String> {
    details.as_ref().expect("field details")["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_prices_page_lists_the_shipped_rows_grouped_by_provider_with_exact_prices_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let view = prices::price_table(&app).await.unwrap();
    assert!(!view.edited);
    assert_eq!(view.version, view.in_use_version);

    let opus = row(&view, "anthropic", "claude-opus-4-5");
    assert_eq!(opus.provider_label, "Anthropic (Claude)");
    assert_eq!(opus.label.as_deref(), Some("Claude Opus 4.5"));
    assert_eq!(price(opus, "input"), "5.00", "prices keep their exact decimals");
    assert_eq!(price(opus, "output"), "25.00");
    assert!(opus.source.starts_with("https://"), "{}", opus.source);
    assert_eq!(opus.effective, "2025-11-01");

    // Each provider's rows sit together, so the page can group them.
    let providers: Vec<&str> = view.rows.iter().map(|r| r.provider.as_str()).collect();
    let mut groups = providers.clone();
    groups.dedup();
    let mut distinct = groups.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        groups.len(),
        distinct.len(),
        "a provider's rows are split: {providers:?}"
    );
}

#[tokio::test]
async fn an_edited_price_bills_the_next_call_and_is_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let view = prices::price_table(&app).await.unwrap();
    let shipped = view.version.clone();
    let opus = row(&view, "anthropic", "claude-opus-4-5");

    let edited = prices::update_price_row(&app, edit(opus, "input", "$6.5"))
        .await
        .unwrap();
    assert_eq!(price(row(&edited, "anthropic", "claude-opus-4-5"), "input"), "6.5");
    assert_eq!(edited.version, format!("{shipped}+edit1"));
    assert!(edited.edited);
    assert_eq!(
        edited.in_use_version, edited.version,
        "the next call is priced with the edit, without a restart"
    );
    let live = app.prices().row("anthropic", "claude-opus-4-5").unwrap().clone();
    assert_eq!(format!("{:?}", live.prices).matches("6.5").count(), 1);
    assert_eq!(prices::price_table(&app).await.unwrap(), edited, "the edit is saved");
    drop(app);

    let app = open(dir.path()).await;
    let view = prices::price_table(&app).await.unwrap();
    assert_eq!(
        view.in_use_version,
        format!("{shipped}+edit1"),
        "the edited table is in use after a restart"
    );
    let in_force = app.prices();
    let in_use = in_force.row("anthropic", "claude-opus-4-5").unwrap();
    assert_eq!(in_use.source, opus.source);
    assert_eq!(format!("{:?}", in_use.prices).matches("6.5").count(), 1);

    let restored = prices::restore_shipped_prices(&app).await.unwrap();
    assert_eq!(restored.version, shipped);
    assert_eq!(app.prices().version(), shipped, "restoring applies at once too");
    assert!(!restored.edited);
    assert_eq!(price(row(&restored, "anthropic", "claude-opus-4-5"), "input"), "5.00");
}

#[tokio::test]
async fn a_bad_price_is_refused_on_its_own_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let before = prices::price_table(&app).await.unwrap();
    let sonnet = row(&before, "anthropic", "claude-sonnet-4-5").clone();

    let negative = prices::update_price_row(&app, edit(&sonnet, "output", "-1"))
        .await
        .unwrap_err();
    assert_eq!(negative.code, ErrorCode::InvalidInput);
    assert_eq!(error_fields(&negative.details), ["output"]);
    assert!(negative.message.contains("cannot be negative"), "{}", negative.message);

    let mut no_source = edit(&sonnet, "input", "3.00");
    no_source.source = "  ".into();
    let missing = prices::update_price_row(&app, no_source).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::InvalidInput);
    assert_eq!(error_fields(&missing.details), ["source"]);

    let words = prices::update_price_row(&app, edit(&sonnet, "input", "three"))
        .await
        .unwrap_err();
    assert_eq!(error_fields(&words.details), ["input"]);
    assert!(words.message.contains("\"three\" is not a number"), "{}", words.message);

    let emptied = prices::update_price_row(&app, edit(&sonnet, "output", ""))
        .await
        .unwrap_err();
    assert_eq!(
        error_fields(&emptied.details),
        ["output"],
        "a required price cannot be cleared"
    );

    let mut bad_date = edit(&sonnet, "input", "3.00");
    bad_date.effective = "2025-13-01".into();
    let date = prices::update_price_row(&app, bad_date).await.unwrap_err();
    assert_eq!(error_fields(&date.details), ["effective"]);

    assert_eq!(prices::price_table(&app).await.unwrap(), before, "nothing was saved");
}
