"""Collection: feeds, list pages and sitemaps over polite HTTP, and files a user hands us."""
