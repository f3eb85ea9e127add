//! One voice's ONNX model in memory: a session shared by every line that voice speaks (ort runs a session
//! through `&mut`, so calls take turns; each run uses every core), checked on load against what Piper's
//! export gives a model: `input`, `input_lengths`, `scales`, and `sid` exactly when the voice has speakers.

use std::path::Path;
use std::sync::Mutex;

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;

use super::voice_config::VoiceConfig;
use super::PiperError;

pub struct LoadedModel {
    session: Mutex<Session>,
    has_sid: bool,
}

/// Generation knobs for one run: Piper's `scales` input and the speaker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scales {
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
    pub speaker: Option<i64>,
}

impl LoadedModel {
    /// Loads and checks `model` for a voice configured by `config`. Blocking (tens of MB to read and
    /// optimise): call from a blocking thread.
    pub fn load(env: &Environment, model: &Path, config: &VoiceConfig) -> Result<LoadedModel, PiperError> {
        let invalid = |detail: String| PiperError::ModelInvalid(detail);
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let mut builder = Session::builder(env)
            .map_err(|e| invalid(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| invalid(e.to_string()))?
            .with_intra_threads(threads)
            .map_err(|e| invalid(e.to_string()))?;
        let session = builder
            .commit_from_file(model)
            .map_err(|e| invalid(format!("ONNX Runtime cannot load {}: {e}", model.display())))?;
        let names: Vec<String> = session.inputs().iter().map(|i| i.name().to_owned()).collect();
        for needed in ["input", "input_lengths", "scales"] {
            if !names.iter().any(|n| n == needed) {
                return Err(invalid(format!(
                    "the model has no '{needed}' input (it has {}); it is not a Piper voice",
                    names.join(", ")
                )));
            }
        }
        let has_sid = names.iter().any(|n| n == "sid");
        if has_sid != config.multi_speaker() {
            return Err(invalid(format!(
                "the model {} a speaker input but its .onnx.json says {} speaker(s): the pair does not match",
                if has_sid { "has" } else { "has no" },
                config.num_speakers
            )));
        }
        if session.outputs().is_empty() {
            return Err(invalid("the model has no output".into()));
        }
        Ok(LoadedModel {
            session: Mutex::new(session),
            has_sid,
        })
    }

    /// Audio samples in [-1, 1] for one sentence's phoneme ids. Blocking: call from a blocking thread.
    pub fn infer(&self, ids: &[i64], scales: Scales) -> Result<Vec<f32>, PiperError> {
        let failed = |e: ort::Error| PiperError::Inference(e.to_string());
        let input = Tensor::from_array(([1usize, ids.len()], ids.to_vec())).map_err(failed)?;
        let lengths = Tensor::from_array(([1usize], vec![ids.len() as i64])).map_err(failed)?;
        let scale = Tensor::from_array(([3usize], vec![scales.noise_scale, scales.length_scale, scales.noise_w]))
            .map_err(failed)?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = if self.has_sid {
            let sid = Tensor::from_array(([1usize], vec![scales.speaker.unwrap_or(0)])).map_err(failed)?;
            session.run(ort::inputs![
                "input" => input,
                "input_lengths" => lengths,
                "scales" => scale,
                "sid" => sid,
            ])
        } else {
            session.run(ort::inputs![
                "input" => input,
                "input_lengths" => lengths,
                "scales" => scale,
            ])
        }
        .map_err(failed)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(failed)?;
        Ok(audio.to_vec())
    }
}
