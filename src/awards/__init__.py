"""awards: an engine for awards and calls for proposals."""
