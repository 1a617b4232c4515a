"""E-mail: rendering in the reader's language, the outbox, and (later) its delivery."""
