//! Routing decisions, all pure: which provider and model a model string names, which accounts may be tried,
//! and how long an account cools down after a failure. Time is always passed in.

pub mod affinity;
pub mod cooldown;
pub mod model_name;
pub mod model_ref;
pub mod policy;
pub mod select;
pub mod state;
