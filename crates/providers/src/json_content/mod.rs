//! Reading JSON out of what a provider sends back: the HTTP reply itself (a 200 whose body is cut off is a
//! transient failure, not an answer) and the model's text inside it (fenced, preceded by reasoning, or not
//! JSON at all).

mod model_text;
mod reply;

pub(crate) use model_text::parse_model_json;
pub(crate) use reply::{provider_says, send, Reply, MODEL_CALL_TIMEOUT};
