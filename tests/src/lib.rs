//! Shared helpers for the stakehold integration tests.
