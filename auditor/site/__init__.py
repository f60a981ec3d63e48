"""The live site: crawl results as a model, profiles, extraction, reconciliation."""
