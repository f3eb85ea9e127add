//! Who did a stage's work, as the producer reads it: the provider (with its model or voice cast), whether it
//! is the offline stand-in, and what was tried or noted on the way. Stages build it; it is rendered once, by
//! `Display`, wherever a route is shown.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// "Rehearsal (offline)", "anthropic · claude-sonnet-4-5", "Piper (offline neural voice) · Alex: …".
    pub by: String,
    /// The offline stand-in did the work: the run is a rehearsal.
    #[serde(default)]
    pub stand_in: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<RouteNote>,
}

/// Reads a route in either form it was ever written in: typed, or the text journals held before.
impl<'de> Deserialize<'de> for Route {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Route, D::Error> {
        #[derive(Deserialize)]
        struct Typed {
            by: String,
            #[serde(default)]
            stand_in: bool,
            #[serde(default)]
            notes: Vec<RouteNote>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Typed(Typed),
            Text(String),
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Typed(t) => Route {
                by: t.by,
                stand_in: t.stand_in,
                notes: t.notes,
            },
            Stored::Text(text) => Route::legacy(&text),
        })
    }
}

/// What the route says after who did the work, each in brackets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "said", rename_all = "snake_case")]
pub enum RouteNote {
    /// Providers tried first and why each was passed over ("anthropic · …: no API key").
    PassedOver(Vec<String>),
    /// Voices picked for a host that the engine does not offer, and what spoke instead.
    VoicesNotOffered(Vec<String>),
    /// A sentence of its own ("reused 3 takes from episode …, $0 in this run").
    Note(String),
    /// What the stage did after the answer came ("locked line S1-L3 restored verbatim …").
    After(String),
}

impl Route {
    /// Work done by `by`, a real provider or local code.
    pub fn by(by: impl Into<String>) -> Route {
        Route {
            by: by.into(),
            stand_in: false,
            notes: Vec::new(),
        }
    }

    /// Work done by the offline stand-in.
    pub fn stand_in(by: impl Into<String>) -> Route {
        Route {
            stand_in: true,
            ..Route::by(by)
        }
    }

    /// The route with `note` added after what it already says; an empty list adds nothing.
    pub fn noting(mut self, note: RouteNote) -> Route {
        let empty = matches!(&note, RouteNote::PassedOver(l) | RouteNote::VoicesNotOffered(l) if l.is_empty());
        if !empty {
            self.notes.push(note);
        }
        self
    }

    /// A route stored before routes were typed: its whole text, with nothing known about it.
    pub fn legacy(text: &str) -> Route {
        Route::by(text)
    }

    /// The form a database column keeps (JSON), and back: a column written before routes were typed holds
    /// plain text, which reads as [`Route::legacy`].
    pub fn to_column(&self) -> String {
        serde_json::to_string(self).expect("a route serializes")
    }

    pub fn from_column(text: &str) -> Route {
        serde_json::from_str(text).unwrap_or_else(|_| Route::legacy(text))
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.by)?;
        for note in &self.notes {
            match note {
                RouteNote::PassedOver(items) => write!(f, " (passed over: {})", items.join("; "))?,
                RouteNote::VoicesNotOffered(items) => write!(f, " (voices not offered: {})", items.join("; "))?,
                RouteNote::Note(text) => write!(f, " ({text})")?,
                RouteNote::After(text) => write!(f, " · {text}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_renders_who_then_each_note_in_brackets_and_round_trips() {
        let route = Route::stand_in("Rehearsal (offline)")
            .noting(RouteNote::PassedOver(vec![
                "anthropic · claude: no API key".into(),
                "gemini: down".into(),
            ]))
            .noting(RouteNote::VoicesNotOffered(vec![]));
        assert_eq!(
            route.to_string(),
            "Rehearsal (offline) (passed over: anthropic · claude: no API key; gemini: down)"
        );
        let json = serde_json::to_string(&route).unwrap();
        assert_eq!(serde_json::from_str::<Route>(&json).unwrap(), route);
        assert!(route.stand_in);
        assert_eq!(Route::legacy("Local").to_string(), "Local");
        assert_eq!(Route::from_column(&route.to_column()), route);
        assert_eq!(
            Route::from_column("Rules (passed over: x)"),
            Route::legacy("Rules (passed over: x)")
        );
        let old: Route = serde_json::from_value(serde_json::json!("Local")).unwrap();
        assert_eq!(old, Route::legacy("Local"), "a journal's old text route still reads");
    }
}
