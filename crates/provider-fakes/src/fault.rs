//! What a fake does with the next request: answer normally, or fail in one of the ways real providers fail.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// A scripted misbehaviour, consumed by one request. Each provider module renders it in its own wire format.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 rate limited; `retry_after_secs` is sent the provider's way (header, or Gemini's `retryDelay`).
    RateLimited { retry_after_secs: Option<u64> },
    /// The provider is overloaded (Anthropic 529, ElevenLabs `system_busy`, others 503).
    Overloaded,
    /// 500 with the provider's error body.
    ServerError,
    /// The key is wrong: the provider's exact bad-key response.
    BadKey,
    /// Out of credit, quota or spend limit: the provider's exact response (never worth retrying).
    QuotaExceeded,
    /// Too many concurrent requests (ElevenLabs `too_many_concurrent_requests`).
    TooManyConcurrent,
    /// Never answers within this long (the client's timeout should fire first).
    Hang(Duration),
    /// 200 with a body cut off in the middle of the JSON.
    TruncatedJson,
    /// 200 with well-formed JSON whose model content does not match the requested schema.
    SchemaInvalid,
    /// 200: the model declined, and the reply (billed as usual) says so the provider's way: Anthropic
    /// `stop_reason: "refusal"`, OpenAI `message.refusal` with `content: null`. Fakes of providers without
    /// such a reply (Gemini, Perplexity, speech) answer normally.
    Refusal,
    /// 200: the provider's safety filter withheld the answer: Gemini `finishReason: "SAFETY"` with its
    /// `safetyRatings`, OpenAI `finish_reason: "content_filter"`. Fakes of providers without such a reply
    /// answer normally.
    Safety,
}

/// The queue of faults and the latency a fake applies; shared between the test and the server.
#[derive(Debug, Default)]
pub struct Script {
    faults: Mutex<VecDeque<Option<Fault>>>,
    latency: Mutex<Duration>,
    /// When set, every request fails with this fault with the given probability (0..=1), decided by a
    /// deterministic sequence so a failing test replays the same way.
    fault_rate: Mutex<Option<(f64, Vec<Fault>, u64)>>,
    /// A `Retry-After` (seconds) the ElevenLabs fake sends with [`Fault::Overloaded`] (`system_busy`, whose
    /// client default is a 15 s wait); unset, it sends none. The other fakes' overloaded answers ignore it.
    overloaded_retry_after: Mutex<Option<u64>>,
    /// What the fake billed so far (the provider's side of the books).
    billed: Mutex<crate::Bill>,
}

impl Script {
    /// The next requests get these outcomes in order (`None` = answer normally); then normal answers resume.
    pub fn push(&self, outcomes: impl IntoIterator<Item = Option<Fault>>) {
        self.faults.lock().expect("script lock").extend(outcomes);
    }

    /// One fault for the next request.
    pub fn fail_next(&self, fault: Fault) {
        self.push([Some(fault)]);
    }

    /// Adds this delay before every answer.
    pub fn set_latency(&self, latency: Duration) {
        *self.latency.lock().expect("script lock") = latency;
    }

    pub fn latency(&self) -> Duration {
        *self.latency.lock().expect("script lock")
    }

    /// Makes a share of all requests fail, cycling through `faults`; `seed` fixes the sequence.
    pub fn set_fault_rate(&self, rate: f64, faults: Vec<Fault>, seed: u64) {
        *self.fault_rate.lock().expect("script lock") = Some((rate.clamp(0.0, 1.0), faults, seed.max(1)));
    }

    /// Overloaded answers carry `Retry-After: secs` from now on (`None`: none, the default).
    pub fn set_overloaded_retry_after(&self, secs: Option<u64>) {
        *self.overloaded_retry_after.lock().expect("script lock") = secs;
    }

    /// The `Retry-After` an overloaded answer carries, if one was set.
    pub fn overloaded_retry_after(&self) -> Option<u64> {
        *self.overloaded_retry_after.lock().expect("script lock")
    }

    /// Counts a reply the provider would bill.
    pub fn bill(&self, bill: crate::Bill) {
        self.billed
            .lock()
            .expect("script lock")
            .add(crate::Bill { replies: 1, ..bill });
    }

    /// Everything billed so far.
    pub fn billed(&self) -> crate::Bill {
        *self.billed.lock().expect("script lock")
    }

    /// The outcome for the request being served now.
    pub fn next_fault(&self) -> Option<Fault> {
        if let Some(queued) = self.faults.lock().expect("script lock").pop_front() {
            return queued;
        }
        let mut rate = self.fault_rate.lock().expect("script lock");
        let (share, faults, state) = rate.as_mut()?;
        // xorshift64: deterministic, no dependency, good enough to spread faults.
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let roll = (*state % 10_000) as f64 / 10_000.0;
        if roll < *share && !faults.is_empty() {
            Some(faults[(*state as usize / 10_000) % faults.len()].clone())
        } else {
            None
        }
    }
}
