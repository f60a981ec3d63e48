"""`auditor batch`: audit every school of an inspector's registry, with one roll-up."""
