//! An engine as data: what it was built from (its packs' sources and its overlay), to build
//! the same engine in another process — a worker of Dask, Ray or Spark that has none of the
//! pack folders.
//!
//! ```
//! use aimscheck::{Engine, EngineState, Overlay};
//! let overlay = Overlay::from_json(r#"{"disable": ["AIMS-CI-02"]}"#, None)?;
//! let engine = Engine::new()?.with_overlay(overlay)?;
//! let text = serde_json::to_string(&engine.state()).unwrap();
//! let state: EngineState = serde_json::from_str(&text).unwrap();
//! let again = Engine::from_state(&state)?;
//! assert_eq!(again.overlay().disable, ["AIMS-CI-02"]);
//! assert_eq!(serde_json::to_string(&again.state()).unwrap(), text);
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::engine::Engine;
use crate::error::Result;
use crate::overlay::Overlay;
use crate::pack::PackSource;
use serde::{Deserialize, Serialize};

/// What an engine was built from: its packs in order, and its overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EngineState {
    /// The packs, in the engine's order.
    pub packs: Vec<PackSource>,
    /// The overlay (empty when none).
    #[serde(default)]
    pub overlay: Overlay,
}

impl Engine {
    /// What the engine was built from ([`Engine::from_state`] builds it again).
    pub fn state(&self) -> EngineState {
        EngineState {
            packs: self.packs().map(|p| p.source().clone()).collect(),
            overlay: self.overlay().clone(),
        }
    }

    /// Builds the engine `state` describes: its packs compiled again, its overlay applied.
    pub fn from_state(state: &EngineState) -> Result<Engine> {
        let packs = state
            .packs
            .iter()
            .map(PackSource::compile)
            .collect::<Result<Vec<_>>>()?;
        Engine::with_packs(packs)?.with_overlay(state.overlay.clone())
    }
}
