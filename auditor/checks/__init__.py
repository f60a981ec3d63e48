"""Rule plugins: one file per rule id, registered through the entry-point group
``auditor.checks`` exactly as a third-party package would register its own."""
