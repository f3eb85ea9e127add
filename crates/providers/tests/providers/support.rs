//! What the provider tests share: the writing task the chat clients are asked and a fake that echoes what it
//! understood of it, addresses where no API answers, the failed call, and the checks of a spoken WAV.

use std::sync::Arc;

use serde_json::{json, Value};
use showrunner_provider_fakes::{FakeConfig, FakeTask};
use showrunner_providers::{CompletionRequest, ErrorClass, LanguageModel, ProviderError, SpeechAudio, SpeechRequest};

pub const SYSTEM: &str = "You are the head writer of Tidal Notes, a calm science podcast. Keep sentences short.";
pub const PROMPT: &str = "Stage: plan (prompt template v1)\nPlan the episode.\n\nInputs:\n{\"topic\": \"Tides\"}";

/// A fake that answers with what it understood: the task, its topic, and the schema's title.
pub fn echoing(key: &str) -> FakeConfig {
    FakeConfig::new(
        key,
        Arc::new(
            |t: &FakeTask| json!({"task": t.task, "topic": t.inputs["topic"], "schema": t.schema.as_ref().map(|s| s["title"].clone())}),
        ),
    )
}

/// What [`echoing`] answers to [`request`].
pub fn expected() -> Value {
    json!({"task": "plan", "topic": "Tides", "schema": "EpisodePlan"})
}

/// The plan stage's request, as production sends it.
pub fn request(max_output_tokens: u32) -> CompletionRequest {
    CompletionRequest {
        task: "plan".into(),
        system: SYSTEM.into(),
        prompt: PROMPT.into(),
        context: json!({"topic": "Tides"}),
        output_schema: json!({"title": "EpisodePlan", "type": "object",
            "properties": {"task": {"type": "string"}, "topic": {"type": "string"}}, "required": ["task", "topic"]}),
        max_output_tokens,
    }
}

/// The error a call that must fail fails with.
pub async fn fails(client: &impl LanguageModel, request: CompletionRequest) -> ProviderError {
    client.complete(request).await.unwrap_err()
}

pub fn assert_error(e: &ProviderError, code: &str, class: ErrorClass) {
    assert_eq!((e.code(), e.class()), (code, class), "{e}");
}

/// A local address where nothing listens.
pub fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// A website rather than an API: every request gets a 200 HTML page.
pub fn website() -> String {
    use std::io::{BufRead, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = std::io::BufReader::new(stream);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let page = "<html><body>Welcome to our podcast!</body></html>";
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n",
                page.len()
            );
            let _ = reader.get_mut().write_all(format!("{head}{page}").as_bytes());
        }
    });
    url
}

/// One line to speak in `voice`.
pub fn line(text: &str, voice: &str) -> SpeechRequest {
    SpeechRequest {
        text: text.into(),
        voice: voice.into(),
        ..SpeechRequest::default()
    }
}

pub fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Checks a canonical 44-byte 16-bit PCM header at `sample_rate` against the bytes that follow it, read here
/// byte by byte rather than by the WAV code under test; returns the channels and the PCM.
pub fn assert_pcm_wav(wav: &[u8], sample_rate: u32) -> (u16, &[u8]) {
    assert!(wav.len() > 44, "a header and some audio: {} bytes", wav.len());
    assert_eq!(&wav[0..4], b"RIFF");
    assert_eq!(u32_at(wav, 4) as usize, wav.len() - 8, "RIFF size matches the file");
    assert_eq!(&wav[8..16], b"WAVEfmt ");
    assert_eq!(u16_at(wav, 20), 1, "PCM");
    assert_eq!(u32_at(wav, 24), sample_rate, "the sample rate");
    assert_eq!(u16_at(wav, 34), 16, "16-bit");
    assert_eq!(&wav[36..40], b"data");
    let data = u32_at(wav, 40) as usize;
    assert_eq!(data, wav.len() - 44, "data size matches the file");
    (u16_at(wav, 22), &wav[44..])
}

/// Checks a cloud engine's 24 kHz mono take (ElevenLabs' `pcm_24000`, OpenAI's `pcm`) and that its duration is
/// measured from its PCM; returns the number of samples.
pub fn assert_mono_24k(audio: &SpeechAudio) -> usize {
    let (channels, pcm) = assert_pcm_wav(&audio.wav, 24_000);
    assert_eq!(channels, 1, "mono");
    let samples = pcm.len() / 2;
    assert_eq!(
        audio.duration_ms,
        samples as u64 * 1000 / 24_000,
        "duration is measured from the PCM"
    );
    assert_eq!(audio.sample_rate, 24_000);
    samples
}
