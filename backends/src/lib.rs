//! sigc-backends: query generators from the sigc IR.
