use showrunner_domain::ProviderId;
use showrunner_secrets::KeyedProvider;

use crate::support::keyed;

#[test]
fn each_provider_keeps_its_published_id_label_and_environment_variable() {
    let expected = [
        (
            keyed(ProviderId::Anthropic),
            "anthropic",
            "Anthropic (Claude)",
            "ANTHROPIC_API_KEY",
        ),
        (keyed(ProviderId::Gemini), "gemini", "Google Gemini", "GEMINI_API_KEY"),
        (
            keyed(ProviderId::Perplexity),
            "perplexity",
            "Perplexity Sonar",
            "PERPLEXITY_API_KEY",
        ),
        (keyed(ProviderId::OpenAi), "openai", "OpenAI", "OPENAI_API_KEY"),
        (
            keyed(ProviderId::OpenRouter),
            "openrouter",
            "OpenRouter",
            "OPENROUTER_API_KEY",
        ),
        (
            keyed(ProviderId::ElevenLabs),
            "elevenlabs",
            "ElevenLabs",
            "ELEVENLABS_API_KEY",
        ),
    ];
    assert_eq!(
        KeyedProvider::all().collect::<Vec<_>>(),
        expected.iter().map(|(provider, ..)| *provider).collect::<Vec<_>>(),
        "ALL lists every provider once, in settings-screen order"
    );
    for (provider, id, label, env_var) in expected {
        assert_eq!(
            provider.id(),
            id,
            "ids are keyring user names; renaming strands stored keys"
        );
        assert_eq!(provider.label(), label);
        assert_eq!(
            provider.env_var(),
            env_var,
            "users already export these names for the providers' SDKs"
        );
        assert_eq!(KeyedProvider::parse(id), Some(provider));
    }
}
