"""Item pipelines, one step each: normalize, validate, dedupe, store."""
