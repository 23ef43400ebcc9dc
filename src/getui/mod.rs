//! The Getui push protocol: the [`PushApi`] trait and its legacy implementation.
