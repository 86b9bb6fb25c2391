//! The commands that run without a full-screen view: `lectern check`, `lectern demos` and
//! `lectern demo`, `lectern report`.

pub mod check;
pub mod demo;
pub mod report;
