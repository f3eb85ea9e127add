//! `showrunner providers [limit ID N | rate ID N]` and `showrunner local-models [use MODEL]`: the Providers page's cards
//! and its Local models section, over the same API.

use showrunner_api::dto::ProviderInfo;
use showrunner_api::{keys, local_models, provider_limits, ApiError, App, ErrorCode};

use crate::args::{LocalModelsAction, ProvidersAction};
use crate::output::json;

pub async fn providers(app: &App, action: Option<ProvidersAction>, as_json: bool) -> Result<(), ApiError> {
    match action {
        None => {
            let cards = keys::list_providers(app).await?;
            if as_json {
                return json(&cards);
            }
            for card in &cards {
                println!("{}", card_line(card));
            }
            Ok(())
        }
        Some(ProvidersAction::Limit { id, n }) => {
            let concurrent = number_or(&n, "default", "concurrent")?;
            let limit = provider_limits::set_provider_limit(app, &id, concurrent).await?;
            if as_json {
                return json(&limit);
            }
            let how = if limit.customized { "" } else { " (the default)" };
            println!("{}: at most {} call(s) at once{how}.", id.trim(), limit.concurrent);
            Ok(())
        }
        Some(ProvidersAction::Rate { id, n }) => {
            let per_minute = number_or(&n, "none", "requests_per_minute")?;
            let limit = provider_limits::set_provider_rate(app, &id, per_minute).await?;
            if as_json {
                return json(&limit);
            }
            match limit.requests_per_minute {
                Some(n) => println!("{}: at most {n} request(s) a minute.", id.trim()),
                None => println!("{}: no request rate of ours; its own 429s pace it.", id.trim()),
            }
            Ok(())
        }
    }
}

/// A whole number, or `word` for none; anything else is a field error on `field`.
fn number_or(text: &str, word: &str, field: &str) -> Result<Option<u32>, ApiError> {
    match text.trim() {
        t if t == word => Ok(None),
        t => t.parse::<u32>().map(Some).map_err(|_| {
            ApiError::field(
                ErrorCode::InvalidInput,
                field,
                &format!("'{t}' is not a whole number (or '{word}')."),
            )
        }),
    }
}

/// `elevenlabs  ElevenLabs  key set · ends in ab12  2 at once  https://api.elevenlabs.io`
fn card_line(card: &ProviderInfo) -> String {
    let key = match (&card.key, card.needs_key) {
        (Some(key), _) if key.set => match &key.ends_with {
            Some(end) => format!("key set · ends in {end}"),
            None => "key set".to_owned(),
        },
        (Some(_), _) => "no key".to_owned(),
        (None, true) => "key unreadable".to_owned(),
        (None, false) if card.local => "no key needed".to_owned(),
        (None, false) => "shares a key".to_owned(),
    };
    let limit = card
        .limit
        .as_ref()
        .map(|l| match l.requests_per_minute {
            Some(n) => format!("{} at once, {n}/min", l.concurrent),
            None => format!("{} at once", l.concurrent),
        })
        .unwrap_or_else(|| "offline".to_owned());
    let address = card.base_url.as_ref().map(|b| b.url.as_str()).unwrap_or("");
    format!("{:<14} {:<30} {:<24} {:<11} {address}", card.id, card.label, key, limit)
}

pub async fn local_models(app: &App, action: Option<LocalModelsAction>, as_json: bool) -> Result<(), ApiError> {
    match action {
        None => {
            let found = local_models::local_models(app).await?;
            if as_json {
                return json(&found);
            }
            for server in &found.servers {
                match &server.problem {
                    Some(problem) => println!("{} at {}: not found ({problem})", server.label, server.base_url),
                    None => println!(
                        "{} at {}: {} model(s)",
                        server.label,
                        server.base_url,
                        server.models.len()
                    ),
                }
                for model in &server.models {
                    let context = model
                        .context_tokens
                        .map(|n| format!("{n} tokens"))
                        .unwrap_or_else(|| "context unknown".to_owned());
                    let used = if model.in_use { "  [writing first]" } else { "" };
                    println!("  {}  ({context}){used}", model.model);
                    if let Some(warning) = &model.warning {
                        println!("    warning: {warning}");
                    }
                }
            }
            Ok(())
        }
        Some(LocalModelsAction::Use { model, provider }) => {
            let plan = local_models::use_local_model(app, provider.as_deref(), &model).await?;
            if as_json {
                return json(&plan);
            }
            let first = plan
                .jobs
                .iter()
                .find_map(|job| job.chain.first().filter(|_| !job.speech))
                .map(|c| format!("{} · {}", c.provider, c.model))
                .unwrap_or_default();
            println!("{first} now goes first on every writing route; paid steps and the rehearsal writer follow.");
            Ok(())
        }
    }
}
