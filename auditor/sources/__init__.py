"""Sources: where the audit's posts and events come from (CMS export, calendar, the site)."""
