//! Each provider's server address (for proxies, gateways and local servers), as the Providers page shows
//! and edits it. The roster and "Test connection" read the same sources per call: the
//! `SHOWRUNNER_<PROVIDER>_BASE_URL` environment variable (as the app read it at open), else the `base_urls`
//! setting, else the catalog's address.
//!
//! Plain `http://` is accepted only for addresses that never leave the machine or the local network
//! (loopback, private and link-local IPs, `localhost`, `*.local`, single-label LAN names such as a Docker
//! service `ollama`): anywhere else the API key would cross the internet unencrypted. The same rule applies
//! to an address from the environment, when the client is built.

use showrunner_domain::ProviderId;
use std::net::IpAddr;

use showrunner_providers::{ErrorClass, ProviderError};
use url::{Host, Url};

use crate::dto::{BaseUrlSource, BaseUrlView, ProviderInfo};
use crate::provider_limits::known_provider;
use crate::roster::{base_urls, BASE_URLS_SETTING};
use crate::{keys, ApiError, App, ErrorCode};

/// The address in force for `provider` and where it comes from, by the roster's own precedence.
pub(crate) async fn base_url_view(app: &App, provider: ProviderId) -> Option<BaseUrlView> {
    let default_url = provider.spec().default_base_url.to_owned();
    let env_var = provider.base_url_env_var();
    let (url, source) = match app.environment().base_url(provider) {
        Some(url) => (url, BaseUrlSource::Environment),
        None => match base_urls(app.store()).await.remove(provider.as_str()) {
            Some(url) => (url, BaseUrlSource::Setting),
            None => (default_url.clone(), BaseUrlSource::Default),
        },
    };
    Some(BaseUrlView {
        url: without_credentials(&url),
        source,
        default_url,
        env_var,
    })
}

/// `url` without any user name or password: an address set outside this page (environment variable, older
/// setting) may carry a token, and the page must never show one.
fn without_credentials(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            // Both only fail for addresses that cannot have credentials in the first place.
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.as_str().trim_end_matches('/').to_owned()
        }
        _ => url.to_owned(),
    }
}

/// Why `url` cannot be a provider's address, when it cannot: not http(s), no server, or plain http to a
/// server on the internet.
pub fn address_problem(url: &Url) -> Option<&'static str> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some("The address must start with https:// or http://.");
    }
    let host = url.host()?;
    if matches!(&host, Host::Domain(name) if name.is_empty()) {
        return Some("The address needs a server name, e.g. https://proxy.example.com.");
    }
    if url.scheme() == "http" && !stays_local(&host) {
        return Some(
            "Plain http:// is only for servers on this computer or your local network; use https:// for \
             anything else, so the API key is never sent unencrypted.",
        );
    }
    None
}

/// Whether a server is on this machine or the local network.
fn stays_local(host: &Host<&str>) -> bool {
    let ip_is_local = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local, fc00::/7
                || (v6.segments()[0] & 0xffc0) == 0xfe80 // link-local, fe80::/10
                || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback() || v4.is_private())
        }
    };
    match host {
        Host::Ipv4(v4) => ip_is_local(IpAddr::V4(*v4)),
        Host::Ipv6(v6) => ip_is_local(IpAddr::V6(*v6)),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local") || !name.contains('.')
        }
    }
}

/// The rule above for an address about to be used (from the environment or an older setting): a client is
/// not built for an address the Providers page would refuse. The message never repeats the address's
/// credentials.
pub(crate) fn check_address(provider: &str, address: &str) -> Result<(), ProviderError> {
    let problem = match Url::parse(address.trim()) {
        Ok(url) => address_problem(&url),
        Err(_) => Some("That is not a full web address."),
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(ProviderError::new(
            "wrong_url",
            format!(
                "The base URL for {provider} ({}) cannot be used: {problem}",
                without_credentials(address.trim())
            ),
            ErrorClass::Terminal,
        )),
    }
}

/// The address as it will be saved (`None`: back to the default), or a message the producer can act on.
fn normalize(input: Option<&str>) -> Result<Option<String>, &'static str> {
    let text = input.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Ok(None);
    }
    let url = Url::parse(text).map_err(|_| {
        "That is not a full web address. Start it with https:// or http://, e.g. https://proxy.example.com/v1."
    })?;
    if let Some(problem) = address_problem(&url) {
        return Err(problem);
    }
    // A password in the address would be stored and shown in plain text; keys belong in the keyring.
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Leave the user name and password out of the address; put the key in the API key field.");
    }
    // Showrunner appends the API's own paths; a query or fragment would end up in the middle of them.
    if url.query().is_some() || url.fragment().is_some() {
        return Err(
            "The address cannot contain '?' or '#'. Use just the server and path, e.g. https://proxy.example.com/v1.",
        );
    }
    Ok(Some(url.as_str().trim_end_matches('/').to_owned()))
}

/// Saves `provider_id`'s address (`None` or blank: back to the provider's own) and returns its updated card.
/// An environment variable still wins over what is saved here; the card says so.
pub async fn set_base_url(app: &App, provider_id: &str, url: Option<String>) -> Result<ProviderInfo, ApiError> {
    let provider = known_provider(provider_id)?;
    let url =
        normalize(url.as_deref()).map_err(|message| ApiError::field(ErrorCode::InvalidInput, "base_url", message))?;
    let mut saved = base_urls(app.store()).await;
    match url {
        Some(url) => saved.insert(provider.as_str().to_owned(), url),
        None => saved.remove(provider.as_str()),
    };
    app.store()
        .put_setting(BASE_URLS_SETTING, &serde_json::json!(saved), app.now_ms())
        .await?;
    Ok(keys::provider_info(app, provider).await)
}
