//! The playback actor: one dedicated thread owns the sound output (rodio's device sink is not `Send`
//! on every platform) and takes commands over a channel; async callers get replies through oneshots
//! and watch a `PlaybackState` channel for position updates.
//!
//! The output device is opened on the first `load`, never at spawn, so the app starts on machines
//! without a sound card; a failed open is not remembered, so plugging in headphones and trying again
//! works. `stop` releases the device again.
//!
//! Seeking builds a fresh decoder, seeks it (coarsely, see `open_decoder`) with `Source::try_seek`
//! before it is queued, and swaps it in behind a new rodio `Player`. (`Player::try_seek` waits on the
//! audio callback to pick the order up, which never happens if the source ends first; this way nothing
//! on the actor thread can block on the audio callback.) The position is the seek target plus the new
//! player's `get_pos()`.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use rodio::{Decoder, DeviceSinkBuilder, MixerDeviceSink, Player, Source};
use tokio::sync::{oneshot, watch};

use crate::AudioError;

/// How often the position is published while playing.
const TICK: Duration = Duration::from_millis(50);

/// What the player is doing. Published on `PlayerHandle::subscribe` whenever it changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaybackState {
    /// The loaded file's path, if any.
    pub loaded: Option<String>,
    pub playing: bool,
    pub position_ms: u64,
    pub duration_ms: u64,
    /// Played (or seeked) to the end. `play` then starts again from the beginning.
    pub finished: bool,
}

type Reply<T> = oneshot::Sender<T>;

enum Command {
    Load(PathBuf, Reply<Result<PlaybackState, AudioError>>),
    Play(Reply<Result<(), AudioError>>),
    Pause(Reply<Result<(), AudioError>>),
    Seek(u64, Reply<Result<(), AudioError>>),
    Stop(Reply<Result<(), AudioError>>),
    State(Reply<PlaybackState>),
}

type OpenOutput = Box<dyn FnMut() -> Result<MixerDeviceSink, AudioError> + Send>;

/// Handle to the player thread. Cheap to clone; the thread exits when the last handle is dropped.
#[derive(Clone)]
pub struct PlayerHandle {
    commands: mpsc::Sender<Command>,
    state: watch::Receiver<PlaybackState>,
}

impl std::fmt::Debug for PlayerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlayerHandle")
            .field("state", &*self.state.borrow())
            .finish()
    }
}

impl PlayerHandle {
    /// Starts the player thread. Does not touch the audio device.
    pub fn spawn() -> PlayerHandle {
        PlayerHandle::spawn_with(Box::new(open_default_output))
    }

    pub(crate) fn spawn_with(open_output: OpenOutput) -> PlayerHandle {
        let (commands, inbox) = mpsc::channel();
        let (published, state) = watch::channel(PlaybackState::default());
        let spawned = std::thread::Builder::new()
            .name("showrunner-audio-player".into())
            .spawn(move || {
                Actor {
                    open_output,
                    output: None,
                    track: None,
                    published,
                }
                .run(inbox)
            });
        if let Err(e) = spawned {
            // The closure (and the receiving end) is dropped, so every command reports PlayerStopped.
            tracing::error!(error = %e, "could not start the audio player thread");
        }
        PlayerHandle { commands, state }
    }

    /// Loads a WAV or MP3 file, paused at 0. Replaces whatever was loaded.
    pub async fn load(&self, path: PathBuf) -> Result<PlaybackState, AudioError> {
        self.ask(|reply| Command::Load(path, reply)).await?
    }

    /// Plays from the current position (from the start if it had finished).
    pub async fn play(&self) -> Result<(), AudioError> {
        self.ask(Command::Play).await?
    }

    pub async fn pause(&self) -> Result<(), AudioError> {
        self.ask(Command::Pause).await?
    }

    /// Moves to `position_ms`, clamped to the duration. Keeps playing or paused as it was.
    pub async fn seek(&self, position_ms: u64) -> Result<(), AudioError> {
        self.ask(|reply| Command::Seek(position_ms, reply)).await?
    }

    /// Unloads the file and releases the output device. Fine to call when nothing is loaded.
    pub async fn stop(&self) -> Result<(), AudioError> {
        self.ask(Command::Stop).await?
    }

    /// The current state (the last published one if the player thread is gone).
    pub async fn state(&self) -> PlaybackState {
        match self.ask(Command::State).await {
            Ok(state) => state,
            Err(_) => self.state.borrow().clone(),
        }
    }

    /// State changes: position every ~50 ms while playing, and every load/play/pause/seek/stop/finish.
    pub fn subscribe(&self) -> watch::Receiver<PlaybackState> {
        self.state.clone()
    }

    async fn ask<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Result<T, AudioError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(command(reply))
            .map_err(|_| AudioError::PlayerStopped)?;
        answer.await.map_err(|_| AudioError::PlayerStopped)
    }
}

/// Opens the system's default output (falling back to any other real device), with stream errors
/// going to the log instead of stderr.
fn open_default_output() -> Result<MixerDeviceSink, AudioError> {
    let log_errors = |e: rodio::cpal::Error| tracing::warn!(error = %e, "audio output stream error");
    let opened = DeviceSinkBuilder::from_default_device()
        .map(|builder| builder.with_error_callback(log_errors))
        .and_then(|builder| builder.open_stream())
        .or_else(|first| DeviceSinkBuilder::open_default_sink().map_err(|_| first));
    match opened {
        Ok(mut sink) => {
            sink.log_on_drop(false);
            let config = sink.config();
            tracing::info!(
                rate = config.sample_rate().get(),
                channels = config.channel_count().get(),
                "opened the audio output"
            );
            Ok(sink)
        }
        Err(e) => Err(AudioError::DeviceUnavailable {
            detail: error_chain(&e),
        }),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

struct Actor {
    open_output: OpenOutput,
    output: Option<MixerDeviceSink>,
    track: Option<Track>,
    published: watch::Sender<PlaybackState>,
}

struct Track {
    path: PathBuf,
    label: String,
    duration: Duration,
    /// Plays the file from `base`.
    player: Player,
    base: Duration,
    /// The position while paused. rodio applies a pause on its next 5 ms control tick, so `get_pos()`
    /// can still creep forward a few ms after `pause()`; the UI should see a position that holds.
    held: Option<Duration>,
    playing: bool,
    finished: bool,
}

impl Actor {
    fn run(mut self, inbox: mpsc::Receiver<Command>) {
        loop {
            let command = if self.track.as_ref().is_some_and(|t| t.playing) {
                match inbox.recv_timeout(TICK) {
                    Ok(command) => Some(command),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match inbox.recv() {
                    Ok(command) => Some(command),
                    Err(_) => break,
                }
            };
            match command {
                Some(command) => self.handle(command),
                None => self.publish(),
            }
        }
        tracing::debug!("audio player thread exiting: every handle was dropped");
    }

    /// Runs a command, publishes the resulting state, then replies (so a caller that awaited the
    /// reply already sees the new state on its watch receiver).
    fn handle(&mut self, command: Command) {
        match command {
            Command::Load(path, reply) => {
                let result = self.load(path);
                self.publish();
                let _ = reply.send(result.map(|()| self.snapshot()));
            }
            Command::Play(reply) => self.run_and_reply(reply, Actor::play),
            Command::Pause(reply) => self.run_and_reply(reply, Actor::pause),
            Command::Seek(ms, reply) => self.run_and_reply(reply, |actor| actor.seek(Duration::from_millis(ms))),
            Command::Stop(reply) => self.run_and_reply(reply, Actor::stop),
            Command::State(reply) => {
                self.publish();
                let _ = reply.send(self.snapshot());
            }
        }
    }

    fn run_and_reply(
        &mut self,
        reply: Reply<Result<(), AudioError>>,
        op: impl FnOnce(&mut Actor) -> Result<(), AudioError>,
    ) {
        let result = op(self);
        if let Err(e) = &result {
            tracing::debug!(code = e.code(), error = %e, "audio player command failed");
        }
        self.publish();
        let _ = reply.send(result);
    }

    fn load(&mut self, path: PathBuf) -> Result<(), AudioError> {
        // Check the file before touching the device, and keep the current track if it is bad.
        let (decoder, duration) = open_decoder(&path)?;
        let duration = match duration {
            Some(d) => d,
            None => count_duration(&path)?,
        };
        self.track = None;
        let output = match &mut self.output {
            Some(output) => output,
            none => none.insert((self.open_output)()?),
        };
        let player = Player::connect_new(output.mixer());
        player.pause();
        player.append(decoder);
        let label = path.display().to_string();
        tracing::info!(file = %label, duration_ms = duration.as_millis() as u64, "loaded audio");
        let held = Some(Duration::ZERO);
        self.track = Some(Track {
            path,
            label,
            duration,
            player,
            base: Duration::ZERO,
            held,
            playing: false,
            finished: false,
        });
        Ok(())
    }

    fn play(&mut self) -> Result<(), AudioError> {
        let output = self.output.as_ref();
        let track = self.track.as_mut().ok_or(AudioError::NothingLoaded)?;
        track.refresh();
        if track.finished {
            track.cue(output, Duration::ZERO)?;
        }
        track.player.play();
        track.playing = true;
        track.held = None;
        Ok(())
    }

    fn pause(&mut self) -> Result<(), AudioError> {
        let track = self.track.as_mut().ok_or(AudioError::NothingLoaded)?;
        track.refresh();
        if track.playing {
            track.held = Some(track.position());
        }
        track.player.pause();
        track.playing = false;
        Ok(())
    }

    fn seek(&mut self, to: Duration) -> Result<(), AudioError> {
        let output = self.output.as_ref();
        let track = self.track.as_mut().ok_or(AudioError::NothingLoaded)?;
        let to = to.min(track.duration);
        track.cue(output, to)
    }

    fn stop(&mut self) -> Result<(), AudioError> {
        if let Some(track) = self.track.take() {
            tracing::info!(file = %track.label, "unloaded audio");
        }
        // Release the device while nothing is loaded; the next load opens it again.
        self.output = None;
        Ok(())
    }

    fn snapshot(&self) -> PlaybackState {
        match &self.track {
            None => PlaybackState::default(),
            Some(t) => PlaybackState {
                loaded: Some(t.label.clone()),
                playing: t.playing,
                position_ms: t.position().as_millis() as u64,
                duration_ms: t.duration.as_millis() as u64,
                finished: t.finished,
            },
        }
    }

    fn publish(&mut self) {
        if let Some(track) = &mut self.track {
            track.refresh();
        }
        let now = self.snapshot();
        self.published.send_if_modified(|state| {
            let changed = *state != now;
            if changed {
                *state = now;
            }
            changed
        });
    }
}

impl Track {
    /// Notices the end of the file.
    fn refresh(&mut self) {
        if !self.finished && self.player.empty() {
            self.finished = true;
            self.playing = false;
            tracing::debug!(file = %self.label, "playback reached the end");
        }
    }

    fn position(&self) -> Duration {
        if self.finished {
            self.duration
        } else if let Some(held) = self.held {
            held
        } else {
            (self.base + self.player.get_pos()).min(self.duration)
        }
    }

    /// Replaces the queued audio with the file from `at`, keeping play/pause as it is.
    fn cue(&mut self, output: Option<&MixerDeviceSink>, at: Duration) -> Result<(), AudioError> {
        let output = output.ok_or(AudioError::NothingLoaded)?;
        let (mut decoder, _) = open_decoder(&self.path)?;
        if !at.is_zero() {
            decoder
                .try_seek(at)
                .map_err(|e| AudioError::invalid(format!("could not seek in {} ({e})", self.label)))?;
        }
        let player = Player::connect_new(output.mixer());
        if !self.playing {
            player.pause();
        }
        player.append(decoder);
        // Dropping the old player silences it.
        self.player = player;
        self.base = at;
        self.held = (!self.playing).then_some(at);
        self.finished = false;
        self.refresh();
        Ok(())
    }
}

type FileDecoder = Decoder<BufReader<File>>;

/// Opens `path` for decoding (WAV or MP3, recognised by content, helped by the extension) and returns
/// its duration when the container states one that fits the file size.
fn open_decoder(path: &Path) -> Result<(FileDecoder, Option<Duration>), AudioError> {
    let io = |source| AudioError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut builder = Decoder::builder()
        .with_data(BufReader::new(file))
        .with_byte_len(len)
        .with_seekable(true)
        .with_gapless(true)
        // Every seek opens a fresh decoder, and an accurate MP3 seek from there parses every frame header
        // from the start (6.6 ms to reach 58 minutes on an idle machine, growing with the episode). A coarse
        // seek jumps by byte offset (CBR masters: µs) and lands up to a few frames (< 0.1 s; a WAV: one
        // 1,152-frame packet) early, so playback starts a moment before the point, never after it (the
        // playback bench measures both).
        .with_coarse_seek(true);
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        builder = builder.with_hint(&ext.to_ascii_lowercase());
    }
    let decoder = builder
        .build()
        .map_err(|e| AudioError::invalid(format!("{} is not playable audio ({e})", path.display())))?;
    // Any real WAV or MP3 holds at least one byte per millisecond (8 kbps is the lowest MP3 bitrate);
    // a longer claim is a placeholder header (e.g. a streaming WAV), so count instead.
    let plausible = Duration::from_millis(len.max(1000));
    let duration = decoder.total_duration().filter(|d| *d <= plausible);
    Ok((decoder, duration))
}

/// Decodes the whole file to measure it, for files whose header doesn't say.
fn count_duration(path: &Path) -> Result<Duration, AudioError> {
    let (decoder, _) = open_decoder(path)?;
    let rate = f64::from(decoder.sample_rate().get());
    let channels = usize::from(decoder.channels().get());
    let samples = decoder.count();
    Ok(Duration::from_secs_f64((samples / channels) as f64 / rate))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::test_support::sine_wav;

    /// A player whose "device" never opens, and a count of how often it was asked to.
    fn deviceless() -> (PlayerHandle, Arc<AtomicUsize>) {
        let opens = Arc::new(AtomicUsize::new(0));
        let counter = opens.clone();
        let handle = PlayerHandle::spawn_with(Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(AudioError::DeviceUnavailable {
                detail: "test: no device".into(),
            })
        }));
        (handle, opens)
    }

    #[test]
    fn the_handle_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        shareable::<PlayerHandle>();
    }

    #[tokio::test]
    async fn the_device_is_not_opened_until_a_file_is_loaded() {
        let (player, opens) = deviceless();
        assert_eq!(player.state().await, PlaybackState::default());
        assert_eq!(player.play().await.unwrap_err().code(), "audio_nothing_loaded");
        assert_eq!(player.pause().await.unwrap_err().code(), "audio_nothing_loaded");
        assert_eq!(player.seek(1_000).await.unwrap_err().code(), "audio_nothing_loaded");
        player.stop().await.unwrap();
        assert_eq!(
            opens.load(Ordering::SeqCst),
            0,
            "a command other than load opened the device"
        );

        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.wav");
        std::fs::write(&bad, b"definitely not audio").unwrap();
        assert_eq!(player.load(bad).await.unwrap_err().code(), "audio_invalid");
        assert_eq!(
            player.load(dir.path().join("missing.wav")).await.unwrap_err().code(),
            "audio_io"
        );
        assert_eq!(
            opens.load(Ordering::SeqCst),
            0,
            "unreadable files must be rejected before opening the device"
        );

        let good = dir.path().join("tone.wav");
        std::fs::write(&good, sine_wav(8_000, 1, 200)).unwrap();
        assert_eq!(
            player.load(good.clone()).await.unwrap_err().code(),
            "audio_device_unavailable"
        );
        assert_eq!(player.load(good).await.unwrap_err().code(), "audio_device_unavailable");
        assert_eq!(
            opens.load(Ordering::SeqCst),
            2,
            "a failed open must be retried on the next load"
        );
        assert_eq!(player.state().await, PlaybackState::default());
    }

    #[tokio::test]
    async fn clones_share_one_thread_and_it_stops_with_the_last_handle() {
        let (player, _) = deviceless();
        let clone = player.clone();
        let mut updates = clone.subscribe();
        assert_eq!(clone.state().await, PlaybackState::default());
        drop(player);
        drop(clone);
        // The thread drops its watch sender on exit.
        tokio::time::timeout(Duration::from_secs(5), async {
            while updates.changed().await.is_ok() {}
        })
        .await
        .expect("the player thread did not exit");
    }

    #[test]
    fn the_decoder_reports_wav_and_streaming_wav_durations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tone.wav");
        let mut wav = sine_wav(22_050, 1, 1_500);
        std::fs::write(&path, &wav).unwrap();
        let (_, duration) = open_decoder(&path).unwrap();
        assert_eq!(duration, Some(Duration::from_millis(1_500)));

        // A streaming header claims ~13.5 hours: rejected as implausible and counted instead.
        wav[4..8].copy_from_slice(&0x7fff_f024u32.to_le_bytes());
        let data = wav.windows(4).position(|w| w == b"data").unwrap();
        wav[data + 4..data + 8].copy_from_slice(&0x7fff_f000u32.to_le_bytes());
        std::fs::write(&path, &wav).unwrap();
        let (_, duration) = open_decoder(&path).unwrap();
        assert_eq!(duration, None);
        let counted = count_duration(&path).unwrap();
        assert!((counted.as_millis() as i64 - 1_500).abs() <= 5, "{counted:?}");
    }
}
