//! The commands that run without a full-screen view: `lectern check`, `lectern demos` and
//! `lectern demo`, `lectern report`, `lectern progress`, `lectern new`.

pub mod check;
pub mod demo;
pub mod join;
pub mod new;
pub mod progress;
pub mod report;
