//! The production crew: which provider does which job. A [`Roster`] casts each job from the producer's
//! route plan at call time (keys can be added while the app runs): providers without a key, or without a
//! price, are skipped with a reason the Run view shows; the offline crew always comes last.

use std::sync::{Arc, RwLock};

use showrunner_providers::{LanguageModel, PriceTable, SpeechEngine};

use crate::stages::master_takes::MasterTakes;
use crate::Job;

/// Who may do a job, in the order to try them, and who was passed over and why.
pub struct Casting<T: ?Sized> {
    pub cast: Vec<Arc<T>>,
    /// e.g. "Perplexity · sonar: no API key".
    pub skipped: Vec<String>,
}

impl<T: ?Sized> Casting<T> {
    pub fn only(member: Arc<T>) -> Casting<T> {
        Casting {
            cast: vec![member],
            skipped: Vec::new(),
        }
    }
}

#[async_trait::async_trait]
pub trait Roster: Send + Sync {
    /// Language models for `job`, primary first, the offline writer last.
    async fn writers(&self, job: Job) -> Casting<dyn LanguageModel>;
    /// Speech engines, primary first, the system voice last.
    async fn speakers(&self) -> Casting<dyn SpeechEngine>;
}

/// The offline crew alone: the rehearsal writer for every text job and the system voice.
pub struct OfflineRoster {
    pub writer: Arc<dyn LanguageModel>,
    pub speech: Arc<dyn SpeechEngine>,
}

#[async_trait::async_trait]
impl Roster for OfflineRoster {
    async fn writers(&self, _job: Job) -> Casting<dyn LanguageModel> {
        Casting::only(self.writer.clone())
    }

    async fn speakers(&self) -> Casting<dyn SpeechEngine> {
        Casting::only(self.speech.clone())
    }
}

#[derive(Clone)]
pub struct Crew {
    pub roster: Arc<dyn Roster>,
    /// Turns reported usage into cost, and requests into worst-case reservations.
    pub prices: PriceBook,
    /// How many lines (or research questions) run at once.
    pub concurrency: usize,
    /// Prepared takes kept between masters of a run.
    pub master_takes: Arc<MasterTakes>,
}

impl Crew {
    /// The offline crew with the shipped price table (tests and machines with nothing configured).
    pub fn offline(writer: Arc<dyn LanguageModel>, speech: Arc<dyn SpeechEngine>, concurrency: usize) -> Crew {
        Crew {
            roster: Arc::new(OfflineRoster { writer, speech }),
            prices: PriceBook::new(PriceTable::default_table()),
            concurrency,
            master_takes: Arc::default(),
        }
    }
}

/// The price table in force, shared by every stage and replaceable while the app runs: an edit on the Prices
/// page prices the next call. A call in progress keeps the table it started with.
#[derive(Clone)]
pub struct PriceBook(Arc<RwLock<Arc<PriceTable>>>);

impl PriceBook {
    pub fn new(table: PriceTable) -> PriceBook {
        PriceBook(Arc::new(RwLock::new(Arc::new(table))))
    }

    /// The table in force now.
    pub fn current(&self) -> Arc<PriceTable> {
        match self.0.read() {
            Ok(table) => table.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `table` in force for every call that starts from now on.
    pub fn replace(&self, table: PriceTable) {
        let table = Arc::new(table);
        match self.0.write() {
            Ok(mut slot) => *slot = table,
            Err(poisoned) => *poisoned.into_inner() = table,
        }
    }
}
