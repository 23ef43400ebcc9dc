//! State files, locks and journals end to end.
